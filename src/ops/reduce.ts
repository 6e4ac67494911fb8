/**
 * Reductions. `sum` and `max` are primitives with a backward; `mean`, `min`, `variance` and
 * `logsumexp` are compositions of primitives, so their gradients come for free.
 */
import { fromOp } from '../autograd/record';
import { Tensor } from '../autograd/tensor';
import { allocate } from '../tensor/dtype';
import { formatShape, normalizeAxes, normalizeAxis, reducedShape, sizeOf, type Shape } from '../tensor/shape';
import { argmaxAxis, maxAxes, sumAxes } from '../tensor/kernels/reduce';
import { broadcastInto } from '../tensor/kernels/movement';
import { add, div, eq, log, exp, mul, neg, sub } from './elementwise';
import { reshape } from './movement';
import { checkTensor } from './util';

/** Which axes to reduce: one, several, or all (undefined / null). */
export type Axis = number | readonly number[] | null | undefined;

/** Options of `variance`. */
export interface VarianceOptions {
  /** Divide by N - 1 (Bessel's correction) instead of N; default true, as in PyTorch. */
  readonly unbiased?: boolean;
  readonly keepdim?: boolean;
}

/** Spreads a reduced gradient back over the input's shape. */
function expandBack(g: Tensor, inShape: Shape, axes: readonly number[]): Tensor {
  const kept = reducedShape(inShape, axes, true);
  const out = allocate(g.dtype, sizeOf(inShape));
  broadcastInto(g.data, kept, inShape, out);
  return new Tensor(out, inShape);
}

/** An empty result is fine (e.g. [0, 3] over axis 1); an extremum over no values is not. */
function checkSomeValues(op: string, what: string, x: Tensor, outShape: Shape, axis: Axis): void {
  if (x.size === 0 && sizeOf(outShape) > 0) {
    throw new RangeError(`${op}: cannot take the ${what} of no values, got shape ${formatShape(x.shape)} reduced over ${formatAxis(axis)}`);
  }
}

/** Sum over `axis` (all axes by default), dropping reduced axes unless `keepdim`. */
export function sum(x: Tensor, axis?: Axis, keepdim = false): Tensor {
  checkTensor(x, 'sum');
  const axes = normalizeAxes(axis, x.ndim, 'sum');
  const shape = reducedShape(x.shape, axes, keepdim);
  const out = allocate(x.dtype, sizeOf(shape));
  sumAxes(x.data, x.shape, axes, out);
  return fromOp('sum', out, shape, [x], (g) => [expandBack(g, x.shape, axes)]);
}

/** Mean over `axis` (all axes by default). */
export function mean(x: Tensor, axis?: Axis, keepdim = false): Tensor {
  checkTensor(x, 'mean');
  const axes = normalizeAxes(axis, x.ndim, 'mean');
  const count = axes.reduce((p, a) => p * x.shape[a], 1);
  return div(sum(x, axes, keepdim), count);
}

/**
 * Maximum over `axis` (all axes by default). The gradient goes to the maximal entries, split evenly
 * among ties (like `torch.amax`).
 */
export function max(x: Tensor, axis?: Axis, keepdim = false): Tensor {
  checkTensor(x, 'max');
  const axes = normalizeAxes(axis, x.ndim, 'max');
  const shape = reducedShape(x.shape, axes, keepdim);
  checkSomeValues('max', 'maximum', x, shape, axis);
  const out = allocate(x.dtype, sizeOf(shape));
  maxAxes(x.data, x.shape, axes, out);
  return fromOp('max', out, shape, [x], (g) => {
    const kept = reducedShape(x.shape, axes, true);
    const hit = eq(new Tensor(x.data, x.shape), new Tensor(out, kept));
    const ties = sum(hit, axes, true);
    return [mul(expandBack(g, x.shape, axes), div(hit, ties))];
  });
}

function formatAxis(axis: Axis): string {
  if (axis === undefined || axis === null) return 'all axes';
  return typeof axis === 'number' ? `axis ${axis}` : `axes [${axis.join(', ')}]`;
}

/** Minimum over `axis`: -max(-x). */
export function min(x: Tensor, axis?: Axis, keepdim = false): Tensor {
  checkTensor(x, 'min');
  checkSomeValues('min', 'minimum', x, reducedShape(x.shape, normalizeAxes(axis, x.ndim, 'min'), keepdim), axis);
  return neg(max(neg(x), axis, keepdim));
}

/** Variance over `axis`: sum((x - mean)²) / (N - 1), or / N when `unbiased` is false. */
export function variance(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  checkTensor(x, 'var');
  const axes = normalizeAxes(axis, x.ndim, 'var');
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  const unbiased = options.unbiased ?? true;
  const centered = sub(x, mean(x, axes, true));
  return div(sum(mul(centered, centered), axes, options.keepdim ?? false), unbiased ? n - 1 : n);
}

/** log(sum(exp(x))) over `axis`, computed stably by shifting by the (constant) maximum. */
export function logsumexp(x: Tensor, axis?: Axis, keepdim = false): Tensor {
  checkTensor(x, 'logsumexp');
  const axes = normalizeAxes(axis, x.ndim, 'logsumexp');
  // The shift only keeps exp in range; over an empty axis there is nothing to shift (the sum is 0, log 0 = -inf).
  const kept = reducedShape(x.shape, axes, true);
  const m = x.size === 0 ? new Tensor(allocate(x.dtype, sizeOf(kept)), kept) : max(x.detach(), axes, true);
  const md = m.data;
  for (let i = 0; i < md.length; i++) if (!Number.isFinite(md[i])) md[i] = 0;
  const y = add(log(sum(exp(sub(x, m)), axes, true)), m);
  if (keepdim) return y;
  return reshape(y, reducedShape(x.shape, axes, false));
}

/** Index of the largest entry along `axis` (of the flattened tensor when no axis), as floats; no gradient. */
export function argmax(x: Tensor, axis?: number, keepdim = false): Tensor {
  checkTensor(x, 'argmax');
  if (x.size === 0) throw new RangeError('argmax: cannot reduce an empty tensor');
  if (axis !== undefined) normalizeAxis(axis, x.ndim, 'argmax');
  if (axis === undefined || x.ndim === 0) {
    const out = allocate(x.dtype, 1);
    argmaxAxis(x.data, 1, x.size, 1, out);
    return new Tensor(out, keepdim ? x.shape.map(() => 1) : []);
  }
  const a = normalizeAxis(axis, x.ndim, 'argmax');
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < a; i++) outer *= x.shape[i];
  for (let i = a + 1; i < x.ndim; i++) inner *= x.shape[i];
  const shape = reducedShape(x.shape, [a], keepdim);
  const out = allocate(x.dtype, outer * inner);
  argmaxAxis(x.data, outer, x.shape[a], inner, out);
  return new Tensor(out, shape);
}

/** Index of the smallest entry along `axis`; no gradient. */
export function argmin(x: Tensor, axis?: number, keepdim = false): Tensor {
  return argmax(neg(x.detach()), axis, keepdim);
}

