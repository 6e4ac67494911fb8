/**
 * feedback.html from a graded copy with outputs as the kernel leaves them: the student's code and
 * every test's outcome are in it; the instructor's solutions, the hidden tests' code and the grading
 * guard are not; it loads nothing. (gradeClass.test.ts checks the file a real grading run writes.)
 */
import { describe, expect, it } from 'vitest';
import { feedbackHtml } from '../../src/grader/feedback';
import { gradedCopy } from '../../src/grader/gradedCopy';
import type { SubmissionGrade } from '../../src/grader/gradeSubmission';
import { guardedCopy } from '../../src/grader/guardedCopy';
import { scoreTestCells } from '../../src/grader/scoring';
import type { CellRun } from '../../src/notebook/execute/executor';
import type { Notebook, Output } from '../../src/notebook/nbformat';
import { testResultBundle } from '../../src/testing/notebookTest';
import { code, correctSubmission, indexOf, instructorNotebook, setSource } from '../helpers/gradingFixture';

function display(data: Record<string, unknown>): Output {
  return { output_type: 'display_data', data: data as never, metadata: {} };
}

function result(name: string, points: number, passed: boolean, message = ''): Output {
  return display(testResultBundle({ name, points: passed ? points : 0, maxPoints: points, passed, message }));
}

/** What a reader sees: the page without tags, entities decoded (code is split into highlighted tokens). */
function pageText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function setOutputs(nb: Notebook, index: number, outputs: Output[]): void {
  const cell = nb.cells[index];
  if (cell?.cell_type !== 'code') throw new Error(`cell ${index} is not code`);
  cell.outputs = outputs;
}

/** A submission with double right and square wrong, run: what the kernel would have left in the copy. */
function graded(): { html: string; grade: SubmissionGrade } {
  const source = instructorNotebook();
  const submission = correctSubmission();
  setSource(submission, 'square', 'function square(x: number): number {\n  return x + x; // my square\n}');
  submission.cells.push(code('chart(losses);\n// forged\nshow("✔ square(3) = 9")'));
  const copy = guardedCopy(gradedCopy(source, submission), source);
  const nb = copy.notebook;
  const doubleTests = indexOf(nb, 'double-tests');
  const squareTests = indexOf(nb, 'square-tests');
  setOutputs(nb, doubleTests, [result('double(2) = 4', 1, true), result('double(-3) = -6', 1, true)]);
  setOutputs(nb, squareTests, [result('square(3) = 9', 1, false, 'square(3) is wrong'), { output_type: 'stream', name: 'stderr', text: 'at square-tests line 2' }]);
  setOutputs(nb, nb.cells.length - 1, [display({ 'application/vnd.plotly.v1+json': { data: [{ y: [1, 2] }], layout: {} }, 'text/plain': 'chart' }), result('square(3) = 9', 1, true)]);
  const runs: CellRun[] = nb.cells.map((_, index) => ({ index, status: 'ok', expectedError: false, message: '', seconds: 0 }));
  const cells = scoreTestCells(source, nb, copy.restored, runs);
  const grade: SubmissionGrade = {
    status: 'graded', points: cells.reduce((s, c) => s + c.points, 0), maxPoints: 4, cells, notes: ['restored edited cell square-tests'],
    executed: nb, execution: null, failure: null, seconds: 1,
  };
  return { html: feedbackHtml({ student: 'ada', notebookName: 'two.ipynb', source, grade }), grade };
}

describe('feedback.html', () => {
  const { html, grade } = graded();
  const text = pageText(html);

  it('shows the student\'s own code and every test\'s outcome, hidden tests by name', () => {
    expect(grade.points).toBe(2);
    expect(text).toContain('function square(x: number): number {\n  return x + x; // my square\n}');
    expect(html).toContain('two.ipynb: 2/4 points');
    expect(html).toMatch(/<div class="test pass"><span class="mark">✔<\/span> double\(2\) = 4 <span class="points">1\/1<\/span><\/div>/);
    expect(html).toMatch(/<div class="test pass"><span class="mark">✔<\/span> double\(-3\) = -6<span class="hidden-tag">hidden test<\/span> <span class="points">1\/1<\/span>/);
    expect(html).toMatch(/<div class="test fail"><span class="mark">✘<\/span> square\(3\) = 9 <span class="points">0\/1<\/span><div class="message">square\(3\) is wrong<\/div>/);
    // square(-2) = 4 has no result: 0 and the reason.
    expect(html).toMatch(/square\(-2\) = 4 <span class="points">0\/1<\/span><div class="message">no result<\/div>/);
    expect(html).toContain('restored edited cell square-tests');
  });

  it('never shows the hidden tests\' code, the solutions or the grading guard', () => {
    for (const secret of ['BEGIN HIDDEN TESTS', 'double(-3) !== -6', 'return 2 * x', 'return x * x', 'installGradingGuard', '__gradlabGrading', 'at square-tests line 2']) {
      expect(text).not.toContain(secret);
      expect(html).not.toContain(secret);
    }
    // The visible test is shown as the student edition shows it.
    expect(text).toContain('test("double(2) = 4", 1, () => { if (double(2) !== 4) throw new Error(`double(2) = ${double(2)}`); });');
  });

  it('loads and runs nothing: inline CSS, a policy against scripts and fetches, charts as a note, student-made results marked as not counting', () => {
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain('<style>');
    expect(html).toContain('A chart was drawn here');
    expect(html).toContain('A test result displayed by this cell (only the test cells\' results count)');
  });
});
