/**
 * Pointwise kernels on contiguous typed arrays: the forward and gradient loops of the unary ops,
 * selection, and (from ./elementwise) the broadcasting arithmetic and comparisons. Each op has its own loop (a callback shared by every op would stop V8 from inlining it). Outputs are
 * overwritten and may not overlap the inputs unless a function says so.
 */
import type { DataArray } from '../dtype';
import { arithmetic, compare } from './elementwise';

/** The unary ops with a kernel of their own. */
export type UnaryOp = 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'relu' | 'sign' | 'gelu';

/** out[i] = op(x[i]). */
export function unaryForward(op: UnaryOp, x: DataArray, out: DataArray): void {
  const n = out.length;
  switch (op) {
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); return;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        // Two branches keep exp's argument negative, so neither overflows.
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case 'relu':
      if (x instanceof Float32Array && out instanceof Float32Array) {
        reluBits32(bitsOf(x), bitsOf(out));
        return;
      }
      // NaN stays NaN (v > 0 is false for it, and v === v picks it out).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? v : v === v ? 0 : v;
      }
      return;
    case 'sign': for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]); return;
    case 'gelu': for (let i = 0; i < n; i++) out[i] = x[i] * normalCdf(x[i]); return;
  }
}

/**
 * out[i] = g[i] · op'(x[i]), given the input x and the forward's output y (whichever is cheaper).
 * 'sign' has no gradient kernel: sign is piecewise constant and only used as a constant. `out` may
 * be `g` itself (each element of g is read before the same element of out is written).
 */
export function unaryGrad(op: UnaryOp, g: DataArray, x: DataArray, y: DataArray, out: DataArray): void {
  const n = out.length;
  switch (op) {
    case 'exp': for (let i = 0; i < n; i++) out[i] = g[i] * y[i]; return;
    case 'log': for (let i = 0; i < n; i++) out[i] = g[i] / x[i]; return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = g[i] / (2 * y[i]); return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = g[i] * (1 - y[i] * y[i]); return;
    case 'sigmoid': for (let i = 0; i < n; i++) out[i] = g[i] * y[i] * (1 - y[i]); return;
    case 'relu':
      if (g instanceof Float32Array && x instanceof Float32Array && out instanceof Float32Array) {
        reluGradBits32(bitsOf(g), bitsOf(x), bitsOf(out));
        return;
      }
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? g[i] : 0;
      return;
    case 'gelu':
      // d/dx x Φ(x) = Φ(x) + x φ(x).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = g[i] * (normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
      return;
    case 'sign': throw new Error('unaryGrad: sign has no gradient kernel');
  }
}

/** The bits of a float32 array, as int32 (the same memory). */
function bitsOf(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

// ReLU on float32 bit patterns, without branches: the sign of a linear layer's output is a coin
// toss, so `v > 0 ? v : 0` mispredicts about every other element, which costs several times the
// loop itself. With b the bits of v and a = b & 0x7fffffff: v is NaN when a > 0x7f800000, negative
// (or -0) when the sign bit is set, and 0 or -0 when a is 0. The results are the bits of the
// branching loops (tested on every class of value).

/** out = relu(x) on float32 bits: x where its sign bit is clear or it is NaN, else +0. */
function reluBits32(x: Int32Array, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) {
    const b = x[i];
    const nan = (0x7f800000 - (b & 0x7fffffff)) >> 31;
    out[i] = b & (~(b >> 31) | nan);
  }
}

/** out = x > 0 ? g : +0 on float32 bits: g where x's sign bit is clear, x is not ±0 and not NaN. */
function reluGradBits32(g: Int32Array, x: Int32Array, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) {
    const b = x[i];
    const a = b & 0x7fffffff;
    const nan = (0x7f800000 - a) >> 31;
    out[i] = g[i] & ~((b >> 31) | nan | ((a - 1) >> 31));
  }
}

/** out[i] = x[i] ** p, with x² and √x computed exactly as x·x and Math.sqrt. */
export function powForward(x: DataArray, p: number, out: DataArray): void {
  const n = out.length;
  if (p === 2) for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
  else if (p === 0.5) for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
  else for (let i = 0; i < n; i++) out[i] = Math.pow(x[i], p);
}

/** out[i] = g[i] · p · x[i] ** (p - 1) (0 for p = 0, 2 g x for p = 2). */
export function powGrad(g: DataArray, x: DataArray, p: number, out: DataArray): void {
  const n = out.length;
  if (p === 0) out.fill(0);
  else if (p === 2) for (let i = 0; i < n; i++) out[i] = 2 * g[i] * x[i];
  else for (let i = 0; i < n; i++) out[i] = g[i] * p * Math.pow(x[i], p - 1);
}

const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf(x) to about 1e-15: for |x| < 6 the all-positive series
 * erf(x) = 2/sqrt(pi) · e^(-x²) · sum_n 2^n x^(2n+1) / (1·3·...·(2n+1)) (no cancellation); ±1 beyond.
 */
export function erf(x: number): number {
  if (x !== x) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  const x2 = ax * ax;
  let term = ax;
  let total = ax;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    total += term;
    if (term < total * 1e-17) break;
  }
  const value = TWO_OVER_SQRT_PI * Math.exp(-x2) * total;
  return x < 0 ? -value : value;
}

/** Φ(x) = (1 + erf(x/√2)) / 2, the standard normal CDF. */
function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x * INV_SQRT_2));
}

/** out[i] = mask[i] !== 0 ? a[i] : b[i] (where's forward, on arrays of out's length). */
export function select(mask: DataArray, a: DataArray, b: DataArray, out: DataArray): void {
  for (let i = 0; i < out.length; i++) out[i] = mask[i] !== 0 ? a[i] : b[i];
}

/** out[i] = mask[i] !== 0 ? g[i] : 0 when `keep`, else mask[i] === 0 ? g[i] : 0 (where's backward). */
export function maskedCopy(g: DataArray, mask: DataArray, keep: boolean, out: DataArray): void {
  if (keep) for (let i = 0; i < out.length; i++) out[i] = mask[i] !== 0 ? g[i] : 0;
  else for (let i = 0; i < out.length; i++) out[i] = mask[i] === 0 ? g[i] : 0;
}

/** The pointwise kernels, as the backend switch hands them out. */
export const pointwiseKernels = { arithmetic, compare, unaryForward, unaryGrad, powForward, powGrad, select, maskedCopy };
