/** The dropout layer. */
import type { Tensor } from '../autograd/tensor';
import type { Generator } from '../tensor/random';
import { checkOptions } from '../util/options';
import { checkDropoutP, dropout } from './functional/dropout';
import { Module } from './module';

/** Options of `Dropout`. */
export interface DropoutLayerOptions {
  /** The generator that draws the masks (default: the default generator at each call). */
  readonly generator?: Generator;
  /** Axes along which one mask value is shared, e.g. 1 (time) of `[batch, time, features]`: see `dropout`. */
  readonly sharedAxes?: number | readonly number[];
}

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and survivors are
 * scaled by 1/(1-p); in eval mode it is the identity. A new mask is drawn at every call.
 */
export class Dropout extends Module {
  private readonly generator: Generator | undefined;
  readonly sharedAxes: number | readonly number[] | undefined;

  constructor(readonly p = 0.5, options: DropoutLayerOptions = {}) {
    super();
    checkDropoutP(p, 'Dropout');
    checkOptions('Dropout', options, ['generator', 'sharedAxes']);
    this.generator = options.generator;
    this.sharedAxes = options.sharedAxes;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.generator, sharedAxes: this.sharedAxes });
  }

  override extraRepr(): string {
    return this.sharedAxes === undefined ? `p=${this.p}` : `p=${this.p}, sharedAxes=${JSON.stringify(this.sharedAxes)}`;
  }
}
