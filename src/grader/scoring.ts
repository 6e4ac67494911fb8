/**
 * Points of an executed graded copy. Only the restored test cells' outputs count, only their
 * `application/vnd.gradlab.test+json` results, and only for the test names the instructor's cell
 * defines (read from its source); each test earns at most the points its source call gives it, and
 * a cell at most its nbgrader points. A result displayed by any other cell, or for a name the source
 * does not define, earns nothing. A test cell without a result gets 0 and the reason.
 */
import type { CellRun } from '../notebook/execute/executor';
import { cellSource, type Cell, type Notebook } from '../notebook/nbformat';
import { parseTestResult } from '../notebook/execute/results';
import { TEST_RESULT_MIME, type TestResult } from '../testing/notebookTest';
import { cellKind, cellLabel, cellPoints, gradeIdOf } from '../notebook/nbgrader';
import { findTestCalls } from '../notebook/testCalls';
import { findRegions, type Region } from './regions';

/** One test of a graded cell. */
export interface GradedTest {
  readonly name: string;
  readonly score: number;
  readonly maxScore: number;
  readonly passed: boolean;
  /** The call is inside the source cell's hidden-test region: its name and outcome may be shown, never its code. */
  readonly hidden: boolean;
  /** The test's message, or why it has no result. */
  readonly output: string;
}

/** One test cell's grade. */
export interface CellGrade {
  readonly gradeId: string;
  /** Index of the cell in the graded copy. */
  readonly cellIndex: number;
  readonly points: number;
  /** The cell's points in the instructor's source. */
  readonly maxPoints: number;
  readonly tests: readonly GradedTest[];
  /** Why the cell earned nothing when it has no result at all, else ''. */
  readonly reason: string;
}

function resultsIn(cell: Cell): TestResult[] {
  if (cell.cell_type !== 'code') return [];
  return cell.outputs.flatMap((output) => {
    if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') return [];
    const parsed = TEST_RESULT_MIME in output.data ? parseTestResult(output.data[TEST_RESULT_MIME]) : null;
    return parsed === null ? [] : [parsed];
  });
}

/** Why a test cell has no result, from its run. */
export function noResultReason(run: CellRun | undefined, cellIndex: number): string {
  const where = `cell ${cellIndex + 1}`;
  if (run === undefined) return `did not run: ${where} was not executed`;
  switch (run.status) {
    case 'ok':
      return 'no result';
    case 'not-run':
      return `did not run: ${run.message}`;
    case 'timeout':
      return `did not run: ${where} timed out (${run.message})`;
    case 'died':
      return `did not run: the kernel died in ${where} (${run.message})`;
    case 'error':
      return `no result: ${where} failed (${run.message})`;
  }
}

/** The hidden-test regions of a source cell (none when its markers are malformed: the source checks report that). */
function hiddenTestRegions(source: string): Region[] {
  try {
    return findRegions(source).filter((region) => region.kind === 'hidden-tests');
  } catch {
    return [];
  }
}

/**
 * Grades of the source's test cells, in source order. `restored` maps grade_id to the cell's index in
 * the executed `graded` notebook; `runs` are the executor's cell runs.
 */
export function scoreTestCells(source: Notebook, graded: Notebook, restored: ReadonlyMap<string, number>, runs: readonly CellRun[]): CellGrade[] {
  return source.cells.flatMap((sourceCell, sourceIndex) => {
    if (cellKind(sourceCell) !== 'tests') return [];
    const gradeId = gradeIdOf(sourceCell);
    const maxPoints = cellPoints(sourceCell);
    const cellIndex = restored.get(gradeId);
    const cell = cellIndex === undefined ? undefined : graded.cells[cellIndex];
    if (cellIndex === undefined || cell === undefined) {
      return [{ gradeId, cellIndex: -1, points: 0, maxPoints, tests: [], reason: `${cellLabel(sourceIndex, gradeId)} is missing from the graded copy` }];
    }
    const defined = new Map<string, { points: number; hidden: boolean }>();
    const hiddenRegions = hiddenTestRegions(cellSource(sourceCell));
    for (const call of findTestCalls(cellSource(sourceCell))) {
      // Marker lines count as inside: the student edition removes them with the region.
      const hidden = hiddenRegions.some((region) => call.line - 1 >= region.begin && call.line - 1 <= region.end);
      if (call.name !== null && !defined.has(call.name)) defined.set(call.name, { points: call.points ?? 0, hidden });
    }
    const results = resultsIn(cell);
    const run = runs.find((r) => r.index === cellIndex);
    const reason = results.length === 0 ? noResultReason(run, cellIndex) : '';
    const tests: GradedTest[] = [...defined].map(([name, { points, hidden }]) => {
      const result = results.find((r) => r.name === name);
      if (result === undefined) return { name, score: 0, maxScore: points, passed: false, hidden, output: reason !== '' ? reason : 'no result' };
      const score = result.passed ? Math.max(0, Math.min(points, result.points)) : 0;
      return { name, score, maxScore: points, passed: result.passed, hidden, output: result.message };
    });
    const sum = tests.reduce((total, t) => total + t.score, 0);
    return [{ gradeId, cellIndex, points: Math.min(sum, maxPoints), maxPoints, tests, reason }];
  });
}
