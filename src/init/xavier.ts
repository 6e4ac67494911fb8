/** Xavier/Glorot initialization: keeps the variance of activations and of gradients alike across a layer. */
import type { Tensor } from '../autograd/tensor';
import { normal, uniform, type InitOptions } from './basic';
import { calculateFans } from './fans';

/** Options of the Xavier initializers. */
export interface XavierOptions extends InitOptions {
  /** Multiplies the scale (default 1; see `calculateGain`). */
  readonly gain?: number;
}

/** Xavier uniform: U(-bound, bound) with bound = gain · √(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t.shape, 'init.xavierUniform');
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound, options);
}

/** Xavier normal: N(0, std²) with std = gain · √(2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t.shape, 'init.xavierNormal');
  return normal(t, 0, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), options);
}
