/**
 * The common split of a model's parameters into two groups: weights that weight decay shrinks, and
 * biases and normalization parameters that it leaves alone (the same split `l2Penalty` makes).
 */
import { Tensor } from '../autograd/tensor';
import { Module } from '../nn/module';
import { isWeightMatrix } from '../nn/penalties';

/** A parameter group with its weight decay, ready for any optimizer. */
export interface WeightDecayGroup {
  readonly params: Tensor[];
  readonly weightDecay: number;
}

/**
 * `[{params: weights, weightDecay}, {params: biases and normalization parameters, weightDecay: 0}]`
 * (empty groups left out): `new AdamW(weightDecayGroups(model, 0.05), {lr: 1e-3})`. Weights are the
 * parameters with 2 or more dimensions.
 */
export function weightDecayGroups(params: Module | Iterable<Tensor>, weightDecay: number): WeightDecayGroup[] {
  const list = params instanceof Module ? params.parameters() : Array.from(params);
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`weightDecayGroups: params[${i}] is not a Tensor`);
  });
  if (typeof weightDecay !== 'number' || !Number.isFinite(weightDecay) || weightDecay < 0) {
    throw new RangeError(`weightDecayGroups: weightDecay must be a number >= 0, got ${String(weightDecay)}`);
  }
  const groups: WeightDecayGroup[] = [
    { params: list.filter(isWeightMatrix), weightDecay },
    { params: list.filter((p) => !isWeightMatrix(p)), weightDecay: 0 },
  ];
  return groups.filter((g) => g.params.length > 0);
}
