import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeFigure } from '../../src/plot/describe';
import { lineChart } from '../../src/plot/figures';
import { heatmap } from '../../src/plot/images';
import { figureBundle, liveChart, PLOTLY_MIME, show } from '../../src/plot/show';
import { subplots } from '../../src/plot/subplots';
import type { Figure } from '../../src/plot/types';

const loss = lineChart({
  title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true,
  series: [{ name: 'train', y: [1, 0.5, 0.25] }, { name: 'valid', y: [1, 0.6, 0.5] }],
});

function captureStdout(run: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('describeFigure', () => {
  it('names the title, every series with its length, and the axes', () => {
    expect(describeFigure(loss)).toBe('Figure "Loss": train (3 points), valid (3 points); x: epoch, y: loss (log)');
    const h = heatmap({ title: 'W', xLabel: 'in', yLabel: 'out', z: [[1, 2, 3], [4, 5, 6]] });
    expect(describeFigure(h)).toBe('Figure "W": heatmap 2 x 3; x: in, y: out');
    expect(describeFigure(subplots([loss, h], { rows: 1, cols: 2, title: 'Both' }))).toBe(
      'Figure "Both": 2 panels, train (3 points), valid (3 points), heatmap 2 x 3',
    );
  });

  it('counts the points a series does not draw (NaN, ±Infinity)', () => {
    const blowUp = lineChart({ title: 'Norm', xLabel: 'layer', yLabel: 'norm', series: [{ name: 'c = 3', y: [1, 1e20, Infinity, NaN] }] });
    expect(describeFigure(blowUp)).toBe('Figure "Norm": c = 3 (4 points, 2 not drawn); x: layer, y: norm');
  });
});

describe('show outside a kernel', () => {
  it('prints the one-line text/plain form', () => {
    expect(captureStdout(() => show(loss))).toBe('Figure "Loss": train (3 points), valid (3 points); x: epoch, y: loss (log)\n');
  });

  it('rejects values that are not figures', () => {
    expect(() => show({ data: 'x' } as unknown as Figure)).toThrow(
      'show: expected a Plotly figure {data: [...], layout: {...}}, got an object with keys {data}',
    );
  });

  it('liveChart prints each update and resolves after the event loop turns', async () => {
    const chart = liveChart();
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const first = chart.update(loss);
    await first;
    await chart.update(lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', y: [1, 2, 3, 4] }] }));
    spy.mockRestore();
    expect(out).toBe('Figure "Loss": train (3 points), valid (3 points); x: epoch, y: loss (log)\nFigure "Loss": train (4 points); x: epoch, y: loss\n');
    expect(chart.displayId).toMatch(/^gradlab-live-/);
  });
});

describe('figureBundle', () => {
  it('carries the Plotly JSON, an html div + script, and the text description', () => {
    const bundle = figureBundle(loss, false);
    expect(Object.keys(bundle).sort()).toEqual(['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
    expect(bundle[PLOTLY_MIME]).toEqual({ data: loss.data, layout: loss.layout, config: { responsive: true, displaylogo: false } });
    const html = bundle['text/html'] as string;
    expect(html).toMatch(/^<div id="gradlab-plot-[^"]+" class="gradlab-plot" style="width: 100%; height: 400px;"><\/div><script/);
    expect(html.length).toBeLessThan(10_000);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('inlines plotly.js itself only when asked, never a CDN URL', () => {
    const html = figureBundle(loss, true)['text/html'] as string;
    expect(html.length).toBeGreaterThan(3_000_000);
    expect(html.startsWith('<script type="text/javascript">/**\n* plotly.js v')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('escapes "</script>" in figure text so it cannot end the script early', () => {
    const fig = lineChart({ title: '</script><b>x', xLabel: 'a', yLabel: 'b', series: [{ name: 's', y: [1] }] });
    const html = figureBundle(fig, false)['text/html'] as string;
    expect(html).toContain('\\u003c/script>\\u003cb>x');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });
});
