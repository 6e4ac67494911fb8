/**
 * Fused kernels: loops that do in one pass what a composition of ops would do in several, each
 * written to give the composition's result (see the tests, which hold each one to its composition).
 */
import type { DataArray } from '../dtype';
import type { Generator } from '../random';

/**
 * Softmax cross-entropy per row of `logits` [n, c] against class indices `labels`, with the target
 * q = hit · onehot(label) + spread on every class:
 * losses[i] = -Σ_k q_k (x_k - lse_i), lse_i = m + log Σ_k e^(x_k - m) with m the row's maximum
 * (0 when that is not finite). Terms with q_k = 0 are skipped, so a -∞ logit of another class does
 * not turn the loss into NaN. Writes lse_i into `lse` for the gradient.
 */
export function crossEntropyRows(
  logits: DataArray, n: number, c: number, labels: Int32Array, hit: number, spread: number, losses: DataArray, lse: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const o = i * c;
    let m = -Infinity;
    for (let k = 0; k < c; k++) {
      const v = logits[o + k];
      if (v > m || v !== v) m = v;
    }
    if (!Number.isFinite(m)) m = 0;
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.exp(logits[o + k] - m);
    const l = Math.log(s) + m;
    lse[i] = l;
    let loss = 0;
    if (spread !== 0) for (let k = 0; k < c; k++) loss -= spread * (logits[o + k] - l);
    if (hit !== 0) loss -= hit * (logits[o + labels[i]] - l);
    losses[i] = loss;
  }
}

/** The gradient of `crossEntropyRows`: out[i, k] = g[i] · (softmax_ik - q_ik), with softmax_ik = e^(x_ik - lse_i). */
export function crossEntropyRowsGrad(
  logits: DataArray, n: number, c: number, labels: Int32Array, hit: number, spread: number, lse: Float64Array, g: DataArray, out: DataArray,
): void {
  for (let i = 0; i < n; i++) {
    const o = i * c;
    const gi = g[i];
    const l = lse[i];
    for (let k = 0; k < c; k++) out[o + k] = gi * (Math.exp(logits[o + k] - l) - spread);
    out[o + labels[i]] -= gi * hit;
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

/**
 * Inverted dropout in one pass: for each element, draws u = generator.uniform() and writes out[i] = x[i] · scale
 * and keep[i] = 1 when u >= p, out[i] = x[i] · 0 and keep[i] = 0 otherwise (as x times a 0/scale mask).
 */
export function dropoutForward(x: DataArray, p: number, scale: number, generator: Generator, out: DataArray, keep: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const kept = generator.uniform() >= p;
    keep[i] = kept ? 1 : 0;
    out[i] = x[i] * (kept ? scale : 0);
  }
}

/** The gradient of `dropoutForward`: out[i] = g[i] · (keep[i] ? scale : 0). */
export function dropoutGrad(g: DataArray, keep: Uint8Array, scale: number, out: DataArray): void {
  for (let i = 0; i < out.length; i++) out[i] = g[i] * (keep[i] !== 0 ? scale : 0);
}

/** The fused kernels, as the backend switch hands them out. */
export const fusedKernels = { crossEntropyRows, crossEntropyRowsGrad, addRowVector, columnSums, dropoutForward, dropoutGrad };
