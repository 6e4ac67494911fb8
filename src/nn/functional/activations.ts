/**
 * Activation functions beyond the core's relu/tanh/sigmoid, and (log-)softmax. All are compositions
 * of core primitives except the exact GELU: erf is not among the primitives, so `gelu` is a small
 * primitive of its own, whose loops (and erf) are in the kernel layer (checked by gradcheck in the tests).
 */
import type { Tensor } from '../../autograd/tensor';
import { add, exp, gt, mul, sub, tanh, unaryOp, where } from '../../ops/elementwise';
import { logsumexp } from '../../ops/reduce';
import { checkTensor } from '../../ops/util';

/** erf(x), the error function (to about 1e-15). */
export { erf } from '../../tensor/kernels/pointwise';

/** max(0, x) + negativeSlope * min(0, x); the gradient at 0 is negativeSlope (as PyTorch). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkTensor(x, 'leakyRelu');
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new TypeError(`leakyRelu: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
  }
  return where(gt(x.detach(), 0), x, mul(x, negativeSlope));
}

/** log softmax along `axis`: x - logsumexp(x) (stable for large logits). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor(x, 'logSoftmax');
  return sub(x, logsumexp(x, axis, true));
}

/** softmax along `axis`: exp(x_i) / sum_j exp(x_j), computed as exp(logSoftmax(x)). */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor(x, 'softmax');
  return exp(logSoftmax(x, axis));
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU. Exact (default): x · Φ(x) with Φ(x) = (1 + erf(x/√2)) / 2, derivative Φ(x) + x · φ(x).
 * `approximate: 'tanh'`: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))), composed from primitives.
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  checkTensor(x, 'gelu');
  if (approximate === 'tanh') {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  if (approximate !== 'none') throw new RangeError(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  return unaryOp('gelu', x);
}
