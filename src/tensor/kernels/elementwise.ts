/**
 * Binary elementwise kernels on contiguous typed arrays, with NumPy broadcasting: arithmetic and
 * comparisons. Each op has a dedicated loop (a per-element callback shared by every op would stop V8
 * from inlining it).
 */
import type { DataArray } from '../dtype';
import { sameShape, type Shape } from '../shape';
import { broadcastStrides, forEachRow } from './strided';

/** The binary ops with dedicated loops. */
export type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div';

/** out[i] = x[i] op y[i] over `n` elements starting at the given offsets, with per-operand steps (0 = repeat). */
function arithmeticRun(
  op: ArithmeticOp, x: DataArray, xo: number, xs: number, y: DataArray, yo: number, ys: number, out: DataArray, o: number, n: number,
): void {
  // Four copies of one loop so that each has a single arithmetic instruction in its body.
  switch (op) {
    case 'add':
      if (xs === 1 && ys === 1) for (let j = 0; j < n; j++) out[o + j] = x[xo + j] + y[yo + j];
      else if (xs === 1 && ys === 0) { const v = y[yo]; for (let j = 0; j < n; j++) out[o + j] = x[xo + j] + v; }
      else for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] + y[yo + j * ys];
      return;
    case 'sub':
      if (xs === 1 && ys === 1) for (let j = 0; j < n; j++) out[o + j] = x[xo + j] - y[yo + j];
      else if (xs === 1 && ys === 0) { const v = y[yo]; for (let j = 0; j < n; j++) out[o + j] = x[xo + j] - v; }
      else for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] - y[yo + j * ys];
      return;
    case 'mul':
      if (xs === 1 && ys === 1) for (let j = 0; j < n; j++) out[o + j] = x[xo + j] * y[yo + j];
      else if (xs === 1 && ys === 0) { const v = y[yo]; for (let j = 0; j < n; j++) out[o + j] = x[xo + j] * v; }
      else for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] * y[yo + j * ys];
      return;
    case 'div':
      if (xs === 1 && ys === 1) for (let j = 0; j < n; j++) out[o + j] = x[xo + j] / y[yo + j];
      else if (xs === 1 && ys === 0) { const v = y[yo]; for (let j = 0; j < n; j++) out[o + j] = x[xo + j] / v; }
      else for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] / y[yo + j * ys];
      return;
  }
}

/** out = a op b broadcast to `outShape`, for the four arithmetic ops. */
export function arithmetic(
  op: ArithmeticOp, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape,
): void {
  if (sameShape(aShape, bShape)) return arithmeticRun(op, a, 0, 1, b, 0, 1, out, 0, out.length);
  if (b.length === 1 && a.length === out.length) return arithmeticRun(op, a, 0, 1, b, 0, 0, out, 0, out.length);
  if (a.length === 1 && b.length === out.length) return arithmeticRun(op, a, 0, 0, b, 0, 1, out, 0, out.length);
  forEachRow(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), (o, ao, bo, n, as, bs) => {
    arithmeticRun(op, a, ao, as, b, bo, bs, out, o, n);
  });
}

/** The comparisons with a kernel: each writes 1 where it holds and 0 elsewhere. */
export type CompareOp = 'gt' | 'lt' | 'ge' | 'le' | 'eq';

/** out[i] = (x[xo + i·xs] op y[yo + i·ys]) ? 1 : 0 over `n` elements from `o` (steps of 0 repeat). */
function compareRun(
  op: CompareOp, x: DataArray, xo: number, xs: number, y: DataArray, yo: number, ys: number, out: DataArray, o: number, n: number,
): void {
  switch (op) {
    case 'gt': for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] > y[yo + j * ys] ? 1 : 0; return;
    case 'lt': for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] < y[yo + j * ys] ? 1 : 0; return;
    case 'ge': for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] >= y[yo + j * ys] ? 1 : 0; return;
    case 'le': for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] <= y[yo + j * ys] ? 1 : 0; return;
    case 'eq': for (let j = 0; j < n; j++) out[o + j] = x[xo + j * xs] === y[yo + j * ys] ? 1 : 0; return;
  }
}

/** out = (a op b ? 1 : 0) broadcast to `outShape`, for the comparisons. */
export function compare(
  op: CompareOp, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape,
): void {
  if (sameShape(aShape, bShape)) return compareRun(op, a, 0, 1, b, 0, 1, out, 0, out.length);
  if (b.length === 1 && a.length === out.length) return compareRun(op, a, 0, 1, b, 0, 0, out, 0, out.length);
  forEachRow(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), (o, ao, bo, n, as, bs) => {
    compareRun(op, a, ao, as, b, bo, bs, out, o, n);
  });
}

/** Adds `src` into `dst` elementwise (same length). */
export function addInto(dst: DataArray, src: DataArray): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}
