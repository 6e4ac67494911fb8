/**
 * The lecture's per-layer diagnostics of a `Sequential` on one batch: the activation norm after every
 * nonlinearity and the gradient norm of every Linear weight, the two curves of the initialization slides.
 */
import { noGrad } from '../autograd/gradMode';
import type { Tensor } from '../autograd/tensor';
import { GELU, LeakyReLU, ReLU, Sigmoid, Tanh } from '../nn/activations';
import type { Sequential } from '../nn/containers';
import { crossEntropy } from '../nn/functional/losses';
import type { Labels } from '../nn/functional/labels';
import { Linear } from '../nn/linear';
import { formatShape } from '../tensor/shape';

/** Per-layer norms of one batch, first layer to last. */
export interface LayerNorms {
  /** After every nonlinearity (ReLU, LeakyReLU, Tanh, Sigmoid, GELU): (1/B) Σ_b ‖a_b‖², the squared length of an example's activations, averaged over the batch. */
  readonly activation: number[];
  /** For every Linear: ‖∂loss/∂W‖², the squared Frobenius norm of its weight's gradient. */
  readonly gradient: number[];
  /** The mean cross-entropy of the batch. */
  readonly loss: number;
}

const isNonlinearity = (layer: unknown): boolean =>
  layer instanceof ReLU || layer instanceof LeakyReLU || layer instanceof Tanh || layer instanceof Sigmoid || layer instanceof GELU;

/**
 * One forward and backward pass of the mean cross-entropy of `model(x)` against `labels`, returning the
 * activation norm after every nonlinearity and the gradient norm of every Linear weight. The model's
 * gradients are cleared before and after, so a training loop that calls it between steps is unaffected.
 */
export function normsPerLayer(model: Sequential, x: Tensor, labels: Labels): LayerNorms {
  if (x.ndim !== 2 || x.shape[0] === 0) throw new RangeError(`normsPerLayer: x must be a non-empty batch [B, features], got shape ${formatShape(x.shape)}`);
  const batch = x.shape[0];
  const activation: number[] = [];
  model.zeroGrad();
  let h = x;
  for (const layer of model.layers) {
    h = layer.call(h);
    if (isNonlinearity(layer)) {
      const out = h;
      activation.push(noGrad(() => out.pow(2).sum().item()) / batch);
    }
  }
  const loss = crossEntropy(h, labels);
  loss.backward();
  const gradient: number[] = [];
  for (const layer of model.layers) {
    if (!(layer instanceof Linear)) continue;
    const g = layer.weight.grad;
    if (g === null) throw new Error('normsPerLayer: a Linear weight received no gradient (does it require grad?)');
    gradient.push(noGrad(() => g.pow(2).sum().item()));
  }
  model.zeroGrad();
  return { activation, gradient, loss: loss.item() };
}
