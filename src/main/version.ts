// The app version, injected at build time from package.json (see electron.vite.config.ts).
declare const __VIRTDECK_VERSION__: string;
export const VERSION: string = typeof __VIRTDECK_VERSION__ === 'string' ? __VIRTDECK_VERSION__ : '0.0.0-dev';
