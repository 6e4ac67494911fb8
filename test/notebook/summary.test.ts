import { describe, expect, it } from 'vitest';
import type { CellRun, ExecutionReport } from '../../src/notebook/execute/executor';
import { closingLine, formatSummary, isFailing, type NotebookReport } from '../../src/notebook/execute/summary';

const cell = (index: number, status: CellRun['status'], message = '', expectedError = false): CellRun => ({ index, status, message, expectedError, seconds: 0.1 });
const execution = (cells: CellRun[], notes: string[] = []): ExecutionReport => ({
  cells,
  kernelStartSeconds: 1,
  firstReplySeconds: 1.1,
  restarts: 0,
  replaySeconds: 0,
  aborted: 0,
  startFailure: null,
  notes,
});
const report = (fields: Partial<NotebookReport>): NotebookReport => ({
  sourcePath: '/p/a.ipynb',
  displayPath: 'a.ipynb',
  outputPath: null,
  notebook: null,
  failure: null,
  execution: execution([]),
  tests: [],
  seconds: 2.04,
  ...fields,
});
const test = (name: string, passed: boolean, points: number, message = '') => ({
  name, points: passed ? points : 0, maxPoints: points, passed, message, cellIndex: 3,
});

describe('isFailing', () => {
  it('ignores errors in cells tagged raises-exception, but not timeouts or deaths there', () => {
    expect(isFailing(report({ execution: execution([cell(0, 'ok'), cell(1, 'error', 'Error: x', true)]) }))).toBe(false);
    expect(isFailing(report({ execution: execution([cell(1, 'error', 'Error: x')]) }))).toBe(true);
    expect(isFailing(report({ execution: execution([cell(1, 'timeout', 'timed out', true)]) }))).toBe(true);
    expect(isFailing(report({ tests: [test('t', false, 1)] }))).toBe(true);
    expect(isFailing(report({ failure: 'not valid JSON', execution: null }))).toBe(true);
  });
});

describe('formatSummary', () => {
  it('prints a row per notebook, a line per problem and the closing count of test results', () => {
    const text = formatSummary([
      report({
        displayPath: 'notebooks/01-tensors.ipynb',
        execution: execution([cell(0, 'ok'), cell(2, 'error', "1:7 - Type 'string' is not assignable to type 'number'."), cell(4, 'error', 'Error: shape', true)]),
        tests: [test('sum', true, 2), test('mean', false, 1, 'expected 2, got 3')],
      }),
      report({ displayPath: 'bad.ipynb', failure: 'not valid JSON (line 3, column 1): Unexpected token', execution: null, seconds: 0 }),
      report({ displayPath: 'ok.ipynb', execution: execution([cell(0, 'ok')]), tests: [test('t', true, 1)] }),
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^notebook\s+cells run\s+cell errors\s+tests passed\s+points\s+seconds\s+status$/);
    expect(lines[2]).toMatch(/^notebooks\/01-tensors\.ipynb\s+3\/3\s+1 \(\+1 expected\)\s+1\/2\s+2\/3\s+2\.0\s+FAIL$/);
    expect(lines[3]).toMatch(/^bad\.ipynb\s+-\s+-\s+0\/0\s+0\/0\s+0\.0\s+FAIL$/);
    expect(lines[4]).toMatch(/^ok\.ipynb\s+1\/1\s+0\s+1\/1\s+1\/1\s+2\.0\s+ok$/);
    expect(text).toContain("notebooks/01-tensors.ipynb cell 3: error: 1:7 - Type 'string' is not assignable to type 'number'.");
    expect(text).toContain('notebooks/01-tensors.ipynb cell 5: expected error: Error: shape');
    expect(text).toContain("notebooks/01-tensors.ipynb cell 4: test 'mean' failed: expected 2, got 3");
    expect(text).toContain('bad.ipynb: not valid JSON (line 3, column 1): Unexpected token');
    expect(lines[lines.length - 1]).toBe('2 passed, 1 failed');
    expect(lines[lines.length - 2]).toBe('');
  });

  it('says 0 passed, 0 failed when there are no tests', () => {
    expect(closingLine(0, 0)).toBe('0 passed, 0 failed');
    expect(formatSummary([report({})]).endsWith('\n0 passed, 0 failed\n')).toBe(true);
  });
});
