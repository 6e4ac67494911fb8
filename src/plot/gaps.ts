/**
 * Values a chart cannot draw: NaN and ±Infinity, as a float32 overflow or a diverged loss produces.
 *
 * JSON has no such numbers (JSON.stringify writes null, which Plotly draws as a gap), so a line that
 * reached Infinity would simply stop, and the reader could not tell a blow-up from missing data.
 * The builders therefore put the gaps (null) into the figure themselves, so the figure is the same
 * in memory, in the notebook file and in every front end, and write on the chart what is not drawn.
 */
import type { Layout } from './types';

/** The `name` of the annotation that lists what a chart does not draw. */
export const NOT_DRAWN_NOTE = 'not drawn';

/** `values` with NaN and ±Infinity replaced by null, the gap Plotly leaves in a line or a grid. */
export function withGaps(values: readonly number[]): (number | null)[] {
  return values.map((v) => (Number.isFinite(v) ? v : null));
}

function counted(count: number, what: string): string {
  return `${what} at ${count} ${count === 1 ? 'point' : 'points'}`;
}

/**
 * What of `values` is not finite, as `c = 3: y is Infinity at 2 points, NaN at 1 point (first at
 * x = 48)`, or null when every value is finite. `at(i)` names position i (default: `index i`).
 */
export function nonFiniteNote(
  label: string,
  values: readonly number[],
  at: (i: number) => string = (i) => `index ${i}`,
): string | null {
  let nan = 0;
  let plus = 0;
  let minus = 0;
  let first = -1;
  values.forEach((v, i) => {
    if (Number.isFinite(v)) return;
    if (first < 0) first = i;
    if (Number.isNaN(v)) nan++;
    else if (v > 0) plus++;
    else minus++;
  });
  if (first < 0) return null;
  const kinds: string[] = [];
  if (plus > 0) kinds.push(counted(plus, 'Infinity'));
  if (minus > 0) kinds.push(counted(minus, '-Infinity'));
  if (nan > 0) kinds.push(counted(nan, 'NaN'));
  return `${label} is ${kinds.join(', ')} (first at ${at(first)})`;
}

/** Writes `notes` on the chart, in its top-left corner inside the plot area; no notes, no change. */
export function addNotDrawnNote(layout: Layout, notes: readonly (string | null)[]): void {
  const lines = notes.filter((note): note is string => note !== null);
  if (lines.length === 0) return;
  const existing = Array.isArray(layout['annotations']) ? (layout['annotations'] as unknown[]) : [];
  layout['annotations'] = [
    ...existing,
    {
      name: NOT_DRAWN_NOTE,
      text: `not drawn: ${lines.join('<br>')}`,
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: 1,
      xanchor: 'left',
      yanchor: 'top',
      align: 'left',
      showarrow: false,
      bgcolor: 'rgba(255, 255, 255, 0.85)',
      bordercolor: '#d62728',
      borderwidth: 1,
      font: { size: 11, color: '#d62728' },
    },
  ];
}
