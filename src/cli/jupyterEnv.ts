/**
 * Finding or creating the Python side: JupyterLab >= 4 with the `plotly` package (whose wheel
 * carries JupyterLab's Plotly renderer), and nbclient for the cross-check tests.
 *
 * Order: the project's own `.venv` when a previous run finished installing it; else a `jupyter` on
 * PATH that already has JupyterLab >= 4 and the Plotly renderer; else a new `.venv` made with
 * `python3 -m venv` and `pip install jupyterlab plotly nbclient`, once. The project's kernelspec
 * lives in `.jupyter/`, which `jupyterEnvVars` puts first on JUPYTER_PATH.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The Python packages the project's venv holds. */
export const VENV_PACKAGES: readonly string[] = ['jupyterlab', 'plotly', 'nbclient'];

/** A usable Jupyter installation. */
export interface JupyterEnv {
  /** The `jupyter` executable. */
  readonly jupyter: string;
  /** The Python interpreter of the project venv, or null for a `jupyter` found on PATH. */
  readonly python: string | null;
  /** Where it came from. */
  readonly source: 'venv' | 'path';
}

/** What a user needs to know when Jupyter cannot be set up; the message says what to do. */
export class JupyterEnvError extends Error {
  override name = 'JupyterEnvError';
}

const HEADLESS_HINT =
  'Without JupyterLab you can still run every notebook headless: `npm run notebooks` executes them and ' +
  'writes the executed copies and an HTML site (open build/notebooks/site/index.html).';

/** The project-local virtual environment folder. */
export function venvDir(projectRoot: string): string {
  return path.join(projectRoot, '.venv');
}

/** An executable inside the project venv (`bin/` on Linux and macOS, `Scripts/` on Windows). */
export function venvExecutable(projectRoot: string, name: string): string {
  const windows = process.platform === 'win32';
  return path.join(venvDir(projectRoot), windows ? 'Scripts' : 'bin', windows ? `${name}.exe` : name);
}

/** The marker written once pip has installed everything; a venv without it is unfinished. */
function readyMarker(projectRoot: string): string {
  return path.join(venvDir(projectRoot), '.gradlab-ready');
}

/** The project venv when it is complete, else null. */
export function projectVenv(projectRoot: string): JupyterEnv | null {
  const jupyter = venvExecutable(projectRoot, 'jupyter');
  const python = venvExecutable(projectRoot, 'python');
  if (!fs.existsSync(readyMarker(projectRoot)) || !fs.existsSync(jupyter) || !fs.existsSync(python)) return null;
  return { jupyter, python, source: 'venv' };
}

/** The project venv, or an error telling how to create it (for tests and tools that need it). */
export function requireProjectVenv(projectRoot: string, purpose: string): JupyterEnv {
  const env = projectVenv(projectRoot);
  if (env !== null) return env;
  throw new JupyterEnvError(
    `${purpose} needs the project's Python environment ${venvDir(projectRoot)} (JupyterLab, plotly, nbclient), ` +
      'which is missing or unfinished. Create it with `node dist/cli/start.js --prepare-only` (or run .ci/run).',
  );
}

/** The first executable called `name` on PATH, or null. */
export function findOnPath(name: string, pathVariable = process.env['PATH'] ?? ''): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of pathVariable.split(path.delimiter)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Why a `jupyter` executable cannot serve the course, or null when it can (JupyterLab >= 4 + Plotly renderer). */
export function jupyterProblem(jupyter: string): string | null {
  const version = spawnSync(jupyter, ['lab', '--version'], { encoding: 'utf8', timeout: 60_000 });
  const text = (version.stdout ?? '').trim();
  const major = Number(/^(\d+)\./.exec(text)?.[1]);
  if (version.status !== 0 || !Number.isFinite(major)) return `${jupyter} has no JupyterLab`;
  if (major < 4) return `${jupyter} has JupyterLab ${text}; version 4 or newer is needed`;
  const paths = spawnSync(jupyter, ['--paths', '--json'], { encoding: 'utf8', timeout: 60_000 });
  let dataDirs: string[] = [];
  try {
    const parsed = JSON.parse(paths.stdout ?? '') as { data?: unknown };
    if (Array.isArray(parsed.data)) dataDirs = parsed.data.filter((d): d is string => typeof d === 'string');
  } catch {
    return `${jupyter} --paths --json did not print JSON`;
  }
  const plotly = dataDirs.some((dir) => fs.existsSync(path.join(dir, 'labextensions', 'jupyterlab-plotly', 'package.json')));
  return plotly ? null : `${jupyter} has JupyterLab ${text} but not the plotly package (its chart renderer)`;
}

/** Where the Python set-up writes the full output of venv and pip (shown only when a step fails). */
export function setupLogFile(projectRoot: string): string {
  return path.join(projectRoot, '.jupyter', 'python-setup.log');
}

/**
 * Runs one set-up step with its output appended to `logFile` instead of the terminal (pip prints
 * about 190 lines); throws JupyterEnvError with `failure`, the end of the output and the log's name
 * when it fails.
 */
function run(command: string, args: readonly string[], cwd: string, logFile: string, failure: (detail: string) => string): void {
  fs.appendFileSync(logFile, `$ ${command} ${args.join(' ')}\n`);
  const fd = fs.openSync(logFile, 'a');
  let result: ReturnType<typeof spawnSync>;
  try {
    result = spawnSync(command, args, { cwd, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  const detail =
    result.error !== undefined ? result.error.message : result.status !== 0 ? `exit code ${result.status ?? `signal ${result.signal}`}` : null;
  if (detail === null) return;
  const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-12).join('\n');
  throw new JupyterEnvError(
    `${failure(detail)}\nThe last lines of its output:\n${tail}\nThe full output is in ${logFile}.\n${HEADLESS_HINT}`,
  );
}

/** The Python 3 command to create the venv with, or an error saying how to get one. */
function findPython(): string {
  for (const name of process.platform === 'win32' ? ['python', 'py'] : ['python3']) {
    const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (probe.error === undefined && probe.status === 0 && /Python 3\./.test(`${probe.stdout}${probe.stderr}`)) return name;
  }
  throw new JupyterEnvError(
    'JupyterLab needs Python 3, and `python3` was not found on PATH. Install Python 3 ' +
      '(https://www.python.org/downloads/, or e.g. `sudo apt install python3 python3-venv`) and run `npm start` again.\n' +
      HEADLESS_HINT,
  );
}

/**
 * Creates (or finishes) the project venv with JupyterLab, plotly and nbclient. It reports one short
 * line per step through `log`; the tools' own output goes to `setupLogFile`.
 */
export function createProjectVenv(projectRoot: string, log: (line: string) => void): JupyterEnv {
  const dir = venvDir(projectRoot);
  const pip = venvExecutable(projectRoot, 'pip');
  const logFile = setupLogFile(projectRoot);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, '');
  if (!fs.existsSync(pip)) {
    const python = findPython();
    log(`Creating the Python environment ${dir} (once) ...`);
    run(python, ['-m', 'venv', dir], projectRoot, logFile, (detail) =>
      `\`${python} -m venv ${dir}\` failed (${detail}). On Debian/Ubuntu install the venv module: ` +
        '`sudo apt install python3-venv`, remove the .venv folder and try again.',
    );
  }
  log(`Installing ${VENV_PACKAGES.join(', ')} with pip (once; about half a minute) ...`);
  // --retries 0: fail fast instead of retrying an unreachable index for minutes.
  run(pip, ['install', '--retries', '0', ...VENV_PACKAGES], projectRoot, logFile, (detail) =>
    `pip could not install ${VENV_PACKAGES.join(', ')} into ${dir} (${detail}); check the network or pip's index ` +
      'settings (`pip config list`) and run `npm start` again.',
  );
  fs.writeFileSync(readyMarker(projectRoot), `${VENV_PACKAGES.join('\n')}\n`);
  log(`Python environment ready (pip's output: ${logFile}).`);
  const env = projectVenv(projectRoot);
  if (env === null) throw new JupyterEnvError(`pip finished but ${venvExecutable(projectRoot, 'jupyter')} is missing`);
  return env;
}

/** The packages the bench's Python peers import (PyTorch, numpy), which the tests of those peers need too. */
export const BENCH_PACKAGES: readonly string[] = ['torch', 'numpy'];

/**
 * Adds the bench peers' packages to the project venv unless its Python already imports them (a CPU
 * wheel of PyTorch, about a minute). `npm start` does not need them, so only the tests ask for them.
 */
export function ensureBenchPackages(projectRoot: string, log: (line: string) => void): void {
  const python = venvExecutable(projectRoot, 'python');
  if (spawnSync(python, ['-c', `import ${BENCH_PACKAGES.join(', ')}`], { stdio: 'ignore' }).status === 0) return;
  const logFile = setupLogFile(projectRoot);
  log(`Installing ${BENCH_PACKAGES.join(', ')} with pip for the bench's peers (once; about a minute) ...`);
  run(venvExecutable(projectRoot, 'pip'), ['install', '--retries', '0', ...BENCH_PACKAGES], projectRoot, logFile, (detail) =>
    `pip could not install ${BENCH_PACKAGES.join(', ')} into ${venvDir(projectRoot)} (${detail}); check the network or pip's index settings (\`pip config list\`).`,
  );
}

/** The Jupyter to use: the project venv, a suitable `jupyter` on PATH, or a newly created venv. */
export function ensureJupyterEnv(projectRoot: string, log: (line: string) => void): JupyterEnv {
  const venv = projectVenv(projectRoot);
  if (venv !== null) return venv;
  const onPath = findOnPath('jupyter');
  if (onPath !== null) {
    const problem = jupyterProblem(onPath);
    if (problem === null) return { jupyter: onPath, python: null, source: 'path' };
    log(`Not using ${onPath}: ${problem}.`);
  }
  return createProjectVenv(projectRoot, log);
}

/**
 * The environment for Jupyter processes: the project's `.jupyter` (its kernelspec) first on
 * JUPYTER_PATH, and the runtime files (connection files, server info) in `.jupyter/runtime`, so that
 * running the course writes nothing into the home directory.
 */
export function jupyterEnvVars(projectRoot: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const own = path.join(projectRoot, '.jupyter');
  const rest = (base['JUPYTER_PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== '' && dir !== own);
  return { ...base, JUPYTER_PATH: [own, ...rest].join(path.delimiter), JUPYTER_RUNTIME_DIR: path.join(own, 'runtime') };
}
