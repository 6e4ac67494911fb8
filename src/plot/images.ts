/**
 * Grid-valued charts: heatmaps (weight matrices, confusion matrices, loss surfaces) and image grids
 * (a batch of MNIST digits with their labels).
 */
import { addNotDrawnNote, nonFiniteNote, withGaps } from './gaps';
import { chartLayout } from './layout';
import type { ChartLabels, Figure, Grid, Layout, TensorLike } from './types';
import { formatShape, isTensorLike, plainNumbers, requireText, toRows } from './values';

/** A heatmap of a matrix; row 0 is drawn at the top unless `origin` is 'bottom'. */
export interface HeatmapOptions extends ChartLabels {
  z: Grid;
  /** Column labels (default 0, 1, 2, ...). */
  x?: readonly (string | number)[];
  /** Row labels (default 0, 1, 2, ...). */
  y?: readonly (string | number)[];
  /** A Plotly colour scale name such as 'Viridis', 'RdBu' or 'Blues' (default 'Viridis'). */
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  /** Label of the colour bar, e.g. 'weight' or 'count'. */
  colorbarTitle?: string;
  /** Write each cell's value into it, as in a confusion matrix. */
  showValues?: boolean;
  /** Where row 0 goes: 'top' like a printed matrix (default), 'bottom' like a y axis. */
  origin?: 'top' | 'bottom';
  height?: number;
}

/** A grid of greyscale images such as MNIST digits, with optional labels under each image. */
export interface ImageGridOptions {
  title: string;
  /** `[N, H*W]` (square images), `[N, H, W]` or `[N, 1, H, W]` tensor-like, or rows of H*W pixels. */
  images: Grid | TensorLike;
  /** One label per image, e.g. the digit or "7 (pred 1)". */
  labels?: readonly (string | number)[];
  /** Images per row (default min(N, 10)). */
  cols?: number;
  /** Pixel value range drawn from white to black (default [0, 1]); values outside it are an error. */
  range?: readonly [number, number];
  /** Image height and width when rows of pixels are not square (default: square). */
  imageShape?: readonly [number, number];
}

/** A heatmap of a 2-D grid: a weight matrix, a confusion matrix, a loss surface; NaN and ±Infinity cells are left blank and noted. */
export function heatmap(options: HeatmapOptions): Figure {
  const fn = 'heatmap';
  const layout = chartLayout(fn, options, { height: options.height });
  const z = toRows(fn, 'z', options.z);
  if (z.length === 0 || (z[0] as number[]).length === 0) throw new RangeError(`${fn}: z must not be empty`);
  const rows = z.length;
  const cols = (z[0] as number[]).length;
  if (options.x !== undefined && options.x.length !== cols) {
    throw new RangeError(`${fn}: x has ${options.x.length} labels but z has ${cols} columns`);
  }
  if (options.y !== undefined && options.y.length !== rows) {
    throw new RangeError(`${fn}: y has ${options.y.length} labels but z has ${rows} rows`);
  }
  const flat = ([] as number[]).concat(...z);
  const note = nonFiniteNote('z', flat, (k) => `row ${Math.floor(k / cols)}, column ${k % cols}`);
  const trace: Figure['data'][number] = {
    type: 'heatmap',
    z: z.map(withGaps),
    colorscale: options.colorscale ?? 'Viridis',
    colorbar: { title: { text: options.colorbarTitle ?? '' }, thickness: 14 },
  };
  if (options.x !== undefined) trace['x'] = options.x.slice();
  if (options.y !== undefined) trace['y'] = options.y.slice();
  if (options.zmin !== undefined) trace['zmin'] = options.zmin;
  if (options.zmax !== undefined) trace['zmax'] = options.zmax;
  if (options.showValues === true) {
    const integers = z.every((row) => row.every((v) => !Number.isFinite(v) || Number.isInteger(v)));
    trace['texttemplate'] = integers ? '%{z}' : '%{z:.2f}';
  }
  const xaxis = layout['xaxis'] as Layout;
  const yaxis = layout['yaxis'] as Layout;
  if (options.origin !== 'bottom') yaxis['autorange'] = 'reversed';
  // Index axes of small matrices get one tick per row/column instead of ticks at 0.5 steps.
  if (options.x === undefined && cols <= 30) xaxis['dtick'] = 1;
  if (options.y === undefined && rows <= 30) yaxis['dtick'] = 1;
  addNotDrawnNote(layout, [note]);
  return { data: [trace], layout };
}

/** The images as flat pixel rows plus their height and width. */
function readImages(fn: string, options: ImageGridOptions): { pixels: number[][]; h: number; w: number } {
  const images = options.images;
  let pixels: number[][];
  let shape: readonly number[] | undefined;
  if (isTensorLike(images)) {
    const s = images.shape;
    const flat = plainNumbers(images.data);
    const n = s[0] ?? 0;
    const per = s.slice(1).reduce((a, b) => a * b, 1);
    if (s.length === 3) shape = [s[1] as number, s[2] as number];
    else if (s.length === 4 && s[1] === 1) shape = [s[2] as number, s[3] as number];
    else if (s.length !== 2) {
      throw new RangeError(`${fn}: images must be [N, H*W], [N, H, W] or [N, 1, H, W], got shape ${formatShape(s)}`);
    }
    pixels = [];
    for (let i = 0; i < n; i++) pixels.push(flat.slice(i * per, (i + 1) * per));
  } else {
    pixels = toRows(fn, 'images', images);
  }
  if (pixels.length === 0) throw new RangeError(`${fn}: images must hold at least one image, got 0`);
  const size = (pixels[0] as number[]).length;
  if (shape === undefined) shape = options.imageShape;
  if (shape === undefined) {
    const side = Math.round(Math.sqrt(size));
    if (side * side !== size) {
      throw new RangeError(`${fn}: ${size} pixels per image is not a square; pass imageShape: [height, width]`);
    }
    shape = [side, side];
  }
  const [h, w] = shape as [number, number];
  if (h * w !== size) throw new RangeError(`${fn}: imageShape ${formatShape(shape)} does not hold ${size} pixels`);
  return { pixels, h, w };
}

/**
 * A grid of greyscale images, ink dark on white: all images are tiled into one heatmap (gaps left
 * empty), which draws far faster than one subplot per image.
 */
export function imageGrid(options: ImageGridOptions): Figure {
  const fn = 'imageGrid';
  const title = requireText(fn, 'title', options.title);
  const { pixels, h, w } = readImages(fn, options);
  const n = pixels.length;
  const [lo, hi] = options.range ?? [0, 1];
  if (!(hi > lo)) throw new RangeError(`${fn}: range must be [min, max] with max > min, got [${lo}, ${hi}]`);
  pixels.forEach((image, i) => {
    const bad = image.find((v) => !(v >= lo && v <= hi));
    if (bad !== undefined) {
      throw new RangeError(
        `${fn}: pixel values must lie in [${lo}, ${hi}] (pass range: [min, max] for other data), got ${bad} in image ${i}`,
      );
    }
  });
  const labels = options.labels;
  if (labels !== undefined && labels.length !== n) {
    throw new RangeError(`${fn}: labels has ${labels.length} entries for ${n} images`);
  }
  const cols = options.cols ?? Math.min(n, 10);
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`${fn}: cols must be a positive integer, got ${cols}`);
  const rows = Math.ceil(n / cols);
  const gapX = Math.max(1, Math.round(w / 14));
  // Labels sit in the gap under each image, so that gap is tall enough for a line of text.
  const gapY = labels === undefined ? gapX : Math.max(2, Math.round(h * 0.4));
  const cellW = w + gapX;
  const cellH = h + gapY;
  const z: (number | null)[][] = [];
  // The last row keeps its gap when it holds labels, so they are not cut off.
  const height = rows * cellH - (labels === undefined ? gapY : 0);
  for (let r = 0; r < height; r++) z.push(new Array<number | null>(cols * cellW - gapX).fill(null));
  pixels.forEach((image, i) => {
    const top = Math.floor(i / cols) * cellH;
    const left = (i % cols) * cellW;
    for (let y = 0; y < h; y++) {
      const line = z[top + y] as (number | null)[];
      for (let x = 0; x < w; x++) line[left + x] = Math.round((image[y * w + x] as number) * 1000) / 1000;
    }
  });
  const hidden = { showticklabels: false, showgrid: false, zeroline: false, ticks: '' };
  const layout: Layout = {
    title: { text: title },
    xaxis: { ...hidden, constrain: 'domain' },
    yaxis: { ...hidden, autorange: 'reversed', scaleanchor: 'x', constrain: 'domain' },
    // About 64 screen pixels per image height; Plotly keeps pixels square within that.
    height: Math.round(Math.min(1000, 70 + rows * cellH * (64 / h))),
    margin: { t: 50, r: 10, b: 10, l: 10 },
    plot_bgcolor: '#ffffff',
  };
  if (labels !== undefined) {
    layout['annotations'] = labels.map((label, i) => ({
      text: String(label),
      x: (i % cols) * cellW + (w - 1) / 2,
      y: Math.floor(i / cols) * cellH + h - 0.5,
      xref: 'x',
      yref: 'y',
      yanchor: 'top',
      showarrow: false,
      font: { size: 11 },
    }));
  }
  const trace = {
    type: 'heatmap',
    z,
    zmin: lo,
    zmax: hi,
    colorscale: [[0, '#ffffff'], [1, '#000000']],
    showscale: false,
    hovertemplate: 'pixel %{z}<extra></extra>',
  };
  return { data: [trace], layout };
}

