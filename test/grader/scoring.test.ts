/**
 * The grader's scoring on notebooks and cell runs built in memory (no kernel): which outputs count,
 * the points each test and cell earns, which tests are hidden, and the reason a cell earned nothing.
 * Every expected number is worked out from the rules in src/grader/scoring.ts's comment.
 */
import { describe, expect, it } from 'vitest';
import { noResultReason, scoreTestCells } from '../../src/grader/scoring';
import type { CellRun, CellStatus } from '../../src/notebook/execute/executor';
import type { Cell, Notebook, Output } from '../../src/notebook/nbformat';
import { TEST_RESULT_MIME } from '../../src/testing/notebookTest';

function codeCell(source: string, nbgrader?: Record<string, unknown>, outputs: Output[] = []): Cell {
  return { cell_type: 'code', source, metadata: nbgrader === undefined ? {} : { nbgrader }, outputs, execution_count: null };
}

const testsMeta = (id: string, points: number) => ({ grade_id: id, grade: true, locked: true, points });

function notebook(cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

/** A test result as `test(...)` displays it. */
function shown(name: string, points: number, passed: boolean, message = '', kind: 'display_data' | 'execute_result' = 'display_data'): Output {
  const data = { [TEST_RESULT_MIME]: { name, points, maxPoints: points, passed, message } };
  return kind === 'display_data' ? { output_type: 'display_data', data, metadata: {} } : { output_type: 'execute_result', execution_count: 1, data, metadata: {} };
}

const run = (index: number, status: CellStatus = 'ok', message = ''): CellRun => ({ index, status, expectedError: false, message, seconds: 0 });

/** Scores one test cell whose source is `source` and whose graded copy (cell 0) shows `outputs`. */
function scoreOne(source: string, points: number, outputs: Output[], runs: CellRun[] = [run(0)]) {
  const src = notebook([codeCell(source, testsMeta('t', points))]);
  const graded = notebook([codeCell(source, testsMeta('t', points), outputs)]);
  const cells = scoreTestCells(src, graded, new Map([['t', 0]]), runs);
  expect(cells).toHaveLength(1);
  return cells[0]!;
}

describe('noResultReason', () => {
  it('says why a cell has no result, for each way a cell can end, naming the cell 1-based', () => {
    expect(noResultReason(undefined, 4)).toBe('did not run: cell 5 was not executed');
    expect(noResultReason(run(4, 'ok'), 4)).toBe('no result');
    expect(noResultReason(run(4, 'not-run', 'an earlier cell failed'), 4)).toBe('did not run: an earlier cell failed');
    expect(noResultReason(run(4, 'timeout', 'after 30 s'), 4)).toBe('did not run: cell 5 timed out (after 30 s)');
    expect(noResultReason(run(4, 'died', 'out of memory'), 4)).toBe('did not run: the kernel died in cell 5 (out of memory)');
    expect(noResultReason(run(4, 'error', 'ReferenceError: f is not defined'), 4)).toBe('no result: cell 5 failed (ReferenceError: f is not defined)');
  });
});

describe('scoreTestCells', () => {
  it('grades only the nbgrader test cells of the source, in source order, with their points', () => {
    const src = notebook([
      { cell_type: 'markdown', source: 'Explain', metadata: { nbgrader: { grade_id: 'essay', grade: true, solution: false, locked: false, points: 3 } } },
      codeCell('let x = 1;', { grade_id: 'answer', solution: true }),
      codeCell('test("b", 2, () => {});', testsMeta('second', 2)),
      codeCell('test("c", 1, () => {});'),
      codeCell('test("a", 1, () => {});', testsMeta('first', 1)),
    ]);
    // The graded copy has the two test cells in the other order.
    const graded = notebook([
      codeCell('test("a", 1, () => {});', testsMeta('first', 1), [shown('a', 1, true)]),
      codeCell('test("b", 2, () => {});', testsMeta('second', 2), [shown('b', 2, true)]),
    ]);
    const cells = scoreTestCells(src, graded, new Map([['first', 0], ['second', 1]]), [run(0), run(1)]);
    expect(cells.map((c) => [c.gradeId, c.cellIndex, c.points, c.maxPoints, c.reason])).toEqual([
      ['second', 1, 2, 2, ''],
      ['first', 0, 1, 1, ''],
    ]);
    expect(cells[0]!.tests).toEqual([{ name: 'b', score: 2, maxScore: 2, passed: true, hidden: false, output: '' }]);
  });

  it('counts results shown as display data or as the cell value, and nothing else', () => {
    const cell = scoreOne('test("a", 1, () => {});\ntest("b", 2, () => {});\ntest("c", 4, () => {});\ntest("d", 8, () => {});', 15, [
      shown('a', 1, true),
      shown('b', 2, true, '', 'execute_result'),
      // The same payload in a stream or error output, or under another MIME type, is no result.
      { output_type: 'stream', name: 'stdout', text: JSON.stringify({ name: 'c', points: 4, maxPoints: 4, passed: true, message: '' }) },
      { output_type: 'error', ename: 'Error', evalue: 'd', traceback: [] },
      { output_type: 'display_data', data: { 'application/json': { name: 'c', points: 4, maxPoints: 4, passed: true, message: '' } }, metadata: {} },
      // A malformed payload (points not a number) is no result either.
      { output_type: 'display_data', data: { [TEST_RESULT_MIME]: { name: 'd', points: '8', maxPoints: 8, passed: true, message: '' } }, metadata: {} },
    ]);
    expect(cell.tests.map((t) => [t.name, t.score, t.passed, t.output])).toEqual([
      ['a', 1, true, ''],
      ['b', 2, true, ''],
      ['c', 0, false, 'no result'],
      ['d', 0, false, 'no result'],
    ]);
    expect(cell.points).toBe(3);
    expect(cell.reason).toBe('');
  });

  it('gives a passed test at most its source points and never less than 0, and a failed one 0 with its message', () => {
    const cell = scoreOne('test("over", 2, f);\ntest("under", 3, f);\ntest("part", 5, f);\ntest("fails", 4, f);', 20, [
      shown('over', 9, true),
      shown('under', -6, true),
      shown('part', 2, true),
      shown('fails', 4, false, 'expected 4, got 5'),
    ]);
    expect(cell.tests.map((t) => [t.name, t.score, t.maxScore, t.passed, t.output])).toEqual([
      ['over', 2, 2, true, ''],
      ['under', 0, 3, true, ''],
      ['part', 2, 5, true, ''],
      ['fails', 0, 4, false, 'expected 4, got 5'],
    ]);
    expect(cell.points).toBe(2 + 0 + 2 + 0);
    expect(cell.maxPoints).toBe(20);
  });

  it('caps a cell at its nbgrader points, and counts only the names the source defines, once each', () => {
    // 3 + 3 = 6 earned by the tests, but the cell is worth 5.
    const capped = scoreOne('test("a", 3, f);\ntest("b", 3, f);', 5, [shown('a', 3, true), shown('b', 3, true), shown('forged', 100, true)]);
    expect(capped.points).toBe(5);
    expect(capped.tests.map((t) => t.name)).toEqual(['a', 'b']);
    // A name defined twice keeps the first call's points; a result shown twice counts once (the first).
    const twice = scoreOne('test("a", 1, f);\ntest("a", 7, f);', 10, [shown('a', 1, false, 'first'), shown('a', 7, true)]);
    expect(twice.tests).toEqual([{ name: 'a', score: 0, maxScore: 1, passed: false, hidden: false, output: 'first' }]);
    expect(twice.points).toBe(0);
  });

  it('gives 0 points to a call whose points are not a literal, and skips a call whose name is not one', () => {
    const cell = scoreOne('const n = 3;\ntest("computed", n, f);\ntest(`name ${n}`, 2, f);\ntest("plain", 2, f);', 4, [
      shown('computed', 3, true),
      shown('name 3', 2, true),
      shown('plain', 2, true),
    ]);
    expect(cell.tests.map((t) => [t.name, t.score, t.maxScore])).toEqual([['computed', 0, 0], ['plain', 2, 2]]);
    expect(cell.points).toBe(2);
  });

  it('marks the tests inside a hidden-test region, markers included, and no others', () => {
    const source = [
      'test("before", 1, f);', // line 0
      '// BEGIN HIDDEN TESTS', // 1
      'test("first hidden", 1, f);', // 2
      'test("last hidden", 1, f);', // 3
      '// END HIDDEN TESTS', // 4
      'test("after", 1, f);', // 5
      '// BEGIN SOLUTION', // 6: a solution region hides nothing
      'test("in solution", 1, f);', // 7
      '// END SOLUTION', // 8
      '/* BEGIN HIDDEN TESTS */ test("on the begin marker", 1, f);', // 9: the student edition drops the marker line
      '/* END HIDDEN TESTS */ test("on the end marker", 1, f);', // 10
    ].join('\n');
    const cell = scoreOne(source, 7, []);
    expect(cell.tests.map((t) => [t.name, t.hidden])).toEqual([
      ['before', false],
      ['first hidden', true],
      ['last hidden', true],
      ['after', false],
      ['in solution', false],
      ['on the begin marker', true],
      ['on the end marker', true],
    ]);
  });

  it('marks no test hidden when the markers are malformed (the source checks report those)', () => {
    const cell = scoreOne('// BEGIN HIDDEN TESTS\ntest("a", 1, f);', 1, [shown('a', 1, true)]);
    expect(cell.tests.map((t) => [t.name, t.hidden, t.score])).toEqual([['a', false, 1]]);
  });

  it('gives a cell without any result 0 points and the reason from its own run', () => {
    const src = notebook([codeCell('test("a", 1, f);', testsMeta('t1', 1)), codeCell('test("b", 2, f);', testsMeta('t2', 2))]);
    const graded = notebook([codeCell('setup();'), codeCell('test("a", 1, f);', testsMeta('t1', 1)), codeCell('test("b", 2, f);', testsMeta('t2', 2))]);
    const runs = [run(0), run(1, 'error', 'TypeError: f is not a function'), run(2, 'died', 'killed')];
    const cells = scoreTestCells(src, graded, new Map([['t1', 1], ['t2', 2]]), runs);
    expect(cells.map((c) => [c.points, c.reason])).toEqual([
      [0, 'no result: cell 2 failed (TypeError: f is not a function)'],
      [0, 'did not run: the kernel died in cell 3 (killed)'],
    ]);
    expect(cells.map((c) => c.tests.map((t) => [t.name, t.score, t.passed, t.output]))).toEqual([
      [['a', 0, false, 'no result: cell 2 failed (TypeError: f is not a function)']],
      [['b', 0, false, 'did not run: the kernel died in cell 3 (killed)']],
    ]);
    // No run at all for the cell.
    expect(scoreTestCells(src, graded, new Map([['t1', 1], ['t2', 2]]), [run(0)]).map((c) => c.reason)).toEqual([
      'did not run: cell 2 was not executed',
      'did not run: cell 3 was not executed',
    ]);
  });

  it('reports a test cell missing from the graded copy, or restored to a place with no cell, as 0 with the reason', () => {
    const src = notebook([codeCell('x();'), codeCell('test("a", 2, f);', testsMeta('gone', 2)), codeCell('test("b", 1, f);', testsMeta('far', 1))]);
    const graded = notebook([codeCell('x();')]);
    const cells = scoreTestCells(src, graded, new Map([['far', 5]]), [run(0)]);
    expect(cells).toEqual([
      { gradeId: 'gone', cellIndex: -1, points: 0, maxPoints: 2, tests: [], reason: 'cell 2 (gone) is missing from the graded copy' },
      { gradeId: 'far', cellIndex: -1, points: 0, maxPoints: 1, tests: [], reason: 'cell 3 (far) is missing from the graded copy' },
    ]);
  });

  it('reads no result from a restored cell that is not code', () => {
    const src = notebook([codeCell('test("a", 1, f);', testsMeta('t', 1))]);
    const graded = notebook([{ cell_type: 'markdown', source: 'test("a", 1, f);', metadata: {} }]);
    const cells = scoreTestCells(src, graded, new Map([['t', 0]]), []);
    expect(cells.map((c) => [c.points, c.reason, c.tests.map((t) => t.output)])).toEqual([[0, 'did not run: cell 1 was not executed', ['did not run: cell 1 was not executed']]]);
  });
});
