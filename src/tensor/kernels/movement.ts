/** Data movement kernels: strided copies for permute and broadcastTo, and axis slicing for cat. */
import type { DataArray } from '../dtype';
import { stridesOf, type Shape } from '../shape';
import { broadcastStrides, forEachRow } from './strided';

/** Writes `x` (of `shape`) permuted by `axes` into `out`: out axis i is input axis axes[i]. */
export function permuteInto(x: DataArray, shape: Shape, axes: readonly number[], out: DataArray): void {
  const inStrides = stridesOf(shape);
  const outShape = axes.map((a) => shape[a]);
  const srcStrides = axes.map((a) => inStrides[a]);
  copyStrided(x, srcStrides, outShape, out);
}

/** Writes `x` (of `shape`) broadcast to `outShape` into `out`. */
export function broadcastInto(x: DataArray, shape: Shape, outShape: Shape, out: DataArray): void {
  copyStrided(x, broadcastStrides(shape, outShape), outShape, out);
}

/** out[index over outShape] = src[sum index*srcStrides]. */
export function copyStrided(src: DataArray, srcStrides: readonly number[], outShape: Shape, out: DataArray): void {
  forEachRow(outShape, srcStrides, srcStrides, (o, so, _bo, n, step) => {
    if (step === 1) out.set(src.subarray(so, so + n), o);
    else for (let j = 0; j < n; j++) out[o + j] = src[so + j * step];
  });
}

/**
 * Copies a block along `axis`: views the tensors as [outer, axisLen, inner] and moves `count` slices
 * starting at `srcStart` of `src` to `dstStart` of `dst`.
 */
export function copyAxisBlock(
  src: DataArray,
  srcAxisLen: number,
  srcStart: number,
  dst: DataArray,
  dstAxisLen: number,
  dstStart: number,
  count: number,
  outer: number,
  inner: number,
): void {
  const len = count * inner;
  for (let o = 0; o < outer; o++) {
    const s = (o * srcAxisLen + srcStart) * inner;
    const d = (o * dstAxisLen + dstStart) * inner;
    dst.set(src.subarray(s, s + len), d);
  }
}
