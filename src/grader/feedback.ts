/**
 * feedback.html, the file a student gets back: their notebook as it was graded, with the result of
 * every exercise (points, each test passed or failed with its message, why a cell earned nothing),
 * in one self-contained page: inline CSS, maths as MathML, charts replaced by a note, and a content
 * security policy that lets it load and run nothing. It never shows the instructor's hidden tests or
 * solutions: read-only cells are shown as the student edition shows them (hidden-test regions
 * removed), test cells show only their results, and the grading guard cell is left out. The executed
 * graded notebook beside it holds the hidden tests and is for instructors only.
 */
import { renderCell, SITE_CSS } from '../notebook/site/site';
import { renderOutput } from '../notebook/site/siteOutputs';
import { escapeHtml } from '../notebook/site/highlight';
import { cellSource, isJsonObject, splitLines, type Cell, type Notebook, type Output } from '../notebook/nbformat';
import { gradeIdOf, isLocked } from '../notebook/nbgrader';
import { TEST_RESULT_MIME } from '../testing/notebookTest';
import type { SubmissionGrade } from './gradeSubmission';
import { removeHiddenTests } from './regions';
import type { CellGrade } from './scoring';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

const FEEDBACK_CSS = `
.katex-html { display: none; }
.summary { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; margin: 16px 0; }
.summary h2 { margin: 8px 0; font-size: 20px; }
.summary table { border-collapse: collapse; width: 100%; font-size: 14px; }
.summary td, .summary th { text-align: left; padding: 4px 8px; border-top: 1px solid var(--line); vertical-align: top; }
.summary td.points, .summary th.points { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.status-flagged { color: var(--fail); }
.notes { color: var(--muted); font-size: 14px; }
.cell-number { color: var(--muted); font: 12px ui-monospace, monospace; margin: 16px 0 -12px 72px; }
.result .head { font-weight: 600; margin-bottom: 4px; }
.result .reason { color: var(--fail); font-size: 14px; }
.hidden-tag { font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; margin-left: 6px; }
.note { color: var(--muted); font-style: italic; font-size: 14px; }
`;

/** What feedback.html is made from. */
export interface FeedbackInput {
  readonly student: string;
  readonly notebookName: string;
  /** The instructor's source: read-only cells are shown from it, hidden tests removed. */
  readonly source: Notebook;
  readonly grade: SubmissionGrade;
}

function isGuardCell(cell: Cell): boolean {
  const own = cell.metadata['gradlab'];
  return isJsonObject(own) && own['grading_guard'] === true;
}

/** A student edition's view of an instructor cell: its source without hidden-test regions. */
function studentView(cell: Cell): string {
  try {
    return removeHiddenTests(cellSource(cell));
  } catch {
    return ''; // malformed markers: show nothing rather than risk a hidden test
  }
}

/** The HTML of one test (or a test-less cell's reason). */
function testLine(name: string, passed: boolean, score: number, maxScore: number, message: string, hidden: boolean): string {
  const tag = hidden ? '<span class="hidden-tag">hidden test</span>' : '';
  const body = passed || message === '' ? '' : `<div class="message">${escapeHtml(message)}</div>`;
  return `<div class="test ${passed ? 'pass' : 'fail'}"><span class="mark">${passed ? '✔' : '✘'}</span> ${escapeHtml(name)}${tag} <span class="points">${score}/${maxScore}</span>${body}</div>`;
}

/** The results of one test cell, shown in place of its outputs. */
function cellResults(grade: CellGrade): string {
  const tests = grade.tests.map((t) => testLine(t.name, t.passed && t.score === t.maxScore, t.score, t.maxScore, t.output, t.hidden === true));
  const reason = grade.reason === '' ? '' : `<div class="reason">${escapeHtml(grade.reason)}</div>`;
  return `<div class="result"><div class="head">${escapeHtml(grade.gradeId)}: ${grade.points}/${grade.maxPoints} points</div>${reason}${tests.join('\n')}</div>`;
}

/** A student cell's output: charts become a note, results a student cell displayed are marked as not counting. */
function studentOutput(output: Output): string {
  if (output.output_type === 'display_data' || output.output_type === 'execute_result') {
    if (PLOTLY_MIME in output.data) return '<p class="note">A chart was drawn here; open the notebook in JupyterLab to see it.</p>';
    if (TEST_RESULT_MIME in output.data) return '<p class="note">A test result displayed by this cell (only the test cells\' results count).</p>';
  }
  return renderOutput(output);
}

function withSource(cell: Cell, source: string): Cell {
  return { ...cell, source: splitLines(source) };
}

/** The summary table: one row per exercise (test cell) with its points. */
function summary(input: FeedbackInput): string {
  const { grade } = input;
  const rows = grade.cells.map((cell) => {
    const where = cell.cellIndex >= 0 ? `<a href="#cell-${cell.cellIndex + 1}">cell ${cell.cellIndex + 1}</a>` : 'missing';
    const passed = cell.tests.filter((t) => t.passed).length;
    const detail = cell.tests.length > 0 ? `${passed} of ${cell.tests.length} tests passed` : escapeHtml(cell.reason);
    return `<tr><td>${escapeHtml(cell.gradeId)}</td><td>${where}</td><td>${detail}</td><td class="points">${cell.points}/${cell.maxPoints}</td></tr>`;
  });
  const notes = grade.notes.length === 0 ? '' : `<ul class="notes">${grade.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
  const status = grade.status === 'graded' ? '' : ` <span class="status-${grade.status}">(${grade.status})</span>`;
  return (
    `<section class="summary"><h2>${escapeHtml(input.notebookName)}: ${grade.points}/${grade.maxPoints} points${status}</h2>` +
    `<table><tr><th>exercise</th><th>where</th><th>tests</th><th class="points">points</th></tr>${rows.join('')}</table>${notes}</section>`
  );
}

/** feedback.html for one graded submission (see the module comment). */
export function feedbackHtml(input: FeedbackInput): string {
  const executed = input.grade.executed;
  if (executed === null) throw new Error(`feedback: ${input.student}/${input.notebookName} was not executed (invalid submissions get no feedback page)`);
  const sourceById = new Map(input.source.cells.filter((c) => gradeIdOf(c) !== '').map((c) => [gradeIdOf(c), c]));
  const gradeByIndex = new Map(input.grade.cells.map((c) => [c.cellIndex, c]));
  const cells = executed.cells.flatMap((cell, index) => {
    if (isGuardCell(cell)) return [];
    const label = `<div class="cell-number" id="cell-${index + 1}">cell ${index + 1}</div>`;
    const graded = gradeByIndex.get(index);
    // Restored cells (test and read-only ones) are shown from the source as the student edition has them.
    const fromSource = sourceById.get(graded?.gradeId ?? gradeIdOf(cell));
    const original = fromSource !== undefined && (graded !== undefined || isLocked(fromSource)) ? fromSource : undefined;
    let html: string;
    if (graded !== undefined && original !== undefined) html = renderCell(withSource(cell, studentView(original)), cellResults(graded));
    else if (original !== undefined) html = renderCell(withSource(cell, studentView(original)));
    else html = renderCell(cell, cell.cell_type === 'code' ? cell.outputs.map(studentOutput).join('\n') : undefined);
    return [label + html];
  });
  const title = `${input.student}: ${input.notebookName}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${SITE_CSS}${FEEDBACK_CSS}</style>
</head>
<body>
<header class="site"><span>${escapeHtml(input.student)}</span><span>${escapeHtml(input.notebookName)}</span></header>
<main>
${summary(input)}
${cells.join('\n')}
</main>
</body>
</html>
`;
}
