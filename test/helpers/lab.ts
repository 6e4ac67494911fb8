/**
 * JupyterLab for browser tests: a free port, and a lab on a scratch folder with settings that keep
 * the page predictable (no news toast over the outputs; every cell in the page, none left out by
 * JupyterLab's windowing of long notebooks).
 */
import * as net from 'net';
import * as path from 'path';
import type { JupyterEnv } from '../../src/cli/jupyterEnv';
import { startJupyterLab, type RunningLab } from '../../src/cli/jupyterLab';
import { writeLabSetting } from '../../src/cli/labSettings';
import { PROJECT_ROOT } from './project';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Writes the test settings into `work` and returns the `jupyter lab` arguments that use them. */
export function testLabArgs(work: string): string[] {
  const settings = path.join(work, 'lab-settings');
  writeLabSetting(settings, '@jupyterlab/apputils-extension:notification', '{ "fetchNews": "false" }');
  writeLabSetting(settings, '@jupyterlab/notebook-extension:tracker', '{ "windowingMode": "none" }');
  return [`--LabApp.user_settings_dir=${settings}`, `--LabApp.workspaces_dir=${path.join(work, 'lab-workspaces')}`];
}

/** Starts JupyterLab (as `npm start` does) on `work`, with its settings and workspaces inside `work`. */
export async function startTestLab(env: JupyterEnv, work: string): Promise<RunningLab> {
  return startJupyterLab(env, {
    projectRoot: PROJECT_ROOT,
    rootDir: work,
    port: await freePort(),
    openBrowser: false,
    extraArgs: testLabArgs(work),
  });
}

/** A page expression: the notebook's TypeScript kernel is connected and idle (JupyterLab's status bar). */
export const KERNEL_IDLE = `/TypeScript[^|]*\\|\\s*Idle/.test((document.querySelector('#jp-main-statusbar') || {}).textContent || '')`;
