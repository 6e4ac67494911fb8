/**
 * A student's self-check, like nbgrader's `validate`: the notebook runs headless in a fresh kernel
 * with the visible tests only, each exercise (test cell) is reported with its points, and edits to
 * read-only cells are named (their nbgrader checksums no longer match; a deleted one is missing
 * from the ids the student edition recorded).
 *
 * tslab compiles cells with the kernel's working folder as `rootDir`, and `import ... from "gradlab"`
 * must resolve from there. A notebook whose folder sees a `node_modules/gradlab` runs there; any other
 * runs in a scratch folder inside the project's `node_modules/.cache/` (removed afterwards).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { runNotebookIn, type NotebookRun } from '../notebook/execute/runner';
import { notebookKernelSpec } from '../notebook/jupyter/kernelSpec';
import { cellSource, parseNotebook, splitLines, type Notebook } from '../notebook/nbformat';
import type { NotebookTestResult } from '../notebook/execute/results';
import { isUnexpectedError } from '../notebook/execute/summary';
import { formatTestResult } from '../testing/notebookTest';
import { recordedLockedCells } from './assignment';
import { computeChecksum, recordedChecksum } from './checksum';
import { cellKind, cellLabel, cellPoints, gradeIdOf, isLocked, rawNbgrader } from '../notebook/nbgrader';
import { removeHiddenTests } from './regions';
import { skipWarnings } from './skipWhenGrading';

/** One exercise: a test cell and the results of its visible tests. */
export interface ExerciseReport {
  readonly cellIndex: number;
  readonly gradeId: string;
  readonly points: number;
  /** The sum of the visible tests' points. */
  readonly possible: number;
  /** The points the cell is worth with its hidden tests (its nbgrader points). */
  readonly cellPoints: number;
  readonly tests: readonly NotebookTestResult[];
}

/** The outcome of validating one notebook. */
export interface ValidationReport {
  readonly file: string;
  readonly warnings: readonly string[];
  readonly exercises: readonly ExerciseReport[];
  /** Cells outside the exercises' test cells that failed or did not run, one line each. */
  readonly cellErrors: readonly string[];
  /** Why the notebook could not run at all, or null. */
  readonly failure: string | null;
  readonly seconds: number;
}

/** Warnings for read-only cells that were edited, changed type or deleted, each naming the cell. */
export function lockedCellWarnings(notebook: Notebook): string[] {
  const warnings: string[] = [];
  const present = new Set<string>();
  notebook.cells.forEach((cell, index) => {
    const id = gradeIdOf(cell);
    if (id !== '') present.add(id);
    if (!isLocked(cell)) return;
    const recordedType = rawNbgrader(cell)['cell_type'];
    if (typeof recordedType === 'string' && recordedType !== cell.cell_type) {
      warnings.push(`${cellLabel(index, id)} is read-only but was changed from ${recordedType} to ${cell.cell_type}; grading uses the original`);
      return;
    }
    const recorded = recordedChecksum(cell);
    if (recorded !== null && recorded !== computeChecksum(cell)) {
      warnings.push(`${cellLabel(index, id)} is read-only but was edited (its checksum changed); grading uses the original`);
    }
  });
  for (const id of recordedLockedCells(notebook) ?? []) {
    if (!present.has(id)) warnings.push(`the read-only cell ${id} was deleted; grading puts the original back`);
  }
  return warnings;
}

/** The notebook as validate runs it: hidden-test regions removed (when any), outputs cleared. */
export function visibleTestsOnly(notebook: Notebook): Notebook {
  const cells = notebook.cells.map((cell) => {
    if (cell.cell_type !== 'code') return cell;
    const source = cellSource(cell);
    let visible = source;
    try {
      visible = removeHiddenTests(source);
    } catch {
      // Broken markers in a student's notebook: run the cell as it is, the kernel reports any error.
    }
    return { ...cell, source: visible === source ? cell.source : splitLines(visible), outputs: [], execution_count: null };
  });
  return { ...notebook, cells };
}

/** True when `import ... from "gradlab"` resolves from `dir` (a `node_modules/gradlab` at or above it). */
export function gradlabResolvesFrom(dir: string): boolean {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, 'node_modules', 'gradlab', 'package.json'))) return true;
    const parent = dirname(current);
    if (parent === current) return false;
    current = parent;
  }
}

/** Options for `validateNotebook`. */
export interface ValidateOptions {
  /** The project whose kernel (`.jupyter/`, `node_modules/tslab`) and `node_modules/gradlab` are used. */
  readonly projectRoot: string;
  /** Per-cell time limit in seconds (0: none). */
  readonly timeoutSeconds: number;
  readonly onCell?: (position: number, total: number) => void;
}

function groupExercises(notebook: Notebook, results: readonly NotebookTestResult[]): ExerciseReport[] {
  return notebook.cells.flatMap((cell, cellIndex) => {
    if (cellKind(cell) !== 'tests') return [];
    const tests = results.filter((r) => r.cellIndex === cellIndex);
    return [{
      cellIndex,
      gradeId: gradeIdOf(cell),
      points: tests.reduce((sum, t) => sum + t.points, 0),
      possible: tests.reduce((sum, t) => sum + t.maxPoints, 0),
      cellPoints: cellPoints(cell),
      tests,
    }];
  });
}

/** Runs `file` headless with its visible tests and reports its exercises and warnings. */
export async function validateNotebook(file: string, options: ValidateOptions): Promise<ValidationReport> {
  const started = Date.now();
  const seconds = (): number => (Date.now() - started) / 1000;
  let notebook: Notebook;
  try {
    notebook = parseNotebook(readFileSync(file, 'utf8'), file);
  } catch (error) {
    return { file, warnings: [], exercises: [], cellErrors: [], failure: error instanceof Error ? error.message : String(error), seconds: seconds() };
  }
  const warnings = [...lockedCellWarnings(notebook), ...skipWarnings(notebook)];
  const run = visibleTestsOnly(notebook);
  const inPlace = gradlabResolvesFrom(dirname(resolve(file)));
  let scratch: string | null = null;
  let outcome: NotebookRun;
  try {
    if (!inPlace) {
      const cache = join(options.projectRoot, 'node_modules', '.cache');
      mkdirSync(cache, { recursive: true });
      scratch = mkdtempSync(join(cache, 'gradlab-validate-'));
    }
    outcome = await runNotebookIn(run, scratch ?? dirname(resolve(file)), {
      spec: notebookKernelSpec(run, options.projectRoot),
      timeoutSeconds: options.timeoutSeconds,
      onCell: (_index, position, total) => options.onCell?.(position, total),
    });
  } catch (error) {
    return { file, warnings, exercises: [], cellErrors: [], failure: error instanceof Error ? error.message : String(error), seconds: seconds() };
  } finally {
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
  const exercises = groupExercises(run, outcome.tests);
  const cellErrors = outcome.execution.cells.flatMap((r) => {
    const cell = run.cells[r.index];
    if (cell === undefined || cellKind(cell) === 'tests' || !(isUnexpectedError(r) || r.status === 'not-run')) return [];
    return [`${cellLabel(r.index, gradeIdOf(cell))}: ${r.status === 'not-run' ? 'did not run: ' : ''}${r.message}`];
  });
  return { file, warnings, exercises, cellErrors, failure: outcome.failure, seconds: seconds() };
}

/** True when every exercise test passed and the notebook ran. */
export function validationPassed(report: ValidationReport): boolean {
  return report.failure === null && report.exercises.every((e) => e.tests.length > 0 && e.tests.every((t) => t.passed));
}

/** The report as the student reads it. */
export function formatValidation(report: ValidationReport, shownPath: string): string {
  const lines: string[] = [`${shownPath} (${report.seconds.toFixed(1)} s)`];
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.failure !== null) lines.push(`could not run: ${report.failure}`);
  for (const exercise of report.exercises) {
    const hidden = exercise.cellPoints > exercise.possible ? ` (the cell is worth ${exercise.cellPoints} with the tests run at grading)` : '';
    lines.push(`${cellLabel(exercise.cellIndex, exercise.gradeId)}: ${exercise.points}/${exercise.possible} points${hidden}`);
    for (const test of exercise.tests) lines.push(`  ${formatTestResult(test)}`);
  }
  for (const error of report.cellErrors) lines.push(`other cell failed: ${error}`);
  const points = report.exercises.reduce((sum, e) => sum + e.points, 0);
  const possible = report.exercises.reduce((sum, e) => sum + e.possible, 0);
  const tests = report.exercises.flatMap((e) => e.tests);
  lines.push(`${points}/${possible} points from the visible tests; ${tests.filter((t) => t.passed).length} of ${tests.length} tests passed`);
  return lines.join('\n') + '\n';
}
