// A student's first `npm start`, in Chromium: the built command serves the course, prints one URL
// line, and the first notebook opens with its kernel and without the "Jupyter news" prompt over it.
// Jupyter's harmless warnings (websocket ping timeout, untrusted notebook) are not shown, Ctrl+C
// stops everything, and opening the course neither marks the notebook modified nor changes the clone.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { requireProjectVenv } from '../../src/cli/jupyterEnv';
import { launchChromium } from '../helpers/browser';
import { freePort, KERNEL_IDLE } from '../helpers/lab';
import { ARTIFACTS_DIR, PROJECT_ROOT, requireBuild } from '../helpers/project';

function gitStatus(): string {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
}

describe('npm start in Chromium', () => {
  it('opens notebook 01 with its kernel, no news prompt and no warnings in the terminal; Ctrl+C stops it', async () => {
    requireBuild();
    requireProjectVenv(PROJECT_ROOT, 'The npm start browser test');
    const before = gitStatus();
    const port = await freePort();
    const start = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js'), '--no-browser', '--port', String(port)], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => start.once('exit', () => resolve()));
    let stdout = '';
    let stderr = '';
    start.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    start.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const browser = await launchChromium();
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL after 90 s; stdout:\n${stdout}\nstderr:\n${stderr}`)), 90_000);
        start.stdout.on('data', () => {
          const match = /JupyterLab is running at: (http\S+)\n/.exec(stdout);
          if (match !== null) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const notebook = new URL(url);
      notebook.pathname = '/lab/tree/01-initialization.ipynb';
      await page.goto(notebook.toString());
      await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
      await page.waitForFunction(KERNEL_IDLE, null, { timeout: 90_000 });
      // JupyterLab asks about news a moment after the page settles; give it the time to do so.
      await page.waitForTimeout(5_000);
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'npm-start-first-page.png') });
      expect(await page.getByText('official Jupyter news').count()).toBe(0);
      // The notebook's metadata already says what the kernel reports, so opening it changes nothing
      // and JupyterLab's autosave has nothing to write.
      expect(await page.locator('.lm-TabBar-tab.jp-mod-dirty').count(), 'notebook marked modified on open').toBe(0);
      await page.close();
    } finally {
      await browser.close();
      start.kill('SIGINT');
      await exited;
    }
    expect(stdout.split('\n').filter((line) => line.includes('/lab?token=')), stdout).toHaveLength(1);
    expect(stderr).toContain('Kernel started');
    for (const quiet of ['websocket_ping_timeout', 'is not trusted', '/lab?token=']) expect(stderr, stderr).not.toContain(quiet);
    expect(gitStatus()).toBe(before);
  }, 240_000);
});
