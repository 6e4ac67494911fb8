// Lecture notebook 04 in a real browser: JupyterLab (from the project's venv, started as `npm start`
// starts it) runs every cell on the project's tslab kernel, draws all eleven Plotly charts, and shows
// every test result passing; each chart is saved as a screenshot in test-artifacts/. Needs Debian's
// Chromium and the project venv; without them it fails saying how to install them.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireProjectVenv, type JupyterEnv } from '../../src/cli/jupyterEnv';
import { launchChromium } from '../helpers/browser';
import { runNotebookInLab } from '../helpers/labNotebook';
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

let env: JupyterEnv;
let browser: Browser;
let work = '';

beforeAll(async () => {
  requireBuild();
  env = requireProjectVenv(PROJECT_ROOT, 'The notebook 04 browser test');
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  work = scratchDir('notebook-04-lab');
  fs.copyFileSync(NOTEBOOK, path.join(work, '04-dropout.ipynb'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('notebooks/04-dropout.ipynb in JupyterLab', () => {
  it('runs all cells on the tslab kernel: eleven Plotly charts render and every test result passes', async () => {
    const run = { name: '04-dropout.ipynb', work, chartTitles: CHART_TITLES, minTests: 30, runTimeout: RUN_ALL_TIMEOUT };
    await runNotebookInLab(env, browser, run, async (charts) => {
      for (let i = 0; i < CHART_TITLES.length; i++) {
        await charts.nth(i).scrollIntoViewIfNeeded();
        await charts.nth(i).screenshot({ path: path.join(ARTIFACTS_DIR, `notebook-04-chart-${String(i + 1).padStart(2, '0')}.png`) });
      }
    });
  }, RUN_ALL_TIMEOUT + 180_000);
});
