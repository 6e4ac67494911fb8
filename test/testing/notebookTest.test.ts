import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTestResult, runTest, test as notebookTest, testResultBundle, testResultHtml, TEST_RESULT_MIME } from '../../src/testing/notebookTest';

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

  it('formats the readable line: points on passes and failures, no score for a check worth no points', () => {
    expect(formatTestResult({ name: 'relu', points: 2, maxPoints: 2, passed: true, message: '' })).toBe('✔ relu (2/2 points)');
    expect(formatTestResult({ name: 'relu', points: 0, maxPoints: 2, passed: false, message: 'boom' })).toBe('✘ relu (0/2 points): boom');
    expect(formatTestResult({ name: 'shape', points: 0, maxPoints: 0, passed: true, message: '' })).toBe('✔ shape');
    expect(formatTestResult({ name: 'shape', points: 0, maxPoints: 0, passed: false, message: 'got [2]' })).toBe('✘ shape: got [2]');
  });

  it('bundles the structured result with its HTML and text forms', () => {
    const result = { name: 'r', points: 1, maxPoints: 1, passed: true, message: '' };
    expect(testResultBundle(result)).toEqual({ [TEST_RESULT_MIME]: result, 'text/html': testResultHtml(result), 'text/plain': '✔ r (1/1 points)' });
  });

  it('shows passes green and failures red in HTML, with the points and the escaped message, reading as the text line', () => {
    const pass = testResultHtml({ name: 'relu <0', points: 2, maxPoints: 2, passed: true, message: '' });
    expect(pass).toMatch(/^<div class="gradlab-test gradlab-test-pass" style="background: rgba\(26, 127, 55, 0\.12\); border-left: 4px solid #1a7f37;/);
    expect(pass).toContain('<span style="color: #1a7f37; font-weight: bold">✔</span>');
    expect(pass).toContain('relu &lt;0');
    const fail = testResultHtml({ name: 'mean', points: 0, maxPoints: 3, passed: false, message: 'expected <b>1</b>\ngot 2' });
    expect(fail).toMatch(/^<div class="gradlab-test gradlab-test-fail" style="background: rgba\(207, 34, 46, 0\.12\); border-left: 4px solid #cf222e;/);
    expect(fail).toContain('<span style="color: #cf222e; font-weight: bold">✘</span>');
    expect(fail).toContain('expected &lt;b&gt;1&lt;/b&gt;\ngot 2</div>');
    expect(fail).not.toContain('<b>');
    // The text a browser shows (tags removed, entities decoded) is the text/plain line.
    const text = (html: string): string => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    for (const result of [
      { name: 'relu <0', points: 2, maxPoints: 2, passed: true, message: '' },
      { name: 'mean', points: 0, maxPoints: 3, passed: false, message: 'expected <b>1</b>\ngot 2' },
      { name: 'ungraded', points: 0, maxPoints: 0, passed: false, message: 'no' },
    ]) {
      expect(text(testResultHtml(result))).toBe(formatTestResult(result));
    }
    expect(testResultHtml({ name: 'ungraded', points: 0, maxPoints: 0, passed: true, message: '' })).not.toContain('points');
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
    expect(written).toEqual(['✘ first (0/1 points): no\n', '✔ second (1/1 points)\n', '✔ third (2/2 points)\n']);
  });
});
