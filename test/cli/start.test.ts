// `npm start` for real: the built entry point starts JupyterLab on workspace/ with the project's
// kernel, prints the URL, and ends JupyterLab with itself on SIGTERM.
import { spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { requireProjectVenv } from '../../src/cli/jupyterEnv';
import { freePort } from '../helpers/lab';
import { PROJECT_ROOT, requireBuild } from '../helpers/project';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  it('serves JupyterLab on the student workspace with the TypeScript kernel and prints the URL', async () => {
    requireBuild();
    requireProjectVenv(PROJECT_ROOT, 'The npm start test');
    const port = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js'), '--no-browser', '--port', String(port)], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL after 90 s; stdout:\n${stdout}\nstderr:\n${stderr}`)), 90_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /JupyterLab is running at:\s+(http\S+)/.exec(stdout);
          if (match !== null) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
        void exited.then((code) => reject(new Error(`npm start exited with ${code}; stderr:\n${stderr}`)));
      });
      console.log(`npm start printed the URL after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(url).toMatch(new RegExp(`^http://(localhost|127\\.0\\.0\\.1):${port}/lab\\?token=\\w+$`));
      const token = new URL(url).searchParams.get('token') ?? '';
      const specs = (await (await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`)).json()) as {
        kernelspecs: Record<string, { spec: { display_name: string; argv: string[] } }>;
      };
      expect(specs.kernelspecs['tslab']?.spec.display_name).toBe('TypeScript (gradlab)');
      expect(specs.kernelspecs['tslab']?.spec.argv[1]).toBe(path.join(PROJECT_ROOT, 'node_modules', 'tslab', 'bin', 'tslab'));
      const root = (await (await fetch(`http://127.0.0.1:${port}/api/contents?token=${token}`)).json()) as { type: string };
      expect(root.type).toBe('directory');
      // The student workspace, never the instructor notebooks with the answers.
      expect(stderr).toContain(`Serving notebooks from local directory: ${path.join(PROJECT_ROOT, 'workspace')}`);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(await portOpen(port)).toBe(false);
  }, 120_000);
});
