/**
 * Grading one submission: read it, build its graded copy from the instructor's source, run the copy
 * in a fresh sandboxed kernel (crashed kernels restarted with the earlier cells replayed; cells the
 * source marks skipped when grading left out), and score the restored test cells. A file that is
 * not a notebook of this assignment is `invalid` with the reason; nothing a submission contains
 * makes this throw.
 */
import { writeFileSync } from 'fs';
import { basename, join } from 'path';
import { executeNotebook, type ExecutionReport } from '../notebook/executor';
import type { KernelSpec } from '../notebook/kernelManager';
import { cellSource, parseNotebook, serializeNotebook, type Notebook } from '../notebook/nbformat';
import type { OutputLimits } from '../notebook/outputs';
import { gradedCopy } from './gradedCopy';
import { gradeIdOf } from '../notebook/nbgrader';
import { prepareSandbox, type SandboxOptions } from './sandbox';
import { scoreTestCells, type CellGrade } from './scoring';
import { gradingSkips } from './skipWhenGrading';
import { scanStudentCells, type TamperFinding } from './tamperScan';

/** The outcome of grading one submission. */
export interface SubmissionGrade {
  /** `flagged`: student code reaches for the grading machinery (see tamperScan.ts); the affected points are withheld. */
  readonly status: 'graded' | 'invalid' | 'flagged';
  readonly points: number;
  /** From the instructor's source, never from the submission. */
  readonly maxPoints: number;
  readonly cells: readonly CellGrade[];
  /** Why it is invalid, what was restored, kernel events; one line each. */
  readonly notes: readonly string[];
  /** The executed graded copy (null when invalid). */
  readonly executed: Notebook | null;
  readonly execution: ExecutionReport | null;
  /** Set when the grader could not do its job (the kernel did not start): not the student's fault. */
  readonly failure: string | null;
  readonly seconds: number;
}

/** Options for grading one submission. */
export interface GradeOptions {
  readonly spec: KernelSpec;
  readonly sandbox: SandboxOptions;
  /** Per-cell time limit in seconds (a cell's `metadata.gradlab.timeout` overrides it); 0: none. */
  readonly timeoutSeconds: number;
  readonly limits?: OutputLimits;
  readonly startTimeoutMs?: number;
}

/** The points a source is worth: the sum of its test cells' points. */
export function sourceMaxPoints(source: Notebook): number {
  return scoreTestCells(source, source, new Map(), []).reduce((sum, cell) => sum + cell.maxPoints, 0);
}

function invalid(source: Notebook, reason: string, started: number): SubmissionGrade {
  return { status: 'invalid', points: 0, maxPoints: sourceMaxPoints(source), cells: [], notes: [reason], executed: null, execution: null, failure: null, seconds: (Date.now() - started) / 1000 };
}

/** Why `text` is not a submission of `source`, or null when it is one. */
function parseSubmission(source: Notebook, bytes: Buffer, shown: string): Notebook | string {
  if (bytes.length === 0) return 'empty file';
  const text = bytes.toString('utf8');
  if (Buffer.compare(Buffer.from(text, 'utf8'), bytes) !== 0) return 'not UTF-8 text';
  let notebook: Notebook;
  try {
    notebook = parseNotebook(text, shown);
  } catch (error) {
    return `not a notebook: ${(error instanceof Error ? error.message : String(error)).replace(`${shown}: `, '')}`;
  }
  const ids = new Set(source.cells.map(gradeIdOf).filter((id) => id !== ''));
  if (ids.size > 0 && !notebook.cells.some((cell) => ids.has(gradeIdOf(cell)))) {
    return 'not a submission of this assignment: none of its cells has a grade_id of the source';
  }
  return notebook;
}

/** Findings in the student's code: cells not restored from the source and not identical to a source cell. */
function tamperFindings(source: Notebook, graded: Notebook, restored: ReadonlyMap<string, number>): TamperFinding[] {
  const instructorCode = new Set(source.cells.map(cellSource));
  const skip = new Set(restored.values());
  graded.cells.forEach((cell, index) => {
    if (instructorCode.has(cellSource(cell))) skip.add(index);
  });
  return scanStudentCells(graded, skip);
}

/** Test cells that run after the first flagged cell earn nothing: that code may have changed how they run. */
function withhold(cells: readonly CellGrade[], findings: readonly TamperFinding[]): CellGrade[] {
  if (findings.length === 0) return [...cells];
  const first = Math.min(...findings.map((f) => f.cellIndex));
  const reason = `withheld: cell ${first + 1} reaches for the grading machinery`;
  return cells.map((cell) =>
    cell.cellIndex > first ? { ...cell, points: 0, reason, tests: cell.tests.map((t) => ({ ...t, score: 0, output: reason })) } : cell,
  );
}

/** Grades the submission `bytes` (shown as `shown` in messages) against the instructor's `source`. */
export async function gradeSubmission(source: Notebook, bytes: Buffer, shown: string, options: GradeOptions): Promise<SubmissionGrade> {
  const started = Date.now();
  const parsed = parseSubmission(source, bytes, shown);
  if (typeof parsed === 'string') return invalid(source, parsed, started);
  const copy = gradedCopy(source, parsed);
  const skips = gradingSkips(source, copy.notebook);
  const sandbox = prepareSandbox(options.sandbox);
  let execution: ExecutionReport;
  try {
    writeFileSync(join(sandbox.workDir, basename(shown)), serializeNotebook(copy.notebook));
    execution = await executeNotebook(copy.notebook, {
      spec: options.spec,
      cwd: sandbox.workDir,
      timeoutMs: options.timeoutSeconds * 1000,
      limits: options.limits,
      startTimeoutMs: options.startTimeoutMs,
      launch: sandbox.launch,
      replayAfterRestart: true,
      skipCells: skips.skipped,
    });
  } finally {
    sandbox.dispose();
  }
  const scored = scoreTestCells(source, copy.notebook, copy.restored, execution.cells);
  const findings = tamperFindings(source, copy.notebook, copy.restored);
  const cells = withhold(scored, findings);
  const notes = [...findings.map((f) => `flagged: cell ${f.cellIndex + 1} line ${f.line}: ${f.what}`), ...copy.repairs, ...skips.notes, ...(execution.startFailure === null ? [] : [`kernel did not start: ${execution.startFailure}`]), ...execution.notes];
  return {
    status: findings.length > 0 ? 'flagged' : 'graded',
    points: cells.reduce((sum, cell) => sum + cell.points, 0),
    maxPoints: sourceMaxPoints(source),
    cells,
    notes,
    executed: copy.notebook,
    execution,
    failure: execution.startFailure,
    seconds: (Date.now() - started) / 1000,
  };
}
