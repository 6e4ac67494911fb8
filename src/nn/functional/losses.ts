/**
 * Loss functions: cross-entropy (with label smoothing) as a fused op checked against its composition;
 * negative log-likelihood and mean squared error composed from core primitives. Labels are integer class indices (see `Labels`).
 */
import { fromOp } from '../../autograd/record';
import { Tensor } from '../../autograd/tensor';
import { allocate } from '../../tensor/dtype';
import { kernels } from '../../tensor/kernels/backend';
import { formatShape, sameShape } from '../../tensor/shape';
import { mul, neg, sub } from '../../ops/elementwise';
import { mean, sum } from '../../ops/reduce';
import { checkTensor } from '../../ops/util';
import { checkOptions } from '../../util/options';
import { labelIndices, type Labels } from './labels';

/** How per-example losses combine: their mean (default), their sum, or none (one loss per example). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions {
  /** ε in [0, 1]: the target puts 1 - ε + ε/C on the true class and ε/C on every other (default 0). */
  readonly labelSmoothing?: number;
  readonly reduction?: Reduction;
}

/** Options of `nllLoss` and `mseLoss`. */
export interface LossOptions {
  readonly reduction?: Reduction;
}

function reduce(losses: Tensor, reduction: Reduction | undefined, op: string): Tensor {
  const r = reduction ?? 'mean';
  if (r === 'mean') return mean(losses);
  if (r === 'sum') return sum(losses);
  if (r === 'none') return losses;
  throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
}

function checkLogits(logits: Tensor, op: string, what: string): [number, number] {
  checkTensor(logits, op, what);
  if (logits.ndim !== 2) {
    throw new RangeError(`${op}: ${what} must be [N, C] (one row of class scores per example), got shape ${formatShape(logits.shape)}`);
  }
  return [logits.shape[0], logits.shape[1]];
}

/** One-hot target rows: 1 on each example's class. */
function targetRows(idx: Int32Array, c: number, like: Tensor): Tensor {
  const data = allocate(like.dtype, idx.length * c);
  for (let i = 0; i < idx.length; i++) data[i * c + idx[i]] = 1;
  return new Tensor(data, [idx.length, c]);
}

/**
 * Softmax cross-entropy of `logits` [N, C] against integer `labels`:
 * loss_i = -sum_k q_ik log softmax(logits_i)_k with q_i = (1 - ε) onehot(y_i) + ε / C,
 * i.e. (1 - ε) · nll + ε · mean_k(-log p_k); averaged over the batch by default (as PyTorch).
 */
export function crossEntropy(logits: Tensor, labels: Labels, options: CrossEntropyOptions = {}): Tensor {
  const [n, c] = checkLogits(logits, 'crossEntropy', 'logits');
  checkOptions('crossEntropy', options, ['labelSmoothing', 'reduction']);
  const idx = labelIndices(labels, 'crossEntropy', c, n);
  const eps = options.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) {
    throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1], got ${String(eps)}`);
  }
  return reduce(crossEntropyRows(logits, idx, 1 - eps, eps / c), options.reduction, 'crossEntropy');
}

/**
 * The per-example losses -Σ_k q_ik log softmax(logits_i)_k with q_i = hit · onehot(y_i) + spread, as
 * one fused op: no dense target and one graph node (d/dlogits = g · (softmax - q)). It rounds as the
 * composition neg(sum(mul(logSoftmax(logits), q), 1)) does, so values and gradients are the
 * composition's bit for bit (the tests check it), and trained networks follow the same trajectory.
 */
function crossEntropyRows(logits: Tensor, idx: Int32Array, hit: number, spread: number): Tensor {
  const [n, c] = logits.shape;
  const losses = allocate(logits.dtype, n);
  const stats = new Float64Array(2 * n);
  const xd = logits.data;
  kernels().fused.crossEntropyRows(xd, n, c, idx, hit, spread, losses, stats);
  return fromOp('crossEntropy', losses, [n], [logits], (g) => {
    const gx = allocate(logits.dtype, n * c);
    kernels().fused.crossEntropyRowsGrad(xd, n, c, idx, hit, spread, stats, g.data, gx);
    return [new Tensor(gx, logits.shape)];
  }, true);
}

/** Negative log-likelihood of log-probabilities `logProbs` [N, C]: loss_i = -logProbs[i, labels[i]]. */
export function nllLoss(logProbs: Tensor, labels: Labels, options: LossOptions = {}): Tensor {
  const [n, c] = checkLogits(logProbs, 'nllLoss', 'logProbs');
  checkOptions('nllLoss', options, ['reduction']);
  const idx = labelIndices(labels, 'nllLoss', c, n);
  return reduce(neg(sum(mul(logProbs, targetRows(idx, c, logProbs)), 1)), options.reduction, 'nllLoss');
}

/**
 * Mean squared error: mean((input - target)²). The shapes must be equal: a [N, 1] output against [N]
 * targets would broadcast to [N, N] and silently compute the wrong loss.
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkTensor(input, 'mseLoss', 'input');
  checkTensor(target, 'mseLoss', 'target');
  checkOptions('mseLoss', options, ['reduction']);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(
      `mseLoss: input shape ${formatShape(input.shape)} and target shape ${formatShape(target.shape)} must be equal ` +
        `(reshape one of them; broadcasting here is almost always a bug)`,
    );
  }
  if (input.dtype !== target.dtype) {
    throw new TypeError(`mseLoss: input is ${input.dtype} but target is ${target.dtype}; convert one with .astype('${input.dtype}')`);
  }
  const d = sub(input, target);
  return reduce(mul(d, d), options.reduction, 'mseLoss');
}
