// Lecture notebook 01 in a real browser: JupyterLab (from the project's venv, started as `npm start`
// starts it) runs every cell on the project's tslab kernel, draws all eleven Plotly charts, and shows
// every test result passing. Needs Debian's Chromium and the project venv; without them it fails
// saying how to install them.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireProjectVenv, type JupyterEnv } from '../../src/cli/jupyterEnv';
import { launchChromium } from '../helpers/browser';
import { runNotebookInLab } from '../helpers/labNotebook';
import { ARTIFACTS_DIR, PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '01-initialization.ipynb');
const CHART_TITLES = [
  'ReLU moments of z ~ N(0, σ²): 10⁶ samples per σ vs. the formulas',
  'Variance of the pre-activations, layer by layer (width 100, Gaussian inputs)',
  '50-layer ReLU network of width 100 on 500 MNIST digits',
  'The second slide: 10-layer ReLU networks before and after 3 epochs, W ~ N(0, c/n)',
  'Update-to-weight ratio of every layer during training (every 5th step)',
  'Test error after 3 epochs: 3 seeds per c',
  "How far training moved each layer's weights",
  'Uniform initialization in a 10-layer linear network (width 100)',
  '10-layer tanh network of width 256: Xavier vs. N(0, 0.01²)',
  'Activations of a 10-layer tanh network: N(0, 0.01²) (top) vs. Xavier (bottom), 128,000 values per panel',
  'tanh network of width 256: weights N(0, gain²/n)',
];
/** Screenshot file names (under test-artifacts/) by chart index. */
const SCREENSHOTS: Record<number, string> = {
  2: 'notebook-01-lecture-experiment.png',
  3: 'notebook-01-second-slide.png',
  4: 'notebook-01-update-ratio.png',
  5: 'notebook-01-seed-ranking.png',
  9: 'notebook-01-tanh-histograms.png',
  10: 'notebook-01-tanh-saturation.png',
};

let env: JupyterEnv;
let browser: Browser;
let work = '';

beforeAll(async () => {
  requireBuild();
  env = requireProjectVenv(PROJECT_ROOT, 'The notebook 01 browser test');
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  work = scratchDir('notebook-01-lab');
  fs.copyFileSync(NOTEBOOK, path.join(work, '01-initialization.ipynb'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('notebooks/01-initialization.ipynb in JupyterLab', () => {
  it('runs all cells on the tslab kernel: eleven Plotly charts render and every test result passes', async () => {
    // Section 4 trains nine networks: on a loaded machine the whole run can take several minutes.
    const run = { name: '01-initialization.ipynb', work, chartTitles: CHART_TITLES, minTests: 20, runTimeout: 900_000 };
    await runNotebookInLab(env, browser, run, async (charts) => {
      for (const [index, file] of Object.entries(SCREENSHOTS)) {
        await charts.nth(Number(index)).scrollIntoViewIfNeeded();
        await charts.nth(Number(index)).screenshot({ path: path.join(ARTIFACTS_DIR, file) });
      }
    });
  }, 1_200_000);
});
