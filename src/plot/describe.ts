/**
 * The one-line text form of a figure: what plain Node, logs and text-only front ends show instead of
 * the chart, e.g. `Figure "Loss": lines train (20 points), valid (20 points); x: epoch, y: loss (log)`.
 */
import { titleText } from './layout';
import type { Figure, Trace } from './types';

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** Points left out as gaps (null, or a number that is not finite, in x or y). */
function gapCount(x: unknown, y: unknown, count: number): number {
  const missing = (values: unknown, i: number): boolean => {
    if (!Array.isArray(values)) return false;
    const v: unknown = values[i];
    return v === null || (typeof v === 'number' && !Number.isFinite(v));
  };
  let gaps = 0;
  for (let i = 0; i < count; i++) if (missing(x, i) || missing(y, i)) gaps++;
  return gaps;
}

/** What one trace holds, e.g. `train (20 points)` or `heatmap 10 x 10`. */
function describeTrace(trace: Trace): string | null {
  if (trace['showlegend'] === false && trace.type !== 'heatmap') return null;
  const name = typeof trace['name'] === 'string' ? trace['name'] : '';
  if (trace.type === 'heatmap') {
    const z = trace['z'];
    const rows = lengthOf(z);
    const cols = Array.isArray(z) ? lengthOf(z[0]) : 0;
    return `heatmap ${rows} x ${cols}`;
  }
  const count = Math.max(lengthOf(trace['y']), lengthOf(trace['x']));
  const kind = trace.type === 'bar' ? 'bars' : 'points';
  const gaps = gapCount(trace['x'], trace['y'], count);
  return `${name === '' ? trace.type : name} (${count} ${kind}${gaps > 0 ? `, ${gaps} not drawn` : ''})`;
}

/** The label of one layout axis, with "(log)" for log axes, or '' when it has none. */
function axisText(layout: Record<string, unknown>, key: string): string {
  const axis = layout[key];
  const label = titleText(axis);
  if (label === '') return '';
  const log = typeof axis === 'object' && axis !== null && (axis as { type?: unknown }).type === 'log';
  return log ? `${label} (log)` : label;
}

/** A one-line description of a figure: title, traces with their sizes, axis labels. */
export function describeFigure(figure: Figure): string {
  const title = titleText(figure.layout);
  const parts = figure.data.map(describeTrace).filter((part): part is string => part !== null);
  const axisKeys = Object.keys(figure.layout).filter((key) => /^xaxis\d*$/.test(key));
  let text = `Figure "${title === '' ? 'untitled' : title}"`;
  if (axisKeys.length > 1) text += `: ${axisKeys.length} panels`;
  if (parts.length > 0) text += `${axisKeys.length > 1 ? ',' : ':'} ${parts.join(', ')}`;
  const x = axisText(figure.layout, 'xaxis');
  const y = axisText(figure.layout, 'yaxis');
  if (axisKeys.length <= 1 && (x !== '' || y !== '')) text += `; x: ${x || '-'}, y: ${y || '-'}`;
  return text;
}
