/** Kaiming/He initialization: keeps the variance of activations (fanIn) or gradients (fanOut) through ReLU-like layers. */
import type { Tensor } from '../autograd/tensor';
import { normal, uniform, type InitOptions } from './basic';
import { calculateFans, calculateGain, type FanMode, type Nonlinearity } from './fans';

/** Options of the Kaiming initializers (PyTorch's defaults: a 0, fanIn, leakyRelu, which gives gain √2). */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the leaky ReLU that follows (only used with nonlinearity 'leakyRelu'; default 0). */
  readonly a?: number;
  readonly mode?: FanMode;
  readonly nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions, op: string): number {
  const { fanIn, fanOut } = calculateFans(t.shape, op);
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new RangeError(`${op}: mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`);
  const gain = calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0);
  return gain / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut);
}

/** Kaiming normal: N(0, std²) with std = gain / √fan (fan = fanIn or fanOut); an empty tensor is left as is. */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  const std = kaimingStd(t, options, 'init.kaimingNormal');
  return t.size === 0 ? t : normal(t, 0, std, options);
}

/** Kaiming uniform: U(-bound, bound) with bound = gain · √(3 / fan), the same std gain / √fan; an empty tensor is left as is. */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options, 'init.kaimingUniform');
  // A zero fan (an empty weight) gives an infinite bound, and there is nothing to fill anyway.
  return t.size === 0 ? t : uniform(t, -bound, bound, options);
}
