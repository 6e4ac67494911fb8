/**
 * Combining single charts into one figure laid out on a grid, each keeping its own axes and title.
 *
 * Each chart k gets the axis pair x{k+1}/y{k+1} with an explicit domain; its annotations and colour
 * bars move with it, and a series that appears in several charts (same name and colour) is listed
 * once in the legend and toggles everywhere.
 */
import { titleText } from './layout';
import type { Figure, Layout, Trace } from './types';
import { requireText } from './values';

/** The grid and the overall title of a combined figure. */
export interface SubplotOptions {
  rows: number;
  cols: number;
  title: string;
  /** Total height in pixels (default 100 + 330 per row). */
  height?: number;
}

type Domain = readonly [number, number];

/** A domain end rounded and clamped into [0, 1] (float error would make plotly.js reject it). */
function unit(v: number): number {
  return Math.min(1, Math.max(0, Math.round(v * 1e6) / 1e6));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws unless `figure` is a single chart with the default x/y axes. */
function checkSingleChart(figure: Figure, k: number): void {
  if (!isObject(figure) || !Array.isArray(figure.data) || !isObject(figure.layout)) {
    throw new TypeError(`subplots: figures[${k}] must be a figure {data, layout}`);
  }
  const extra = Object.keys(figure.layout).find((key) => /^[xy]axis\d+$/.test(key));
  if (extra !== undefined) {
    throw new RangeError(`subplots: figures[${k}] already has several axes (${extra}); combine single charts only`);
  }
  figure.data.forEach((trace, t) => {
    const xa = trace['xaxis'];
    const ya = trace['yaxis'];
    if ((xa !== undefined && xa !== 'x') || (ya !== undefined && ya !== 'y')) {
      throw new RangeError(`subplots: figures[${k}].data[${t}] uses axes ${String(xa)}/${String(ya)}; combine single charts only`);
    }
  });
}

/** Moves an annotation from a chart's own axes (or its paper) onto subplot axes xId/yId. */
function moveAnnotation(note: unknown, xId: string, yId: string, xd: Domain, yd: Domain): unknown {
  if (!isObject(note)) return note;
  const moved: Record<string, unknown> = { ...note };
  const xref = note['xref'] ?? 'x';
  const yref = note['yref'] ?? 'y';
  if (xref === 'paper' && typeof note['x'] === 'number') moved['x'] = xd[0] + note['x'] * (xd[1] - xd[0]);
  else if (xref === 'x') moved['xref'] = xId;
  if (yref === 'paper' && typeof note['y'] === 'number') moved['y'] = yd[0] + note['y'] * (yd[1] - yd[0]);
  else if (yref === 'y') moved['yref'] = yId;
  return moved;
}

/** Several single charts on a rows x cols grid, filled row by row, each with its title above it. */
export function subplots(figures: readonly Figure[], options: SubplotOptions): Figure {
  const fn = 'subplots';
  const title = requireText(fn, 'title', options.title);
  const { rows, cols } = options;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${fn}: rows and cols must be positive integers, got rows ${rows}, cols ${cols}`);
  }
  if (!Array.isArray(figures as unknown) || figures.length === 0) throw new RangeError(`${fn}: figures must be a non-empty array`);
  if (figures.length > rows * cols) {
    throw new RangeError(`${fn}: ${figures.length} figures do not fit a ${rows} x ${cols} grid`);
  }
  figures.forEach(checkSingleChart);
  const height = options.height ?? 100 + 330 * rows;
  const margin = { t: 80, r: 30, b: 60, l: 70 };
  const hasColorbar = figures.some((f) => f.data.some((t) => t.type === 'heatmap' && t['showscale'] !== false));
  const gapX = hasColorbar ? 0.16 : 0.08;
  // Room between rows for the upper chart's x label and the lower chart's title (about 100 px).
  const gapY = rows > 1 ? Math.min(0.4, 100 / (height - margin.t - margin.b)) : 0;
  const cellW = (1 - gapX * (cols - 1)) / cols;
  const cellH = (1 - gapY * (rows - 1)) / rows;

  const data: Trace[] = [];
  const annotations: unknown[] = [];
  const layout: Layout = { title: { text: title }, height, margin };
  const listed = new Set<string>();
  figures.forEach((figure, k) => {
    const r = Math.floor(k / cols);
    const c = k % cols;
    const xd: Domain = [unit(c * (cellW + gapX)), unit(c * (cellW + gapX) + cellW)];
    const yTop = 1 - r * (cellH + gapY);
    const yd: Domain = [unit(yTop - cellH), unit(yTop)];
    const suffix = k === 0 ? '' : String(k + 1);
    const xId = `x${suffix}`;
    const yId = `y${suffix}`;
    const source = figure.layout;
    const xaxis: Record<string, unknown> = isObject(source['xaxis']) ? { ...source['xaxis'] } : {};
    const yaxis: Record<string, unknown> = isObject(source['yaxis']) ? { ...source['yaxis'] } : {};
    if (yaxis['scaleanchor'] === 'x') yaxis['scaleanchor'] = xId;
    if (xaxis['scaleanchor'] === 'y') xaxis['scaleanchor'] = yId;
    layout[`xaxis${suffix}`] = { ...xaxis, domain: xd, anchor: yId };
    layout[`yaxis${suffix}`] = { ...yaxis, domain: yd, anchor: xId };
    for (const trace of figure.data) {
      const moved: Trace = { ...trace, xaxis: xId, yaxis: yId };
      if (trace.type === 'heatmap' && trace['showscale'] !== false) {
        const bar = isObject(trace['colorbar']) ? trace['colorbar'] : {};
        moved['colorbar'] = { ...bar, x: xd[1] + 0.01, xanchor: 'left', y: (yd[0] + yd[1]) / 2, len: yd[1] - yd[0], thickness: 10 };
      }
      const name = trace['name'];
      if (typeof name === 'string' && trace['showlegend'] !== false) {
        const marker = trace['line'] ?? trace['marker'];
        const key = `${name}|${isObject(marker) ? String(marker['color']) : ''}`;
        if (moved['legendgroup'] === undefined) moved['legendgroup'] = name;
        if (listed.has(key)) moved['showlegend'] = false;
        listed.add(key);
      }
      data.push(moved);
    }
    const notes = source['annotations'];
    if (Array.isArray(notes)) for (const note of notes) annotations.push(moveAnnotation(note, xId, yId, xd, yd));
    const subtitle = titleText(source);
    if (subtitle !== '') {
      annotations.push({
        text: subtitle,
        x: (xd[0] + xd[1]) / 2,
        y: yd[1],
        xref: 'paper',
        yref: 'paper',
        xanchor: 'center',
        yanchor: 'bottom',
        yshift: 6,
        showarrow: false,
        font: { size: 14 },
      });
    }
  });
  layout['annotations'] = annotations;
  return { data, layout };
}
