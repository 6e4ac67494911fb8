/**
 * The runner's report: one table row per notebook, one line per problem (a cell error, a timeout,
 * a dead kernel, a failed test, a notebook that could not run), and the closing `N passed, M failed`.
 */
import type { CellRun, ExecutionReport } from './executor';
import type { Notebook } from '../nbformat';
import { totals, type NotebookTestResult } from './results';

/** Everything the runner learned about one notebook. */
export interface NotebookReport {
  /** The notebook file that was read. */
  readonly sourcePath: string;
  /** How the notebook is named in reports (relative to the working directory when possible). */
  readonly displayPath: string;
  /** Where the executed copy was written, or null. */
  readonly outputPath: string | null;
  /** The executed notebook, or null when the file could not be read. */
  readonly notebook: Notebook | null;
  /** Why the notebook as a whole could not run (malformed file, unknown kernel...), or null. */
  readonly failure: string | null;
  readonly execution: ExecutionReport | null;
  readonly tests: readonly NotebookTestResult[];
  readonly seconds: number;
}

/** True when a cell's failure counts against the notebook (not an expected `raises-exception` error). */
export function isUnexpectedError(run: CellRun): boolean {
  if (run.status === 'ok' || run.status === 'not-run') return false;
  return !(run.status === 'error' && run.expectedError);
}

/** True when the notebook could not run, had an unexpected cell error, or failed a test. */
export function isFailing(report: NotebookReport): boolean {
  if (report.failure !== null) return true;
  if ((report.execution?.cells ?? []).some((run) => isUnexpectedError(run) || run.status === 'not-run')) return true;
  return report.tests.some((test) => !test.passed);
}

function describeRun(run: CellRun): string {
  const where = `cell ${run.index + 1}`;
  switch (run.status) {
    case 'error':
      return `${where}: ${run.expectedError ? 'expected error' : 'error'}: ${run.message}`;
    case 'timeout':
      return `${where}: ${run.message}`;
    case 'died':
      return `${where}: ${run.message}`;
    case 'not-run':
      return `${where}: did not run: ${run.message}`;
    case 'ok':
      return `${where}: ok`;
  }
}

/** Text on one line: line breaks inside a message become ` | `. */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' | ');
}

/** One line per problem in a notebook, each starting with its path. */
export function problemLines(report: NotebookReport): string[] {
  const lines: string[] = [];
  const at = report.displayPath;
  if (report.failure !== null) lines.push(`${at}: ${report.failure}`);
  const execution = report.execution;
  if (execution !== null) {
    for (const note of execution.notes) if (note !== report.failure) lines.push(`${at}: ${note}`);
    const notRun = execution.cells.filter((run) => run.status === 'not-run');
    for (const run of execution.cells) {
      if (run.status === 'ok' || run.status === 'not-run') continue;
      lines.push(`${at} ${describeRun(run)}`);
    }
    if (notRun.length > 0 && report.failure === null) {
      lines.push(`${at}: ${notRun.length} cell(s) did not run: ${notRun[0]?.message ?? ''}`);
    }
  }
  for (const test of report.tests) {
    if (!test.passed) lines.push(`${at} cell ${test.cellIndex + 1}: test '${test.name}' failed: ${test.message}`);
  }
  return lines.map(oneLine);
}

function formatPoints(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** The summary table, the problem lines, and the closing line `N passed, M failed`. */
export function formatSummary(reports: readonly NotebookReport[]): string {
  const header = ['notebook', 'cells run', 'cell errors', 'tests passed', 'points', 'seconds', 'status'];
  const rows = reports.map((report) => {
    const runs = report.execution?.cells ?? [];
    const ran = runs.filter((run) => run.status !== 'not-run').length;
    const unexpected = runs.filter(isUnexpectedError).length;
    const expected = runs.filter((run) => run.status === 'error' && run.expectedError).length;
    const t = totals(report.tests);
    return [
      report.displayPath,
      report.execution === null ? '-' : `${ran}/${runs.length}`,
      report.execution === null ? '-' : `${unexpected}${expected > 0 ? ` (+${expected} expected)` : ''}`,
      `${t.passed}/${report.tests.length}`,
      `${formatPoints(t.points)}/${formatPoints(t.maxPoints)}`,
      report.seconds.toFixed(1),
      isFailing(report) ? 'FAIL' : 'ok',
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  const problems = reports.flatMap(problemLines);
  if (problems.length > 0) out.push('', 'Problems:', ...problems.map((problem) => `  ${problem}`));
  const all = totals(reports.flatMap((report) => report.tests));
  out.push('', closingLine(all.passed, all.failed));
  return out.join('\n') + '\n';
}

/** The last line of the report: `N passed, M failed`, counting test results. */
export function closingLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}
