import { describe, expect, it } from 'vitest';
import type { CellRun } from '../../src/notebook/execute/executor';
import type { CodeCell, Notebook } from '../../src/notebook/nbformat';
import { isTestCell, readTestResults, totals } from '../../src/notebook/execute/results';
import { TEST_RESULT_MIME, type TestResult } from '../../src/testing/notebookTest';

const resultOutput = (result: TestResult | Record<string, unknown>) => ({
  output_type: 'display_data' as const,
  data: { [TEST_RESULT_MIME]: result, 'text/plain': ['…'] },
  metadata: {},
});

function code(source: string, extra: Partial<CodeCell> = {}): CodeCell {
  return { cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null, ...extra };
}

const notebook = (cells: CodeCell[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const run = (index: number, status: CellRun['status'], message = ''): CellRun => ({ index, status, message, expectedError: false, seconds: 0 });

describe('isTestCell', () => {
  it('recognises nbgrader graded cells and cells calling test(', () => {
    expect(isTestCell(code('x', { metadata: { nbgrader: { grade: true, points: 2 } } }))).toBe(true);
    expect(isTestCell(code('test("a", 1, () => {})'))).toBe(true);
    expect(isTestCell(code('await test ("a", 1, async () => {})'))).toBe(true);
    expect(isTestCell(code('const latest = 1;\nmyTest(1); obj.test(2)'))).toBe(false);
    expect(isTestCell(code('// test(x) is explained below\nconst y = 1'))).toBe(false);
    expect(isTestCell(code('function test(a: number) { return a }'))).toBe(false);
    expect(isTestCell(code('x', { metadata: { nbgrader: { grade: false, solution: true } } }))).toBe(false);
  });
});

describe('readTestResults', () => {
  it('reads results only from test-result outputs, in order, with their cell', () => {
    const pass = { name: 'a', points: 2, maxPoints: 2, passed: true, message: '' };
    const fail = { name: 'b', points: 0, maxPoints: 1, passed: false, message: 'expected 3, got 4' };
    const nb = notebook([
      code('setup()', { outputs: [{ output_type: 'stream', name: 'stderr', text: ['✘ fake (0/1): printed, not displayed\n'] }] }),
      code('test("a"...); test("b"...)', { outputs: [resultOutput(pass), resultOutput(fail)], execution_count: 2 }),
    ]);
    expect(readTestResults(nb)).toEqual([
      { ...pass, cellIndex: 1 },
      { ...fail, cellIndex: 1 },
    ]);
    expect(totals(readTestResults(nb))).toEqual({ passed: 1, failed: 1, points: 2, maxPoints: 3 });
  });

  it('counts a test cell without a result as failed, saying why', () => {
    const graded = { nbgrader: { grade: true, grade_id: 'relu-tests', points: 3 } };
    const nb = notebook([
      code('x', { metadata: graded, execution_count: 1 }),
      code('test("t", 1, () => {})', { execution_count: 2 }),
      code('test("u", 1, () => {})'),
      code('test("v", 1, () => {})'),
    ]);
    const runs = [run(0, 'ok'), run(1, 'error', "1:1 - Cannot find name 'relu'."), run(2, 'not-run', "no kernel named 'py'"), run(3, 'timeout', 'timed out after 5 s')];
    expect(readTestResults(nb, runs)).toEqual([
      { name: 'relu-tests', points: 0, maxPoints: 3, passed: false, message: 'produced no test result', cellIndex: 0 },
      { name: 'cell 2', points: 0, maxPoints: 0, passed: false, message: "produced no test result (cell error: 1:1 - Cannot find name 'relu'.)", cellIndex: 1 },
      { name: 'cell 3', points: 0, maxPoints: 0, passed: false, message: "did not run: no kernel named 'py'", cellIndex: 2 },
      { name: 'cell 4', points: 0, maxPoints: 0, passed: false, message: 'produced no test result (timed out after 5 s)', cellIndex: 3 },
    ]);
  });

  it('works from a saved notebook alone: unexecuted test cells did not run', () => {
    const nb = notebook([code('test("t", 1, () => {})'), code('test("u", 1, () => {})', { execution_count: 4 })]);
    expect(readTestResults(nb).map((r) => r.message)).toEqual(['did not run', 'produced no test result']);
  });

  it('counts a malformed result payload as a failed test', () => {
    const nb = notebook([code('t', { outputs: [resultOutput({ name: 'x', passed: 'yes' })] })]);
    expect(readTestResults(nb)).toEqual([
      { name: 'cell 1', points: 0, maxPoints: 0, passed: false, message: `malformed ${TEST_RESULT_MIME} output`, cellIndex: 0 },
    ]);
  });
});
