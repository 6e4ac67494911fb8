/**
 * `npm start -- [--no-browser] [--port N] [--prepare-only] [--instructor] [jupyter lab options...]`
 *
 * Opens JupyterLab on the student workspace `workspace/` (student editions of `notebooks/`, see
 * startNotebooks.ts) with the TypeScript kernel and Plotly rendering: registers the project's kernel
 * in `.jupyter/`, finds or creates the Python environment (see jupyterEnv.ts), starts `jupyter lab`
 * and prints its URL. `--instructor` opens the instructor notebooks instead. `--prepare-only` sets
 * everything up (the workspace too) and exits (CI, or to install ahead of class). Other options go to
 * `jupyter lab` unchanged (e.g. `--ip 0.0.0.0`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureJupyterEnv, JupyterEnvError } from './jupyterEnv';
import { startJupyterLab } from './jupyterLab';
import { labLogFilter } from './labLog';
import { projectJupyterDir } from '../notebook/jupyter/kernelSpec';
import { linkPackage, tslabKernelSpec, writeKernelSpec } from './setup';
import { projectLayout } from './projectLayout';
import { parseOrExitCode } from './commandLine';
import { notebookRootFor } from './startNotebooks';

/** Parsed command-line options. */
export interface StartArgs {
  readonly openBrowser: boolean;
  readonly port?: number;
  readonly prepareOnly: boolean;
  /** Open the instructor notebooks (with the answers) instead of the student workspace. */
  readonly instructor: boolean;
  readonly help: boolean;
  /** Arguments passed to `jupyter lab` as given. */
  readonly extra: string[];
}

/** The usage text. */
export const USAGE = `usage: npm start -- [options]

Opens JupyterLab on the notebooks with the exercises to solve (in the course
repository: workspace/, made from notebooks/ on the first start; in a student
project: its notebooks/), never overwriting your work, with the TypeScript kernel
(tslab) and Plotly charts. The first run creates .venv/ with JupyterLab and plotly
(needs Python 3) unless a jupyter with JupyterLab >= 4 and plotly is on PATH.

options:
  --no-browser     do not open a browser (headless machines: open the printed URL yourself)
  --port N         serve on port N (default: Jupyter's, 8888 or the next free one)
  --prepare-only   set up the kernel, the Python environment and workspace/, then exit
  --instructor     open the instructor notebooks in notebooks/ (with the answers;
                   course repository only)
  -h, --help       show this help
Any other option is passed to \`jupyter lab\`, e.g. --ip 0.0.0.0.
`;

/** Parses command-line arguments; throws an Error naming the bad option. */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  let openBrowser = true;
  let port: number | undefined;
  let prepareOnly = false;
  let instructor = false;
  let help = false;
  const extra: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--no-browser') openBrowser = false;
    else if (arg === '--prepare-only') prepareOnly = true;
    else if (arg === '--instructor') instructor = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const text = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const value = /^\d+$/.test(text ?? '') ? Number(text) : NaN; // not Number(''), '0x50' or '1e3'
      if (!(Number.isInteger(value) && value > 0 && value < 65536)) {
        throw new Error(`start: --port needs a port number between 1 and 65535, got ${JSON.stringify(text ?? '')}`);
      }
      port = value;
    } else extra.push(arg);
  }
  return { openBrowser, port, prepareOnly, instructor, help, extra };
}

/**
 * Writes the project's kernelspec when it is missing or stale: it holds absolute paths (node, tslab),
 * which change when the project moves. An up-to-date file is left alone, so that kernels starting
 * elsewhere never read a half-written one.
 */
export function ensureKernelSpec(projectRoot: string): string {
  const file = path.join(projectJupyterDir(projectRoot), 'kernels', 'tslab', 'kernel.json');
  try {
    const current: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (JSON.stringify(current) === JSON.stringify(tslabKernelSpec(projectRoot))) return file;
  } catch {
    // missing or unreadable: write it
  }
  return writeKernelSpec(projectRoot);
}

/** Runs `npm start`; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const layout = projectLayout();
  const { projectRoot } = layout;
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const args = parseOrExitCode(argv, parseStartArgs, USAGE);
  if (typeof args === 'number') return args;
  try {
    if (layout.kind === 'course') linkPackage(projectRoot);
    const spec = ensureKernelSpec(projectRoot);
    const env = ensureJupyterEnv(projectRoot, log);
    log(`Jupyter: ${env.jupyter} (${env.source === 'venv' ? 'project .venv' : 'found on PATH'}); kernel: ${spec}`);
    const rootDir = notebookRootFor(layout, args.instructor, log);
    if (args.prepareOnly) {
      log(`Ready. Run \`npm start\` to open JupyterLab on ${rootDir}.`);
      return 0;
    }
    log(`Starting JupyterLab on ${rootDir} ...`);
    const lab = await startJupyterLab(env, {
      projectRoot,
      rootDir,
      port: args.port,
      openBrowser: args.openBrowser,
      extraArgs: args.extra,
      interactive: true,
      onOutput: labLogFilter((text) => process.stderr.write(text)),
    });
    log(`\nJupyterLab is running at: ${lab.url}\nOpen that URL in a browser; stop JupyterLab and its kernels with Ctrl+C.\n`);
    const code = await lab.exited;
    return code ?? 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${error instanceof JupyterEnvError ? '' : 'start: '}${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
