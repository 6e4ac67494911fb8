/**
 * Layer and batch normalization: argument checks, then one fused op each (ops/normalization), whose
 * forward and gradients are tested against the composition (x - mean) / sqrt(var + eps) · γ + β of
 * core primitives. BatchNorm's running statistics are updated in place, outside the graph.
 */
import { Tensor } from '../../autograd/tensor';
import { formatShape, sameShape } from '../../tensor/shape';
import { batchNormChannels, channelMoments, layerNormRows, type ChannelMoments } from '../../ops/normalization';
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
  return layerNormRows(x, shape.reduce((p, d) => p * d, 1), weight, bias, eps);
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
  const [rm, rv] = stats;
  if (training) {
    const n = x.size / c;
    if (n <= 1) {
      // As PyTorch: one value per channel has variance 0, and normalizing it gives 0 whatever the input.
      throw new RangeError(
        `batchNorm: expected more than 1 value per channel when training, got input shape ${formatShape(x.shape)} ` +
          `(${n} value per channel); use a batch of 2 or more, or eval mode with running statistics`,
      );
    }
    const batch = channelMoments(x);
    const y = batchNormChannels(x, batch, true, weight, bias, eps);
    const correction = n / (n - 1);
    for (let j = 0; j < c; j++) {
      if (rm !== null) rm.data[j] = (1 - momentum) * rm.data[j] + momentum * batch.mean[j];
      if (rv !== null) rv.data[j] = (1 - momentum) * rv.data[j] + momentum * batch.variance[j] * correction;
    }
    return y;
  }
  if (rm === null || rv === null) {
    throw new Error('batchNorm: evaluation mode (training: false) needs runningMean and runningVar');
  }
  for (const [t, name] of [[rm, 'runningMean'], [rv, 'runningVar']] as const) {
    if (t.dtype !== x.dtype) throw new TypeError(`batchNorm: ${name} is ${t.dtype} but the input is ${x.dtype}; convert one with .astype('${x.dtype}')`);
  }
  const running: ChannelMoments = { mean: Float64Array.from(rm.data), variance: Float64Array.from(rv.data) };
  return batchNormChannels(x, running, false, weight, bias, eps);
}
