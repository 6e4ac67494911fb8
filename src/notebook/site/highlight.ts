/**
 * A small TypeScript highlighter for the static site: comments, strings, numbers, keywords, type
 * names and called functions become `<span class="tok-...">`; everything is HTML-escaped.
 *
 * It is a tokenizer, not a parser: a `/` is always an operator (regular expression literals are left
 * plain), and a template literal is one string even when it holds `${...}`. That is enough to make
 * lecture code easy to read.
 */

import { escapeHtml } from '../../util/html';

export { escapeHtml };

const KEYWORDS = new Set(
  ('abstract as async await break case catch class const continue declare default delete do else enum export ' +
    'extends false finally for from function get if implements import in infer instanceof interface is keyof let ' +
    'namespace new null of private protected public readonly return satisfies set static super switch this throw ' +
    'true try type typeof undefined var void while yield').split(' '),
);

const BUILTIN_TYPES = new Set('any bigint boolean never number object string symbol unknown'.split(' '));

// One alternative per token kind, tried at the current position (sticky).
const TOKEN = new RegExp(
  [
    '(?<comment>\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?(?:\\*\\/|$))',
    '(?<string>"(?:[^"\\\\\\n]|\\\\.)*"?|\'(?:[^\'\\\\\\n]|\\\\.)*\'?|`(?:[^`\\\\]|\\\\[\\s\\S])*`?)',
    '(?<number>\\b(?:0[xX][\\da-fA-F_]+|0[bB][01_]+|\\d[\\d_]*(?:\\.[\\d_]+)?(?:[eE][+-]?\\d+)?)n?\\b|\\.\\d[\\d_]*(?:[eE][+-]?\\d+)?\\b)',
    '(?<word>[A-Za-z_$][\\w$]*)',
    '(?<other>\\s+|[^\\sA-Za-z_$\\d"\'`/]+|\\/|\\d)',
  ].join('|'),
  'y',
);

function span(kind: string, text: string): string {
  return `<span class="tok-${kind}">${escapeHtml(text)}</span>`;
}

/** The class of an identifier: keyword, builtin or capitalized type, called function, or plain. */
function wordKind(word: string, rest: string): string | null {
  if (KEYWORDS.has(word)) return 'kw';
  if (BUILTIN_TYPES.has(word) || /^[A-Z]/.test(word)) return 'type';
  if (/^\s*(?:<[^()]*>)?\(/.test(rest)) return 'fn';
  return null;
}

/** TypeScript source as HTML with highlighting spans. */
export function highlightTypeScript(code: string): string {
  let html = '';
  let pos = 0;
  while (pos < code.length) {
    TOKEN.lastIndex = pos;
    const match = TOKEN.exec(code);
    const groups = match?.groups;
    if (match === null || groups === undefined || match[0] === '') {
      html += escapeHtml(code.charAt(pos));
      pos += 1;
      continue;
    }
    const text = match[0];
    if (groups['comment'] !== undefined) html += span('com', text);
    else if (groups['string'] !== undefined) html += span('str', text);
    else if (groups['number'] !== undefined) html += span('num', text);
    else if (groups['word'] !== undefined) {
      const kind = wordKind(text, code.slice(pos + text.length, pos + text.length + 80));
      html += kind === null ? escapeHtml(text) : span(kind, text);
    } else html += escapeHtml(text);
    pos += text.length;
  }
  return html;
}
