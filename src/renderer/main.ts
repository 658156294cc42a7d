// Renderer bootstrap: Vue app with Pinia, router and i18n.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { prefetchDetailViews, router } from './router';
import { i18n } from './i18n';
// Fonts are bundled (the app works offline): Inter for Latin, Noto Sans SC for Chinese,
// each split by unicode-range so the browser only loads the slices a page uses.
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/600.css';
import './styles.css';

createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
prefetchDetailViews();
