/** Normalization layers: LayerNorm (per sample) and BatchNorm1d (per channel over the batch, with running statistics). */
import type { Tensor } from '../autograd/tensor';
import { DEFAULT_DTYPE, type DType } from '../tensor/dtype';
import { ones, zeros } from '../ops/creation';
import { checkOptions } from '../util/options';
import { batchNorm, layerNorm } from './functional/normalization';
import { Module } from './module';
import { Parameter } from './parameter';

/** Options of `LayerNorm`. */
export interface LayerNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Learn a per-feature scale γ (init 1) and shift β (init 0) (default true). */
  readonly elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, also learn the shift β (default true); false keeps only γ, as PyTorch's `bias=False`. */
  readonly bias?: boolean;
  readonly dtype?: DType;
}

const LAYER_NORM_OPTIONS = ['eps', 'elementwiseAffine', 'bias', 'dtype'];

/** Normalizes each sample over its last axes: y = (x - mean) / sqrt(var + eps) · γ + β (biased variance). */
export class LayerNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly normalizedShape: readonly number[];
  readonly eps: number;

  constructor(dim: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    checkOptions('LayerNorm', options, LAYER_NORM_OPTIONS);
    this.normalizedShape = typeof dim === 'number' ? [dim] : dim.slice();
    this.normalizedShape.forEach((d) => {
      if (!Number.isInteger(d) || d < 1) throw new RangeError(`LayerNorm: dim must hold positive integers, got ${JSON.stringify(dim)}`);
    });
    this.eps = options.eps ?? 1e-5;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = affine && (options.bias ?? true) ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}, bias=${this.bias !== null}`;
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
  /**
   * Keep running statistics for eval mode (default true). false: no buffers, and every forward
   * normalizes with the statistics of its own batch, in training and in eval mode.
   */
  readonly trackRunningStats?: boolean;
  readonly dtype?: DType;
}

const BATCH_NORM_OPTIONS = ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'];

/**
 * Batch normalization of [N, C] or [N, C, L] per channel. Training mode: normalize with the batch
 * mean and biased variance, and update `runningMean` / `runningVar` with the batch mean and unbiased
 * variance (as PyTorch). Eval mode: normalize with the running statistics (with
 * `trackRunningStats: false` there are none, and eval mode uses the batch statistics too).
 */
export class BatchNorm1d extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  /** Running mean of each channel (a buffer, starts at 0); null with `trackRunningStats: false`. */
  readonly runningMean: Tensor | null;
  /** Running (unbiased) variance of each channel (a buffer, starts at 1); null with `trackRunningStats: false`. */
  readonly runningVar: Tensor | null;
  /** Training batches seen (a buffer); used when momentum is null. Null with `trackRunningStats: false`. */
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly trackRunningStats: boolean;

  constructor(readonly numFeatures: number, options: BatchNormLayerOptions = {}) {
    super();
    checkOptions('BatchNorm1d', options, BATCH_NORM_OPTIONS);
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new RangeError(`BatchNorm1d: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (this.momentum !== null && (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1))) {
      throw new RangeError(`BatchNorm1d: momentum must be a number in [0, 1] or null (cumulative average), got ${String(this.momentum)}`);
    }
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const affine = options.affine ?? true;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    this.runningMean = this.trackRunningStats ? zeros([numFeatures], { dtype }) : null;
    this.runningVar = this.trackRunningStats ? ones([numFeatures], { dtype }) : null;
    this.numBatchesTracked = this.trackRunningStats ? zeros([], { dtype: 'float64' }) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('runningMean');
      this.registerBuffer('runningVar');
      this.registerBuffer('numBatchesTracked');
    }
  }

  forward(x: Tensor): Tensor {
    if (x.ndim >= 2 && x.shape[1] !== this.numFeatures) {
      throw new RangeError(`BatchNorm1d(${this.numFeatures}): input must have ${this.numFeatures} channels in axis 1, got shape [${x.shape.join(', ')}]`);
    }
    const counter = this.numBatchesTracked;
    const seen = counter === null ? 0 : counter.data[0];
    const momentum = this.momentum ?? 1 / (seen + 1);
    // Without running statistics there is nothing to evaluate with: batch statistics in both modes.
    const useBatchStats = this.training || !this.trackRunningStats;
    const y = batchNorm(x, this.runningMean, this.runningVar, {
      weight: this.weight, bias: this.bias, training: useBatchStats, momentum, eps: this.eps,
    });
    if (this.training && counter !== null) counter.data[0] = seen + 1;
    return y;
  }

  /** Running mean back to 0, running variance to 1, batch count to 0 (nothing without running statistics). */
  resetRunningStats(): void {
    this.runningMean?.data.fill(0);
    this.runningVar?.data.fill(1);
    if (this.numBatchesTracked !== null) this.numBatchesTracked.data[0] = 0;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.trackRunningStats}`;
  }
}
