/**
 * The `test(name, points, fn)` calls of a test cell, read from its source without running it: the
 * names a cell defines and the points they are worth. Comments and the insides of strings are
 * skipped; a call whose name or points is not a literal is reported with `name`/`points` null, so
 * callers can say exactly which call they cannot check.
 */

/** One `test(...)` call found in a source. */
export interface TestCall {
  /** The test's name when the first argument is a plain string literal, else null. */
  readonly name: string | null;
  /** The points when the second argument is a number literal, else null. */
  readonly points: number | null;
  /** 1-based line of the call. */
  readonly line: number;
}

const IDENTIFIER = /[\w$]/;

/** Reads a string literal starting at `start` (a quote); returns its value and the index after it, or null. */
function readString(source: string, start: number): { value: string | null; next: number } {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  let plain = true;
  while (i < source.length && source[i] !== quote) {
    const ch = source[i] ?? '';
    if (ch === '\\') {
      const escaped = source[i + 1] ?? '';
      value += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escaped] ?? escaped;
      i += 2;
      continue;
    }
    if (quote === '`' && ch === '$' && source[i + 1] === '{') plain = false;
    if (quote !== '`' && ch === '\n') break;
    value += ch;
    i += 1;
  }
  return { value: plain ? value : null, next: i + 1 };
}

/** Index after the whitespace (and comments) starting at `i`. */
function skipSpace(source: string, i: number): number {
  for (;;) {
    while (i < source.length && /\s/.test(source[i] ?? '')) i += 1;
    if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
    } else return i;
  }
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source[i] === '\n') line += 1;
  return line;
}

/** Reads the name and points arguments of a call whose `(` is at `open`. */
function readArguments(source: string, open: number): { name: string | null; points: number | null } {
  let i = skipSpace(source, open + 1);
  let name: string | null = null;
  const quote = source[i];
  if (quote === '"' || quote === "'" || quote === '`') {
    const read = readString(source, i);
    i = skipSpace(source, read.next);
    if (source[i] === ',') name = read.value;
  }
  if (name === null) return { name: null, points: null };
  i = skipSpace(source, i + 1);
  const number = /^(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
  if (number === null) return { name, points: null };
  const after = skipSpace(source, i + number[0].length);
  return { name, points: source[after] === ',' || source[after] === ')' ? Number(number[0]) : null };
}

/** Every `test(...)` call in `source`, in order. A source that declares its own `function test` has none. */
export function findTestCalls(source: string): TestCall[] {
  const calls: TestCall[] = [];
  let i = 0;
  let declaresTest = false;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (source.startsWith('//', i) || source.startsWith('/*', i)) {
      i = skipSpace(source, i);
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      i = readString(source, i).next;
      continue;
    }
    if (source.startsWith('test', i) && !IDENTIFIER.test(source[i - 1] ?? ' ') && source[i - 1] !== '.' && !IDENTIFIER.test(source[i + 4] ?? ' ')) {
      const before = source.slice(Math.max(0, i - 20), i);
      const open = skipSpace(source, i + 4);
      if (/function\s+$/.test(before)) declaresTest = true;
      else if (source[open] === '(') calls.push({ ...readArguments(source, open), line: lineAt(source, i) });
      i += 4;
      continue;
    }
    i += 1;
  }
  return declaresTest ? [] : calls;
}
