/**
 * Displaying figures in a notebook: `show` for one chart, `liveChart` for a chart redrawn in place.
 *
 * One display output carries three forms and each front end picks the one it renders:
 * `application/vnd.plotly.v1+json` (JupyterLab with the plotly package, VS Code), `text/html`
 * (exported HTML, classic notebook) and `text/plain` (a one-line description; plain Node prints it).
 */
import { displayBundle, inKernel, newDisplayId, type MimeBundle } from '../display/kernel';
import { describeFigure } from './describe';
import { figureHtml, libraryScript, PLOTLY_CONFIG } from './html';
import type { Figure } from './types';
import { describeValue } from './values';

/** The MIME type of Plotly figures in Jupyter front ends. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

// Kept on globalThis so that two copies of gradlab loaded in one kernel still inline plotly.js once.
const INLINED = Symbol.for('gradlab.plot.plotlyInlined');
const state = globalThis as unknown as { [INLINED]?: boolean };

/** Claims the right to inline plotly.js: true only the first time in this kernel process. */
function claimLibrary(): boolean {
  if (state[INLINED] === true) return false;
  state[INLINED] = true;
  return true;
}

/** Throws unless `figure` looks like a Plotly figure `{data: [...], layout: {...}}`. */
export function checkFigure(fn: string, figure: unknown): Figure {
  const f = figure as { data?: unknown; layout?: unknown } | null;
  const ok =
    typeof f === 'object' && f !== null && Array.isArray(f.data) &&
    typeof f.layout === 'object' && f.layout !== null && !Array.isArray(f.layout);
  if (!ok) throw new TypeError(`${fn}: expected a Plotly figure {data: [...], layout: {...}}, got ${describeValue(figure)}`);
  return figure as Figure;
}

/** The three forms of one chart; `includeLibrary` puts plotly.js itself into the html form. */
export function figureBundle(figure: Figure, includeLibrary: boolean): MimeBundle {
  return {
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout, config: PLOTLY_CONFIG },
    'text/html': figureHtml(figure, newDisplayId('gradlab-plot'), includeLibrary),
    'text/plain': describeFigure(figure),
  };
}

/** A blank block as tall as the figure, shown for an instant between two versions of a live chart. */
function placeholderBundle(figure: Figure): MimeBundle {
  const height = typeof figure.layout['height'] === 'number' ? figure.layout['height'] : 400;
  return { 'text/html': `<div style="height: ${height}px"></div>`, 'text/plain': describeFigure(figure) };
}

/** Displays a figure as one notebook output; outside a kernel prints its one-line description. */
export function show(figure: Figure): void {
  checkFigure('show', figure);
  if (!inKernel()) {
    displayBundle({ 'text/plain': describeFigure(figure) });
    return;
  }
  displayBundle(figureBundle(figure, claimLibrary()));
}

/** A chart that redraws in place, e.g. a training curve updated every epoch. */
export interface LiveChart {
  /** The display id of the output this chart replaces. */
  readonly displayId: string;
  /**
   * Replaces the chart with `figure`. The promise resolves once the event loop has turned, so
   * `await chart.update(fig)` inside a training loop lets the front end redraw while training runs.
   */
  update(figure: Figure): Promise<void>;
}

/** Creates a live chart; it appears at the first `update` (or at once when `initial` is given). */
export function liveChart(initial?: Figure): LiveChart {
  const displayId = newDisplayId('gradlab-live');
  let shown = false;
  const update = (figure: Figure): Promise<void> => {
    checkFigure('liveChart.update', figure);
    if (!inKernel()) {
      displayBundle({ 'text/plain': describeFigure(figure) });
    } else {
      // An update replaces the whole output, so the library goes into an output of its own that
      // stays put; otherwise the last update of the first chart would drop it from the notebook.
      if (!shown && claimLibrary()) displayBundle({ 'text/html': libraryScript(), 'text/plain': '' });
      // JupyterLab reuses an output's renderer while its preferred MIME type stays the same, and
      // the Plotly renderer ignores new data once it has drawn. A same-height placeholder in between
      // switches the MIME type, so the chart is drawn afresh; the saved output is the last update.
      if (shown) displayBundle(placeholderBundle(figure), { displayId, update: true });
      displayBundle(figureBundle(figure, false), { displayId, update: shown });
    }
    shown = true;
    return new Promise((resolve) => setImmediate(resolve));
  };
  if (initial !== undefined) void update(initial);
  return { displayId, update };
}
