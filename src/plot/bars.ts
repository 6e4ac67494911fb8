/**
 * Grouped bar charts over named categories: a final table of runs (one bar per configuration and
 * metric), with optional error bars (e.g. ± one standard deviation over seeds).
 */
import { chartLayout, seriesColor } from './layout';
import type { AxisOptions, Figure, Numbers, Trace } from './types';
import { requireSameLength, requireSeries, requireSeriesNames, requireText, toNumbers } from './values';

/** One named group of bars: one value per category, with an optional symmetric error bar. */
export interface BarSeries {
  name: string;
  y: Numbers;
  /** Half-length of each bar's error bar (e.g. the standard deviation over seeds). */
  error?: Numbers;
}

/** A grouped bar chart: `categories` along x, one bar per series in each category. */
export interface BarChartOptions extends Pick<AxisOptions, 'logY' | 'yRange' | 'height'> {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: readonly string[];
  series: readonly BarSeries[];
}

/** Grouped bars: for every category, one bar per series (same colour per series), with error bars when given. */
export function barChart(options: BarChartOptions): Figure {
  const fn = 'barChart';
  const layout = chartLayout(fn, options, { logY: options.logY, yRange: options.yRange, height: options.height });
  if (!Array.isArray(options.categories) || options.categories.length === 0) {
    throw new TypeError(`${fn}: categories must be a non-empty list of names`);
  }
  const categories = options.categories.map((c, i) => requireText(fn, `categories[${i}]`, c));
  if (new Set(categories).size !== categories.length) throw new RangeError(`${fn}: categories must be different, got ${JSON.stringify(categories)}`);
  const series = requireSeries(fn, options.series);
  const names = requireSeriesNames(fn, series.map((s) => s.name));
  const data: Trace[] = series.map((s, i) => {
    const name = names[i] as string;
    const y = toNumbers(fn, `series "${name}" y`, s.y);
    requireSameLength(fn, `series "${name}" y`, y.length, 'categories', categories.length);
    y.forEach((v, k) => {
      if (!Number.isFinite(v)) throw new RangeError(`${fn}: series "${name}" y must be finite, got ${v} for "${categories[k]}"`);
      if (options.logY === true && !(v > 0)) throw new RangeError(`${fn}: logY needs positive values, series "${name}" y has ${v} for "${categories[k]}"`);
    });
    const trace: Trace = { type: 'bar', name, x: categories.slice(), y, marker: { color: seriesColor(i) } };
    if (s.error !== undefined) {
      const error = toNumbers(fn, `series "${name}" error`, s.error);
      requireSameLength(fn, `series "${name}" error`, error.length, 'categories', categories.length);
      error.forEach((v, k) => {
        if (!(v >= 0)) throw new RangeError(`${fn}: series "${name}" error must be >= 0, got ${v} for "${categories[k]}"`);
      });
      trace['error_y'] = { type: 'data', array: error, visible: true };
    }
    return trace;
  });
  layout['barmode'] = 'group';
  (layout['xaxis'] as Record<string, unknown>)['type'] = 'category';
  return { data, layout };
}
