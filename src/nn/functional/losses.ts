/**
 * Loss functions, composed from core primitives: cross-entropy (with label smoothing), negative
 * log-likelihood, and mean squared error. Labels are integer class indices (see `Labels`).
 */
import { Tensor } from '../../autograd/tensor';
import { allocate } from '../../tensor/dtype';
import { formatShape, sameShape } from '../../tensor/shape';
import { mul, neg, sub } from '../../ops/elementwise';
import { mean, sum } from '../../ops/reduce';
import { checkTensor } from '../../ops/util';
import { checkOptions } from '../../util/options';
import { logSoftmax } from './activations';
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

/** Target rows: weight `hit` on each example's class plus `spread` on every class. */
function targetRows(idx: Int32Array, c: number, like: Tensor, hit: number, spread: number): Tensor {
  const data = allocate(like.dtype, idx.length * c);
  if (spread !== 0) data.fill(spread);
  for (let i = 0; i < idx.length; i++) data[i * c + idx[i]] += hit;
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
  const target = targetRows(idx, c, logits, 1 - eps, eps / c);
  return reduce(neg(sum(mul(logSoftmax(logits, 1), target), 1)), options.reduction, 'crossEntropy');
}

/** Negative log-likelihood of log-probabilities `logProbs` [N, C]: loss_i = -logProbs[i, labels[i]]. */
export function nllLoss(logProbs: Tensor, labels: Labels, options: LossOptions = {}): Tensor {
  const [n, c] = checkLogits(logProbs, 'nllLoss', 'logProbs');
  checkOptions('nllLoss', options, ['reduction']);
  const idx = labelIndices(labels, 'nllLoss', c, n);
  return reduce(neg(sum(mul(logProbs, targetRows(idx, c, logProbs, 1, 0)), 1)), options.reduction, 'nllLoss');
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
