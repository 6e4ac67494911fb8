/**
 * What replaces a solution in the student edition. In code, a region becomes a comment and a
 * `throw new Error("not implemented: <name>")` indented like the region, naming the function that
 * encloses it (or the exercise's grade_id): it type-checks whatever the function returns, and a test
 * that calls it fails with that message. Markdown answers become nbgrader's `YOUR ANSWER HERE`.
 */
import type { Region } from './regions';

/** The comment that marks where the student writes code. */
export const CODE_STUB_COMMENT = '// YOUR CODE HERE';
/** The text that replaces a markdown answer. */
export const MARKDOWN_STUB = 'YOUR ANSWER HERE';

const DECLARATIONS: readonly RegExp[] = [
  /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*[(<]/, // function name(
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/, // const name = (...) =>
  /^\s*(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::[^{]+)?\{\s*$/, // method(...) {
];
const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'function']);

function indentOf(line: string): number {
  return (/^\s*/.exec(line)?.[0] ?? '').length;
}

/**
 * The name of the function enclosing line `at`: the nearest declaration above it that is indented
 * less than `indent`; null when the region is at the top level of the cell.
 */
export function enclosingFunction(lines: readonly string[], at: number, indent: number): string | null {
  for (let i = at - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) >= indent) continue;
    for (const pattern of DECLARATIONS) {
      const name = pattern.exec(line)?.[1];
      if (name !== undefined && !NOT_NAMES.has(name)) return name;
    }
  }
  return null;
}

/** The lines that replace a code solution region. */
export function codeStub(region: Region, lines: readonly string[], fallbackName: string): string[] {
  const name = enclosingFunction(lines, region.begin, region.indent.length) ?? fallbackName;
  return [`${region.indent}${CODE_STUB_COMMENT}`, `${region.indent}throw new Error(${JSON.stringify(`not implemented: ${name}`)});`];
}

/** The lines that replace a markdown solution region. */
export function markdownStub(region: Region): string[] {
  return [`${region.indent}${MARKDOWN_STUB}`];
}
