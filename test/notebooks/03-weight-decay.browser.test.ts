// Lecture notebook 03 in a real browser: JupyterLab (from the project's venv, started as `npm start`
// starts it) runs every cell on the project's tslab kernel, draws all ten Plotly charts, and shows
// every test result passing; a screenshot of every chart goes to test-artifacts/. Needs Debian's
// Chromium and the project venv; without them it fails saying how to install them.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireProjectVenv, type JupyterEnv } from '../../src/cli/jupyterEnv';
import { launchChromium } from '../helpers/browser';
import { runNotebookInLab } from '../helpers/labNotebook';
import { ARTIFACTS_DIR, PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '03-weight-decay.ipynb');
/** Each chart's title and the name of its screenshot, in page order. */
const CHARTS: [string, string][] = [
  ['A 101,770-parameter network on 300 digits: it fits true and shuffled labels alike', 'puzzle'],
  ['SGD: weightDecay in the optimizer and λ/2·‖W‖² in the loss give the same weights', 'sgd-equivalence'],
  ['Adam with L2 vs AdamW, same λ = 0.05: the parameters drift apart', 'adam-adamw-drift'],
  ['A line fitted with strong decay (λ = 0.5): decaying the bias shifts the whole fit', 'bias-decay'],
  ['Choosing λ for ridge regression', 'lambda-sweep-polynomial'],
  ['Shrinkage of each eigen-direction of H: fitted by gradient descent vs λ_i / (λ_i + λ)', 'shrinkage'],
  ['Fitted weights of a 40-feature linear model (5 relevant): L1 sets the rest to exactly 0', 'l1-l2-histogram'],
  ['Loss contours with the L1 diamond and the L2 disc (t = 1)', 'constraint-regions'],
  ['Explicit (weight decay) and implicit (early stopping) regularization of a 784-100-10 network on 1,000 digits', 'deep-lambda-sweep'],
  ['Two functions that ignore the size of their weights', 'caveat'],
];

let env: JupyterEnv;
let browser: Browser;
let work = '';

beforeAll(async () => {
  requireBuild();
  env = requireProjectVenv(PROJECT_ROOT, 'The notebook 03 browser test');
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  work = scratchDir('notebook-03-lab');
  fs.copyFileSync(NOTEBOOK, path.join(work, '03-weight-decay.ipynb'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('notebooks/03-weight-decay.ipynb in JupyterLab', () => {
  it('runs all cells on the tslab kernel: ten Plotly charts render and every test result passes', async () => {
    const run = { name: '03-weight-decay.ipynb', work, chartTitles: CHARTS.map(([title]) => title), minTests: 24, runTimeout: 240_000 };
    await runNotebookInLab(env, browser, run, async (charts) => {
      for (const [i, [, name]] of CHARTS.entries()) {
        await charts.nth(i).scrollIntoViewIfNeeded();
        await charts.nth(i).screenshot({ path: path.join(ARTIFACTS_DIR, `notebook-03-${name}.png`) });
      }
    });
  }, 400_000);
});
