import { describe, expect, it } from 'vitest';
import { errorBand, histogram, lineChart, scatter } from '../../src/plot/figures';
import { heatmap, imageGrid } from '../../src/plot/images';
import { subplots } from '../../src/plot/subplots';
import type { Figure, Layout, Trace } from '../../src/plot/types';

const labels = { title: 'Loss', xLabel: 'epoch', yLabel: 'loss' };

function axisTitle(layout: Layout, key: string): unknown {
  return ((layout[key] as Layout)['title'] as Layout)['text'];
}

function trace(figure: Figure, i: number): Trace {
  const t = figure.data[i];
  if (t === undefined) throw new Error(`no trace ${i}`);
  return t;
}

describe('lineChart', () => {
  it('draws one named line per series over the shared x, with title and axis labels', () => {
    const fig = lineChart({ ...labels, x: [1, 2, 3], series: [{ name: 'train', y: [3, 2, 1] }, { name: 'valid', y: new Float64Array([4, 3, 2.5]) }] });
    expect(fig.data).toHaveLength(2);
    expect(trace(fig, 0)).toMatchObject({ type: 'scatter', mode: 'lines', name: 'train', x: [1, 2, 3], y: [3, 2, 1] });
    expect(trace(fig, 1)['y']).toEqual([4, 3, 2.5]);
    expect(trace(fig, 0)['line']).not.toEqual(trace(fig, 1)['line']);
    expect((fig.layout['title'] as Layout)['text']).toBe('Loss');
    expect(axisTitle(fig.layout, 'xaxis')).toBe('epoch');
    expect(axisTitle(fig.layout, 'yaxis')).toBe('loss');
  });

  it('defaults x to 0, 1, 2, ... and rounds float32 values to the digits they hold', () => {
    const fig = lineChart({ ...labels, series: [{ name: 'loss', y: new Float32Array([0.1, 0.2]) }] });
    expect(trace(fig, 0)['x']).toEqual([0, 1]);
    expect(trace(fig, 0)['y']).toEqual([0.1, 0.2]);
  });

  it('accepts tensor-likes with .data and .shape, including [n, 1] columns', () => {
    const y = { data: new Float32Array([1, 2, 3]), shape: [3, 1] };
    expect(trace(lineChart({ ...labels, series: [{ name: 'a', y }] }), 0)['y']).toEqual([1, 2, 3]);
    const matrix = { data: new Float32Array(6), shape: [2, 3] };
    expect(() => lineChart({ ...labels, series: [{ name: 'a', y: matrix }] })).toThrow(
      'lineChart: series "a" y must be 1-D, got shape [2, 3]',
    );
  });

  it('sets log axes and converts a fixed log range to log10 units', () => {
    const fig = lineChart({ ...labels, logY: true, yRange: [0.01, 10], series: [{ name: 'loss', y: [1, 0.1] }] });
    expect(fig.layout['yaxis']).toMatchObject({ type: 'log', range: [-2, 1] });
  });

  it('rejects a fixed range that a log axis cannot show, or that is not two finite numbers', () => {
    expect(() => lineChart({ ...labels, logY: true, yRange: [0, 10], series: [{ name: 'loss', y: [1] }] })).toThrow(
      'lineChart: yRange must be [min, max] of two different positive numbers (the axis is logarithmic), got [0, 10]',
    );
    expect(() => lineChart({ ...labels, xRange: [1, NaN], series: [{ name: 'loss', y: [1] }] })).toThrow(
      'lineChart: xRange must be [min, max] of two different finite numbers, got [1, NaN]',
    );
    expect(lineChart({ ...labels, yRange: [1, 0], series: [{ name: 'loss', y: [1] }] }).layout['yaxis']).toMatchObject({ range: [1, 0] });
  });

  it('rejects missing titles and labels, naming the field', () => {
    expect(() => lineChart({ ...labels, title: '', series: [{ name: 'a', y: [1] }] })).toThrow(
      'lineChart: title must be a non-empty string, got ""',
    );
    const noLabel = { title: 'Loss', xLabel: 'epoch', series: [{ name: 'a', y: [1] }] } as unknown as Parameters<typeof lineChart>[0];
    expect(() => lineChart(noLabel)).toThrow('lineChart: yLabel must be a non-empty string, got undefined');
  });

  it('rejects mismatched lengths, duplicate names and non-positive values on log axes', () => {
    expect(() => lineChart({ ...labels, x: [1, 2], series: [{ name: 'a', y: [1, 2, 3] }] })).toThrow(
      'lineChart: series "a" x and y must have the same length, got 2 and 3',
    );
    expect(() => lineChart({ ...labels, series: [{ name: 'a', y: [1] }, { name: 'a', y: [2] }] })).toThrow(
      'lineChart: series names must be distinct, "a" appears twice',
    );
    expect(() => lineChart({ ...labels, logY: true, series: [{ name: 'a', y: [1, 0] }] })).toThrow(
      'lineChart: logY needs positive values, series "a" y has 0 at index 1',
    );
    expect(() => lineChart({ ...labels, series: [] })).toThrow('lineChart: series must be a non-empty array');
  });
});

describe('scatter', () => {
  it('draws markers per named cloud with hover text', () => {
    const fig = scatter({ title: 'Embedding', xLabel: 'z1', yLabel: 'z2', series: [{ name: '0', x: [0, 1], y: [1, 0], text: ['a', 'b'] }] });
    expect(trace(fig, 0)).toMatchObject({ type: 'scatter', mode: 'markers', name: '0', x: [0, 1], y: [1, 0], text: ['a', 'b'] });
    expect(() => scatter({ title: 'E', xLabel: 'a', yLabel: 'b', series: [{ name: 's', x: [0], y: [1, 2] }] })).toThrow(
      'scatter: series "s" x and y must have the same length, got 1 and 2',
    );
  });
});

describe('histogram', () => {
  it('counts values into shared equal-width bins and draws them as bars', () => {
    const fig = histogram({ title: 'Weights', xLabel: 'w', bins: 2, series: [{ name: 'a', values: [0, 1, 1, 2] }, { name: 'b', values: [2, 2] }] });
    expect(trace(fig, 0)).toMatchObject({ type: 'bar', name: 'a', x: [0.5, 1.5], y: [1, 3], width: 1 });
    expect(trace(fig, 1)['y']).toEqual([0, 2]);
    expect(axisTitle(fig.layout, 'yaxis')).toBe('count');
    expect(fig.layout['barmode']).toBe('overlay');
  });

  it('scales to unit area with density', () => {
    const fig = histogram({ title: 'W', xLabel: 'w', bins: 4, density: true, series: [{ name: 'a', values: [0, 1, 2, 3, 4] }] });
    const y = trace(fig, 0)['y'] as number[];
    const width = trace(fig, 0)['width'] as number;
    expect(y.reduce((s, v) => s + v * width, 0)).toBeCloseTo(1, 12);
    expect(axisTitle(fig.layout, 'yaxis')).toBe('density');
  });

  it('bins a fixed range and leaves values outside it uncounted', () => {
    const fig = histogram({ title: 'A', xLabel: 'a', bins: 2, range: [-1, 1], series: [{ name: 'a', values: [-1, -0.5, 0.5, 1, 3] }] });
    expect(trace(fig, 0)).toMatchObject({ x: [-0.5, 0.5], y: [2, 2], width: 1 });
    expect(() => histogram({ title: 'A', xLabel: 'a', range: [1, 1], series: [{ name: 'a', values: [1] }] })).toThrow(
      'histogram: range must be [min, max] with max > min, got [1, 1]',
    );
  });

  it('with a fixed range and density, the counted values have area 1 (as numpy)', () => {
    const fig = histogram({ title: 'A', xLabel: 'a', bins: 2, range: [0, 1], density: true, series: [{ name: 'a', values: [0.25, 0.75, 5, 9] }] });
    const y = trace(fig, 0)['y'] as number[];
    expect(y).toEqual([1, 1]);
    expect(y.reduce((s, v) => s + v * (trace(fig, 0)['width'] as number), 0)).toBeCloseTo(1, 12);
  });
});

describe('values a chart cannot draw: NaN and ±Infinity (a float32 blow-up)', () => {
  const NOTE = { name: 'not drawn', xref: 'paper', yref: 'paper', showarrow: false };
  const notes = (fig: Figure): unknown[] => (Array.isArray(fig.layout['annotations']) ? fig.layout['annotations'] : []);

  it('lineChart: a series that overflows keeps its finite points, gaps the rest and says so on the chart', () => {
    const fig = lineChart({
      ...labels, logY: true, x: [1, 2, 3, 4, 5],
      series: [{ name: 'c = 2', y: [1, 1, 1, 1, 1] }, { name: 'c = 3', y: new Float32Array([1, 1e30, Infinity, Infinity, NaN]) }],
    });
    expect(trace(fig, 1)['y']).toEqual([1, 1e30, null, null, null]);
    expect(trace(fig, 0)['y']).toEqual([1, 1, 1, 1, 1]);
    expect(notes(fig)).toEqual([
      expect.objectContaining({ ...NOTE, text: 'not drawn: series "c = 3" y is Infinity at 2 points, NaN at 1 point (first at x = 3)' }),
    ]);
    // What the notebook stores (JSON) is exactly the figure: no NaN or Infinity turned into null on the way.
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });

  it('lineChart: -Infinity on a log axis is a gap too, while a finite value <= 0 is still an error', () => {
    const fig = lineChart({ ...labels, logY: true, series: [{ name: 'a', y: [1, -Infinity] }] });
    expect(trace(fig, 0)['y']).toEqual([1, null]);
    expect(notes(fig)).toEqual([expect.objectContaining({ text: 'not drawn: series "a" y is -Infinity at 1 point (first at x = 1)' })]);
    expect(() => lineChart({ ...labels, logY: true, series: [{ name: 'a', y: [1, -1] }] })).toThrow(
      'lineChart: logY needs positive values, series "a" y has -1 at index 1',
    );
  });

  it('lineChart: finite data gets no note', () => {
    expect(lineChart({ ...labels, series: [{ name: 'a', y: [1, 2] }] }).layout['annotations']).toBeUndefined();
  });

  it('scatter: points with a coordinate that is not finite are left out and noted', () => {
    const fig = scatter({ title: 'P', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: [0, NaN, 2], y: [1, 2, Infinity] }] });
    expect(trace(fig, 0)).toMatchObject({ x: [0, null, 2], y: [1, 2, null] });
    expect(notes(fig)).toEqual([
      expect.objectContaining({ text: 'not drawn: series "s" x is NaN at 1 point (first at index 1)<br>series "s" y is Infinity at 1 point (first at x = 2)' }),
    ]);
  });

  it('histogram: bins the finite values and notes the others instead of failing', () => {
    const fig = histogram({ title: 'W', xLabel: 'w', bins: 2, series: [{ name: 'w', values: [0, 1, NaN, Infinity, 2] }] });
    expect(trace(fig, 0)).toMatchObject({ x: [0.5, 1.5], y: [1, 2] });
    expect(notes(fig)).toEqual([expect.objectContaining({ text: 'not drawn: series "w" values is Infinity at 1 point, NaN at 1 point (first at index 2)' })]);
    const none = histogram({ title: 'W', xLabel: 'w', bins: 2, density: true, series: [{ name: 'w', values: [NaN] }] });
    expect(trace(none, 0)['y']).toEqual([0, 0]);
  });

  it('errorBand: the band is one closed polygon per finite run, the mean line has a gap', () => {
    const fig = errorBand({ ...labels, x: [0, 1, 2, 3], series: [{ name: 'a', mean: [4, 3, NaN, 1], std: [1, 1, 1, 1] }] });
    expect(trace(fig, 0)).toMatchObject({ x: [0, 1, 1, 0, null, 3, 3], y: [5, 4, 2, 3, null, 2, 0], fill: 'toself' });
    expect(trace(fig, 1)['y']).toEqual([4, 3, null, 1]);
    expect(notes(fig)).toEqual([expect.objectContaining({ text: 'not drawn: series "a" y is NaN at 1 point (first at x = 2)' })]);
  });

  it('heatmap: cells that are not finite are blank and noted by row and column', () => {
    const fig = heatmap({ title: 'W', xLabel: 'in', yLabel: 'out', z: [[1, Infinity], [NaN, 4]] });
    expect(trace(fig, 0)['z']).toEqual([[1, null], [null, 4]]);
    expect(notes(fig)).toEqual([expect.objectContaining({ text: 'not drawn: z is Infinity at 1 point, NaN at 1 point (first at row 0, column 1)' })]);
  });

  it('subplots keep the note inside its panel', () => {
    const a = lineChart({ ...labels, series: [{ name: 'a', y: [1, 2] }] });
    const b = lineChart({ ...labels, series: [{ name: 'b', y: [1, NaN] }] });
    const both = subplots([a, b], { rows: 1, cols: 2, title: 'Both' });
    const note = notes(both).find((n) => (n as Layout)['name'] === 'not drawn') as Layout;
    const domain = (both.layout['xaxis2'] as Layout)['domain'] as number[];
    expect(note['x']).toBe(domain[0]);
  });
});

describe('errorBand', () => {
  it('draws a filled band polygon (upper then lower reversed) and the mean line', () => {
    const fig = errorBand({ ...labels, x: [0, 1], series: [{ name: 'sgd', mean: [2, 1], std: [0.5, 0.25] }] });
    expect(fig.data).toHaveLength(2);
    expect(trace(fig, 0)).toMatchObject({ fill: 'toself', showlegend: false, x: [0, 1, 1, 0], y: [2.5, 1.25, 0.75, 1.5] });
    expect(trace(fig, 1)).toMatchObject({ name: 'sgd', y: [2, 1], legendgroup: 'sgd' });
  });

  it('takes explicit bounds, and needs std or both bounds', () => {
    const fig = errorBand({ ...labels, series: [{ name: 'a', mean: [1], lower: [0.5], upper: [2] }] });
    expect(trace(fig, 0)['y']).toEqual([2, 0.5]);
    expect(() => errorBand({ ...labels, series: [{ name: 'a', mean: [1], lower: [0] }] })).toThrow(
      'errorBand: series "a" needs std, or both lower and upper',
    );
    expect(() => errorBand({ ...labels, logY: true, series: [{ name: 'a', mean: [1], std: [2] }] })).toThrow(
      'errorBand: logY needs positive values, series "a" band has -1 at index 0',
    );
  });
});

describe('heatmap', () => {
  it('draws a matrix with row 0 at the top and cell values when asked', () => {
    const fig = heatmap({ title: 'Confusion', xLabel: 'predicted', yLabel: 'true', z: [[5, 1], [0, 7]], showValues: true, x: ['a', 'b'] });
    expect(trace(fig, 0)).toMatchObject({ type: 'heatmap', z: [[5, 1], [0, 7]], texttemplate: '%{z}', x: ['a', 'b'] });
    expect((fig.layout['yaxis'] as Layout)['autorange']).toBe('reversed');
    const tensor = { data: new Float32Array([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]), shape: [2, 3] };
    expect(trace(heatmap({ title: 'W', xLabel: 'in', yLabel: 'out', z: tensor }), 0)['z']).toEqual([[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]]);
  });

  it('rejects ragged rows, wrong label counts and non-2-D tensors', () => {
    expect(() => heatmap({ title: 'W', xLabel: 'a', yLabel: 'b', z: [[1, 2], [3]] })).toThrow(
      'heatmap: z rows must have equal lengths, row 0 has 2 and row 1 has 1',
    );
    expect(() => heatmap({ title: 'W', xLabel: 'a', yLabel: 'b', z: [[1, 2]], x: ['only'] })).toThrow(
      'heatmap: x has 1 labels but z has 2 columns',
    );
    expect(() => heatmap({ title: 'W', xLabel: 'a', yLabel: 'b', z: { data: [1, 2], shape: [2] } })).toThrow(
      'heatmap: z must be 2-D [rows, cols], got shape [2]',
    );
  });
});

describe('imageGrid', () => {
  it('tiles [N, 784] digits into one greyscale heatmap with labels under each image', () => {
    const data = new Float32Array(3 * 784);
    data[0] = 1; // image 0, pixel (0, 0)
    data[784 + 28 * 27 + 27] = 0.5; // image 1, pixel (27, 27)
    const fig = imageGrid({ title: 'Digits', images: { data, shape: [3, 784] }, labels: [7, 2, 1], cols: 2 });
    const z = trace(fig, 0)['z'] as (number | null)[][];
    const gapX = 2;
    const gapY = Math.round(28 * 0.4);
    expect(z[0]).toHaveLength(2 * 28 + gapX);
    expect(z).toHaveLength(2 * (28 + gapY)); // the last row keeps room for its labels
    expect(z[0]?.[0]).toBe(1);
    expect(z[27]?.[28 + gapX + 27]).toBe(0.5);
    expect(z[0]?.[28]).toBeNull(); // the gap between images
    expect(z[28 + gapY]?.[28 + gapX]).toBeNull(); // no fourth image
    const notes = fig.layout['annotations'] as Layout[];
    expect(notes.map((n) => n['text'])).toEqual(['7', '2', '1']);
    expect((fig.layout['title'] as Layout)['text']).toBe('Digits');
  });

  it('reads [N, 28, 28] and rows of pixels, and rejects unnormalized pixels and bad shapes', () => {
    const fig = imageGrid({ title: 'D', images: { data: new Float64Array(2 * 4 * 4), shape: [2, 4, 4] } });
    expect((trace(fig, 0)['z'] as unknown[]).length).toBe(4);
    expect(() => imageGrid({ title: 'D', images: [[0, 255, 0, 0]] })).toThrow(
      'imageGrid: pixel values must lie in [0, 1] (pass range: [min, max] for other data), got 255 in image 0',
    );
    expect(() => imageGrid({ title: 'D', images: [[0, 0, 0]] })).toThrow(
      'imageGrid: 3 pixels per image is not a square; pass imageShape: [height, width]',
    );
    expect(() => imageGrid({ title: 'D', images: [[0, 0, 0, 0]], labels: ['a', 'b'] })).toThrow(
      'imageGrid: labels has 2 entries for 1 images',
    );
  });
});

describe('subplots', () => {
  it('places each chart on its own axes with its title, sharing legend entries by name', () => {
    const a = lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true, series: [{ name: 'train', y: [1, 0.5] }] });
    const b = lineChart({ title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy', series: [{ name: 'train', y: [0.5, 0.9] }] });
    const c = heatmap({ title: 'W', xLabel: 'in', yLabel: 'out', z: [[1]] });
    const fig = subplots([a, b, c], { rows: 2, cols: 2, title: 'Training' });
    expect(fig.data.map((t) => [t['xaxis'], t['yaxis']])).toEqual([['x', 'y'], ['x2', 'y2'], ['x3', 'y3']]);
    expect(fig.layout['yaxis']).toMatchObject({ type: 'log', anchor: 'x' });
    expect(axisTitle(fig.layout, 'yaxis2')).toBe('accuracy');
    expect(trace(fig, 0)['showlegend']).toBeUndefined();
    expect(trace(fig, 1)['showlegend']).toBe(false);
    const notes = fig.layout['annotations'] as Layout[];
    expect(notes.map((n) => n['text'])).toEqual(['Loss', 'Accuracy', 'W']);
    const x1 = (fig.layout['xaxis'] as Layout)['domain'] as number[];
    const x2 = (fig.layout['xaxis2'] as Layout)['domain'] as number[];
    expect(x1[1]).toBeLessThan(x2[0] as number);
    expect((fig.layout['title'] as Layout)['text']).toBe('Training');
  });

  it('moves image-grid label annotations and square-pixel anchors onto the new axes', () => {
    const grid = imageGrid({ title: 'D', images: [[0, 1, 1, 0]], labels: ['x'] });
    const line = lineChart({ ...labels, series: [{ name: 'a', y: [1] }] });
    const fig = subplots([line, grid], { rows: 1, cols: 2, title: 'Both' });
    expect((fig.layout['yaxis2'] as Layout)['scaleanchor']).toBe('x2');
    const notes = fig.layout['annotations'] as Layout[];
    expect(notes.find((n) => n['text'] === 'x')).toMatchObject({ xref: 'x2', yref: 'y2' });
  });

  it('rejects grids that are too small and figures that already have several axes', () => {
    const a = lineChart({ ...labels, series: [{ name: 'a', y: [1] }] });
    expect(() => subplots([a, a, a], { rows: 1, cols: 2, title: 'T' })).toThrow('subplots: 3 figures do not fit a 1 x 2 grid');
    const nested = subplots([a, a], { rows: 1, cols: 2, title: 'T' });
    expect(() => subplots([nested], { rows: 1, cols: 1, title: 'T' })).toThrow(
      'subplots: figures[0] already has several axes (xaxis2); combine single charts only',
    );
  });
});

describe('gradlab tensors as chart inputs', () => {
  it('takes Tensor values directly: 1-D series, 2-D heatmaps and [N, 784] digit batches', async () => {
    const { tensor, rand } = await import('../../src/index');
    const loss = tensor([0.5, 0.25, 0.125]);
    expect(trace(lineChart({ ...labels, series: [{ name: 'loss', y: loss }] }), 0)['y']).toEqual([0.5, 0.25, 0.125]);
    const w = tensor([[1, 2], [3, 4]]);
    expect(trace(heatmap({ title: 'W', xLabel: 'in', yLabel: 'out', z: w }), 0)['z']).toEqual([[1, 2], [3, 4]]);
    const digits = rand([4, 784]);
    const z = trace(imageGrid({ title: 'Noise', images: digits, cols: 4 }), 0)['z'] as (number | null)[][];
    expect(z).toHaveLength(28);
    expect(z[0]?.[0]).toBeCloseTo(digits.data[0] as number, 3);
  });
});

describe('log axes: powers of ten or plain numbers, never SI prefixes', () => {
  function ticks(figure: Figure, key: string): { vals: number[]; text: string[]; axis: Layout } {
    const axis = figure.layout[key] as Layout;
    const vals = (axis['tickvals'] ?? []) as number[];
    const text = (axis['ticktext'] ?? []) as string[];
    return { vals, text, axis };
  }
  /** The labels of the ticks inside [lo, hi] (the ones a reader sees). */
  function visible(figure: Figure, key: string, lo: number, hi: number): string[] {
    const { vals, text } = ticks(figure, key);
    return vals.flatMap((v, i) => (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) ? [text[i] as string] : []));
  }

  it('labels a log axis spanning many decades with powers of ten, one label per decade', () => {
    const fig = lineChart({ ...labels, logY: true, series: [{ name: 'var', y: [1e-4, 1e-2, 1, 1e2, 1e3] }] });
    expect(ticks(fig, 'yaxis').axis).toMatchObject({ type: 'log', exponentformat: 'power', tickmode: 'array' });
    expect(visible(fig, 'yaxis', 1e-4, 1e3)).toEqual(['10<sup>−4</sup>', '10<sup>−3</sup>', '10<sup>−2</sup>', '10<sup>−1</sup>', '10<sup>0</sup>', '10<sup>1</sup>', '10<sup>2</sup>', '10<sup>3</sup>']);
    const { vals, text } = ticks(fig, 'yaxis');
    vals.forEach((v, i) => expect(text[i]).toBe(`10<sup>${Math.round(Math.log10(v)) < 0 ? '−' : ''}${Math.abs(Math.round(Math.log10(v)))}</sup>`));
  });

  it('labels every k-th decade when there are many (1e-16 to 1: at most about eight labels), all as powers', () => {
    const fig = lineChart({ ...labels, logY: true, series: [{ name: 'grad', y: [1e-16, 1e-9, 1] }] });
    const shown = visible(fig, 'yaxis', 1e-16, 1);
    expect(shown).toEqual(['10<sup>−16</sup>', '10<sup>−14</sup>', '10<sup>−12</sup>', '10<sup>−10</sup>', '10<sup>−8</sup>', '10<sup>−6</sup>', '10<sup>−4</sup>', '10<sup>−2</sup>', '10<sup>0</sup>']);
    for (const label of ticks(fig, 'yaxis').text) expect(label).not.toMatch(/[pnμmkMG]$|^\d$/);
  });

  it('labels a narrow span with plain numbers in 1-2-5 steps: 0.5 reads "0.5", not "5"', () => {
    const fig = lineChart({ ...labels, logY: true, series: [{ name: 'loss', y: [2.3, 1.1, 0.6, 0.35] }] });
    expect(visible(fig, 'yaxis', 0.35, 2.3)).toEqual(['0.5', '1', '2']);
    const narrow = lineChart({ ...labels, logX: true, x: [0.25, 0.5, 0.9], series: [{ name: 'ratio', y: [1, 2, 3] }] });
    expect(visible(narrow, 'xaxis', 0.25, 0.9)).toEqual(['0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
  });

  it('writes small values of a narrow span as m×10^k, and follows a fixed range', () => {
    const fig = lineChart({ ...labels, logY: true, series: [{ name: 'lr', y: [2e-5, 8e-5] }] });
    expect(visible(fig, 'yaxis', 2e-5, 8e-5)).toEqual(['2×10<sup>−5</sup>', '3×10<sup>−5</sup>', '4×10<sup>−5</sup>', '5×10<sup>−5</sup>', '6×10<sup>−5</sup>', '7×10<sup>−5</sup>', '8×10<sup>−5</sup>']);
    const fixed = lineChart({ ...labels, logY: true, yRange: [1e-4, 1e4], series: [{ name: 'v', y: [1, 2] }] });
    expect(visible(fixed, 'yaxis', 1e-4, 1e4)).toEqual(['10<sup>−4</sup>', '10<sup>−3</sup>', '10<sup>−2</sup>', '10<sup>−1</sup>', '10<sup>0</sup>', '10<sup>1</sup>', '10<sup>2</sup>', '10<sup>3</sup>', '10<sup>4</sup>']);
  });

  it('applies to every builder with a log axis, and the ticks stay with a chart in subplots', () => {
    const band = errorBand({ ...labels, logY: true, series: [{ name: 'a', mean: [1e-3, 1], std: [1e-4, 0.1] }] });
    expect(ticks(band, 'yaxis').axis['tickmode']).toBe('array');
    expect(visible(band, 'yaxis', 9e-4, 1.1)).toEqual(['10<sup>−3</sup>', '10<sup>−2</sup>', '10<sup>−1</sup>', '10<sup>0</sup>']);
    const hist = histogram({ ...labels, logY: true, series: [{ name: 'h', values: [...Array(1000).fill(0), 1, 2] }] });
    expect(ticks(hist, 'yaxis').axis['exponentformat']).toBe('power');
    const points = scatter({ ...labels, logX: true, series: [{ name: 's', x: [1, 1000], y: [1, 2] }] });
    expect(visible(points, 'xaxis', 1, 1000)).toEqual(['10<sup>0</sup>', '10<sup>1</sup>', '10<sup>2</sup>', '10<sup>3</sup>']);
    const both = subplots([band, points], { rows: 1, cols: 2, title: 'Both' });
    expect((both.layout['yaxis'] as Layout)['ticktext']).toEqual(ticks(band, 'yaxis').text);
    expect((both.layout['xaxis2'] as Layout)['ticktext']).toEqual(ticks(points, 'xaxis').text);
    // Linear axes keep Plotly's own ticks.
    expect(ticks(lineChart({ ...labels, series: [{ name: 'a', y: [1e-6, 1] }] }), 'yaxis').axis['tickmode']).toBeUndefined();
  });
});
