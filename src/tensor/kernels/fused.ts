/**
 * Fused kernels: loops that do in one pass what a composition of ops would do in several, each
 * written to give the composition's result (see the tests, which hold each one to its composition).
 */
import type { DataArray } from '../dtype';
import type { Generator } from '../random';

/** Rounds to float32 when `single`, so a fused loop rounds where the composition's float32 tensors would. */
function rounder(single: boolean): (v: number) => number {
  return single ? Math.fround : (v: number) => v;
}

/**
 * Softmax cross-entropy per row of `logits` [n, c] against class indices `labels`, with the target
 * q = hit · onehot(label) + spread on every class, computed step for step (and rounding for rounding,
 * in float32) as the composition -Σ_k q_k (x_k - lse) with lse = log Σ_k e^(x_k - m) + m, m the row's
 * maximum (0 when that is not finite). Terms with q_k = 0 are left out of the sum, so a -∞ logit of
 * another class gives a finite loss (as PyTorch) instead of 0 · ∞ = NaN. Writes m and the sum of
 * e^(x_k - m) of each row into `stats` [n, 2] for the gradient.
 */
export function crossEntropyRows(
  logits: DataArray, n: number, c: number, labels: Int32Array, hit: number, spread: number, losses: DataArray, stats: Float64Array,
): void {
  const r = rounder(logits instanceof Float32Array);
  const qOther = r(spread);
  const qLabel = r(qOther + hit);
  for (let i = 0; i < n; i++) {
    const o = i * c;
    let m = -Infinity;
    for (let k = 0; k < c; k++) {
      const v = logits[o + k];
      if (v > m || v !== v) m = v;
    }
    if (!Number.isFinite(m)) m = 0;
    let s = 0;
    for (let k = 0; k < c; k++) s += r(Math.exp(r(logits[o + k] - m)));
    s = r(s);
    const lse = r(r(Math.log(s)) + m);
    const label = o + labels[i];
    let total = 0;
    for (let k = o; k < o + c; k++) {
      const q = k === label ? qLabel : qOther;
      if (q !== 0) total += r(r(logits[k] - lse) * q);
    }
    losses[i] = -r(total);
    stats[2 * i] = m;
    stats[2 * i + 1] = s;
  }
}

/**
 * The gradient of `crossEntropyRows`, g · (softmax - q) in exact arithmetic, computed as the
 * composition's backward does: out_k = g_lsm,k + (-(Σ_j g_lsm,j) / s) · e^(x_k - m) with g_lsm,k = -g · q_k.
 */
export function crossEntropyRowsGrad(
  logits: DataArray, n: number, c: number, labels: Int32Array, hit: number, spread: number, stats: Float64Array, g: DataArray, out: DataArray,
): void {
  const r = rounder(logits instanceof Float32Array);
  const qOther = r(spread);
  const qLabel = r(qOther + hit);
  for (let i = 0; i < n; i++) {
    const o = i * c;
    const gi = -g[i];
    const label = o + labels[i];
    let total = 0;
    for (let k = o; k < o + c; k++) {
      const gl = r(gi * (k === label ? qLabel : qOther));
      out[k] = gl;
      total += gl;
    }
    const m = stats[2 * i];
    const perExp = r(-r(total) / stats[2 * i + 1]);
    for (let k = o; k < o + c; k++) out[k] = r(out[k] + r(perExp * r(Math.exp(r(logits[k] - m)))));
  }
}

/** out[r, j] += bias[j] for every row r of out [rows, bias.length] (a bias added to a product in place). */
export function addRowVector(out: DataArray, bias: DataArray, rows: number): void {
  const cols = bias.length;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[o + j] += bias[j];
  }
}

/** out[j] = Σ_r g[r, j] over the rows of g [rows, out.length], summed row by row in out's precision. */
export function columnSums(g: DataArray, rows: number, out: DataArray): void {
  const cols = out.length;
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j] += g[o + j];
  }
}

/** Elements per chunk of dropout's mask, and their two draws each (one reused buffer, so a mask costs no allocation of its own). */
const CHUNK = 1024;
const DRAWS = new Int32Array(2 * CHUNK);
const DRAWS_UINT32 = new Uint32Array(DRAWS.buffer);

/** [0, scale]: the factor of a dropped (keep 0) and a kept (keep 1) element, looked up instead of branched on. */
function keepFactors(scale: number): Float64Array {
  const factors = new Float64Array(2);
  factors[1] = scale;
  return factors;
}

/**
 * Inverted dropout in one pass: for each element, draws u = generator.uniform() and writes out[i] = x[i] · scale
 * and keep[i] = 1 when u >= p, out[i] = x[i] · 0 and keep[i] = 0 otherwise (as x times a 0/scale mask).
 * The draws come in chunks from the generator's stream (the same numbers as uniform() calls), and
 * kept or dropped, a coin toss for p = 1/2, is computed without a branch: a branch would be
 * mispredicted every other element.
 */
export function dropoutForward(x: DataArray, p: number, scale: number, generator: Generator, out: DataArray, keep: Uint8Array): void {
  // uniform() is (hi · 2^26 + lo) / 2^53 with hi the top 27 bits of one draw and lo the top 26 of
  // the next, so u >= p exactly when hi · 2^26 + lo >= t = ceil(p · 2^53), i.e. when hi > th, or
  // hi = th and lo >= tl (th, tl: t's high and low parts). In int32 arithmetic: the sign of hi - th
  // (-1, 0 or 1) times 2^27 plus lo - tl (|lo - tl| < 2^26) has the sign of the whole difference.
  const t = Math.ceil(p * 9007199254740992);
  const th = Math.floor(t / 67108864);
  const tl = t - th * 67108864;
  const factors = keepFactors(scale);
  for (let start = 0; start < out.length; start += CHUNK) {
    const m = Math.min(CHUNK, out.length - start);
    generator.fillUint32(m === CHUNK ? DRAWS_UINT32 : DRAWS_UINT32.subarray(0, 2 * m));
    for (let j = 0; j < m; j++) {
      const c = (DRAWS[2 * j] >>> 5) - th;
      const sign = (c >> 31) | (-c >>> 31);
      const kept = ~((sign << 27) + ((DRAWS[2 * j + 1] >>> 6) - tl)) >>> 31;
      keep[start + j] = kept;
      out[start + j] = x[start + j] * factors[kept];
    }
  }
}

/** The gradient of `dropoutForward`: out[i] = g[i] · (keep[i] ? scale : 0), looked up rather than branched on; out may be g. */
export function dropoutGrad(g: DataArray, keep: Uint8Array, scale: number, out: DataArray): void {
  const factors = keepFactors(scale);
  for (let i = 0; i < out.length; i++) out[i] = g[i] * factors[keep[i]];
}

/** The fused kernels, as the backend switch hands them out. */
export const fusedKernels = { crossEntropyRows, crossEntropyRowsGrad, addRowVector, columnSums, dropoutForward, dropoutGrad };
