// Stopping `npm start` for real: the command a user typed, `npm start -- --no-browser --port P`,
// serves JupyterLab with a running TypeScript kernel; a signal to that command (Ctrl+C as a terminal
// sends it, SIGTERM or SIGHUP to npm's process as `kill` or a supervisor sends them) must leave no
// process behind: no node start.js, no jupyter-lab, no kernel, and the port free.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import { describe, expect, it } from 'vitest';
import { descendantPids, isAlive } from '../../src/cli/childProcesses';
import { requireProjectVenv } from '../../src/cli/jupyterEnv';
import { freePort } from '../helpers/lab';
import { PROJECT_ROOT, requireBuild } from '../helpers/project';

/** True when a new server can listen on the port, i.e. nothing holds it any more. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts `npm start` as a terminal would start a job (its own process group); returns it once the URL is printed. */
async function startNpm(port: number) {
  const npm = spawn('npm', ['start', '--', '--no-browser', '--port', String(port)], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  npm.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const output = (): string => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await waitFor('the URL', () => {
    if (gone) throw new Error(`npm start exited early; ${output()}`);
    return /JupyterLab is running at: http\S+\n/.test(stdout);
  }, 90_000);
  const url = new URL(/JupyterLab is running at: (http\S+)\n/.exec(stdout)?.[1] ?? '');
  return { npm, exited, url, output, stdout: () => stdout, stderr: () => stderr };
}

const CASES: ReadonlyArray<{ how: string; signal: NodeJS.Signals; toGroup: boolean }> = [
  { how: 'Ctrl+C (SIGINT to the terminal job)', signal: 'SIGINT', toGroup: true },
  { how: 'SIGTERM to the npm process', signal: 'SIGTERM', toGroup: false },
  { how: 'SIGHUP to the npm process', signal: 'SIGHUP', toGroup: false },
];

describe('stopping npm start', () => {
  for (const { how, signal, toGroup } of CASES) {
    it(`${how} stops JupyterLab and its kernels, and frees the port`, async () => {
      requireBuild();
      requireProjectVenv(PROJECT_ROOT, 'The npm start signal test');
      const port = await freePort();
      const run = await startNpm(port);
      const npmPid = run.npm.pid as number;
      let below: number[] = [];
      try {
        const token = run.url.searchParams.get('token') ?? '';
        const kernel = (await (
          await fetch(`http://127.0.0.1:${port}/api/kernels?token=${token}`, { method: 'POST', body: JSON.stringify({ name: 'tslab' }) })
        ).json()) as { id?: string };
        expect(kernel.id, run.output()).toMatch(/^[0-9a-f-]{36}$/);
        await waitFor('the kernel process', () => descendantPids(npmPid).some((pid) => commandLine(pid).includes('tslab kernel')), 60_000);
        below = descendantPids(npmPid);
        const names = below.map(commandLine);
        expect(names.some((name) => name.includes('dist/cli/start.js')), names.join('\n')).toBe(true);
        expect(names.some((name) => name.includes('jupyter-lab')), names.join('\n')).toBe(true);
        expect(names.some((name) => name.includes('tslab kernel')), names.join('\n')).toBe(true);
        // The project's own settings reach JupyterLab: no news prompt over the first notebook.
        const notification = (await (
          await fetch(`http://127.0.0.1:${port}/lab/api/settings/@jupyterlab/apputils-extension:notification?token=${token}`)
        ).json()) as { settings?: { fetchNews?: unknown } };
        expect(notification.settings?.fetchNews).toBe('false');

        process.kill(toGroup ? -npmPid : npmPid, signal);
        await waitFor('npm to exit', async () => {
          await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 100))]);
          return run.npm.exitCode !== null || run.npm.signalCode !== null;
        }, 30_000);
        await waitFor('every process below npm start to end', () => !below.some(isAlive), 30_000);
        expect(await portFree(port)).toBe(true);
      } finally {
        for (const pid of [npmPid, ...below].filter(isAlive)) process.kill(pid, 'SIGKILL');
      }
      // One URL line: Jupyter's own copies of the URL are not shown.
      expect(run.stdout().split('\n').filter((line) => line.includes(run.url.href)).length, run.output()).toBe(1);
      expect(run.stderr().includes(`token=${run.url.searchParams.get('token') ?? ''}`), run.output()).toBe(false);
    }, 180_000);
  }
});
