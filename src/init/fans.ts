/**
 * Fans and gains for initialization. gradlab stores a Linear weight as [in, out] (the lectures write
 * Z W), so fanIn is shape[0] and fanOut is shape[1] — the reverse of PyTorch's [out, in] layout.
 */
import { formatShape, type Shape } from '../tensor/shape';

/** The nonlinearities `calculateGain` knows. */
export type Nonlinearity = 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Which fan Kaiming initialization preserves: the forward pass's (fanIn) or the backward pass's (fanOut). */
export type FanMode = 'fanIn' | 'fanOut';

/** fanIn = shape[0]·r and fanOut = shape[1]·r for a weight [in, out, ...], r = product of the remaining axes. */
export function calculateFans(shape: Shape, op = 'calculateFans'): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new RangeError(`${op}: fans need a weight with at least 2 dimensions [in, out], got shape ${formatShape(shape)}`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[0] * receptive, fanOut: shape[1] * receptive };
}

/**
 * The gain that keeps activations' scale through a nonlinearity: linear/identity/sigmoid 1,
 * tanh 5/3, relu √2, leakyRelu √(2 / (1 + a²)) with slope a = param (default 0.01), selu 3/4.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const a = param ?? 0.01;
      if (typeof a !== 'number' || !Number.isFinite(a)) throw new TypeError(`calculateGain: leakyRelu slope must be a finite number, got ${String(a)}`);
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(
        `calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}; use 'linear', 'identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu' or 'selu'`,
      );
  }
}
