/**
 * The `text/html` form of a chart: a div and a script that draws it with plotly.js.
 *
 * This form is what runs in exported HTML (nbconvert), the classic notebook and other front ends
 * without a Plotly renderer. Classrooms may be offline, so plotly.js is never loaded from a CDN: the
 * installed `plotly.js-dist-min` is inlined into the first chart a kernel shows, and every later
 * chart reuses `window.Plotly` from the same page. If that first output is gone (cleared, or the page
 * holds only part of the notebook), a chart tries a `plotly.min.js` next to the page and otherwise
 * says in the output how to get the library back (restart the kernel and run all cells).
 */
import * as fs from 'fs';
import type { Figure } from './types';

/** Plotly options for notebook charts: resize with the output area, no Plotly logo. */
export const PLOTLY_CONFIG: Readonly<Record<string, unknown>> = { responsive: true, displaylogo: false };

/** Absolute path of the installed plotly.js bundle (plotly.js-dist-min, or plotly.js-dist). */
export function plotlyLibraryPath(): string {
  for (const name of ['plotly.js-dist-min', 'plotly.js-dist']) {
    try {
      return require.resolve(name);
    } catch {
      // try the next package
    }
  }
  throw new Error('plot: plotly.js is not installed; run `npm install` (it depends on plotly.js-dist-min)');
}

let librarySource: string | null = null;

/** The plotly.js source, read once per process. */
export function plotlyLibrarySource(): string {
  if (librarySource === null) librarySource = fs.readFileSync(plotlyLibraryPath(), 'utf8');
  return librarySource;
}

/** JSON that is safe inside a `<script>` element (no `</script>` or `<!--` can appear). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A `<script>` element holding plotly.js itself (which sets `window.Plotly`). */
export function libraryScript(): string {
  return `<script type="text/javascript">${plotlyLibrarySource().replace(/<\/script/gi, '<\\/script')}</script>`;
}

const MISSING_LIBRARY =
  'This chart needs plotly.js, which gradlab embeds once per kernel run in the output of the first chart. ' +
  'That output is missing from this page: restart the kernel and run all cells, or put plotly.min.js next to this page.';

/**
 * The div and drawing script for one figure; with `includeLibrary` the plotly.js source comes first.
 * The figure's height (layout.height, default 400) sizes the div so the output does not jump.
 */
export function figureHtml(figure: Figure, divId: string, includeLibrary: boolean): string {
  const height = typeof figure.layout['height'] === 'number' ? figure.layout['height'] : 400;
  const payload = scriptJson({ data: figure.data, layout: figure.layout, config: PLOTLY_CONFIG });
  // The script finds its div as its previous sibling when it can (JupyterLab may run output scripts
  // before the output is attached to the document) and draws once the div is in the page.
  const draw = `(function () {
  var id = ${JSON.stringify(divId)}, figure = ${payload}, tries = 0, loading = false;
  var script = document.currentScript, host = script ? script.previousElementSibling : null;
  function el() { return host && host.id === id ? host : document.getElementById(id); }
  function fail() { var node = el(); if (node) { node.style.height = 'auto'; node.textContent = ${JSON.stringify(MISSING_LIBRARY)}; } }
  function loadNextToPage() {
    loading = true;
    var tag = document.createElement('script');
    tag.src = 'plotly.min.js';
    tag.onload = function () { if (window.Plotly) wait(); else fail(); };
    tag.onerror = fail;
    document.head.appendChild(tag);
  }
  function wait() {
    var node = el();
    if (window.Plotly && node && node.isConnected) {
      window.Plotly.newPlot(node, figure.data, figure.layout, figure.config);
      return;
    }
    tries += 1;
    if (!window.Plotly && tries > 20 && !loading) return loadNextToPage();
    if (tries < 600) setTimeout(wait, 100);
  }
  wait();
})();`;
  const div = `<div id="${divId}" class="gradlab-plot" style="width: 100%; height: ${height}px;"></div>`;
  return `${includeLibrary ? libraryScript() : ''}${div}<script type="text/javascript">${draw}</script>`;
}
