/** Inverted dropout as a function: the mask is a constant, so the gradient is multiplied by the same mask. */
import { Tensor } from '../../autograd/tensor';
import { allocate } from '../../tensor/dtype';
import { defaultGenerator, type Generator } from '../../tensor/random';
import { mul } from '../../ops/elementwise';
import { checkTensor } from '../../ops/util';

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Drop only in training (default true); with false, dropout is the identity. */
  readonly training?: boolean;
  /** The generator that draws the mask (default: the default generator). */
  readonly generator?: Generator;
}

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1-p), so the expected value is unchanged and evaluation needs no rescaling.
 */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkTensor(x, 'dropout');
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${String(p)}`);
  if (!(options.training ?? true) || p === 0) return x;
  const g = options.generator ?? defaultGenerator();
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = g.uniform() < p ? 0 : scale;
  return mul(x, new Tensor(mask, x.shape));
}
