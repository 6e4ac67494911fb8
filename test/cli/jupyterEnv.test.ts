import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createProjectVenv,
  ensureJupyterEnv,
  findOnPath,
  jupyterEnvVars,
  jupyterProblem,
  JupyterEnvError,
  requireProjectVenv,
  setupLogFile,
  venvExecutable,
} from '../../src/cli/jupyterEnv';
import { labArgs, startJupyterLab } from '../../src/cli/jupyterLab';
import { parseStartArgs } from '../../src/cli/start';
import { PROJECT_ROOT } from '../helpers/project';

const dirs: string[] = [];
const savedPath = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = savedPath;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-env-'));
  dirs.push(dir);
  return dir;
}

/** A stand-in `jupyter` executable (a real shell script) that reports JupyterLab `version`. */
function fakeJupyter(dir: string, version: string, dataDir: string): string {
  const file = path.join(dir, 'jupyter');
  fs.writeFileSync(
    file,
    `#!/bin/sh\nif [ "$1" = lab ]; then echo ${version}; exit 0; fi\necho '{"data": ["${dataDir}"]}'\n`,
    { mode: 0o755 },
  );
  return file;
}

describe('finding Jupyter', () => {
  it('accepts the project venv: JupyterLab >= 4 with the plotly renderer', () => {
    const env = requireProjectVenv(PROJECT_ROOT, 'This test');
    expect(env.source).toBe('venv');
    expect(jupyterProblem(env.jupyter)).toBeNull();
  });

  it('rejects an old JupyterLab and one without the plotly package, saying why', () => {
    const dir = tempDir();
    expect(jupyterProblem(fakeJupyter(dir, '3.6.8', dir))).toBe(`${dir}/jupyter has JupyterLab 3.6.8; version 4 or newer is needed`);
    expect(jupyterProblem(fakeJupyter(dir, '4.2.0', dir))).toBe(
      `${dir}/jupyter has JupyterLab 4.2.0 but not the plotly package (its chart renderer)`,
    );
    fs.mkdirSync(path.join(dir, 'labextensions', 'jupyterlab-plotly'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'labextensions', 'jupyterlab-plotly', 'package.json'), '{}');
    expect(jupyterProblem(fakeJupyter(dir, '4.2.0', dir))).toBeNull();
  });

  it('uses a suitable jupyter on PATH when the project has no venv', () => {
    const root = tempDir();
    const bin = path.dirname(venvExecutable(PROJECT_ROOT, 'jupyter'));
    process.env['PATH'] = `${bin}${path.delimiter}${savedPath ?? ''}`;
    expect(findOnPath('jupyter')).toBe(path.join(bin, 'jupyter'));
    const env = ensureJupyterEnv(root, () => undefined);
    expect(env).toEqual({ jupyter: path.join(bin, 'jupyter'), python: null, source: 'path' });
    expect(fs.existsSync(path.join(root, '.venv'))).toBe(false);
  });

  it('tells tests how to create a missing venv', () => {
    expect(() => requireProjectVenv(tempDir(), 'The browser test')).toThrow(/The browser test needs the project's Python environment .*--prepare-only/);
  });

  it('without python3 says so and points to the headless runner', () => {
    process.env['PATH'] = tempDir();
    let error: unknown;
    try {
      createProjectVenv(tempDir(), () => undefined);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JupyterEnvError);
    expect((error as Error).message).toMatch(/^JupyterLab needs Python 3, and `python3` was not found on PATH/);
    expect((error as Error).message).toContain('npm run notebooks');
  });

  it("prints one line per step, not pip's output, and keeps pip's output in a log file", () => {
    const root = tempDir();
    const bin = path.dirname(venvExecutable(root, 'pip'));
    fs.mkdirSync(bin, { recursive: true });
    // A stand-in pip (a real process) as chatty as the real one; it creates what the venv needs.
    fs.writeFileSync(
      path.join(bin, 'pip'),
      `#!/bin/sh\nfor i in $(seq 1 190); do echo "Collecting package-$i"; done\ntouch "${bin}/jupyter" "${bin}/python"\n`,
      { mode: 0o755 },
    );
    const lines: string[] = [];
    const env = createProjectVenv(root, (line) => lines.push(line));
    expect(env).toEqual({ jupyter: path.join(bin, 'jupyter'), python: path.join(bin, 'python'), source: 'venv' });
    expect(lines).toEqual([
      'Installing jupyterlab, plotly, nbclient with pip (once; about half a minute) ...',
      `Python environment ready (pip's output: ${setupLogFile(root)}).`,
    ]);
    const logText = fs.readFileSync(setupLogFile(root), 'utf8');
    expect(logText).toContain(`$ ${path.join(bin, 'pip')} install --retries 0 jupyterlab plotly nbclient`);
    expect(logText.split('\n').filter((line) => line.startsWith('Collecting package-'))).toHaveLength(190);
  });

  it('when pip fails, shows the end of its output and names the file with all of it', () => {
    const root = tempDir();
    const bin = path.dirname(venvExecutable(root, 'pip'));
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(
      path.join(bin, 'pip'),
      '#!/bin/sh\nfor i in $(seq 1 100); do echo "line $i"; done\necho "ERROR: No matching distribution found for jupyterlab" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    let error: unknown;
    try {
      createProjectVenv(root, () => undefined);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JupyterEnvError);
    const message = (error as Error).message;
    expect(message).toMatch(/^pip could not install jupyterlab, plotly, nbclient into .* \(exit code 1\)/);
    expect(message).toContain('line 100\nERROR: No matching distribution found for jupyterlab\n');
    expect(message).not.toContain('line 50\n');
    expect(message).toContain(`The full output is in ${setupLogFile(root)}.`);
    expect(fs.readFileSync(setupLogFile(root), 'utf8')).toContain('line 1\nline 2\n');
    expect(fs.existsSync(path.join(root, '.venv', '.gradlab-ready'))).toBe(false);
  });

  it("puts the project's .jupyter first on JUPYTER_PATH, once", () => {
    const own = path.join('/p', '.jupyter');
    expect(jupyterEnvVars('/p', { JUPYTER_PATH: `/a${path.delimiter}${own}` })['JUPYTER_PATH']).toBe(`${own}${path.delimiter}/a`);
    expect(jupyterEnvVars('/p', {})['JUPYTER_PATH']).toBe(own);
    expect(jupyterEnvVars('/p', {})['JUPYTER_RUNTIME_DIR']).toBe(path.join(own, 'runtime'));
  });
});

describe('npm start arguments', () => {
  it('reads --no-browser, --port and --prepare-only, and passes the rest to jupyter lab', () => {
    expect(parseStartArgs(['--no-browser', '--port', '9000', '--ip', '0.0.0.0'])).toEqual({
      openBrowser: false, port: 9000, prepareOnly: false, instructor: false, help: false, extra: ['--ip', '0.0.0.0'],
    });
    expect(parseStartArgs(['--instructor'])).toMatchObject({ instructor: true, extra: [] });
    expect(parseStartArgs(['--port=8890', '--prepare-only'])).toMatchObject({ port: 8890, prepareOnly: true, openBrowser: true });
    expect(() => parseStartArgs(['--port', 'x'])).toThrow('start: --port needs a port number between 1 and 65535, got "x"');
    for (const text of ['0x50', '1e3', ' 80', '80.0', '']) {
      expect(() => parseStartArgs([`--port=${text}`]), text).toThrow(`start: --port needs a port number between 1 and 65535, got ${JSON.stringify(text)}`);
    }
    expect(() => parseStartArgs(['--port'])).toThrow('start: --port needs a port number between 1 and 65535, got ""');
  });

  it('reads the whole URL even when Jupyter prints it in two pieces', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'jupyter');
    // A stand-in server that prints its URL in two writes, the first ending inside the token, then keeps running.
    fs.writeFileSync(file, `#!/bin/sh\nprintf '    http://localhost:8888/lab?tok' >&2\nsleep 0.5\nprintf 'en=abc123\\n' >&2\nexec sleep 30\n`, { mode: 0o755 });
    const lab = await startJupyterLab({ jupyter: file, python: null, source: 'path' }, { projectRoot: dir, rootDir: dir, openBrowser: false });
    try {
      expect(lab.url).toBe('http://localhost:8888/lab?token=abc123');
    } finally {
      await lab.stop();
    }
  });

  it('builds the jupyter lab command line', () => {
    const args = labArgs({ projectRoot: '/p', rootDir: '/p/notebooks', port: 9000, openBrowser: false, extraArgs: ['--ip', '0.0.0.0'] });
    expect(args.slice(0, 4)).toEqual(['lab', '--ServerApp.root_dir=/p/notebooks', '--no-browser', '--ServerApp.port=9000']);
    expect(args.slice(-2)).toEqual(['--ip', '0.0.0.0']);
    expect(args.includes('--allow-root')).toBe(process.getuid?.() === 0);
  });
});
