/** Normalization layers: LayerNorm (per sample) and BatchNorm1d (per channel over the batch, with running statistics). */
import type { Tensor } from '../autograd/tensor';
import { DEFAULT_DTYPE, type DType } from '../tensor/dtype';
import { ones, zeros } from '../ops/creation';
import { batchNorm, layerNorm } from './functional/normalization';
import { Module } from './module';
import { Parameter } from './parameter';

/** Options of `LayerNorm`. */
export interface LayerNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Learn a per-feature scale γ (init 1) and shift β (init 0) (default true). */
  readonly elementwiseAffine?: boolean;
  readonly dtype?: DType;
}

/** Normalizes each sample over its last axes: y = (x - mean) / sqrt(var + eps) · γ + β (biased variance). */
export class LayerNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly normalizedShape: readonly number[];
  readonly eps: number;

  constructor(dim: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    this.normalizedShape = typeof dim === 'number' ? [dim] : dim.slice();
    this.normalizedShape.forEach((d) => {
      if (!Number.isInteger(d) || d < 1) throw new RangeError(`LayerNorm: dim must hold positive integers, got ${JSON.stringify(dim)}`);
    });
    this.eps = options.eps ?? 1e-5;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = affine ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

/** Options of `BatchNorm1d`. */
export interface BatchNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** running = (1 - momentum) · running + momentum · batch (default 0.1); null: a cumulative average of all batches. */
  readonly momentum?: number | null;
  /** Learn a per-channel scale γ (init 1) and shift β (init 0) (default true). */
  readonly affine?: boolean;
  readonly dtype?: DType;
}

/**
 * Batch normalization of [N, C] or [N, C, L] per channel. Training mode: normalize with the batch
 * mean and biased variance, and update `runningMean` / `runningVar` with the batch mean and unbiased
 * variance (as PyTorch). Eval mode: normalize with the running statistics.
 */
export class BatchNorm1d extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  /** Running mean of each channel (a buffer, starts at 0). */
  readonly runningMean: Tensor;
  /** Running (unbiased) variance of each channel (a buffer, starts at 1). */
  readonly runningVar: Tensor;
  /** Training batches seen (a buffer); used when momentum is null. */
  readonly numBatchesTracked: Tensor;
  readonly eps: number;
  readonly momentum: number | null;

  constructor(readonly numFeatures: number, options: BatchNormLayerOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new RangeError(`BatchNorm1d: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const affine = options.affine ?? true;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    this.runningMean = zeros([numFeatures], { dtype });
    this.runningVar = ones([numFeatures], { dtype });
    this.numBatchesTracked = zeros([], { dtype: 'float64' });
    this.registerBuffer('runningMean');
    this.registerBuffer('runningVar');
    this.registerBuffer('numBatchesTracked');
  }

  forward(x: Tensor): Tensor {
    if (x.ndim >= 2 && x.shape[1] !== this.numFeatures) {
      throw new RangeError(`BatchNorm1d(${this.numFeatures}): input must have ${this.numFeatures} channels in axis 1, got shape [${x.shape.join(', ')}]`);
    }
    const seen = this.numBatchesTracked.data[0];
    const momentum = this.momentum ?? 1 / (seen + 1);
    const y = batchNorm(x, this.runningMean, this.runningVar, {
      weight: this.weight, bias: this.bias, training: this.training, momentum, eps: this.eps,
    });
    if (this.training) this.numBatchesTracked.data[0] = seen + 1;
    return y;
  }

  /** Running mean back to 0, running variance to 1, batch count to 0. */
  resetRunningStats(): void {
    this.runningMean.data.fill(0);
    this.runningVar.data.fill(1);
    this.numBatchesTracked.data[0] = 0;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}`;
  }
}
