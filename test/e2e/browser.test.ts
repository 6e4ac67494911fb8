// End to end in a real browser: JupyterLab (from the project's venv, started the way `npm start`
// starts it) runs the sample notebook on the project's tslab kernel and draws its Plotly charts; the
// static site and nbconvert's HTML export of the executed notebook draw their charts offline.
// Needs Debian's Chromium and the project venv; without them the tests fail saying how to install.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireProjectVenv, type JupyterEnv } from '../../src/cli/jupyterEnv';
import type { RunningLab } from '../../src/cli/jupyterLab';
import { launchChromium } from '../helpers/browser';
import { cellKind } from '../../src/notebook/nbgrader';
import { cellSource, parseNotebook, type Cell } from '../../src/notebook/nbformat';
import { freePort, KERNEL_IDLE, startTestLab, testLabArgs } from '../helpers/lab';
import { ARTIFACTS_DIR, CHARTS_NOTEBOOK, PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

let env: JupyterEnv;
let browser: Browser;
let lab: RunningLab | null = null;
let work = '';
let executed = '';

/** A browser context in which only file:// and localhost requests get through; the others are counted. */
async function offlineContext(blocked: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file:|data:|blob:|about:)/.test(url) || /^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url)) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  return context;
}

/** A page expression: exactly `n` elements matching `selector` hold a drawn Plotly chart. */
function drawnCount(selector: string, n: number): string {
  return `Array.from(document.querySelectorAll(${JSON.stringify(selector)})).filter((el) => el.querySelector('.main-svg .scatterlayer')).length === ${n}`;
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

// A missing prerequisite fails every test with its message (a failing beforeAll would mark them skipped).
let setupError: unknown = null;
function ready(): void {
  if (setupError !== null) throw setupError;
}

beforeAll(async () => {
  try {
    await setUp();
  } catch (error) {
    setupError = error;
  }
}, 180_000);

async function setUp(): Promise<void> {
  requireBuild();
  env = requireProjectVenv(PROJECT_ROOT, 'The browser test');
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  work = scratchDir('e2e');
  fs.copyFileSync(CHARTS_NOTEBOOK, path.join(work, 'charts.ipynb'));
  // The executed copy (for the site and the nbconvert export) comes from the headless runner.
  const started = Date.now();
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'notebooks.js'), path.join(work, 'charts.ipynb'), '--out', path.join(work, 'run')], {
    cwd: PROJECT_ROOT,
    stdio: 'pipe',
  });
  executed = path.join(work, 'run', 'charts.ipynb');
  console.log(`runner executed the notebook and wrote the site in ${elapsed(started)}`);
}

afterAll(async () => {
  await lab?.stop();
  await browser?.close();
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('JupyterLab in Chromium', () => {
  it('runs all cells on the tslab kernel: Plotly charts render, the live chart holds its last update, the test result shows', async () => {
    ready();
    const started = Date.now();
    lab = await startTestLab(env, work);
    console.log(`JupyterLab served ${lab.url.replace(/token=\w+/, 'token=...')} after ${elapsed(started)}`);
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      const url = new URL(lab.url);
      url.pathname = '/lab/tree/charts.ipynb';
      await page.goto(url.toString());
      await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
      await page.waitForFunction(KERNEL_IDLE, null, { timeout: 60_000 });
      console.log(`notebook open, kernel idle after ${elapsed(started)}`);
      const ran = Date.now();
      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      const result = page.getByText('✔ loss goes down (1/1 points)');
      await result.waitFor({ state: 'visible', timeout: 90_000 });
      // The live chart is replaced at every update and redrawn asynchronously: wait for its last
      // version (4 points) to be drawn, not merely for some version of it.
      await page.waitForFunction(
        `${drawnCount('.jp-OutputArea-output.jp-RenderedPlotly', 2)} && ` +
          `Array.from(document.querySelectorAll('.jp-RenderedPlotly.js-plotly-plot')).some((d) => d.layout && d.layout.title.text === 'Live loss' && d.data[0].y.length === 4)`,
        null,
        { timeout: 60_000 },
      );
      console.log(`Run All Cells done in ${elapsed(ran)}`);
      const charts = (await page.evaluate(`Array.from(document.querySelectorAll('.jp-RenderedPlotly.js-plotly-plot')).map((d) => ({
        title: d.layout.title.text, points: d.data.map((t) => t.y.length), svgTraces: d.querySelectorAll('.scatterlayer .trace').length }))`)) as unknown;
      expect(charts).toEqual([
        { title: 'Training loss', points: [4, 4], svgTraces: 2 },
        { title: 'Live loss', points: [4], svgTraces: 1 },
      ]);
      await page.getByText('mean loss 0.5').waitFor({ state: 'visible', timeout: 10_000 });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'jupyterlab-top.png') });
      await result.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'jupyterlab-test-result.png') });
      // JupyterLab shows the result's HTML form (a green line), not its monospace text form.
      expect(await page.evaluate(`Array.from(document.querySelectorAll('.jp-OutputArea-output .gradlab-test-pass'))
        .map((el) => [el.textContent, getComputedStyle(el).borderLeftColor])`)).toEqual([['✔ loss goes down (1/1 points)', 'rgb(26, 127, 55)']]);
    } finally {
      await page.close();
      await lab.stop();
      lab = null;
    }
  }, 240_000);
});

describe('offline pages of the executed notebook', () => {
  it('the static site page draws its charts, maths and test badge with the network blocked', async () => {
    ready();
    const blocked: string[] = [];
    const context = await offlineContext(blocked);
    try {
      const page = await context.newPage();
      await page.goto(`file://${path.join(work, 'run', 'site', 'charts.html')}`);
      await page.waitForFunction(drawnCount('.plot', 2), null, { timeout: 30_000 });
      expect(await page.locator('.plot .gtitle').allTextContents()).toEqual(['Training loss', 'Live loss']);
      expect(await page.locator('.katex').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('.test.pass').textContent()).toContain('loss goes down');
      expect(blocked).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'site-page.png'), fullPage: true });
      await page.goto(`file://${path.join(work, 'run', 'site', 'index.html')}`);
      expect(await page.locator('ul.notebooks .tests.pass').textContent()).toBe('1/1 tests passed');
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'site-index.png') });
    } finally {
      await context.close();
    }
  }, 60_000);

  it("nbconvert's HTML export draws the charts from their text/html form, plotly.js inlined once", async () => {
    ready();
    const out = path.join(work, 'export');
    execFileSync(env.jupyter, ['nbconvert', '--to', 'html', '--output-dir', out, executed], { stdio: 'pipe' });
    const html = fs.readFileSync(path.join(out, 'charts.html'), 'utf8');
    expect(html.split('* plotly.js v').length - 1).toBe(1);
    const blocked: string[] = [];
    const context = await offlineContext(blocked);
    try {
      const page = await context.newPage();
      await page.goto(`file://${path.join(out, 'charts.html')}`);
      await page.waitForFunction(drawnCount('.gradlab-plot', 2), null, { timeout: 30_000 });
      expect(await page.locator('.gradlab-plot .gtitle').allTextContents()).toEqual(['Training loss', 'Live loss']);
      expect(blocked.every((url) => !url.includes('plotly'))).toBe(true);
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'nbconvert-export.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the student edition through npm start', () => {
  it('opens the workspace, never the answers, and an exercise stub fails with its message', async () => {
    ready();
    const scratch = scratchDir('e2e-student');
    const workspace = path.join(scratch, 'workspace');
    const port = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js'), '--no-browser', '--port', String(port), ...testLabArgs(scratch)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, GRADLAB_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /JupyterLab is running at:\s+(http\S+)/.exec(output);
          if (match !== null) resolve(match[1] as string);
          else if (Date.now() - started > 120_000) reject(new Error(`npm start printed no URL; output:\n${output}`));
        }, 200);
        void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`))).finally(() => clearInterval(timer));
        void new Promise((r) => setTimeout(r, 125_000)).then(() => clearInterval(timer));
      });
      expect(output).toContain(`Serving notebooks from local directory: ${workspace}`);
      const name = fs.readdirSync(workspace).filter((f) => f.endsWith('.ipynb')).sort()[0] ?? '';
      const nb = parseNotebook(fs.readFileSync(path.join(workspace, name), 'utf8'), name);
      // The setup cells (read-only, before the first answer), the first answer and its test cell.
      const answer = nb.cells.findIndex((c) => cellKind(c) === 'answer');
      const tests = nb.cells.findIndex((c, i) => i > answer && cellKind(c) === 'tests');
      const setup = nb.cells.flatMap((c, i) => (i < answer && cellKind(c) === 'readonly' ? [i] : []));
      const stubName = /not implemented: ([\w$]+)/.exec(cellSource(nb.cells[answer] as Cell))?.[1] ?? '';
      expect(stubName).not.toBe('');

      const lab = new URL(url);
      lab.pathname = `/lab/tree/${name}`;
      await page.goto(lab.toString());
      await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
      await page.waitForFunction(KERNEL_IDLE, null, { timeout: 90_000 });
      const cells = page.locator('.jp-Notebook .jp-Cell');
      expect(await cells.nth(answer).locator('.jp-InputArea-editor').textContent()).toContain(`not implemented: ${stubName}`);
      for (const index of [...setup, answer, tests]) {
        await cells.nth(index).locator('.jp-InputArea-editor').click();
        await page.keyboard.press('Shift+Enter');
      }
      const failure = cells.nth(tests).locator('.jp-OutputArea-output', { hasText: `not implemented: ${stubName}` }).first();
      await failure.waitFor({ state: 'visible', timeout: 90_000 });
      expect(await failure.textContent()).toMatch(new RegExp(`✘ .* \\(0/\\d+ points\\): not implemented: ${stubName.replace(/\$/g, '\\$')}`));
      await failure.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'student-edition-stub-fails.png') });
      console.log(`student edition opened through npm start; the stub failed in the browser after ${elapsed(started)}`);
    } finally {
      await page.close();
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 420_000);
});
