import { describe, expect, it } from 'vitest';
import {
  MAX_CHART_POINTS,
  MIN_CHART_POINTS,
  lastChartWidth,
  pointsForWidth,
  rememberChartWidth,
} from '../../src/renderer/charts/chart-points';

describe('pointsForWidth', () => {
  it('asks for one point per device pixel of the chart', () => {
    expect(pointsForWidth(600)).toBe(600);
    expect(pointsForWidth(600.4)).toBe(601);
    expect(pointsForWidth(500, 2)).toBe(1000);
  });
  it('never asks for more than the store default nor fewer than the floor', () => {
    expect(pointsForWidth(900, 2)).toBe(MAX_CHART_POINTS);
    expect(pointsForWidth(120)).toBe(MIN_CHART_POINTS);
  });
  it('asks for the default when the chart has no width yet', () => {
    expect(pointsForWidth(0)).toBe(MAX_CHART_POINTS);
    expect(pointsForWidth(Number.NaN)).toBe(MAX_CHART_POINTS);
    expect(pointsForWidth(400, 0)).toBe(400);
  });
});

describe('the last chart width', () => {
  it('keeps the last width measured, never a chart that was not laid out', () => {
    expect(lastChartWidth()).toBe(0);
    rememberChartWidth(0);
    expect(lastChartWidth()).toBe(0);
    rememberChartWidth(588);
    rememberChartWidth(0);
    expect(lastChartWidth()).toBe(588);
    rememberChartWidth(700);
    expect(lastChartWidth()).toBe(700);
  });
});
