/** Reduction kernels: sum and max over any set of axes of a contiguous tensor. */
import type { DataArray } from '../dtype';
import { stridesOf, type Shape } from '../shape';
import { forEachRow } from './strided';

/** Output strides over the input's shape with 0 on reduced axes (the output keeps the other axes in order). */
function reduceStrides(shape: Shape, axes: readonly number[]): number[] {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptStrides = stridesOf(kept);
  return shape.map((_, i) => (axes.includes(i) ? 0 : keptStrides[i]));
}

/** out (zero-filled, the reduced size) += x summed over `axes`. */
export function sumAxes(x: DataArray, shape: Shape, axes: readonly number[], out: DataArray): void {
  if (axes.length === shape.length || out.length === 1) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    out[0] = s;
    return;
  }
  const last = shape.length - 1;
  if (axes.length === 1 && axes[0] === last) {
    // Row sums: the common case (softmax, layer norm, losses).
    const n = shape[last];
    for (let r = 0; r < out.length; r++) {
      let s = 0;
      const o = r * n;
      for (let j = 0; j < n; j++) s += x[o + j];
      out[r] = s;
    }
    return;
  }
  const outStrides = reduceStrides(shape, axes);
  forEachRow(shape, outStrides, outStrides, (i, oo, _b, n, step) => {
    if (step === 0) {
      let s = 0;
      for (let j = 0; j < n; j++) s += x[i + j];
      out[oo] += s;
    } else for (let j = 0; j < n; j++) out[oo + j] += x[i + j];
  });
}

/** out = max of x over `axes` (out is overwritten). */
export function maxAxes(x: DataArray, shape: Shape, axes: readonly number[], out: DataArray): void {
  out.fill(-Infinity);
  const outStrides = reduceStrides(shape, axes);
  forEachRow(shape, outStrides, outStrides, (i, oo, _b, n, step) => {
    for (let j = 0; j < n; j++) {
      const v = x[i + j];
      const k = oo + j * step;
      // NaN propagates, as in PyTorch.
      if (v > out[k] || v !== v) out[k] = v;
    }
  });
}

/** Index of the largest element along `axis` (first on ties), viewing x as [outer, len, inner]. */
export function argmaxAxis(x: DataArray, outer: number, len: number, inner: number, out: DataArray): void {
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      let best = -Infinity;
      let arg = 0;
      for (let j = 0; j < len; j++) {
        const v = x[(o * len + j) * inner + q];
        if (v > best || (v !== v && best === best)) {
          best = v;
          arg = j;
        }
      }
      out[o * inner + q] = arg;
    }
  }
}
