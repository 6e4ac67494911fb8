/**
 * Layer and batch normalization as compositions of core primitives (their gradients come from the
 * primitives). BatchNorm's running statistics are updated in place, outside the graph.
 */
import { noGrad } from '../../autograd/gradMode';
import { Tensor } from '../../autograd/tensor';
import { formatShape, sameShape } from '../../tensor/shape';
import { add, div, mul, sqrt, sub } from '../../ops/elementwise';
import { mean } from '../../ops/reduce';
import { reshape } from '../../ops/movement';
import { checkTensor } from '../../ops/util';
import { checkOptions } from '../../util/options';

/** Options of `layerNorm`. */
export interface LayerNormOptions {
  /** Per-feature scale γ, shaped like `normalizedShape` (none: no scaling). */
  readonly weight?: Tensor | null;
  /** Per-feature shift β, shaped like `normalizedShape` (none: no shift). */
  readonly bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
}

function checkEps(eps: number, op: string): void {
  if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`${op}: eps must be a number >= 0, got ${String(eps)}`);
}

function checkAffine(t: Tensor | null | undefined, shape: readonly number[], op: string, name: string): Tensor | null {
  if (t === undefined || t === null) return null;
  checkTensor(t, op, name);
  if (!sameShape(t.shape, shape)) throw new RangeError(`${op}: ${name} must have shape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
  return t;
}

/**
 * Normalizes each sample over its last axes (`normalizedShape`):
 * y = (x - mean) / sqrt(var + eps) · γ + β, with the biased variance (as PyTorch). Each sample is
 * normalized on its own, so the result does not depend on the rest of the batch.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  checkTensor(x, 'layerNorm');
  checkOptions('layerNorm', options, ['weight', 'bias', 'eps']);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
  const k = shape.length;
  if (k === 0 || k > x.ndim || !sameShape(x.shape.slice(x.ndim - k), shape)) {
    throw new RangeError(`layerNorm: normalizedShape ${formatShape(shape)} must match the last axes of the input, got shape ${formatShape(x.shape)}`);
  }
  const eps = options.eps ?? 1e-5;
  checkEps(eps, 'layerNorm');
  const weight = checkAffine(options.weight, shape, 'layerNorm', 'weight');
  const bias = checkAffine(options.bias, shape, 'layerNorm', 'bias');
  const axes = shape.map((_, i) => x.ndim - k + i);
  const centered = sub(x, mean(x, axes, true));
  const variance = mean(mul(centered, centered), axes, true);
  let y = div(centered, sqrt(add(variance, eps)));
  if (weight !== null) y = mul(y, weight);
  if (bias !== null) y = add(y, bias);
  return y;
}

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /** Per-channel scale γ [C]. */
  readonly weight?: Tensor | null;
  /** Per-channel shift β [C]. */
  readonly bias?: Tensor | null;
  /** Normalize with the batch's statistics and update the running ones (default false, as `F.batch_norm`). */
  readonly training?: boolean;
  /** Weight of the new batch in the running averages: running = (1 - m) · running + m · batch (default 0.1). */
  readonly momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
}

/**
 * Batch normalization of x [N, C] or [N, C, L] per channel C. Training: normalize with the batch mean
 * and biased variance, and move `runningMean`/`runningVar` toward the batch mean and *unbiased*
 * variance (as PyTorch). Evaluation: normalize with the running statistics. Then · γ + β.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  checkTensor(x, 'batchNorm');
  checkOptions('batchNorm', options, ['weight', 'bias', 'training', 'momentum', 'eps']);
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new RangeError(`batchNorm: input must be [N, C] or [N, C, L], got shape ${formatShape(x.shape)}`);
  }
  const c = x.shape[1];
  const training = options.training ?? false;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  checkEps(eps, 'batchNorm');
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
    throw new RangeError(`batchNorm: momentum must be in [0, 1], got ${String(momentum)}`);
  }
  const stats = [checkAffine(runningMean, [c], 'batchNorm', 'runningMean'), checkAffine(runningVar, [c], 'batchNorm', 'runningVar')];
  const weight = checkAffine(options.weight, [c], 'batchNorm', 'weight');
  const bias = checkAffine(options.bias, [c], 'batchNorm', 'bias');
  const axes = x.ndim === 2 ? [0] : [0, 2];
  const statShape = x.ndim === 2 ? [1, c] : [1, c, 1];
  let y: Tensor;
  if (training) {
    const n = x.size / c;
    if (n <= 1) {
      // As PyTorch: one value per channel has variance 0, and normalizing it gives 0 whatever the input.
      throw new RangeError(
        `batchNorm: expected more than 1 value per channel when training, got input shape ${formatShape(x.shape)} ` +
          `(${n} value per channel); use a batch of 2 or more, or eval mode with running statistics`,
      );
    }
    const batchMean = mean(x, axes, true);
    const centered = sub(x, batchMean);
    const batchVar = mean(mul(centered, centered), axes, true);
    y = div(centered, sqrt(add(batchVar, eps)));
    const [rm, rv] = stats;
    noGrad(() => {
      const correction = n / (n - 1);
      for (let j = 0; j < c; j++) {
        if (rm !== null) rm.data[j] = (1 - momentum) * rm.data[j] + momentum * batchMean.data[j];
        if (rv !== null) rv.data[j] = (1 - momentum) * rv.data[j] + momentum * batchVar.data[j] * correction;
      }
    });
  } else {
    const [rm, rv] = stats;
    if (rm === null || rv === null) {
      throw new Error('batchNorm: evaluation mode (training: false) needs runningMean and runningVar');
    }
    const m = reshape(rm.detach(), statShape);
    const v = reshape(rv.detach(), statShape);
    y = div(sub(x, m), sqrt(add(v, eps)));
  }
  if (weight !== null) y = mul(y, reshape(weight, statShape));
  if (bias !== null) y = add(y, reshape(bias, statShape));
  return y;
}
