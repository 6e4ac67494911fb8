/** Inverted dropout as a function: the mask is a constant, so the gradient is multiplied by the same mask. */
import { fromOp } from '../../autograd/record';
import { Tensor } from '../../autograd/tensor';
import { allocate } from '../../tensor/dtype';
import { kernels } from '../../tensor/kernels/backend';
import { defaultGenerator, type Generator } from '../../tensor/random';
import { formatShape, normalizeAxes, sizeOf } from '../../tensor/shape';
import { mul } from '../../ops/elementwise';
import { checkTensor } from '../../ops/util';
import { checkOptions } from '../../util/options';

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Drop only in training (default true); with false, dropout is the identity. */
  readonly training?: boolean;
  /** The generator that draws the mask (default: the default generator). */
  readonly generator?: Generator;
  /**
   * Axes along which one mask value is shared (default none: every element has its own). On a
   * `[batch, time, features]` sequence, `sharedAxes: 1` drops the same features at every time step
   * (variational dropout); on `[N, C, L]`, `sharedAxes: 2` zeroes whole channels (PyTorch's `Dropout1d`).
   */
  readonly sharedAxes?: number | readonly number[];
}

const DROPOUT_OPTIONS = ['training', 'generator', 'sharedAxes'] as const;

/** Checks p in [0, 1], naming `where` (`dropout` or `Dropout`). */
export function checkDropoutP(p: unknown, where: string): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${where}: p must be in [0, 1], got ${String(p)}`);
}

/** The mask's shape: the input's, with size 1 on the shared axes (checked against the input's dimensions). */
function maskShape(shape: readonly number[], sharedAxes: number | readonly number[] | undefined): readonly number[] {
  if (sharedAxes === undefined) return shape;
  const where = `dropout (sharedAxes ${JSON.stringify(sharedAxes)}, input ${formatShape(shape)})`;
  if (shape.length === 0) throw new RangeError(`${where}: a scalar has no axis to share a mask along`);
  const axes = normalizeAxes(sharedAxes, shape.length, where);
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1-p), so the expected value is unchanged and evaluation needs no rescaling. With
 * `sharedAxes`, one mask value is drawn per position of the other axes and reused along the shared ones.
 */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkTensor(x, 'dropout');
  checkDropoutP(p, 'dropout');
  checkOptions('dropout', options, DROPOUT_OPTIONS);
  const shape = maskShape(x.shape, options.sharedAxes);
  if (!(options.training ?? true) || p === 0) return x;
  const g = options.generator ?? defaultGenerator();
  const scale = p === 1 ? 0 : 1 / (1 - p);
  if (options.sharedAxes !== undefined) {
    const mask = allocate(x.dtype, sizeOf(shape));
    for (let i = 0; i < mask.length; i++) mask[i] = g.uniform() < p ? 0 : scale;
    return mul(x, new Tensor(mask, shape));
  }
  return dropoutElementwise(x, p, scale, g);
}

/**
 * Dropout with a mask value per element, as one op: the draws decide which elements are kept (a byte
 * each), and the forward and backward multiply by the scale (in x's dtype) or by 0 in one pass, as
 * mul(x, mask) would with a 0/scale mask tensor drawn in the same order (the tests check it bit for bit).
 */
function dropoutElementwise(x: Tensor, p: number, scale: number, generator: Generator): Tensor {
  const keep = new Uint8Array(x.size);
  const out = allocate(x.dtype, x.size);
  const s = x.dtype === 'float32' ? Math.fround(scale) : scale;
  kernels().fused.dropoutForward(x.data, p, s, generator, out, keep);
  return fromOp('dropout', out, x.shape, [x], (g, gradIsFree) => {
    const gx = gradIsFree ? g.data : allocate(x.dtype, x.size);
    kernels().fused.dropoutGrad(g.data, keep, s, gx);
    return [gradIsFree ? g : new Tensor(gx, x.shape)];
  }, true);
}
