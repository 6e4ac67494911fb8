// Lecture notebook 04 in a real browser: JupyterLab (from the project's venv, started as `npm start`
// starts it) runs every cell on the project's tslab kernel, draws all eleven Plotly charts, and shows
// every test result passing; each chart is saved as a screenshot in test-artifacts/. Needs Debian's
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

const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '04-dropout.ipynb');
const CHART_TITLES = [
  'Inverted dropout by Monte Carlo: 200,000 masks per p, four activations z',
  '784-128-128-10 MLP on 1,000 MNIST digits: mean of 3 seeds per setting',
  'After 20 epochs: dropout closes the gap between training and test loss',
  'One trained network (hidden p = 0.5), two conventions and two mistakes',
  'Dropout as an ensemble: averaging masked passes of the hidden-p = 0.5 network',
  'Monte Carlo dropout: spread of 64 passes, correct vs misclassified test digits',
  'Dropout vs bagging on 1,000 MNIST digits',
  'Co-adaptation in the second hidden layer (128 units), seed 1',
  'Logit of the true class: training mode vs eval mode',
  'Input noise vs input dropout at equal noise energy (3 seeds, ± 1 sd)',
  'Dropout masks of one sequence, p = 0.5 (white: kept and scaled by 2, black: dropped)',
];
/** The notebook trains 23 networks: on a loaded 2-core machine Run All can take several minutes. */
const RUN_ALL_TIMEOUT = 720_000;

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
  env = requireProjectVenv(PROJECT_ROOT, 'The notebook 04 browser test');
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  work = scratchDir('notebook-04-lab');
  opened = path.join(work, '04-dropout.ipynb');
  fs.copyFileSync(NOTEBOOK, opened);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  await browser?.close();
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('notebooks/04-dropout.ipynb in JupyterLab', () => {
  it('runs all cells on the tslab kernel: eleven Plotly charts render and every test result passes', async () => {
    lab = await startTestLab(env, work);
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      const url = new URL(lab.url);
      url.pathname = '/lab/tree/04-dropout.ipynb';
      await page.goto(url.toString());
      await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
      await page.waitForFunction(KERNEL_IDLE, null, { timeout: 60_000 });
      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      // The closing cell prints the runtime once every cell above it has run.
      await page.getByText(/This notebook ran in [\d.]+ s of kernel time/).waitFor({ state: 'attached', timeout: RUN_ALL_TIMEOUT });
      // Expectations come from the copy JupyterLab opened, not from notebooks/, which may be rebuilt meanwhile.
      const source = JSON.parse(fs.readFileSync(opened, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
      const code = source.cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.source.join(''));
      const testNames = code.flatMap((text) => [...text.matchAll(/^\s*test\("((?:[^"\\]|\\.)*)"/gm)].map((m) => JSON.parse(`"${m[1] ?? ''}"`) as string));
      expect(testNames.length).toBeGreaterThanOrEqual(30);
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
        await charts.nth(i).screenshot({ path: path.join(ARTIFACTS_DIR, `notebook-04-chart-${String(i + 1).padStart(2, '0')}.png`) });
      }
    } finally {
      await page.close();
      await lab.stop();
      lab = null;
    }
  }, RUN_ALL_TIMEOUT + 180_000);
});
