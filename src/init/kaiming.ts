/** Kaiming/He initialization: keeps the variance of activations (fanIn) or gradients (fanOut) through ReLU-like layers. */
import type { Tensor } from '../autograd/tensor';
import type { Shape } from '../tensor/shape';
import { checkOptions } from '../util/options';
import { normal, uniform, type InitOptions } from './basic';
import { calculateFans, calculateGain, type FanMode, type Nonlinearity } from './fans';

/** Options of the Kaiming initializers (PyTorch's defaults: a 0, fanIn, leakyRelu, which gives gain √2). */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the leaky ReLU that follows (only used with nonlinearity 'leakyRelu'; default 0). */
  readonly a?: number;
  readonly mode?: FanMode;
  readonly nonlinearity?: Nonlinearity;
}

/** The options `kaimingStd` reads: the fan to keep and the nonlinearity that follows (with its slope). */
export type KaimingStdOptions = Pick<KaimingOptions, 'a' | 'mode' | 'nonlinearity'>;

/**
 * The standard deviation of Kaiming initialization for a weight of `shape` ([in, out, ...]):
 * gain / √fan with gain = calculateGain(nonlinearity, a) (default leakyRelu with a = 0, i.e. √2)
 * and fan = fanIn (default) or fanOut. For ReLU and fanIn: √(2 / fanIn).
 */
export function kaimingStd(shape: Shape, options: KaimingStdOptions = {}): number {
  checkOptions('init.kaimingStd', options, ['a', 'mode', 'nonlinearity']);
  return stdFor(shape, options, 'init.kaimingStd');
}

function stdFor(shape: Shape, options: KaimingOptions, op: string): number {
  const { fanIn, fanOut } = calculateFans(shape, op);
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new RangeError(`${op}: mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`);
  const gain = calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0);
  return gain / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut);
}

/** Kaiming normal: N(0, std²) with std = gain / √fan (fan = fanIn or fanOut); an empty tensor is left as is. */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  const std = stdFor(t.shape, options, 'init.kaimingNormal');
  return t.size === 0 ? t : normal(t, 0, std, options);
}

/** Kaiming uniform: U(-bound, bound) with bound = gain · √(3 / fan), the same std gain / √fan; an empty tensor is left as is. */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * stdFor(t.shape, options, 'init.kaimingUniform');
  // A zero fan (an empty weight) gives an infinite bound, and there is nothing to fill anyway.
  return t.size === 0 ? t : uniform(t, -bound, bound, options);
}
