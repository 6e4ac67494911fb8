import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTestResult, runTest, test as notebookTest, testResultBundle, TEST_RESULT_MIME } from '../../src/testing/notebookTest';

describe('runTest', () => {
  it('passes with full points when fn returns, fails with 0 points and the message when it throws', () => {
    expect(runTest('adds', 2, () => undefined)).toEqual({ name: 'adds', points: 2, maxPoints: 2, passed: true, message: '' });
    expect(runTest('adds', 2, () => { throw new Error('expected 3, got 4'); })).toEqual({
      name: 'adds', points: 0, maxPoints: 2, passed: false, message: 'expected 3, got 4',
    });
    expect(runTest('t', 1, () => { throw new RangeError('bad index'); }).message).toBe('RangeError: bad index');
    expect(runTest('t', 1, () => { throw 'a string'; }).message).toBe('threw a string');
  });

  it('waits for an async fn and reports its rejection', async () => {
    const ok = runTest('async', 3, async () => { await new Promise((resolve) => setTimeout(resolve, 5)); });
    expect(ok).toBeInstanceOf(Promise);
    expect(await ok).toMatchObject({ passed: true, points: 3 });
    expect(await runTest('async', 3, async () => { throw new Error('late'); })).toMatchObject({ passed: false, points: 0, message: 'late' });
  });

  it('fails, never throws, on bad arguments', () => {
    expect(runTest('t', -1, () => undefined)).toMatchObject({ passed: false, message: 'test: points must be a finite number >= 0, got -1' });
    expect(runTest('t', Number.NaN, () => undefined).passed).toBe(false);
    expect(runTest('', 1, () => undefined).name).toBe('(unnamed test)');
  });
});

describe('test result display', () => {
  afterEach(() => vi.restoreAllMocks());

  it('formats the readable line', () => {
    expect(formatTestResult({ name: 'relu', points: 2, maxPoints: 2, passed: true, message: '' })).toBe('✔ relu (2/2 points)');
    expect(formatTestResult({ name: 'relu', points: 0, maxPoints: 2, passed: false, message: 'boom' })).toBe('✘ relu (0/2): boom');
  });

  it('bundles the structured result with its text form', () => {
    const result = { name: 'r', points: 1, maxPoints: 1, passed: true, message: '' };
    expect(testResultBundle(result)).toEqual({ [TEST_RESULT_MIME]: result, 'text/plain': '✔ r (1/1 points)' });
  });

  it('prints the line outside a kernel and keeps going after a failure', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    expect(notebookTest('first', 1, () => { throw new Error('no'); })).toBeUndefined();
    notebookTest('second', 1, () => undefined);
    await notebookTest('third', 2, async () => undefined);
    expect(written).toEqual(['✘ first (0/1): no\n', '✔ second (1/1 points)\n', '✔ third (2/2 points)\n']);
  });
});
