/**
 * A static look at the code a student wrote (answer cells and cells they added) for reaches into the
 * grading machinery: the test-result MIME type, `require.cache`, tslab's display internals, rebinding
 * `test`, shadowing or reassigning built-ins, patching prototypes, writing to `process.stdout`. Code
 * in the kernel's process can always lie to the tests; this makes such attempts visible so their
 * points are withheld and a person looks at the submission. Comments are ignored; strings are not (a MIME type is one).
 */
import { cellSource, type Notebook } from '../notebook/nbformat';

/** One suspicious line in a student cell. */
export interface TamperFinding {
  /** Index of the cell in the graded copy. */
  readonly cellIndex: number;
  readonly line: number;
  readonly what: string;
}

const PATTERNS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'the test-result MIME type', pattern: /vnd\.gradlab\.test/ },
  { what: 'require.cache', pattern: /\brequire\s*\.\s*cache\b|\bModule\s*\.\s*_cache\b/ },
  { what: "tslab's display internals", pattern: /\brequire\s*\(\s*["'`]tslab(?:\/[^"'`]*)?["'`]\s*\)|\bfrom\s+["'`]tslab(?:\/[^"'`]*)?["'`]|\b__tslab__\b|\bdisplayBundle\b|\btestResultBundle\b|\bdisplayTestResult\b/ },
  { what: 'rebinding test', pattern: /(?:^|[^.\w$])test\s*=(?!=)|\b(?:let|var|const|function)\s+test\b/ },
  {
    what: 'shadowing a built-in',
    pattern: /\b(?:const|let|var|function|class)\s+(?:Math|JSON|Object|Array|Number|String|Boolean|Symbol|Error|TypeError|Promise|Reflect|Proxy|Float32Array|Float64Array|globalThis|console|process|require|exports|module)\b(?![\w$])/,
  },
  { what: 'reassigning a built-in', pattern: /\b(?:JSON|Object|Array|Math|Promise|Reflect|console|globalThis|global)\s*\.\s*[\w$]+\s*=(?!=)/ },
  { what: 'patching a prototype', pattern: /\.\s*prototype\s*(?:\.\s*[\w$]+\s*|\[[^\]]*\]\s*)?=(?!=)|\b(?:Object\.)?(?:setPrototypeOf|defineProperty|defineProperties)\s*\(|__proto__/ },
  { what: 'writing to process.stdout', pattern: /\bprocess\s*\.\s*(?:stdout|stderr)\s*\.\s*write\b/ },
];

/** The source without `//` and `/* *\/` comments (strings kept), line breaks kept. */
function withoutComments(source: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? '';
    if (quote !== null) {
      out += ch;
      if (ch === '\\') out += source[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      const comment = source.slice(i, end < 0 ? source.length : end + 2);
      out += comment.replace(/[^\n]/g, ' ');
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Suspicious lines in the code cells of `notebook` that are not restored from the source. */
export function scanStudentCells(notebook: Notebook, restored: ReadonlySet<number>): TamperFinding[] {
  const findings: TamperFinding[] = [];
  notebook.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== 'code' || restored.has(cellIndex)) return;
    withoutComments(cellSource(cell))
      .split('\n')
      .forEach((text, i) => {
        for (const { what, pattern } of PATTERNS) if (pattern.test(text)) findings.push({ cellIndex, line: i + 1, what });
      });
  });
  return findings;
}
