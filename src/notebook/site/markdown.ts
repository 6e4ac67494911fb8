/**
 * Markdown cells to HTML for the static site: GitHub-flavoured markdown (marked) with maths rendered
 * ahead of time by KaTeX, so pages need no script and no network for formulas.
 *
 * Maths is recognised the way Jupyter does: `$...$` inline, `$$...$$` displayed (on its own lines or
 * inside a paragraph) and bare `\begin{env}...\end{env}` blocks. Maths is tokenized before markdown
 * sees it, so `_` and `*` inside formulas are not read as emphasis, while `$` inside code spans stays
 * code. TypeScript code blocks are highlighted like code cells.
 */
import katex from 'katex';
import { Marked, type Tokens, type TokenizerAndRendererExtension } from 'marked';
import { escapeHtml, highlightTypeScript } from './highlight';

/** KaTeX HTML for one formula; a formula KaTeX cannot parse is shown as its source in red. */
export function renderMath(tex: string, display: boolean): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore' });
}

interface MathToken extends Tokens.Generic {
  text: string;
  display: boolean;
}

function mathToken(type: string, raw: string, text: string, display: boolean): MathToken {
  return { type, raw, text, display };
}

const blockMath: TokenizerAndRendererExtension = {
  name: 'blockMath',
  level: 'block',
  start: (src) => {
    const at = src.search(/\$\$|\\begin\{/);
    return at < 0 ? undefined : at;
  },
  tokenizer: (src) => {
    const dollars = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/.exec(src);
    if (dollars !== null) return mathToken('blockMath', dollars[0], (dollars[1] ?? '').trim(), true);
    const env = /^ {0,3}(\\begin\{([a-zA-Z]+\*?)\}[\s\S]+?\\end\{\2\})[ \t]*(?:\n+|$)/.exec(src);
    if (env !== null) return mathToken('blockMath', env[0], env[1] ?? '', true);
    return undefined;
  },
  renderer: (token) => `<div class="math-display">${renderMath((token as MathToken).text, true)}</div>\n`,
};

const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start: (src) => {
    const at = src.indexOf('$');
    return at < 0 ? undefined : at;
  },
  tokenizer: (src) => {
    const display = /^\$\$([\s\S]+?)\$\$/.exec(src);
    if (display !== null) return mathToken('inlineMath', display[0], (display[1] ?? '').trim(), true);
    // `$x$`: no space just inside the dollars, no digit right after, no backtick or line break
    // inside, so "$5 and $10" stays text and maths never reaches into a code span. A backslash
    // always takes the next character with it (`\,` `\%` `\{` `\$`), also as the formula's last
    // one, so no TeX escape is left for markdown to read as its own escape and drop.
    const inline = /^\$(?![\s$])((?:\\[^\n]|[^\\$\n`])+?)(?<!\s)\$(?!\d)/.exec(src);
    if (inline !== null) return mathToken('inlineMath', inline[0], inline[1] ?? '', false);
    return undefined;
  },
  renderer: (token) => {
    const math = token as MathToken;
    return math.display ? `<span class="math-display">${renderMath(math.text, true)}</span>` : renderMath(math.text, false);
  },
};

const TYPESCRIPT = new Set(['ts', 'typescript', 'js', 'javascript', 'tsx', 'jsx']);

function createMarked(): Marked {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    extensions: [blockMath, inlineMath],
    renderer: {
      code(token: Tokens.Code): string {
        const lang = (token.lang ?? '').trim().split(/\s+/)[0] ?? '';
        const body = TYPESCRIPT.has(lang.toLowerCase()) ? highlightTypeScript(token.text) : escapeHtml(token.text);
        return `<pre class="code"><code>${body}</code></pre>\n`;
      },
    },
  });
  return marked;
}

let instance: Marked | null = null;

/** Markdown (with maths) as an HTML fragment. */
export function renderMarkdown(markdown: string): string {
  if (instance === null) instance = createMarked();
  const html = instance.parse(markdown, { async: false });
  if (typeof html !== 'string') throw new Error('renderMarkdown: marked returned a Promise; expected synchronous parsing');
  return html;
}
