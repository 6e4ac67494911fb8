/**
 * Tests that notebook cells run: `test(name, points, fn)` runs `fn`, and whatever happens it sends
 * one structured result (`application/vnd.gradlab.test+json`) to the notebook, with an HTML form
 * (a green or red line with the points and the message, which JupyterLab shows) and a text line.
 * The runner and the grader read only these outputs, never stderr text. `test` never throws, so a
 * failing test does not stop the later tests of the same cell.
 *
 * ```ts
 * test('relu is zero below 0', 1, () => assertClose(relu(tensor([-1])), tensor([0])));
 * await test('training lowers the loss', 2, async () => { ... });   // await async tests
 * ```
 */
import { displayBundle } from '../display/kernel';
import { escapeHtml } from '../util/html';

/** The MIME type of a test result output. */
export const TEST_RESULT_MIME = 'application/vnd.gradlab.test+json';

/** One test's outcome: `points` earned out of `maxPoints`; `message` says why it failed ('' when passed). */
export interface TestResult {
  readonly name: string;
  readonly points: number;
  readonly maxPoints: number;
  readonly passed: boolean;
  readonly message: string;
}

/** The score part of the readable forms: `(2/2 points)`; nothing for a check worth no points. */
function scoreText(result: TestResult): string {
  return result.maxPoints > 0 ? ` (${result.points}/${result.maxPoints} points)` : '';
}

/** The readable form: `✔ name (2/2 points)` or `✘ name (0/2 points): message`; no score when worth 0 points. */
export function formatTestResult(result: TestResult): string {
  const head = `${result.passed ? '✔' : '✘'} ${result.name}${scoreText(result)}`;
  return result.passed ? head : `${head}: ${result.message}`;
}

// Colours readable on JupyterLab's light and dark themes: a tinted background, the text colour left alone.
const RESULT_STYLE = {
  pass: { mark: '#1a7f37', background: 'rgba(26, 127, 55, 0.12)' },
  fail: { mark: '#cf222e', background: 'rgba(207, 34, 46, 0.12)' },
} as const;

/**
 * The HTML form: a line tinted green (passed) or red (failed) with the mark, the name, the points and,
 * below it, the message. Its text is the text/plain line, so both read the same.
 */
export function testResultHtml(result: TestResult): string {
  const style = result.passed ? RESULT_STYLE.pass : RESULT_STYLE.fail;
  const score = scoreText(result);
  const message = result.passed
    ? ''
    : `: <div style="white-space: pre-wrap; font-family: var(--jp-code-font-family, monospace); margin-top: 2px">${escapeHtml(result.message)}</div>`;
  return (
    `<div class="gradlab-test gradlab-test-${result.passed ? 'pass' : 'fail'}" ` +
    `style="background: ${style.background}; border-left: 4px solid ${style.mark}; padding: 4px 8px; border-radius: 2px">` +
    `<span style="color: ${style.mark}; font-weight: bold">${result.passed ? '✔' : '✘'}</span> ` +
    `<span style="font-weight: bold">${escapeHtml(result.name)}</span>` +
    (score === '' ? '' : ` <span style="opacity: 0.8">${escapeHtml(score.trim())}</span>`) +
    `${message}</div>`
  );
}

/** The display bundle for a result: the structured JSON, its HTML form and its text/plain line. */
export function testResultBundle(result: TestResult): Record<string, unknown> {
  return {
    [TEST_RESULT_MIME]: { ...result },
    'text/html': testResultHtml(result),
    'text/plain': formatTestResult(result),
  };
}

/** The message of anything thrown: an Error's message (with its name unless plain Error), else its string form. */
function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) {
    const message = thrown.message === '' ? thrown.name : thrown.message;
    return thrown.name === 'Error' || thrown.name === '' ? message : `${thrown.name}: ${message}`;
  }
  try {
    return `threw ${typeof thrown === 'string' ? thrown : JSON.stringify(thrown)}`;
  } catch {
    return `threw ${String(thrown)}`;
  }
}

function passed(name: string, points: number): TestResult {
  return { name, points, maxPoints: points, passed: true, message: '' };
}

function failed(name: string, points: number, message: string): TestResult {
  return { name, points: 0, maxPoints: points, passed: false, message };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs `fn` and returns its result without displaying it (a Promise when `fn` returns one). */
export function runTest(name: string, points: number, fn: () => never): TestResult;
export function runTest(name: string, points: number, fn: () => Promise<void>): Promise<TestResult>;
export function runTest(name: string, points: number, fn: () => void): TestResult;
export function runTest(name: string, points: number, fn: () => void | Promise<void>): TestResult | Promise<TestResult>;
export function runTest(name: string, points: number, fn: () => void | Promise<void>): TestResult | Promise<TestResult> {
  const label = typeof name === 'string' && name.trim() !== '' ? name : '(unnamed test)';
  if (!(typeof points === 'number' && Number.isFinite(points) && points >= 0)) {
    return failed(label, 0, `test: points must be a finite number >= 0, got ${String(points)}`);
  }
  if (typeof fn !== 'function') return failed(label, points, `test: fn must be a function, got ${typeof fn}`);
  let returned: unknown;
  try {
    returned = fn();
  } catch (thrown) {
    return failed(label, points, describeThrown(thrown));
  }
  if (!isPromiseLike(returned)) return passed(label, points);
  return Promise.resolve(returned).then(
    () => passed(label, points),
    (thrown: unknown) => failed(label, points, describeThrown(thrown)),
  );
}

/** Shows a result in the notebook (the structured JSON, the HTML and the text forms); prints the line outside a kernel. */
export function displayTestResult(result: TestResult): void {
  try {
    displayBundle(testResultBundle(result));
  } catch (error) {
    // A test must never throw; without a display channel the line still reaches stderr.
    process.stderr.write(`${formatTestResult(result)} (not displayed: ${describeThrown(error)})\n`);
  }
}

/**
 * A graded notebook test worth `points`: passes when `fn` returns (or its Promise resolves) and fails
 * with the thrown message otherwise. Never throws. Await it when `fn` is async.
 */
export function test(name: string, points: number, fn: () => never): void;
export function test(name: string, points: number, fn: () => Promise<void>): Promise<void>;
export function test(name: string, points: number, fn: () => void): void;
export function test(name: string, points: number, fn: () => void | Promise<void>): void | Promise<void> {
  const outcome = runTest(name, points, fn);
  if (outcome instanceof Promise) return outcome.then(displayTestResult);
  displayTestResult(outcome);
}
