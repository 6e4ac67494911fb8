/**
 * Running a lecture notebook in JupyterLab in Chromium, as a student does: open it, Run All Cells, and
 * check that every code cell ran, every test result passed, no stderr appeared and the expected Plotly
 * charts rendered with their titles.
 */
import * as fs from 'fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { JupyterEnv } from '../../src/cli/jupyterEnv';
import { KERNEL_IDLE, startTestLab } from './lab';

/** A page expression: the input prompt text of every code cell, e.g. "[12]:" ("[*]:" while queued or running). */
const PROMPTS = `Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')).map((p) => (p.textContent || '').trim())`;
/** A page expression: all `n` code cells have run (each prompt holds its execution count). */
const ALL_PROMPTS_NUMBERED = (n: number): string => `((ps) => ps.length === ${n} && ps.every((p) => /^\\[\\d+\\]:$/.test(p)))(${PROMPTS})`;
/** A page expression: the number of test-result lines (✔ or ✘) in the output areas. */
const RESULT_LINES = `(Array.from(document.querySelectorAll('.jp-OutputArea-output')).map((o) => o.textContent || '').join('\\n').match(/[✔✘]/g) || []).length`;

/**
 * The test names without a passing result line in the page's output text: a graded test reads
 * "✔ name (k/k points)", a check worth no points just "✔ name".
 */
export function testsWithoutPassLine(outputText: string, testNames: readonly string[]): string[] {
  const lines = outputText.split('\n');
  return testNames.filter((name) => !lines.some((line) => line === `✔ ${name}` || line.startsWith(`✔ ${name} (`)));
}

/** What to open and what to expect of it. */
export interface LabNotebookRun {
  /** The notebook's file name inside `work`, where JupyterLab serves from. */
  readonly name: string;
  readonly work: string;
  /** The chart titles, in page order. */
  readonly chartTitles: readonly string[];
  readonly minTests: number;
  /** How long Run All may take, in ms. */
  readonly runTimeout: number;
}

/** Runs every cell in JupyterLab, checks the outcome, then hands the rendered charts to `inspect` (e.g. for screenshots). */
export async function runNotebookInLab(env: JupyterEnv, browser: Browser, run: LabNotebookRun, inspect: (charts: Locator) => Promise<void>): Promise<void> {
  const lab = await startTestLab(env, run.work);
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  try {
    const url = new URL(lab.url);
    url.pathname = `/lab/tree/${run.name}`;
    await page.goto(url.toString());
    await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
    await page.waitForFunction(KERNEL_IDLE, null, { timeout: 60_000 });
    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    // The closing cell prints the runtime once every cell above it has run.
    await page.getByText(/This notebook ran in [\d.]+ s of kernel time/).waitFor({ state: 'attached', timeout: run.runTimeout });
    // Then wait for the state to check, not for time: the kernel idle, every code cell numbered, and one
    // result line per test(...) call rendered (under load the page may lag behind the kernel).
    const source = JSON.parse(fs.readFileSync(`${run.work}/${run.name}`, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
    const code = source.cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.source.join(''));
    const testNames = code.flatMap((text) => [...text.matchAll(/^\s*test\("((?:[^"\\]|\\.)*)"/gm)].map((m) => JSON.parse(`"${m[1] ?? ''}"`) as string));
    expect(testNames.length).toBeGreaterThanOrEqual(run.minTests);
    const settled = `(${KERNEL_IDLE}) && ${ALL_PROMPTS_NUMBERED(code.length)} && ${RESULT_LINES} >= ${testNames.length}`;
    await page.waitForFunction(settled, null, { timeout: 60_000 }).catch(() => undefined); // the checks below say what is missing
    expect(await page.evaluate(PROMPTS), 'the input prompt of every code cell').toEqual(code.map(() => expect.stringMatching(/^\[\d+\]:$/)));
    const outputText = (await page.locator('.jp-OutputArea-output').allTextContents()).join('\n');
    expect(outputText).not.toContain('✘');
    expect(testsWithoutPassLine(outputText, testNames), 'tests without a ✔ line').toEqual([]);
    expect(outputText.split('✔').length - 1).toBe(testNames.length);
    await page.waitForFunction(
      `Array.from(document.querySelectorAll('.jp-RenderedPlotly.js-plotly-plot')).filter((d) => d.querySelector('.main-svg')).length === ${run.chartTitles.length}`,
      null,
      { timeout: 60_000 },
    );
    const titles = await page.evaluate(`Array.from(document.querySelectorAll('.jp-RenderedPlotly.js-plotly-plot')).map((d) => d.layout.title.text)`);
    expect(titles).toEqual(run.chartTitles);
    expect(await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()).toBe(0);
    await inspect(page.locator('.jp-RenderedPlotly.js-plotly-plot'));
  } finally {
    await page.close();
    await lab.stop();
  }
}
