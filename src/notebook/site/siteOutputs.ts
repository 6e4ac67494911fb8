/**
 * Cell outputs as static HTML: for each output the richest form a page can show without a kernel.
 *
 * Order of preference: a gradlab test result (a pass/fail badge), a Plotly figure (drawn in the
 * browser by the site's local plotly.js), HTML, SVG, PNG/JPEG, markdown, LaTeX, JSON, plain text.
 * A Plotly figure is written as a div followed by its JSON in a `<script type="application/json">`;
 * the page's script draws every such pair.
 */
import { scriptJson } from '../../plot/html';
import { TEST_RESULT_MIME } from '../../testing/notebookTest';
import { escapeHtml } from './highlight';
import { renderMarkdown, renderMath } from './markdown';
import { isJsonObject, joinText, type MimeData, type Output } from '../nbformat';
import { parseTestResult } from '../execute/results';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Removes ANSI colour and cursor codes (kernels colour tracebacks). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/** The text of a MIME value stored as a string or as lines. */
function mimeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((line): line is string => typeof line === 'string').join('');
  return '';
}

/** A pass/fail badge for one test result. */
function testBadge(value: unknown): string {
  const result = parseTestResult(value);
  if (result === null) return `<div class="test fail">malformed test result</div>`;
  // Ungraded checks (worth 0 points) show no score.
  const points = result.maxPoints > 0 ? ` <span class="points">${result.points}/${result.maxPoints}</span>` : '';
  const mark = result.passed ? '✔' : '✘';
  const message = result.passed ? '' : `<div class="message">${escapeHtml(result.message)}</div>`;
  return `<div class="test ${result.passed ? 'pass' : 'fail'}"><span class="mark">${mark}</span> ${escapeHtml(result.name)}${points}${message}</div>`;
}

/** A Plotly figure: a sized div and its JSON for the page's drawing script. */
function plotlyFigure(value: unknown): string {
  if (!isJsonObject(value) || !Array.isArray(value['data'])) return `<pre class="text">malformed Plotly figure</pre>`;
  const layout = isJsonObject(value['layout']) ? value['layout'] : {};
  const height = typeof layout['height'] === 'number' ? layout['height'] : 400;
  const figure = { data: value['data'], layout, config: isJsonObject(value['config']) ? value['config'] : {} };
  return `<div class="plot" style="height: ${height}px"></div><script type="application/json" class="plot-data">${scriptJson(figure)}</script>`;
}

/** The HTML of one rich output bundle (display_data or execute_result). */
export function renderMimeBundle(data: MimeData): string {
  if (TEST_RESULT_MIME in data) return testBadge(data[TEST_RESULT_MIME]);
  if (PLOTLY_MIME in data) return plotlyFigure(data[PLOTLY_MIME]);
  if ('text/html' in data) return `<div class="html">${mimeText(data['text/html'])}</div>`;
  if ('image/svg+xml' in data) return `<div class="image">${mimeText(data['image/svg+xml'])}</div>`;
  for (const mime of ['image/png', 'image/jpeg', 'image/gif']) {
    if (mime in data) {
      const base64 = mimeText(data[mime]).replace(/\s+/g, '');
      // Only base64 goes into the attribute: a quote in a hostile output would otherwise add attributes (onerror=...).
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return `<pre class="text">malformed ${mime} output: not base64</pre>`;
      return `<div class="image"><img alt="" src="data:${mime};base64,${base64}"></div>`;
    }
  }
  if ('text/markdown' in data) return `<div class="markdown">${renderMarkdown(mimeText(data['text/markdown']))}</div>`;
  if ('text/latex' in data) {
    const tex = mimeText(data['text/latex']).trim().replace(/^\$\$?([\s\S]*?)\$\$?$/, '$1');
    return `<div class="math-display">${renderMath(tex, true)}</div>`;
  }
  if ('application/json' in data) return `<pre class="text">${escapeHtml(JSON.stringify(data['application/json'], null, 2))}</pre>`;
  if ('text/plain' in data) return `<pre class="text">${escapeHtml(stripAnsi(mimeText(data['text/plain'])))}</pre>`;
  return '';
}

/** The HTML of one output of a code cell. */
export function renderOutput(output: Output): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="stream ${output.name}">${escapeHtml(stripAnsi(joinText(output.text)))}</pre>`;
    case 'display_data':
    case 'execute_result':
      return renderMimeBundle(output.data);
    case 'error': {
      const trace = output.traceback.length > 0 ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`;
      return `<pre class="error">${escapeHtml(stripAnsi(trace))}</pre>`;
    }
  }
}
