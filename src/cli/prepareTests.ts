/**
 * `npm test`'s first step (the `pretest` script): makes sure everything the real-component tests
 * use is present, installing what is missing, so that `npm install && npm test` is the whole set-up
 * on a fresh machine:
 * - the project's Python environment `.venv` (JupyterLab, plotly, nbclient; the same code as
 *   `npm start` uses), for the nbclient cross-check and the JupyterLab browser tests, plus PyTorch
 *   and numpy in it for the tests of the bench's Python peers;
 * - Debian's Chromium at /usr/bin/chromium, for the browser tests: installed with apt-get when it is
 *   missing and this runs as root on a Debian-like system, otherwise a message says what to install.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createProjectVenv, ensureBenchPackages, findOnPath, JupyterEnvError, projectVenv } from './jupyterEnv';

/** Where the browser tests expect Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

function log(line: string): void {
  process.stdout.write(`prepare-tests: ${line}\n`);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function aptInstall(packages: readonly string[]): void {
  const apt = findOnPath('apt-get');
  if (apt === null || !isRoot()) {
    throw new Error(
      `${packages.join(', ')} missing: the browser and JupyterLab tests need them. Install them ` +
        `(on Debian/Ubuntu: \`sudo apt-get install -y ${packages.join(' ')}\`) and run npm test again.`,
    );
  }
  log(`installing ${packages.join(', ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const r = spawnSync(apt, args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

function main(): number {
  const root = path.resolve(__dirname, '..', '..');
  try {
    const missing: string[] = [];
    if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
    if (findOnPath('python3') === null) missing.push('python3', 'python3-venv');
    else if (spawnSync('python3', ['-c', 'import ensurepip, venv'], { stdio: 'ignore' }).status !== 0) missing.push('python3-venv');
    if (missing.length > 0) aptInstall(missing);
    if (projectVenv(root) === null) createProjectVenv(root, log);
    ensureBenchPackages(root, log);
    log(`ready: ${CHROMIUM}, ${path.join(root, '.venv')}`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`prepare-tests: ${error instanceof JupyterEnvError ? '' : 'error: '}${message}\n`);
    return 1;
  }
}

process.exitCode = main();
