/**
 * x-y chart builders: line charts, scatter plots, histograms and error bands.
 *
 * Each builder checks its input (title and axis labels present, lengths matching, log axes positive)
 * and returns a plain Plotly figure `{data, layout}` that `show` displays. NaN and ±Infinity (a
 * float32 blow-up) are left out as gaps, and the chart says in a note which values it does not draw.
 */
import { addNotDrawnNote, nonFiniteNote, withGaps } from './gaps';
import { chartLayout, seriesColor, withAlpha } from './layout';
import { labelLogAxes } from './logTicks';
import type { AxisOptions, ChartLabels, Figure, Layout, Numbers, Trace } from './types';
import {
  requirePositive,
  requireSameLength,
  requireSeries,
  requireSeriesNames,
  toNumbers,
} from './values';

/** One named line: y values, and x values when it does not share the chart's x. */
export interface LineSeries {
  name: string;
  y: Numbers;
  x?: Numbers;
  /** Line style (default 'solid'). */
  dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
  /** Draw a marker at every point (default false). */
  markers?: boolean;
}

/** A line chart: several named series over a shared x (default 0, 1, 2, ...). */
export interface LineChartOptions extends ChartLabels, AxisOptions {
  x?: Numbers;
  series: readonly LineSeries[];
}

/** One named cloud of points. */
export interface ScatterSeries {
  name: string;
  x: Numbers;
  y: Numbers;
  /** Marker diameter in pixels (default 6). */
  size?: number;
  /** Hover text per point, e.g. the sample's label. */
  text?: readonly string[];
}

/** A scatter plot of one or more named point clouds. */
export interface ScatterOptions extends ChartLabels, AxisOptions {
  series: readonly ScatterSeries[];
}

/** One named sample whose distribution is drawn. */
export interface HistogramSeries {
  name: string;
  values: Numbers;
}

/** Histograms of one or more samples, overlaid on shared bins. */
export interface HistogramOptions {
  title: string;
  xLabel: string;
  /** Default 'count', or 'density' when `density` is set. */
  yLabel?: string;
  series: readonly HistogramSeries[];
  /** Number of equal-width bins over the range of all samples (default 30). */
  bins?: number;
  /** Fixed bin range `[min, max]` instead of the samples' range; values outside it are not counted (as numpy). */
  range?: readonly [number, number];
  /** Scale bars so that each histogram's area is 1 (default false: counts). */
  density?: boolean;
  /** Logarithmic count axis, for heavy-tailed distributions. */
  logY?: boolean;
  height?: number;
}

/** One named mean curve with its band: `std` (band = mean ± std) or explicit `lower`/`upper`. */
export interface BandSeries {
  name: string;
  mean: Numbers;
  std?: Numbers;
  lower?: Numbers;
  upper?: Numbers;
}

/** Mean curves with shaded bands, e.g. loss over seeds: mean ± one standard deviation. */
export interface ErrorBandOptions extends ChartLabels, AxisOptions {
  x?: Numbers;
  series: readonly BandSeries[];
}

/** 0, 1, ..., n-1. */
function indices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The x values of one series: its own, the chart's, or indices; checked against the y length. */
function seriesX(fn: string, name: string, own: Numbers | undefined, shared: number[] | undefined, length: number): number[] {
  const x = own !== undefined ? toNumbers(fn, `series "${name}" x`, own) : (shared ?? indices(length));
  requireSameLength(fn, `series "${name}" x`, x.length, 'y', length);
  return x;
}

/** The note for a series' x and y values that are not finite, positions named by x where it is finite. */
function seriesNotes(name: string, x: readonly number[], y: readonly number[]): (string | null)[] {
  const at = (i: number): string => (Number.isFinite(x[i]) ? `x = ${x[i]}` : `index ${i}`);
  return [nonFiniteNote(`series "${name}" x`, x), nonFiniteNote(`series "${name}" y`, y, at)];
}

function checkLogAxes(fn: string, name: string, axes: AxisOptions, x: number[], y: number[]): void {
  if (axes.logX === true) requirePositive(fn, `series "${name}" x`, x, 'logX');
  if (axes.logY === true) requirePositive(fn, `series "${name}" y`, y, 'logY');
}

/** Integer x values over a short span get one tick per integer (epochs 1..4, not 1, 1.5, 2, ...). */
function integerTicks(layout: Layout, xs: readonly number[][], log: boolean | undefined): void {
  if (log === true) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    for (const v of x) {
      if (!Number.isInteger(v)) return;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (hi - lo >= 1 && hi - lo <= 12) (layout['xaxis'] as Layout)['dtick'] = 1;
}

/** What every x-y chart starts from, checked: its layout, its series and their names, the shared x. */
function xyChart<S extends { name: string }>(
  fn: string,
  options: ChartLabels & AxisOptions & { x?: Numbers; series: readonly S[] },
): { layout: Layout; series: readonly S[]; names: string[]; shared: number[] | undefined } {
  const layout = chartLayout(fn, options, options);
  const series = requireSeries(fn, options.series);
  const names = requireSeriesNames(fn, series.map((s) => s.name));
  const shared = options.x === undefined ? undefined : toNumbers(fn, 'x', options.x);
  return { layout, series, names, shared };
}

/** A line chart of named series, e.g. train and validation loss per epoch. */
export function lineChart(options: LineChartOptions): Figure {
  const fn = 'lineChart';
  const { layout, series, names, shared } = xyChart(fn, options);
  const xs: number[][] = [];
  const notes: (string | null)[] = [];
  const data: Trace[] = series.map((s, i) => {
    const name = names[i] as string;
    const y = toNumbers(fn, `series "${name}" y`, s.y);
    const x = seriesX(fn, name, s.x, shared, y.length);
    checkLogAxes(fn, name, options, x, y);
    xs.push(x);
    notes.push(...seriesNotes(name, x, y));
    return {
      type: 'scatter',
      mode: s.markers === true ? 'lines+markers' : 'lines',
      name,
      x: withGaps(x),
      y: withGaps(y),
      line: { color: seriesColor(i), width: 2, dash: s.dash ?? 'solid' },
    };
  });
  integerTicks(layout, xs, options.logX);
  addNotDrawnNote(layout, notes);
  labelLogAxes(layout, data);
  return { data, layout };
}

/** A scatter plot of named point clouds, e.g. a 2-D embedding coloured by class. */
export function scatter(options: ScatterOptions): Figure {
  const fn = 'scatter';
  const { layout, series, names } = xyChart(fn, options);
  const notes: (string | null)[] = [];
  const data: Trace[] = series.map((s, i) => {
    const name = names[i] as string;
    const x = toNumbers(fn, `series "${name}" x`, s.x);
    const y = toNumbers(fn, `series "${name}" y`, s.y);
    requireSameLength(fn, `series "${name}" x`, x.length, 'y', y.length);
    checkLogAxes(fn, name, options, x, y);
    notes.push(...seriesNotes(name, x, y));
    const trace: Trace = {
      type: 'scatter',
      mode: 'markers',
      name,
      x: withGaps(x),
      y: withGaps(y),
      marker: { color: seriesColor(i), size: s.size ?? 6, opacity: 0.8 },
    };
    if (s.text !== undefined) {
      requireSameLength(fn, `series "${name}" text`, s.text.length, 'x', x.length);
      trace['text'] = s.text.slice();
    }
    return trace;
  });
  addNotDrawnNote(layout, notes);
  labelLogAxes(layout, data);
  return { data, layout };
}

/** Counts of `values` in `bins` equal bins starting at `start` with width `width` (last bin closed). */
function binCounts(values: readonly number[], start: number, width: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const bin = Math.min(bins - 1, Math.floor((v - start) / width));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

/**
 * Histograms on shared equal-width bins. Counting happens here, so the figure stores one bar per
 * bin rather than every sample (a histogram of 100 000 weights stays small in the notebook).
 */
export function histogram(options: HistogramOptions): Figure {
  const fn = 'histogram';
  const density = options.density === true;
  const yLabel = options.yLabel ?? (density ? 'density' : 'count');
  const layout = chartLayout(fn, { title: options.title, xLabel: options.xLabel, yLabel }, {
    logY: options.logY,
    height: options.height,
  });
  const series = requireSeries(fn, options.series);
  const names = requireSeriesNames(fn, series.map((s) => s.name));
  const bins = options.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${fn}: bins must be a positive integer, got ${bins}`);
  const notes: (string | null)[] = [];
  const samples = series.map((s, i) => {
    const values = toNumbers(fn, `series "${names[i]}" values`, s.values);
    if (values.length === 0) throw new RangeError(`${fn}: series "${names[i]}" values must not be empty`);
    notes.push(nonFiniteNote(`series "${names[i]}" values`, values));
    return values.filter((v) => Number.isFinite(v));
  });
  let lo = Infinity;
  let hi = -Infinity;
  if (options.range !== undefined) {
    [lo, hi] = options.range;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
      throw new RangeError(`${fn}: range must be [min, max] with max > min, got [${lo}, ${hi}]`);
    }
  } else {
    for (const values of samples) {
      for (const v of values) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo > hi) [lo, hi] = [0, 0]; // no finite value at all
  // A sample of identical values still gets a visible bar of width 1.
  const width = hi > lo ? (hi - lo) / bins : 1;
  const start = hi > lo ? lo : lo - 0.5;
  const centers = indices(bins).map((b) => start + (b + 0.5) * width);
  const data: Trace[] = samples.map((values, i) => {
    const inside = options.range === undefined ? values : values.filter((v) => v >= lo && v <= hi);
    const counts = binCounts(inside, start, width, bins);
    // Density over the counted values, as numpy: the bars' area is 1 even when `range` leaves some out.
    const y = density ? counts.map((c) => (inside.length === 0 ? 0 : c / (inside.length * width))) : counts;
    return {
      type: 'bar',
      name: names[i] as string,
      x: centers,
      y,
      width,
      marker: { color: seriesColor(i), opacity: samples.length > 1 ? 0.6 : 0.85, line: { width: 0 } },
    };
  });
  layout['barmode'] = 'overlay';
  layout['bargap'] = 0;
  addNotDrawnNote(layout, notes);
  labelLogAxes(layout, data);
  return { data, layout };
}

/** The band of one series as [lower, upper], from `std` or from explicit bounds. */
function bandBounds(fn: string, name: string, s: BandSeries, mean: number[]): [number[], number[]] {
  if (s.std !== undefined) {
    if (s.lower !== undefined || s.upper !== undefined) {
      throw new TypeError(`${fn}: series "${name}" takes std or lower/upper, not both`);
    }
    const std = toNumbers(fn, `series "${name}" std`, s.std);
    requireSameLength(fn, `series "${name}" std`, std.length, 'mean', mean.length);
    std.forEach((v, i) => {
      if (v < 0) throw new RangeError(`${fn}: series "${name}" std must be >= 0, got ${v} at index ${i}`);
    });
    return [mean.map((m, i) => m - (std[i] as number)), mean.map((m, i) => m + (std[i] as number))];
  }
  if (s.lower === undefined || s.upper === undefined) {
    throw new TypeError(`${fn}: series "${name}" needs std, or both lower and upper`);
  }
  const lower = toNumbers(fn, `series "${name}" lower`, s.lower);
  const upper = toNumbers(fn, `series "${name}" upper`, s.upper);
  requireSameLength(fn, `series "${name}" lower`, lower.length, 'mean', mean.length);
  requireSameLength(fn, `series "${name}" upper`, upper.length, 'mean', mean.length);
  return [lower, upper];
}

/**
 * The band between `lower` and `upper` as closed polygons, one per run of points where x and both
 * bounds are finite, separated by null (Plotly's 'toself' fill closes each segment on its own).
 */
function bandPolygon(x: readonly number[], lower: readonly number[], upper: readonly number[]): { x: (number | null)[]; y: (number | null)[] } {
  const ok = (i: number): boolean => Number.isFinite(x[i]) && Number.isFinite(lower[i]) && Number.isFinite(upper[i]);
  const px: (number | null)[] = [];
  const py: (number | null)[] = [];
  for (let i = 0; i < x.length; i++) {
    if (!ok(i)) continue;
    let j = i;
    while (j + 1 < x.length && ok(j + 1)) j++;
    if (px.length > 0) {
      px.push(null);
      py.push(null);
    }
    for (let k = i; k <= j; k++) {
      px.push(x[k] as number);
      py.push(upper[k] as number);
    }
    for (let k = j; k >= i; k--) {
      px.push(x[k] as number);
      py.push(lower[k] as number);
    }
    i = j;
  }
  return { x: px, y: py };
}

/** Mean curves with shaded bands (mean ± std, or lower..upper), e.g. loss over several seeds. */
export function errorBand(options: ErrorBandOptions): Figure {
  const fn = 'errorBand';
  const { layout, series, names, shared } = xyChart(fn, options);
  const xs: number[][] = [];
  const notes: (string | null)[] = [];
  const data: Trace[] = [];
  series.forEach((s, i) => {
    const name = names[i] as string;
    const mean = toNumbers(fn, `series "${name}" mean`, s.mean);
    const x = seriesX(fn, name, undefined, shared, mean.length);
    const [lower, upper] = bandBounds(fn, name, s, mean);
    checkLogAxes(fn, name, options, x, mean);
    if (options.logY === true) requirePositive(fn, `series "${name}" band`, lower, 'logY');
    const at = (k: number): string => (Number.isFinite(x[k]) ? `x = ${x[k]}` : `index ${k}`);
    notes.push(...seriesNotes(name, x, mean));
    // A bound that is not finite where the mean is finite: its value, so the note names it.
    const band = lower.map((v, k) => (!Number.isFinite(mean[k]) ? 0 : Number.isFinite(v) ? (upper[k] as number) : v));
    notes.push(nonFiniteNote(`series "${name}" band`, band, at));
    const color = seriesColor(i);
    // The band is a closed polygon: along the upper bound, then back along the lower bound.
    const polygon = bandPolygon(x, lower, upper);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${name} band`,
      x: polygon.x,
      y: polygon.y,
      fill: 'toself',
      fillcolor: withAlpha(color, 0.2),
      line: { width: 0, color },
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: name,
    });
    data.push({ type: 'scatter', mode: 'lines', name, x: withGaps(x), y: withGaps(mean), line: { color, width: 2 }, legendgroup: name });
    xs.push(x);
  });
  integerTicks(layout, xs, options.logX);
  addNotDrawnNote(layout, notes);
  labelLogAxes(layout, data);
  return { data, layout };
}
