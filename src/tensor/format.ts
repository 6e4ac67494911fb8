/**
 * PyTorch-style printing: `tensor([[ 0.1000, -2.0000], ...])`. One number format is chosen for the
 * whole tensor (integers as `1.`, fixed with 4 decimals, or scientific when the magnitudes span more
 * than 1000x or exceed 1e8), and tensors over 1000 elements show 3 items at each end of every axis.
 */
import type { DataArray } from './dtype';
import type { Shape } from './shape';

/** What printing needs to know about a tensor. */
export interface Printable {
  readonly data: DataArray;
  readonly shape: Shape;
  readonly dtype: string;
  readonly requiresGrad: boolean;
  readonly gradNode: { readonly op: string } | null;
}

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function chooseFormatter(values: number[]): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const allInts = finite.every((v) => Number.isInteger(v));
  const abs = finite.map((v) => Math.abs(v)).filter((v) => v > 0);
  const maxAbs = abs.length ? Math.max(...abs) : 0;
  const minAbs = abs.length ? Math.min(...abs) : 0;
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  let body: (v: number) => string;
  if (allInts && maxAbs < 1e8) body = (v) => `${v.toFixed(0)}.`;
  else if (maxAbs >= 1e8 || (minAbs > 0 && (maxAbs / minAbs > 1000 || minAbs < 1e-4))) {
    body = (v) => {
      const [mant, exp] = v.toExponential(4).split('e');
      const e = Number(exp);
      return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
    };
  } else body = (v) => v.toFixed(4);
  const fmt = (v: number): string => special(v) ?? body(v);
  const width = Math.max(...values.map((v) => fmt(v).length), 1);
  return (v) => fmt(v).padStart(width);
}

function shownIndices(n: number, summarize: boolean): (number | null)[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

/** The PyTorch-style string of a tensor. */
export function formatTensor(t: Printable): string {
  const { data, shape } = t;
  const summarize = data.length > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  // Collect the values that will be shown, so the format fits them.
  const shown: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      shown.push(data[offset]);
      return;
    }
    for (const i of shownIndices(shape[axis], summarize)) if (i !== null) collect(axis + 1, offset + i * strides[axis]);
  };
  collect(0, 0);
  const fmt = chooseFormatter(shown);
  const indent = 'tensor('.length;
  const render = (axis: number, offset: number): string => {
    if (axis === shape.length) return fmt(data[offset]);
    const parts = shownIndices(shape[axis], summarize).map((i) =>
      i === null ? '...' : render(axis + 1, offset + i * strides[axis]),
    );
    if (axis === shape.length - 1) return `[${parts.join(', ')}]`;
    const newlines = '\n'.repeat(shape.length - axis - 1);
    return `[${parts.join(',' + newlines + ' '.repeat(indent + axis + 1))}]`;
  };
  const body = shape.length === 0 ? fmt(data[0]).trim() : render(0, 0);
  const extras: string[] = [];
  if (shape.length > 0 && data.length === 0) extras.push(`size=[${shape.join(', ')}]`);
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.gradNode !== null) extras.push(`gradFn=<${t.gradNode.op}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}${extras.map((e) => ', ' + e).join('')})`;
}
