/**
 * Layout pieces shared by the chart builders: the colour cycle, axes and the base layout.
 *
 * Colours are assigned explicitly (not left to Plotly's trace-order default) so that a series keeps
 * its colour when figures are combined with `subplots`. Titles use the `{text}` object form, the only
 * form plotly.js 3.x and later accept.
 */
import type { AxisOptions, ChartLabels, Layout } from './types';
import { requireText } from './values';

/** The qualitative colour cycle (Plotly's default "D3" colours). */
export const PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** The colour of the i-th series of a chart. */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** A `#rrggbb` colour as `rgba(r, g, b, alpha)`, for translucent fills. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** One axis: label, optional log scale and range (Plotly takes log ranges as log10 values). */
export function axis(label: string, log: boolean | undefined, range: readonly [number, number] | undefined): Layout {
  const out: Layout = { title: { text: label }, automargin: true };
  if (log === true) out['type'] = 'log';
  if (range !== undefined) out['range'] = log === true ? [Math.log10(range[0]), Math.log10(range[1])] : [range[0], range[1]];
  return out;
}

/** Throws unless `range` is two different finite numbers, both positive on a log axis (or is absent). */
function checkRange(fn: string, field: string, range: unknown, log: boolean | undefined): void {
  if (range === undefined) return;
  const pair = Array.isArray(range) && range.length === 2 ? (range as unknown[]) : [];
  const [lo, hi] = pair;
  const ok =
    typeof lo === 'number' && typeof hi === 'number' && Number.isFinite(lo) && Number.isFinite(hi) && lo !== hi &&
    (log !== true || (lo > 0 && hi > 0));
  if (!ok) {
    const got = Array.isArray(range) ? `[${range.map(String).join(', ')}]` : String(range);
    const rule = log === true ? 'two different positive numbers (the axis is logarithmic)' : 'two different finite numbers';
    throw new RangeError(`${fn}: ${field} must be [min, max] of ${rule}, got ${got}`);
  }
}

/** Checks title and labels, and builds the layout of a single x-y chart. */
export function chartLayout(fn: string, labels: ChartLabels, axes: AxisOptions = {}): Layout {
  const title = requireText(fn, 'title', labels.title);
  const xLabel = requireText(fn, 'xLabel', labels.xLabel);
  const yLabel = requireText(fn, 'yLabel', labels.yLabel);
  if (axes.height !== undefined && !(Number.isFinite(axes.height) && axes.height >= 100)) {
    throw new RangeError(`${fn}: height must be a number of pixels >= 100, got ${axes.height}`);
  }
  checkRange(fn, 'xRange', axes.xRange, axes.logX);
  checkRange(fn, 'yRange', axes.yRange, axes.logY);
  return {
    title: { text: title },
    xaxis: axis(xLabel, axes.logX, axes.xRange),
    yaxis: axis(yLabel, axes.logY, axes.yRange),
    height: axes.height ?? 400,
    margin: { t: 60, r: 30, b: 60, l: 70 },
  };
}

/** The text of a layout's (or axis') title, or '' when it has none. */
export function titleText(layout: unknown): string {
  if (typeof layout !== 'object' || layout === null) return '';
  const title = (layout as { title?: unknown }).title;
  if (typeof title === 'string') return title;
  if (typeof title === 'object' && title !== null) {
    const text = (title as { text?: unknown }).text;
    if (typeof text === 'string') return text;
  }
  return '';
}
