/** The dropout layer. */
import type { Tensor } from '../autograd/tensor';
import type { Generator } from '../tensor/random';
import { dropout } from './functional/dropout';
import { Module } from './module';

/** Options of `Dropout`. */
export interface DropoutLayerOptions {
  /** The generator that draws the masks (default: the default generator at each call). */
  readonly generator?: Generator;
}

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and survivors are
 * scaled by 1/(1-p); in eval mode it is the identity.
 */
export class Dropout extends Module {
  private readonly generator: Generator | undefined;

  constructor(readonly p = 0.5, options: DropoutLayerOptions = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`Dropout: p must be in [0, 1], got ${String(p)}`);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
