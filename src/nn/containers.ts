/** Modules that compose other modules or reshape between them: Sequential, Residual, Flatten. */
import type { Tensor } from '../autograd/tensor';
import { formatShape, sameShape } from '../tensor/shape';
import { add } from '../ops/elementwise';
import { flatten } from '../ops/movement';
import { Module, type AnyModule } from './module';

/** Applies its layers in order: y = layers[n-1](... layers[0](x)); parameters are named `0.weight`, `1.bias`, ... as in PyTorch. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
    });
    this.layers = layers;
  }

  /** The number of layers. */
  get length(): number {
    return this.layers.length;
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): Module {
    const layer = this.layers[index < 0 ? index + this.layers.length : index];
    if (layer === undefined) throw new RangeError(`Sequential.at: index ${index} is out of range for ${this.layers.length} layers`);
    return layer;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }

  protected override namedMembers(): [string, AnyModule][] {
    return this.layers.map((layer, i): [string, AnyModule] => [String(i), layer as unknown as AnyModule]);
  }
}

/** A skip connection: y = x + module(x); the module must keep the shape. */
export class Residual extends Module {
  constructor(readonly module: Module) {
    super();
    if (!(module instanceof Module)) throw new TypeError('Residual: the argument must be a Module');
  }

  forward(x: Tensor): Tensor {
    const fx = this.module.forward(x);
    if (!sameShape(fx.shape, x.shape)) {
      throw new RangeError(
        `Residual: the inner ${this.module.constructor.name} must keep the shape, got input ${formatShape(x.shape)} and output ${formatShape(fx.shape)}`,
      );
    }
    return add(x, fx);
  }
}

/** Flattens axes startDim..endDim into one (default: all but the batch axis, [N, ...] -> [N, rest]). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return this.startDim === 1 && this.endDim === -1 ? '' : `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
