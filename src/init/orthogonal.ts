/** Orthogonal initialization: the weight's columns (or rows) are orthonormal, so it preserves norms. */
import type { Tensor } from '../autograd/tensor';
import { defaultGenerator } from '../tensor/random';
import { formatShape } from '../tensor/shape';
import type { InitOptions } from './basic';

/** Options of `orthogonal`. */
export interface OrthogonalOptions extends InitOptions {
  /** Multiplies the orthogonal matrix (default 1). */
  readonly gain?: number;
}

/**
 * Fills `t` (viewed as [rows = shape[0], cols = the rest]) with gain · Q, where Q comes from the QR
 * decomposition of a standard normal matrix with R's diagonal made positive (as PyTorch): Q has
 * orthonormal columns when rows >= cols, else orthonormal rows; its entries have std gain / √max(rows, cols).
 */
export function orthogonal(t: Tensor, options: OrthogonalOptions = {}): Tensor {
  if (t.ndim < 2) throw new RangeError(`init.orthogonal: needs a tensor with at least 2 dimensions, got shape ${formatShape(t.shape)}`);
  const gain = options.gain ?? 1;
  const g = options.generator ?? defaultGenerator();
  const rows = t.shape[0];
  const cols = t.size / rows;
  if (rows === 0 || cols === 0) return t;
  // Work on the tall orientation: `count` vectors of length `len`, one per column of the tall matrix.
  const len = Math.max(rows, cols);
  const count = Math.min(rows, cols);
  const flat = new Float64Array(rows * cols);
  for (let i = 0; i < flat.length; i++) flat[i] = g.normal();
  const vectors = new Float64Array(count * len);
  // Column j of the tall matrix A (A = flat as [rows, cols] if rows >= cols, else its transpose).
  for (let j = 0; j < count; j++) {
    for (let i = 0; i < len; i++) vectors[j * len + i] = rows >= cols ? flat[i * cols + j] : flat[j * cols + i];
  }
  // Modified Gram-Schmidt, which yields Q with R's diagonal positive.
  for (let j = 0; j < count; j++) {
    const vj = j * len;
    let norm = 0;
    for (let i = 0; i < len; i++) norm += vectors[vj + i] * vectors[vj + i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < len; i++) vectors[vj + i] /= norm;
    for (let k = j + 1; k < count; k++) {
      const vk = k * len;
      let dot = 0;
      for (let i = 0; i < len; i++) dot += vectors[vj + i] * vectors[vk + i];
      for (let i = 0; i < len; i++) vectors[vk + i] -= dot * vectors[vj + i];
    }
  }
  const d = t.data;
  for (let j = 0; j < count; j++) {
    for (let i = 0; i < len; i++) {
      const v = gain * vectors[j * len + i];
      if (rows >= cols) d[i * cols + j] = v;
      else d[j * cols + i] = v;
    }
  }
  return t;
}
