/**
 * Elementwise ops: primitives with their backward beside them (the loops are the kernel layer's), and
 * compositions of them (neg, abs, sub, maximum, minimum). Binary ops broadcast like NumPy and accept
 * plain numbers; every binary backward goes through `unbroadcast`.
 */
import { fromOp } from '../autograd/record';
import { Tensor } from '../autograd/tensor';
import { allocate, type DataArray } from '../tensor/dtype';
import { broadcastShapes, sizeOf } from '../tensor/shape';
import { kernels } from '../tensor/kernels/backend';
import type { ArithmeticOp, CompareOp } from '../tensor/kernels/elementwise';
import type { UnaryOp } from '../tensor/kernels/pointwise';
import { astype, broadcastTo } from './movement';
import { asTensors, checkTensor, unbroadcast, type TensorLike } from './util';

/**
 * A unary primitive: the forward and gradient loops are the kernel layer's (`unaryForward` and
 * `unaryGrad` of the same op); the graph node keeps x and y for the gradient.
 */
export function unaryOp(op: Exclude<UnaryOp, 'sign'>, x: Tensor): Tensor {
  checkTensor(x, op);
  const xd = x.data;
  const y = allocate(x.dtype, x.size);
  kernels().pointwise.unaryForward(op, xd, y);
  return fromOp(op, y, x.shape, [x], (g, gradIsFree) => {
    // The gradient loops read g[i] before writing out[i], so a free g can take the result.
    const gx = gradIsFree ? g.data : allocate(x.dtype, x.size);
    kernels().pointwise.unaryGrad(op, g.data, xd, y, gx);
    return [gradIsFree ? g : new Tensor(gx, x.shape)];
  }, true);
}

/** -x, composed as x · (-1) (exact in floating point). */
export function neg(x: Tensor): Tensor {
  checkTensor(x, 'neg');
  return mul(x, -1);
}

/** e^x; d/dx = e^x. */
export function exp(x: Tensor): Tensor {
  return unaryOp('exp', x);
}

/** Natural log; d/dx = 1/x. */
export function log(x: Tensor): Tensor {
  return unaryOp('log', x);
}

/** Square root; d/dx = 1/(2 sqrt x). */
export function sqrt(x: Tensor): Tensor {
  return unaryOp('sqrt', x);
}

/** The sign of each element (-1, 0 or 1; NaN stays NaN) as a constant: no gradient. */
export function sign(x: Tensor): Tensor {
  checkTensor(x, 'sign');
  const out = allocate(x.dtype, x.size);
  kernels().pointwise.unaryForward('sign', x.data, out);
  return new Tensor(out, x.shape);
}

/** |x|, composed as x · sign(x) with the sign a constant, so d/dx = sign(x): 0 at 0 (as PyTorch). */
export function abs(x: Tensor): Tensor {
  checkTensor(x, 'abs');
  return mul(x, sign(x));
}

/** tanh x; d/dx = 1 - tanh² x. */
export function tanh(x: Tensor): Tensor {
  return unaryOp('tanh', x);
}

/** 1 / (1 + e^-x), computed stably; d/dx = σ(1-σ). */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', x);
}

/** max(0, x), NaN kept; the gradient at 0 is 0 (as PyTorch). */
export function relu(x: Tensor): Tensor {
  return unaryOp('relu', x);
}

/** x ** exponent for a number exponent; d/dx = exponent * x ** (exponent - 1). */
export function pow(x: Tensor, exponent: number): Tensor {
  checkTensor(x, 'pow');
  if (typeof exponent !== 'number') throw new TypeError(`pow: exponent must be a number, got ${typeof exponent}`);
  const xd = x.data;
  const y = allocate(x.dtype, x.size);
  kernels().pointwise.powForward(xd, exponent, y);
  return fromOp('pow', y, x.shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    kernels().pointwise.powGrad(g.data, xd, exponent, gx);
    return [new Tensor(gx, x.shape)];
  }, true);
}

function binary(
  op: ArithmeticOp,
  a: TensorLike,
  b: TensorLike,
  backward: (g: Tensor, a: Tensor, b: Tensor) => [Tensor | null, Tensor | null],
): Tensor {
  const [ta, tb] = asTensors(a, b, op);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  const out = allocate(ta.dtype, sizeOf(shape));
  kernels().pointwise.arithmetic(op, ta.data, ta.shape, tb.data, tb.shape, out, shape);
  return fromOp(op, out, shape, [ta, tb], (g) => {
    const [ga, gb] = backward(g, ta, tb);
    return [
      ga === null || !ta.requiresGrad ? null : unbroadcast(ga, ta.shape),
      gb === null || !tb.requiresGrad ? null : unbroadcast(gb, tb.shape),
    ];
  });
}

/** a + b with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary('add', a, b, (g) => [g, g]);
}

/** a - b with broadcasting, composed as a + (-b) (the same number in floating point). */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = asTensors(a, b, 'sub');
  broadcastShapes(ta.shape, tb.shape, 'sub');
  return typeof b === 'number' ? add(ta, -b) : add(ta, neg(tb));
}

/** a * b with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', a, b, (g, ta, tb) => [
    ta.requiresGrad ? mul(g, tb) : null,
    tb.requiresGrad ? mul(g, ta) : null,
  ]);
}

/** a / b with broadcasting; d/da = 1/b, d/db = -a/b². */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary('div', a, b, (g, ta, tb) => [
    ta.requiresGrad ? div(g, tb) : null,
    tb.requiresGrad ? neg(div(mul(g, ta), mul(tb, tb))) : null,
  ]);
}

/** On ties, half of each operand: the gradient splits evenly between a and b (as PyTorch). */
function halfEach(a: Tensor, b: Tensor): Tensor {
  return add(mul(a, 0.5), mul(b, 0.5));
}

/**
 * Elementwise maximum (NaN if either is NaN), composed from comparisons and `where`, so that on ties
 * the gradient is split evenly between a and b (as PyTorch).
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = asTensors(a, b, 'maximum');
  broadcastShapes(ta.shape, tb.shape, 'maximum');
  const [da, db] = [ta.detach(), tb.detach()];
  return where(gt(da, db), ta, where(lt(da, db), tb, halfEach(ta, tb)));
}

/** Elementwise minimum (NaN if either is NaN); on ties the gradient is split evenly (as PyTorch). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = asTensors(a, b, 'minimum');
  broadcastShapes(ta.shape, tb.shape, 'minimum');
  const [da, db] = [ta.detach(), tb.detach()];
  return where(lt(da, db), ta, where(gt(da, db), tb, halfEach(ta, tb)));
}

function comparison(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = asTensors(a, b, op);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  // A comparison is a constant: it carries no gradient.
  const out = allocate(ta.dtype, sizeOf(shape));
  kernels().pointwise.compare(op, ta.data, ta.shape, tb.data, tb.shape, out, shape);
  return new Tensor(out, shape);
}

/** 1 where a > b, else 0 (no gradient). */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return comparison('gt', a, b);
}

/** 1 where a < b, else 0 (no gradient). */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return comparison('lt', a, b);
}

/** 1 where a >= b, else 0 (no gradient). */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return comparison('ge', a, b);
}

/** 1 where a <= b, else 0 (no gradient). */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return comparison('le', a, b);
}

/** 1 where a == b, else 0 (no gradient). */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return comparison('eq', a, b);
}

/** Picks a where mask is non-zero, else b, with broadcasting of all three; the mask gets no gradient. */
export function where(mask: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor(mask, 'where', 'mask');
  const [ta, tb] = asTensors(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(mask.shape, ta.shape, 'where'), tb.shape, 'where');
  const m = broadcastTo(astype(mask.detach(), ta.dtype), shape);
  const out = allocate(ta.dtype, m.size);
  const left = broadcastData(ta, shape);
  const right = broadcastData(tb, shape);
  kernels().pointwise.select(m.data, left, right, out);
  return fromOp('where', out, shape, [ta, tb], (g) => [
    ta.requiresGrad ? unbroadcast(maskedGrad(g, m, true), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(maskedGrad(g, m, false), tb.shape) : null,
  ]);
}

/** g where the mask is non-zero (keep) or zero (not keep), 0 elsewhere. */
function maskedGrad(g: Tensor, mask: Tensor, keep: boolean): Tensor {
  const out = allocate(g.dtype, g.size);
  kernels().pointwise.maskedCopy(g.data, mask.data, keep, out);
  return new Tensor(out, g.shape);
}

function broadcastData(t: Tensor, shape: readonly number[]): DataArray {
  return broadcastTo(t.detach(), shape).data;
}
