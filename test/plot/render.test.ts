// Every figure builder's output checked by plotly.js itself in a real browser: Plotly.validate finds
// no unknown attributes, and Plotly.newPlot draws the traces, titles, labels and annotations.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBand, histogram, lineChart, scatter } from '../../src/plot/figures';
import { figureHtml, plotlyLibraryPath } from '../../src/plot/html';
import { heatmap, imageGrid } from '../../src/plot/images';
import { subplots } from '../../src/plot/subplots';
import type { Figure } from '../../src/plot/types';
import { launchChromium } from '../helpers/browser';
import { ARTIFACTS_DIR } from '../helpers/project';

interface Drawn {
  problems: unknown;
  title: string;
  xTitles: string[];
  yTitles: string[];
  traces: number;
  fills: number;
  bars: number;
  heatmapImages: number;
  annotations: string[];
  legend: string[];
  subplots: string[];
  yType: string;
}

let browser: Browser;
let page: Page;

// A missing browser fails every test with its message (a failing beforeAll would mark them skipped).
let setupError: unknown = null;

beforeAll(async () => {
  try {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<html><body></body></html>');
    await page.addScriptTag({ path: plotlyLibraryPath() });
  } catch (error) {
    setupError = error;
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

// Runs in the page (plain JavaScript: the test tsconfig has no DOM types).
const DRAW_IN_PAGE = `async (fig) => {
  const problems = Plotly.validate(fig.data, fig.layout) || [];
  const div = document.createElement('div');
  div.style.width = '900px';
  document.body.appendChild(div);
  await Plotly.newPlot(div, fig.data, fig.layout);
  const texts = (selector) => Array.from(div.querySelectorAll(selector)).map((n) => n.textContent || '');
  const classed = (pattern) => Array.from(div.querySelectorAll('text'))
    .filter((n) => pattern.test(n.getAttribute('class') || '')).map((n) => n.textContent || '');
  const full = div._fullLayout;
  return {
    problems,
    title: texts('.gtitle').join(''),
    xTitles: classed(/^x\\d*title$/),
    yTitles: classed(/^y\\d*title$/),
    traces: div.querySelectorAll('.scatterlayer .trace').length,
    fills: div.querySelectorAll('.scatterlayer .js-fill').length,
    bars: div.querySelectorAll('.barlayer .trace').length,
    heatmapImages: div.querySelectorAll('.hm image').length,
    annotations: texts('.annotation-text'),
    legend: texts('.legendtext'),
    subplots: full._subplots.cartesian.slice(),
    yType: full.yaxis.type,
  };
}`;

async function draw(figure: Figure): Promise<Drawn> {
  if (setupError !== null) throw setupError;
  return (await page.evaluate(`(${DRAW_IN_PAGE})(${JSON.stringify(figure)})`)) as Drawn;
}

describe('figures drawn by plotly.js in Chromium', () => {
  it('lineChart: two named lines on a log axis, with title and labels', async () => {
    const fig = lineChart({
      title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true,
      series: [{ name: 'train', y: [1, 0.3, 0.1] }, { name: 'valid', y: [1.2, 0.5, 0.4], dash: 'dash', markers: true }],
    });
    const drawn = await draw(fig);
    expect(drawn.problems).toEqual([]);
    expect(drawn.traces).toBe(2);
    expect(drawn.title).toBe('Loss');
    expect(drawn.xTitles).toContain('epoch');
    expect(drawn.yTitles).toEqual(['loss']);
    expect(drawn.legend).toEqual(['train', 'valid']);
    expect(drawn.yType).toBe('log');
  });

  it('scatter, histogram and errorBand validate and draw', async () => {
    const s = await draw(scatter({ title: 'Points', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [1, 2], y: [2, 1], text: ['p', 'q'] }] }));
    expect(s.problems).toEqual([]);
    expect(s.traces).toBe(1);
    const h = await draw(histogram({ title: 'W', xLabel: 'weight', series: [{ name: 'a', values: [1, 2, 2, 3] }, { name: 'b', values: [2, 4] }] }));
    expect(h.problems).toEqual([]);
    expect(h.bars).toBe(2);
    expect(h.yTitles).toEqual(['count']);
    const e = await draw(errorBand({ title: 'Seeds', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'sgd', mean: [2, 1, 0.5], std: [0.2, 0.1, 0.1] }] }));
    expect(e.problems).toEqual([]);
    expect(e.traces).toBe(2);
    expect(e.fills).toBe(1);
    expect(e.legend).toEqual(['sgd']);
  });

  it('heatmap and imageGrid draw as images, with labels as annotations', async () => {
    const h = await draw(heatmap({ title: 'Confusion', xLabel: 'predicted', yLabel: 'true', z: [[3, 1], [0, 4]], showValues: true, colorbarTitle: 'count' }));
    expect(h.problems).toEqual([]);
    expect(h.heatmapImages).toBe(1);
    const pixels = new Float32Array(4 * 784).map((_, i) => (i % 29) / 28);
    const g = await draw(imageGrid({ title: 'Digits', images: { data: pixels, shape: [4, 28, 28] }, labels: [5, 0, 4, 1], cols: 2 }));
    expect(g.problems).toEqual([]);
    expect(g.heatmapImages).toBe(1);
    expect(g.annotations).toEqual(['5', '0', '4', '1']);
    expect(g.title).toBe('Digits');
  });

  it('a float32 blow-up: the finite points are drawn, the note says what is not, plotly.js accepts it', async () => {
    const fig = lineChart({
      title: 'Activation norm', xLabel: 'layer', yLabel: 'norm', logY: true,
      series: [{ name: 'c = 2', y: [1, 1, 1, 1] }, { name: 'c = 3', y: new Float32Array([1, 1e30, Infinity, NaN]) }],
    });
    const drawn = await draw(fig);
    expect(drawn.problems).toEqual([]);
    expect(drawn.traces).toBe(2);
    expect(drawn.annotations).toEqual(['not drawn: series "c = 3" y is Infinity at 1 point, NaN at 1 point (first at x = 2)']);
    const band = await draw(errorBand({ title: 'B', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', mean: [3, 2, NaN, 1, 1], std: [1, 1, 1, 1, 1] }] }));
    expect(band.problems).toEqual([]);
    expect(band.fills).toBe(1);
  });

  it('subplots: one cartesian subplot per chart, titles above each, legend shared by name', async () => {
    const a = lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', y: [1, 0.5] }, { name: 'valid', y: [1.1, 0.7] }] });
    const b = lineChart({ title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy', series: [{ name: 'train', y: [0.5, 0.8] }, { name: 'valid', y: [0.4, 0.7] }] });
    const c = heatmap({ title: 'Weights', xLabel: 'in', yLabel: 'out', z: [[1, -1], [0, 2]], colorscale: 'RdBu' });
    const d = imageGrid({ title: 'Samples', images: [[0, 1, 1, 0]], labels: ['a'] });
    const drawn = await draw(subplots([a, b, c, d], { rows: 2, cols: 2, title: 'Run 1' }));
    expect(drawn.problems).toEqual([]);
    expect(drawn.subplots).toEqual(['xy', 'x2y2', 'x3y3', 'x4y4']);
    expect(drawn.title).toBe('Run 1');
    expect(drawn.annotations).toEqual(expect.arrayContaining(['Loss', 'Accuracy', 'Weights', 'Samples', 'a']));
    expect(drawn.legend).toEqual(['train', 'valid']);
    expect(drawn.yTitles).toEqual(expect.arrayContaining(['loss', 'accuracy', 'out']));
  });
});

describe('log axes drawn by plotly.js', () => {
  it('label decades as powers of ten and narrow spans as plain numbers, with no SI prefix', async () => {
    if (setupError !== null) throw setupError;
    const wide = lineChart({ title: 'Gradient norm', xLabel: 'layer', yLabel: 'norm', logY: true,
      series: [{ name: 'c = 1', y: [1, 1e-4, 1e-9, 1e-16] }, { name: 'c = 2', y: [1, 1.1, 0.9, 1] }] });
    const narrow = lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true, series: [{ name: 'train', y: [2.3, 1.1, 0.6, 0.35] }] });
    const tiny = lineChart({ title: 'Learning rate', xLabel: 'step', yLabel: 'lr', logY: true, series: [{ name: 'lr', y: [1e-4, 3e-5, 1e-5] }] });
    const fig = subplots([wide, narrow, tiny], { rows: 1, cols: 3, title: 'Log axes' });
    const shown = (await page.evaluate(`(async (fig) => {
      const problems = Plotly.validate(fig.data, fig.layout) || [];
      const div = document.createElement('div');
      div.id = 'log-axes';
      div.style.width = '1200px';
      document.body.appendChild(div);
      await Plotly.newPlot(div, fig.data, fig.layout);
      // Plotly puts zero-width spaces around a superscript.
      const labels = (axis) => Array.from(div.querySelectorAll('.' + axis + 'tick text')).map((n) => (n.textContent || '').replace(/\u200b/g, ''));
      return { problems, y: labels('y'), y2: labels('y2'), y3: labels('y3') };
    })(${JSON.stringify(fig)})`)) as { problems: unknown; y: string[]; y2: string[]; y3: string[] };
    await page.locator('#log-axes').screenshot({ path: path.join(ARTIFACTS_DIR, 'log-axes.png') });
    expect(shown.problems).toEqual([]);
    // 1e-16 to 1.1: sixteen decades, every third labelled.
    expect(shown.y).toEqual(['10−15', '10−12', '10−9', '10−6', '10−3', '100']);
    expect(shown.y2).toEqual(['0.5', '1', '2']);
    expect(shown.y3).toEqual(['10−5', '2×10−5', '5×10−5', '10−4']);
    for (const label of [...shown.y, ...shown.y2, ...shown.y3]) expect(label).not.toMatch(/[pnμmk]$/);
  });
});

describe('the text/html form', () => {
  const fig = lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', y: [3, 2, 1] }] });

  it('draws with the inlined library, and later charts reuse window.Plotly', async () => {
    if (setupError !== null) throw setupError;
    const fresh = await browser.newPage();
    await fresh.route('**/*', (route) => route.abort());
    await fresh.setContent(`<html><body>${figureHtml(fig, 'first', true)}<p>text</p>${figureHtml(fig, 'second', false)}</body></html>`);
    await fresh.waitForSelector('#first .main-svg', { timeout: 10_000 });
    await fresh.waitForSelector('#second .main-svg', { timeout: 10_000 });
    expect(await fresh.textContent('#second .gtitle')).toBe('Loss');
    await fresh.close();
  });

  it('without the library it loads plotly.min.js from next to the page, else explains what to do', async () => {
    if (setupError !== null) throw setupError;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-html-'));
    try {
      fs.writeFileSync(path.join(dir, 'bare.html'), `<html><head></head><body>${figureHtml(fig, 'lone', false)}</body></html>`);
      const bare = await browser.newPage();
      await bare.goto(`file://${path.join(dir, 'bare.html')}`);
      await bare.waitForFunction(`(document.getElementById('lone').textContent || '').includes('restart the kernel')`, null, { timeout: 10_000 });
      await bare.close();
      fs.copyFileSync(plotlyLibraryPath(), path.join(dir, 'plotly.min.js'));
      const beside = await browser.newPage();
      await beside.goto(`file://${path.join(dir, 'bare.html')}`);
      await beside.waitForSelector('#lone .main-svg', { timeout: 10_000 });
      await beside.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
