/** The fully connected layer. */
import type { Tensor } from '../autograd/tensor';
import { DEFAULT_DTYPE, type DType } from '../tensor/dtype';
import { formatShape } from '../tensor/shape';
import type { Generator } from '../tensor/random';
import { zeros } from '../ops/creation';
import { uniform } from '../init/basic';
import { checkOptions } from '../util/options';
import { linear } from './functional/linear';
import { Module } from './module';
import { Parameter } from './parameter';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  readonly bias?: boolean;
  readonly dtype?: DType;
  /** The generator that draws the initial weights (default: the default generator). */
  readonly generator?: Generator;
}

/**
 * y = x W + b with W stored as [inFeatures, outFeatures] — the `Z W` of the lectures, so a row of x
 * is multiplied on the left. (PyTorch's `nn.Linear` stores W as [out, in] and computes x Wᵀ + b; to
 * load its weights, transpose them.) Initialized as PyTorch: W and b from U(-1/√in, 1/√in).
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkOptions('Linear', options, ['bias', 'dtype', 'generator']);
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const bound = 1 / Math.sqrt(inFeatures);
    const init = { generator: options.generator };
    this.weight = new Parameter(uniform(zeros([inFeatures, outFeatures], { dtype }), -bound, bound, init));
    this.bias = (options.bias ?? true) ? new Parameter(uniform(zeros([outFeatures], { dtype }), -bound, bound, init)) : null;
  }

  /** x [..., inFeatures] -> [..., outFeatures]. */
  forward(x: Tensor): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new RangeError(
        `Linear(${this.inFeatures}, ${this.outFeatures}): input must have ${this.inFeatures} features in its last axis, got shape ${formatShape(x.shape)}`,
      );
    }
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `${this.inFeatures} → ${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
