/**
 * Reading test results from an executed notebook. Results come only from the structured
 * `application/vnd.gradlab.test+json` outputs that `test(...)` displays, never from stderr text.
 * A test cell (nbgrader `grade: true`, or code that calls `test(`) with no result counts as one
 * failed test whose message says why: it did not run, or it ran and produced no result.
 * Cell roles are read through the nbgrader schema (nbgrader.ts, testCalls.ts beside this file), which
 * depends on nothing but nbformat's types.
 */
import { cellPoints, gradeIdOf, isGrade, rawNbgrader } from '../nbgrader';
import { findTestCalls } from '../testCalls';
import { TEST_RESULT_MIME, type TestResult } from '../../testing/notebookTest';
import type { CellRun } from './executor';
import { cellSource, isJsonObject, type Cell, type JsonObject, type Notebook } from '../nbformat';

/** A test result with the cell it came from. */
export interface NotebookTestResult extends TestResult {
  /** Index of the cell in `notebook.cells`. */
  readonly cellIndex: number;
}

/** Counts over a list of test results. */
export interface TestTotals {
  readonly passed: number;
  readonly failed: number;
  readonly points: number;
  readonly maxPoints: number;
}

/** The cell's nbgrader metadata, or an empty object. */
export function nbgraderMetadata(cell: Cell): JsonObject {
  return rawNbgrader(cell);
}

/** True for cells whose results are expected: nbgrader `grade: true`, or code calling `test(`. */
export function isTestCell(cell: Cell): boolean {
  if (cell.cell_type !== 'code') return false;
  return isGrade(cell) || findTestCalls(cellSource(cell)).length > 0;
}

/** Checks a test-result payload; returns null when it is not a well-formed result. */
export function parseTestResult(value: unknown): TestResult | null {
  if (!isJsonObject(value)) return null;
  const { name, points, maxPoints, passed, message } = value;
  if (typeof name !== 'string' || typeof points !== 'number' || typeof maxPoints !== 'number') return null;
  if (typeof passed !== 'boolean' || typeof message !== 'string') return null;
  return { name, points, maxPoints, passed, message };
}

/** Results displayed by one cell, in output order; malformed payloads count as failed tests. */
function resultsOfCell(cell: Cell, cellIndex: number): NotebookTestResult[] {
  if (cell.cell_type !== 'code') return [];
  const results: NotebookTestResult[] = [];
  for (const output of cell.outputs) {
    if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') continue;
    if (!(TEST_RESULT_MIME in output.data)) continue;
    const parsed = parseTestResult(output.data[TEST_RESULT_MIME]);
    results.push(
      parsed === null
        ? { name: `cell ${cellIndex + 1}`, points: 0, maxPoints: 0, passed: false, message: `malformed ${TEST_RESULT_MIME} output`, cellIndex }
        : { ...parsed, cellIndex },
    );
  }
  return results;
}

/** Why a test cell has no result, from its run (when known) or from the notebook alone. */
function missingReason(cell: Cell, run: CellRun | undefined): string {
  if (run === undefined) {
    const ran = cell.cell_type === 'code' && (cell.execution_count !== null || cell.outputs.length > 0);
    return ran ? 'produced no test result' : 'did not run';
  }
  switch (run.status) {
    case 'not-run':
      return `did not run: ${run.message}`;
    case 'ok':
      return 'produced no test result';
    case 'error':
      return `produced no test result (cell error: ${run.message})`;
    case 'timeout':
    case 'died':
      return `produced no test result (${run.message})`;
  }
}

/**
 * All test results of a notebook, cell by cell. `runs` (from the executor) gives the reason when a
 * test cell produced nothing; without it the reason is read from the notebook itself.
 */
export function readTestResults(notebook: Notebook, runs: readonly CellRun[] = []): NotebookTestResult[] {
  const results: NotebookTestResult[] = [];
  notebook.cells.forEach((cell, cellIndex) => {
    const found = resultsOfCell(cell, cellIndex);
    if (found.length > 0 || !isTestCell(cell)) {
      results.push(...found);
      return;
    }
    const id = gradeIdOf(cell);
    const name = id !== '' ? id : `cell ${cellIndex + 1}`;
    const maxPoints = cellPoints(cell);
    const run = runs.find((r) => r.index === cellIndex);
    results.push({ name, points: 0, maxPoints, passed: false, message: missingReason(cell, run), cellIndex });
  });
  return results;
}

/** Passed and failed counts and points of a list of results. */
export function totals(results: readonly TestResult[]): TestTotals {
  let passed = 0;
  let points = 0;
  let maxPoints = 0;
  for (const result of results) {
    if (result.passed) passed += 1;
    points += result.points;
    maxPoints += result.maxPoints;
  }
  return { passed, failed: results.length - passed, points, maxPoints };
}
