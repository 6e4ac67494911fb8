/**
 * Tick labels for logarithmic axes. Left to itself Plotly labels a log axis with SI prefixes
 * (`100μ`, `10n`, `1p`) and, over a decade or two, marks 2 and 5 by their first digit only (0.5
 * reads "5"). The builders give every log axis explicit ticks instead:
 * - spanning two decades or more: powers of ten, `10⁻⁶ 10⁻⁴ 10⁻²` (every k-th decade when there are
 *   many, so that at most about eight are labelled);
 * - a narrower span: 1-2-5 (or 1-2-...-9) steps as plain numbers (`0.2 0.5 1 2`), or all written as
 *   `m×10ᵏ` when some would need more than three zeros.
 * Labels use Plotly's `<sup>` markup, which plotly.js 3.x draws as a superscript.
 */
import type { Layout, Trace } from './types';

/** Ticks and labels for a log axis over [lo, hi] (0 < lo < hi): Plotly axis attributes. */
export function logAxisTicks(lo: number, hi: number): Layout {
  const decades = Math.log10(hi) - Math.log10(lo);
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  // Below a third of a decade Plotly's own (linear) ticks already read well.
  if (!(decades >= 0.3) || !Number.isFinite(decades)) return { exponentformat: 'power' };
  const tickvals: number[] = [];
  if (decades >= 2) {
    const step = Math.ceil(decades / 8);
    for (let k = Math.floor(first / step) * step; k <= last; k += step) tickvals.push(10 ** k);
    return { exponentformat: 'power', tickmode: 'array', tickvals, ticktext: tickvals.map((v) => power(Math.round(Math.log10(v)))) };
  }
  const mantissas = decades >= 0.7 ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (let k = first; k <= last; k += 1) for (const m of mantissas) tickvals.push(Number(`${m}e${k}`));
  const inView = tickvals.filter((v) => v >= lo && v <= hi);
  const plain = inView.every((v) => v >= 1e-3 && v < 1e4);
  return { exponentformat: 'power', tickmode: 'array', tickvals, ticktext: tickvals.map((v) => (plain ? String(v) : scientific(v))) };
}

/** `10<sup>k</sup>` with a true minus sign, as Plotly writes powers. */
function power(k: number): string {
  return `10<sup>${k < 0 ? `\u2212${-k}` : k}</sup>`;
}

/** `m×10<sup>k</sup>` for a value m·10^k with a one-digit m (1× is left out). */
function scientific(v: number): string {
  const k = Math.floor(Math.log10(v) + 1e-9);
  const m = Math.round(v / 10 ** k);
  return m === 1 ? power(k) : `${m}\u00d7${power(k)}`;
}

/** The smallest and largest positive finite numbers in `values`, or null when there are none. */
function positiveExtent(values: readonly unknown[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Gives the log axes of a single chart (`xaxis`, `yaxis` of `layout`) their ticks, from the axis'
 * range when it has one, else from the values the traces put on it. Changes `layout` in place.
 */
export function labelLogAxes(layout: Layout, data: readonly Trace[]): void {
  for (const letter of ['x', 'y'] as const) {
    const axis = layout[`${letter}axis`] as Layout | undefined;
    if (axis === undefined || axis['type'] !== 'log') continue;
    const range = axis['range'];
    let extent: [number, number] | null = null;
    if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') {
      extent = [10 ** Math.min(range[0], range[1]), 10 ** Math.max(range[0], range[1])];
    } else {
      const values: unknown[] = [];
      for (const trace of data) {
        const column = trace[letter];
        if (Array.isArray(column)) for (const v of column) values.push(v);
      }
      extent = positiveExtent(values);
    }
    if (extent === null) axis['exponentformat'] = 'power';
    else if (extent[0] === extent[1]) Object.assign(axis, logAxisTicks(extent[0] / 2, extent[1] * 2));
    else Object.assign(axis, logAxisTicks(extent[0], extent[1]));
  }
}
