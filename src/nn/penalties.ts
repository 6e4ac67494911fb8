/**
 * Explicit weight penalties for the regularization lecture: loss + λ/2 · l2Penalty(model) has the
 * gradient λ·w on each weight, the same term SGD's `weightDecay: λ` adds.
 *
 * By default only weights (parameters with 2 or more dimensions) are penalized, not biases or
 * normalization scales/shifts (1-D): a bias only shifts a unit's output, it does not make the
 * function steeper, so shrinking it reduces no overfitting but can hurt the fit (e.g. offsets the
 * data needs), and the few bias values carry little capacity anyway.
 */
import { Tensor } from '../autograd/tensor';
import { abs, add, mul } from '../ops/elementwise';
import { sum } from '../ops/reduce';
import { tensor } from '../ops/creation';
import { checkOptions } from '../util/options';
import { Module } from './module';

/** Options of the penalties. */
export interface PenaltyOptions {
  /** Also penalize 1-D parameters (biases, normalization γ/β) (default false). */
  readonly includeBiases?: boolean;
}

/** True for the parameters penalized and decayed by default: weights (2 or more dimensions), not biases or normalization parameters. */
export function isWeightMatrix(p: Tensor): boolean {
  return p.ndim >= 2;
}

function penalized(params: Module | Iterable<Tensor>, options: PenaltyOptions, op: string): Tensor[] {
  checkOptions(op, options, ['includeBiases']);
  const list = params instanceof Module ? params.parameters() : Array.from(params);
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: params[${i}] is not a Tensor`);
  });
  return options.includeBiases === true ? list : list.filter(isWeightMatrix);
}

function total(terms: Tensor[], like: readonly Tensor[]): Tensor {
  if (terms.length === 0) return tensor(0, { dtype: like.length > 0 ? like[0].dtype : 'float32' });
  return terms.reduce((acc, t) => add(acc, t));
}

/** sum over weights of w² (the squared L2 norm; its gradient is 2w). Pass a module or a list of parameters. */
export function l2Penalty(params: Module | Iterable<Tensor>, options: PenaltyOptions = {}): Tensor {
  const list = penalized(params, options, 'l2Penalty');
  return total(list.map((p) => sum(mul(p, p))), list);
}

/** sum over weights of |w| (the L1 norm; its gradient is sign(w), which pushes weights to exactly 0). */
export function l1Penalty(params: Module | Iterable<Tensor>, options: PenaltyOptions = {}): Tensor {
  const list = penalized(params, options, 'l1Penalty');
  return total(list.map((p) => sum(abs(p))), list);
}
