/** Elementwise kernels on contiguous typed arrays, with NumPy broadcasting for binary ones. */
import type { DataArray } from '../dtype';
import { sameShape, type Shape } from '../shape';
import { broadcastStrides, forEachRow } from './strided';

/** out[i] = f(x[i]). */
export function mapUnary(x: DataArray, out: DataArray, f: (v: number) => number): void {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

/** out[i] = f(x[i], y[i]) for same-length arrays. */
export function mapBinarySame(x: DataArray, y: DataArray, out: DataArray, f: (a: number, b: number) => number): void {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i], y[i]);
}

/** out = f(a, b) broadcast to `outShape`, where a has `aShape` and b has `bShape`. */
export function mapBinary(
  a: DataArray,
  aShape: Shape,
  b: DataArray,
  bShape: Shape,
  out: DataArray,
  outShape: Shape,
  f: (x: number, y: number) => number,
): void {
  if (sameShape(aShape, bShape)) return mapBinarySame(a, b, out, f);
  if (b.length === 1 && a.length === out.length) {
    const s = b[0];
    for (let i = 0; i < a.length; i++) out[i] = f(a[i], s);
    return;
  }
  if (a.length === 1 && b.length === out.length) {
    const s = a[0];
    for (let i = 0; i < b.length; i++) out[i] = f(s, b[i]);
    return;
  }
  forEachRow(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), (o, ao, bo, n, as, bs) => {
    for (let j = 0; j < n; j++) out[o + j] = f(a[ao + j * as], b[bo + j * bs]);
  });
}

/** Adds `src` into `dst` elementwise (same length). */
export function addInto(dst: DataArray, src: DataArray): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}
