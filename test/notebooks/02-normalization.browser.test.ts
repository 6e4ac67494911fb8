// Lecture notebook 02 in a real browser: JupyterLab (from the project's venv, started as `npm start`
// starts it) runs every cell on the project's tslab kernel, draws all ten Plotly charts, and shows
// every test result passing; a screenshot of each chart goes to test-artifacts/. Needs Debian's
// Chromium and the project venv; without them it fails saying how to install them.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireProjectVenv, type JupyterEnv } from '../../src/cli/jupyterEnv';
import type { RunningLab } from '../../src/cli/jupyterLab';
import { launchChromium } from '../helpers/browser';
import { KERNEL_IDLE, startTestLab } from '../helpers/lab';
import { testsWithoutPassLine } from '../helpers/labNotebook';
import { ARTIFACTS_DIR, PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '02-normalization.ipynb');
const CHART_TITLES = [
  'Without normalization: the activation norm follows (c/2)^i',
  '50-layer ReLU network on 500 MNIST digits: LayerNorm after every layer (solid) vs plain (dotted)',
  'Normalizing a 6 × 5 batch along rows (LayerNorm) and columns (BatchNorm)',
  'BatchNorm before a sigmoid: with γ = 1, β = 0 most inputs fall where σ is nearly linear',
  'One test digit in 30 different batches of 8: its normalized output',
  'Noise of batch statistics vs batch size (400 batches per B, mean over 64 units)',
  "BatchNorm's running statistics converging to the training set's statistics (batches of 64)",
  'BatchNorm network in its first epoch: test accuracy with running vs batch statistics',
  '8-layer MLP from W ~ N(0, 1/n) on 2,000 MNIST digits: plain vs BatchNorm vs LayerNorm',
  'One epoch of SGD at different learning rates (8-layer MLP, W ~ N(0, 1/n))',
];

/** A page expression: the input prompt text of every code cell, e.g. "[12]:" ("[*]:" while queued or running). */
const PROMPTS = `Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')).map((p) => (p.textContent || '').trim())`;
/** A page expression: all `n` code cells have run (each prompt holds its execution count). */
const ALL_PROMPTS_NUMBERED = (n: number): string => `((ps) => ps.length === ${n} && ps.every((p) => /^\\[\\d+\\]:$/.test(p)))(${PROMPTS})`;
/** A page expression: the number of test-result lines (✔ or ✘) in the output areas. */
const RESULT_LINES = `(Array.from(document.querySelectorAll('.jp-OutputArea-output')).map((o) => o.textContent || '').join('\\n').match(/[✔✘]/g) || []).length`;

let env: JupyterEnv;
let browser: Browser;
let lab: RunningLab | null = null;
let work = '';
let opened = '';

beforeAll(async () => {
  requireBuild();
  env = requireProjectVenv(PROJECT_ROOT, 'The notebook 02 browser test');
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  work = scratchDir('notebook-02-lab');
  opened = path.join(work, '02-normalization.ipynb');
  fs.copyFileSync(NOTEBOOK, opened);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  await browser?.close();
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('notebooks/02-normalization.ipynb in JupyterLab', () => {
  it('runs all cells on the tslab kernel: ten Plotly charts render and every test result passes', async () => {
    lab = await startTestLab(env, work);
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      const url = new URL(lab.url);
      url.pathname = '/lab/tree/02-normalization.ipynb';
      await page.goto(url.toString());
      await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
      await page.waitForFunction(KERNEL_IDLE, null, { timeout: 60_000 });
      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      // The closing cell prints the runtime once every cell above it has run.
      await page.getByText(/This notebook ran in [\d.]+ s of kernel time/).waitFor({ state: 'attached', timeout: 420_000 });
      // Then wait for the state to check, not for time: the kernel idle, every code cell numbered, and
      // one result line per test(...) call rendered. Expectations come from the copy JupyterLab opened.
      const source = JSON.parse(fs.readFileSync(opened, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
      const code = source.cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.source.join(''));
      const testNames = code.flatMap((text) => [...text.matchAll(/^\s*test\("((?:[^"\\]|\\.)*)"/gm)].map((m) => JSON.parse(`"${m[1] ?? ''}"`) as string));
      expect(testNames.length).toBeGreaterThanOrEqual(25);
      const settled = `(${KERNEL_IDLE}) && ${ALL_PROMPTS_NUMBERED(code.length)} && ${RESULT_LINES} >= ${testNames.length}`;
      await page.waitForFunction(settled, null, { timeout: 60_000 }).catch(() => undefined); // the checks below say what is missing
      expect(await page.evaluate(PROMPTS), 'the input prompt of every code cell').toEqual(code.map(() => expect.stringMatching(/^\[\d+\]:$/)));
      const outputText = (await page.locator('.jp-OutputArea-output').allTextContents()).join('\n');
      expect(outputText).not.toContain('✘');
      expect(testsWithoutPassLine(outputText, testNames), 'tests without a ✔ line').toEqual([]);
      expect(outputText.split('✔').length - 1).toBe(testNames.length);
      await page.waitForFunction(
        `Array.from(document.querySelectorAll('.jp-RenderedPlotly.js-plotly-plot')).filter((d) => d.querySelector('.main-svg')).length === ${CHART_TITLES.length}`,
        null,
        { timeout: 60_000 },
      );
      const titles = await page.evaluate(`Array.from(document.querySelectorAll('.jp-RenderedPlotly.js-plotly-plot')).map((d) => d.layout.title.text)`);
      expect(titles).toEqual(CHART_TITLES);
      expect(await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()).toBe(0);
      const charts = page.locator('.jp-RenderedPlotly.js-plotly-plot');
      for (let i = 0; i < CHART_TITLES.length; i++) {
        await charts.nth(i).scrollIntoViewIfNeeded();
        await charts.nth(i).screenshot({ path: path.join(ARTIFACTS_DIR, `notebook-02-chart-${String(i + 1).padStart(2, '0')}.png`) });
      }
    } finally {
      await page.close();
      await lab.stop();
      lab = null;
    }
  }, 600_000);
});
