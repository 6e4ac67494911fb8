/**
 * Activation functions beyond the core's relu/tanh/sigmoid, and (log-)softmax. All are compositions
 * of core primitives except the exact GELU: erf is not among the primitives, so `gelu` is a small
 * primitive of its own with its derivative beside it (checked by gradcheck in the tests).
 */
import { fromOp } from '../../autograd/record';
import { Tensor } from '../../autograd/tensor';
import { allocate } from '../../tensor/dtype';
import { add, exp, gt, mul, sub, tanh, where } from '../../ops/elementwise';
import { logsumexp } from '../../ops/reduce';
import { checkTensor } from '../../ops/util';

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
const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf(x) to about 1e-15: for |x| < 6 the all-positive series
 * erf(x) = 2/sqrt(pi) · e^(-x²) · sum_n 2^n x^(2n+1) / (1·3·...·(2n+1)) (no cancellation); ±1 beyond.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  const x2 = ax * ax;
  let term = ax;
  let total = ax;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    total += term;
    if (term < total * 1e-17) break;
  }
  const value = (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * total;
  return x < 0 ? -value : value;
}

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
  const xd = x.data;
  const cdf = allocate(x.dtype, x.size);
  const y = allocate(x.dtype, x.size);
  for (let i = 0; i < xd.length; i++) {
    cdf[i] = 0.5 * (1 + erf(xd[i] * INV_SQRT_2));
    y[i] = xd[i] * cdf[i];
  }
  return fromOp('gelu', y, x.shape, [x], (g) => {
    const gd = g.data;
    const gx = allocate(x.dtype, x.size);
    for (let i = 0; i < gx.length; i++) {
      const v = xd[i];
      gx[i] = gd[i] * (cdf[i] + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
    }
    return [new Tensor(gx, x.shape)];
  });
}
