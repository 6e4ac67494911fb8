/**
 * A static HTML site for executed notebooks: `index.html` plus one page per notebook, readable
 * offline. Markdown and maths are rendered ahead of time (marked + KaTeX, with KaTeX's CSS and fonts
 * copied next to the pages), code is highlighted, and Plotly charts stay interactive through a local
 * copy of plotly.js. Nothing is loaded from the network.
 */
import * as fs from 'fs';
import * as path from 'path';
import { plotlyLibraryPath } from '../../plot/html';
import { escapeHtml, highlightTypeScript } from './highlight';
import { renderMarkdown } from './markdown';
import { cellSource, isJsonObject, parseNotebook, type Cell, type Notebook } from '../nbformat';
import { readTestResults, totals } from '../execute/results';
import { renderOutput } from './siteOutputs';

/** One executed notebook to publish: where it came from, and its parsed nbformat 4 JSON. */
export interface SiteNotebook {
  sourcePath: string;
  notebook: unknown;
}

interface Page {
  readonly file: string;
  readonly title: string;
  readonly summary: string;
  readonly sourcePath: string;
  readonly notebook: Notebook;
}

/** The pages' stylesheet (cells, code, outputs, test badges). */
export const SITE_CSS = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --code-bg: #f6f8fa; --pass: #1a7f37; --fail: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); font: 16px/1.6 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
header.site, footer.site { max-width: 980px; margin: 0 auto; padding: 12px 24px; color: var(--muted); font-size: 14px; }
header.site { border-bottom: 1px solid var(--line); display: flex; justify-content: space-between; gap: 12px; }
footer.site { border-top: 1px solid var(--line); display: flex; justify-content: space-between; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
main { max-width: 980px; margin: 0 auto; padding: 8px 24px 48px; }
.cell { margin: 16px 0; display: grid; grid-template-columns: 64px minmax(0, 1fr); gap: 8px; }
.prompt { color: var(--muted); font: 12px/1.9 ui-monospace, SFMono-Regular, Menlo, monospace; text-align: right; padding-top: 8px; }
.cell.markdown .prompt { visibility: hidden; }
pre { margin: 0; overflow-x: auto; font: 13.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.code { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.outputs > * { margin-top: 8px; }
pre.stream, pre.text { padding: 2px 12px; white-space: pre-wrap; }
pre.stream.stderr, pre.error { background: #fff0f0; color: #82071e; padding: 8px 12px; border-radius: 6px; white-space: pre-wrap; }
.plot { width: 100%; }
.image img { max-width: 100%; }
.test { border-radius: 6px; padding: 4px 12px; font-size: 14px; }
.test.pass { background: #dafbe1; color: var(--pass); }
.test.fail { background: #ffebe9; color: var(--fail); }
.test .points { float: right; font-variant-numeric: tabular-nums; }
.test .message { color: var(--fg); font-family: ui-monospace, monospace; font-size: 13px; white-space: pre-wrap; }
.math-display { overflow-x: auto; overflow-y: hidden; }
.markdown table { border-collapse: collapse; } .markdown th, .markdown td { border: 1px solid var(--line); padding: 4px 10px; }
.markdown img { max-width: 100%; }
.markdown code { background: var(--code-bg); padding: 1px 4px; border-radius: 4px; font-size: 90%; }
.markdown pre.code code { background: none; padding: 0; font-size: inherit; }
.tok-kw { color: #cf222e; } .tok-str { color: #0a3069; } .tok-num { color: #0550ae; }
.tok-com { color: #6e7781; font-style: italic; } .tok-type { color: #953800; } .tok-fn { color: #8250df; }
ul.notebooks { list-style: none; padding: 0; }
ul.notebooks li { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
ul.notebooks .name { font-size: 18px; font-weight: 600; }
ul.notebooks .summary p { margin: 4px 0; }
ul.notebooks .meta { color: var(--muted); font-size: 13px; }
ul.notebooks .tests.pass { color: var(--pass); } ul.notebooks .tests.fail { color: var(--fail); }
`;

// Draws every Plotly figure on the page from its JSON; says so in place if plotly.js is missing.
const SITE_JS = `(function () {
  var blocks = document.querySelectorAll('script.plot-data');
  for (var i = 0; i < blocks.length; i++) {
    var div = blocks[i].previousElementSibling;
    if (!div) continue;
    if (!window.Plotly) { div.textContent = 'plotly.js did not load (assets/plotly.min.js is missing).'; continue; }
    var figure = JSON.parse(blocks[i].textContent);
    var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
    window.Plotly.newPlot(div, figure.data, figure.layout || {}, config);
  }
})();
`;

/** The file name of a notebook's page: its path without `.ipynb`, separators and odd characters as '-'. */
function pageFileName(relative: string): string {
  const stem = relative.replace(/\.ipynb$/i, '').replace(/[\\/]+/g, '-').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${stem.replace(/^[-.]+/, '') || 'notebook'}.html`;
}

/** The deepest folder containing all `dirs` (absolute paths). */
function commonFolder(dirs: readonly string[]): string {
  let common = dirs[0] ?? path.resolve('.');
  for (const dir of dirs) {
    while (dir !== common && !dir.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) {
      const parent = path.dirname(common);
      if (parent === common) break;
      common = parent;
    }
  }
  return common;
}

/** Page file names: base names, unless two notebooks share one, then paths from their common folder. */
function pageFileNames(sourcePaths: readonly string[]): string[] {
  const bases = sourcePaths.map((p) => path.basename(p));
  const unique = new Set(bases).size === bases.length;
  const common = commonFolder(sourcePaths.map((p) => path.dirname(path.resolve(p))));
  const names = sourcePaths.map((p, i) => pageFileName(unique ? (bases[i] ?? p) : path.relative(common, path.resolve(p))));
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : name.replace(/\.html$/, `-${count}.html`);
  });
}

/** Plain text of markdown, roughly: for titles and summaries on the index. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\$\$[\s\S]*?\$\$/g, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The notebook's title (its first `# heading`, else the file name) and its first paragraph (markdown). */
function titleAndSummary(notebook: Notebook, sourcePath: string): { title: string; summary: string } {
  let title = '';
  let summary = '';
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'markdown') continue;
    for (const block of cellSource(cell).split(/\n\s*\n/)) {
      const heading = /^\s*#{1,2}\s+(.+)$/m.exec(block);
      if (title === '' && heading !== null && block.trim().startsWith('#')) {
        title = plainText(heading[1] ?? '');
        const rest = block.slice((heading.index ?? 0) + heading[0].length).trim();
        if (rest !== '' && summary === '') summary = rest;
      } else if (summary === '' && !block.trim().startsWith('#') && block.trim() !== '') {
        summary = block.trim();
      }
      if (title !== '' && summary !== '') break;
    }
    if (title !== '' && summary !== '') break;
  }
  if (title === '') title = path.basename(sourcePath).replace(/\.ipynb$/i, '');
  return { title, summary };
}

/** Markdown source with `attachment:name` links replaced by data URLs from the cell's attachments. */
function inlineAttachments(cell: Cell, markdown: string): string {
  const attachments = cell.cell_type === 'code' ? undefined : cell.attachments;
  if (!isJsonObject(attachments)) return markdown;
  return markdown.replace(/attachment:([^\s)"']+)/g, (match, name: string) => {
    const bundle = attachments[name];
    if (!isJsonObject(bundle)) return match;
    const mime = Object.keys(bundle).find((key) => key.startsWith('image/'));
    const data = mime === undefined ? undefined : bundle[mime];
    return typeof data === 'string' ? `data:${mime};base64,${data.replace(/\s+/g, '')}` : match;
  });
}

/** One cell as HTML; `outputsHtml`, when given, stands in for a code cell's rendered outputs. */
export function renderCell(cell: Cell, outputsHtml?: string): string {
  const source = cellSource(cell);
  if (cell.cell_type === 'markdown') {
    return `<section class="cell markdown"><div class="prompt"></div><div class="markdown">${renderMarkdown(inlineAttachments(cell, source))}</div></section>`;
  }
  if (cell.cell_type === 'raw') {
    return `<section class="cell raw"><div class="prompt"></div><pre class="text">${escapeHtml(source)}</pre></section>`;
  }
  const count = cell.execution_count === null ? ' ' : String(cell.execution_count);
  const outputs = outputsHtml ?? cell.outputs.map(renderOutput).join('\n');
  return (
    `<section class="cell code"><div class="prompt">[${count}]:</div><div class="body">` +
    `<pre class="code"><code>${highlightTypeScript(source)}</code></pre>` +
    (outputs === '' ? '' : `<div class="outputs">${outputs}</div>`) +
    `</div></section>`
  );
}

/** A whole HTML document around `body`. */
function documentHtml(title: string, body: string, scripts: readonly string[]): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/site.css">
</head>
<body>
${body}
${scripts.map((src) => `<script src="${src}"></script>`).join('\n')}
</body>
</html>
`;
}

/** A notebook's page. */
function renderPage(page: Page, previous: Page | undefined, next: Page | undefined): string {
  const cells = page.notebook.cells.map((cell) => renderCell(cell)).join('\n');
  const hasPlots = cells.includes('class="plot-data"');
  const link = (p: Page | undefined, label: string): string => (p === undefined ? '<span></span>' : `<a href="${escapeHtml(p.file)}">${label}</a>`);
  const body =
    `<header class="site"><a href="index.html">← All notebooks</a><span>${escapeHtml(page.sourcePath)}</span></header>\n` +
    `<main>\n${cells}\n</main>\n` +
    `<footer class="site">${link(previous, `← ${escapeHtml(previous?.title ?? '')}`)}${link(next, `${escapeHtml(next?.title ?? '')} →`)}</footer>`;
  return documentHtml(page.title, body, hasPlots ? ['assets/plotly.min.js', 'assets/site.js'] : []);
}

/** The index page: every notebook with its summary and test results. */
function renderIndex(pages: readonly Page[]): string {
  const items = pages.map((page) => {
    const results = readTestResults(page.notebook);
    const t = totals(results);
    const tests =
      results.length === 0
        ? ''
        : ` · <span class="tests ${t.failed === 0 ? 'pass' : 'fail'}">${t.passed}/${results.length} tests passed</span>`;
    const cells = page.notebook.cells.filter((cell) => cell.cell_type === 'code').length;
    return (
      `<li><a class="name" href="${escapeHtml(page.file)}">${escapeHtml(page.title)}</a>` +
      (page.summary === '' ? '' : `<div class="summary">${renderMarkdown(page.summary)}</div>`) +
      `<div class="meta">${escapeHtml(page.sourcePath)} · ${cells} code cells${tests}</div></li>`
    );
  });
  const body = `<main>\n<h1>Notebooks</h1>\n<ul class="notebooks">\n${items.join('\n')}\n</ul>\n</main>`;
  return documentHtml('Notebooks', body, []);
}

/** Copies KaTeX's stylesheet and fonts and plotly.js into `assets/`, and writes the site's CSS and JS. */
function writeAssets(outDir: string): void {
  const assets = path.join(outDir, 'assets');
  const katexDir = path.join(path.dirname(require.resolve('katex/package.json')), 'dist');
  fs.mkdirSync(path.join(assets, 'katex', 'fonts'), { recursive: true });
  fs.copyFileSync(path.join(katexDir, 'katex.min.css'), path.join(assets, 'katex', 'katex.min.css'));
  for (const font of fs.readdirSync(path.join(katexDir, 'fonts'))) {
    fs.copyFileSync(path.join(katexDir, 'fonts', font), path.join(assets, 'katex', 'fonts', font));
  }
  fs.copyFileSync(plotlyLibraryPath(), path.join(assets, 'plotly.min.js'));
  fs.writeFileSync(path.join(assets, 'site.css'), SITE_CSS.trimStart());
  fs.writeFileSync(path.join(assets, 'site.js'), SITE_JS);
}

/**
 * Writes the site into `outDir`: `index.html`, one page per notebook (in the given order) and
 * `assets/` (plotly.js, KaTeX CSS and fonts). Throws naming the notebook that is not nbformat 4.
 */
export function writeSite(notebooks: readonly SiteNotebook[], outDir: string): void {
  const files = pageFileNames(notebooks.map((n) => n.sourcePath));
  const pages: Page[] = notebooks.map((entry, i) => {
    const notebook = parseNotebook(JSON.stringify(entry.notebook), entry.sourcePath);
    const { title, summary } = titleAndSummary(notebook, entry.sourcePath);
    return { file: files[i] as string, title, summary, sourcePath: entry.sourcePath, notebook };
  });
  fs.mkdirSync(outDir, { recursive: true });
  writeAssets(outDir);
  pages.forEach((page, i) => {
    fs.writeFileSync(path.join(outDir, page.file), renderPage(page, pages[i - 1], pages[i + 1]));
  });
  fs.writeFileSync(path.join(outDir, 'index.html'), renderIndex(pages));
}
