// Lecture notebook 02 in a real browser: JupyterLab (from the project's venv, started as `npm start`
// starts it) runs every cell on the project's tslab kernel, draws all ten Plotly charts, and shows
// every test result passing; a screenshot of each chart goes to test-artifacts/. Needs Debian's
// Chromium and the project venv; without them it fails saying how to install them.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireProjectVenv, type JupyterEnv } from '../../src/cli/jupyterEnv';
import { launchChromium } from '../helpers/browser';
import { runNotebookInLab } from '../helpers/labNotebook';
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

let env: JupyterEnv;
let browser: Browser;
let work = '';

beforeAll(async () => {
  requireBuild();
  env = requireProjectVenv(PROJECT_ROOT, 'The notebook 02 browser test');
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  work = scratchDir('notebook-02-lab');
  fs.copyFileSync(NOTEBOOK, path.join(work, '02-normalization.ipynb'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('notebooks/02-normalization.ipynb in JupyterLab', () => {
  it('runs all cells on the tslab kernel: ten Plotly charts render and every test result passes', async () => {
    const run = { name: '02-normalization.ipynb', work, chartTitles: CHART_TITLES, minTests: 25, runTimeout: 420_000 };
    await runNotebookInLab(env, browser, run, async (charts) => {
      for (let i = 0; i < CHART_TITLES.length; i++) {
        await charts.nth(i).scrollIntoViewIfNeeded();
        await charts.nth(i).screenshot({ path: path.join(ARTIFACTS_DIR, `notebook-02-chart-${String(i + 1).padStart(2, '0')}.png`) });
      }
    });
  }, 600_000);
});
