/**
 * Running notebooks headlessly. `runNotebookIn` runs a notebook object on a given kernel in a given
 * work folder (what the grader uses); `runNotebook` and `runNotebooks` wrap it for files: each
 * notebook gets its own fresh kernel (started in the notebook's folder), its executed copy is
 * written to the output folder, and its test results are read from the outputs. A notebook that
 * cannot be read or started is reported and the others run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'path';
import { executeNotebook, type ExecuteOptions, type ExecutionReport } from './executor';
import { notebookKernelSpec } from '../jupyter/kernelSpec';
import { parseNotebook, serializeNotebook, type Notebook } from '../nbformat';
import type { OutputLimits } from './outputs';
import { readTestResults, type NotebookTestResult } from './results';
import type { NotebookReport } from './summary';

/** Progress while running: a notebook starts, a cell starts, a notebook ends. */
export type RunProgress =
  | { readonly kind: 'notebook'; readonly position: number; readonly total: number; readonly path: string }
  | { readonly kind: 'cell'; readonly path: string; readonly cellIndex: number; readonly position: number; readonly total: number }
  | { readonly kind: 'done'; readonly report: NotebookReport };

/** Options for `runNotebooks`. */
export interface RunOptions {
  /** The gradlab project folder: where `.jupyter/kernels` and `node_modules/tslab` are found. */
  readonly projectRoot: string;
  /** Folder for executed copies (mirroring the inputs' folders below their common folder); null writes none. */
  readonly outDir: string | null;
  /** Write executed notebooks over their sources instead of into `outDir`. */
  readonly inPlace?: boolean;
  /** Per-cell time limit in seconds; 0 means none. */
  readonly timeoutSeconds: number;
  readonly limits?: OutputLimits;
  readonly startTimeoutMs?: number;
  readonly interruptGraceMs?: number;
  /** Paths in reports are shown relative to this folder when inside it. */
  readonly cwd?: string;
  readonly onProgress?: (event: RunProgress) => void;
}

/** All `.ipynb` files named by `paths` (folders searched recursively, checkpoints skipped), sorted. */
export function findNotebooks(paths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ipynb')) found.push(full);
    }
  };
  for (const path of paths) {
    const full = resolve(path);
    if (!existsSync(full)) throw new Error(`notebooks: ${path} does not exist`);
    if (statSync(full).isDirectory()) walk(full);
    else found.push(full);
  }
  return [...new Set(found)];
}

/** The deepest folder containing all `files`. */
export function commonDir(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let common = dirname(resolve(files[0] ?? ''));
  for (const file of files) {
    const dir = dirname(resolve(file));
    while (common !== dirname(common) && dir !== common && !dir.startsWith(common + sep)) common = dirname(common);
  }
  return common;
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Options for `runNotebookIn`: the kernel to run on and the limits of the run. */
export interface NotebookRunOptions extends Omit<ExecuteOptions, 'cwd' | 'timeoutMs' | 'budgetMs'> {
  /** Per-cell time limit in seconds; 0 means none. */
  readonly timeoutSeconds: number;
  /** Time for the whole run in seconds (see ExecuteOptions.budgetMs); 0 or unset: none. */
  readonly budgetSeconds?: number;
}

/** The outcome of running one notebook: its cells' runs and the test results read from their outputs. */
export interface NotebookRun {
  readonly execution: ExecutionReport;
  readonly tests: readonly NotebookTestResult[];
  /** Why the notebook as a whole could not run (no kernel), or null. */
  readonly failure: string | null;
}

/**
 * Runs `notebook` in place (outputs, execution counts) on a fresh kernel whose working folder is
 * `workDir`, and reads its test results. Nothing is read from or written to files.
 */
export async function runNotebookIn(notebook: Notebook, workDir: string, options: NotebookRunOptions): Promise<NotebookRun> {
  const { timeoutSeconds, budgetSeconds, ...execute } = options;
  const execution = await executeNotebook(notebook, { ...execute, cwd: workDir, timeoutMs: timeoutSeconds * 1000, budgetMs: (budgetSeconds ?? 0) * 1000 });
  return { execution, tests: readTestResults(notebook, execution.cells), failure: execution.startFailure };
}

/** A run in which no cell ran because there was no kernel: every code cell says why. */
function notRun(notebook: Notebook, reason: string): NotebookRun {
  const execution: ExecutionReport = {
    cells: notebook.cells.flatMap((cell, index) =>
      cell.cell_type === 'code' ? [{ index, status: 'not-run' as const, expectedError: false, message: reason, seconds: 0 }] : [],
    ),
    kernelStartSeconds: NaN,
    firstReplySeconds: NaN,
    restarts: 0,
    replaySeconds: 0,
    aborted: 0,
    startFailure: reason,
    notes: [],
  };
  return { execution, tests: readTestResults(notebook, execution.cells), failure: reason };
}

/**
 * Runs one notebook file in its own folder, on the kernel its metadata names, and writes its
 * executed copy to `outFile` (when not null).
 */
export async function runNotebook(file: string, outFile: string | null, options: RunOptions): Promise<NotebookReport> {
  const started = Date.now();
  const cwd = options.cwd ?? process.cwd();
  const shown = displayPath(file, cwd);
  const report = (fields: Partial<NotebookReport>): NotebookReport => ({
    sourcePath: file,
    displayPath: shown,
    outputPath: null,
    notebook: null,
    failure: null,
    execution: null,
    tests: [],
    seconds: (Date.now() - started) / 1000,
    ...fields,
  });
  if (outFile !== null && resolve(outFile) === resolve(file) && options.inPlace !== true) {
    return report({ failure: `not writing the executed copy over its source ${shown} (ask for in-place runs explicitly)` });
  }
  let notebook: Notebook;
  try {
    notebook = parseNotebook(readFileSync(file, 'utf8'), shown);
  } catch (error) {
    return report({ failure: errorMessage(error).replace(`${shown}: `, '') });
  }
  let run: NotebookRun;
  try {
    run = await runNotebookIn(notebook, dirname(file), {
      spec: notebookKernelSpec(notebook, options.projectRoot),
      timeoutSeconds: options.timeoutSeconds,
      limits: options.limits,
      startTimeoutMs: options.startTimeoutMs,
      interruptGraceMs: options.interruptGraceMs,
      onCell: (cellIndex, position, total) => options.onProgress?.({ kind: 'cell', path: shown, cellIndex, position, total }),
    });
  } catch (error) {
    // No kernel to run on: every code cell is reported as not run, so test cells fail with the reason.
    run = notRun(notebook, errorMessage(error));
  }
  let failure = run.failure;
  let outputPath: string | null = null;
  if (outFile !== null) {
    try {
      mkdirSync(dirname(outFile), { recursive: true });
      writeFileSync(outFile, serializeNotebook(notebook));
      outputPath = outFile;
    } catch (error) {
      failure = [failure, `could not write ${outFile}: ${errorMessage(error)}`].filter((part) => part !== null).join('; ');
    }
  }
  return report({ notebook, execution: run.execution, failure, tests: run.tests, outputPath, seconds: (Date.now() - started) / 1000 });
}

/** Where the executed copy of `file` goes: `outDir` + its path below `baseDir`. */
export function outputPathFor(file: string, baseDir: string, outDir: string): string {
  const rel = relative(baseDir, file);
  return join(outDir, rel.startsWith('..') || isAbsolute(rel) ? basename(file) : rel);
}

/** Runs notebooks one after another, each on its own kernel, and returns one report per file. */
export async function runNotebooks(files: readonly string[], options: RunOptions): Promise<NotebookReport[]> {
  const baseDir = commonDir(files);
  const reports: NotebookReport[] = [];
  for (const [i, file] of files.entries()) {
    options.onProgress?.({ kind: 'notebook', position: i + 1, total: files.length, path: displayPath(file, options.cwd ?? process.cwd()) });
    const outFile = options.inPlace === true ? file : options.outDir === null ? null : outputPathFor(file, baseDir, options.outDir);
    const started = Date.now();
    let report: NotebookReport;
    try {
      report = await runNotebook(file, outFile, options);
    } catch (error) {
      // A notebook that breaks the runner itself is reported as failed; the others still run.
      const why = error instanceof Error ? error.message : String(error);
      report = {
        sourcePath: file,
        displayPath: displayPath(file, options.cwd ?? process.cwd()),
        outputPath: null,
        notebook: null,
        failure: `the runner failed on this notebook: ${why}`,
        execution: null,
        tests: [],
        seconds: (Date.now() - started) / 1000,
      };
    }
    reports.push(report);
    options.onProgress?.({ kind: 'done', report });
  }
  return reports;
}
