/** Gradient clipping by global norm (PyTorch's `clip_grad_norm_`). */
import { Tensor } from '../autograd/tensor';
import { checkOptions } from '../util/options';

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2; Infinity for the max norm). */
  readonly normType?: number;
  /** Throw when the total norm is NaN or infinite (default false). */
  readonly errorIfNonfinite?: boolean;
}

/**
 * Rescales all gradients together so their global norm ||(g_1, ..., g_k)|| is at most maxNorm:
 * g = g · min(1, maxNorm / (norm + 1e-6)). Returns the norm before clipping. Parameters without a
 * gradient are skipped; a NaN norm makes every gradient NaN, as PyTorch does.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, options: ClipGradNormOptions = {}): number {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) throw new RangeError(`clipGradNorm: maxNorm must be a number >= 0, got ${String(maxNorm)}`);
  checkOptions('clipGradNorm', options, ['normType', 'errorIfNonfinite']);
  const p = options.normType ?? 2;
  if (typeof p !== 'number' || !(p > 0)) throw new RangeError(`clipGradNorm: normType must be > 0 or Infinity, got ${String(p)}`);
  const grads: Tensor[] = [];
  let i = 0;
  for (const t of params) {
    if (!(t instanceof Tensor)) throw new TypeError(`clipGradNorm: params[${i}] is not a Tensor`);
    if (t.grad !== null) grads.push(t.grad);
    i++;
  }
  let norm = 0;
  if (p === Infinity) {
    for (const g of grads) for (let j = 0; j < g.size; j++) norm = Math.max(norm, Math.abs(g.data[j]));
  } else {
    let total = 0;
    for (const g of grads) {
      const d = g.data;
      if (p === 2) for (let j = 0; j < d.length; j++) total += d[j] * d[j];
      else for (let j = 0; j < d.length; j++) total += Math.pow(Math.abs(d[j]), p);
    }
    norm = Math.pow(total, 1 / p);
  }
  if (options.errorIfNonfinite === true && !Number.isFinite(norm)) {
    throw new Error(`clipGradNorm: the total norm of the gradients is ${norm}; some gradient is NaN or infinite`);
  }
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  // A NaN norm gives a NaN coefficient that spreads to every gradient, as in PyTorch: a silent
  // partial update would hide the problem (pass errorIfNonfinite to stop at it instead).
  if (!(coef >= 1)) for (const g of grads) for (let j = 0; j < g.size; j++) g.data[j] *= coef;
  return norm;
}
