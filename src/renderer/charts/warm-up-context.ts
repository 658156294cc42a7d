// How the off-screen warm-up (DetailWarmUp.vue) feeds the real VM detail view: HistoryCharts
// injects this and, when given, draws the range and series it provides instead of asking the
// core and reading the URL.
import type { InjectionKey } from 'vue';
import type { ParamsIn, Result } from '../../shared/contract/api';
import type { TimeRange } from './time-range';

export interface ChartsWarmUp {
  range: TimeRange;
  series(params: ParamsIn<'history.seriesMany'>): Promise<Result<'history.seriesMany'>>;
}

export const CHARTS_WARM_UP: InjectionKey<ChartsWarmUp> = Symbol('charts-warm-up');
