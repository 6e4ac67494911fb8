/**
 * Elementwise primitives, each with its backward beside it. Binary ops broadcast like NumPy and
 * accept plain numbers; every binary backward goes through `unbroadcast`.
 */
import { fromOp } from '../autograd/record';
import { Tensor } from '../autograd/tensor';
import { allocate, type DataArray } from '../tensor/dtype';
import { broadcastShapes } from '../tensor/shape';
import { arithmetic, mapBinary, mapBinarySame, type ArithmeticOp } from '../tensor/kernels/elementwise';
import { astype, broadcastTo } from './movement';
import { asTensors, checkTensor, unbroadcast, type TensorLike } from './util';

/** A loop over the whole array: each op writes its own, so no per-element callback is shared across ops. */
type Loop = (x: DataArray, out: DataArray) => void;
type Backward = (g: DataArray, x: DataArray, y: DataArray, out: DataArray) => void;

function unary(op: string, x: Tensor, forward: Loop, grad: Backward): Tensor {
  checkTensor(x, op);
  const xd = x.data;
  const y = allocate(x.dtype, x.size);
  forward(xd, y);
  return fromOp(op, y, x.shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    grad(g.data, xd, y, gx);
    return [new Tensor(gx, x.shape)];
  });
}

/** -x. */
export function neg(x: Tensor): Tensor {
  return unary('neg', x, (x, o) => { for (let i = 0; i < o.length; i++) o[i] = -x[i]; },
    (g, _x, _y, o) => { for (let i = 0; i < o.length; i++) o[i] = -g[i]; });
}

/** e^x; d/dx = e^x. */
export function exp(x: Tensor): Tensor {
  return unary('exp', x, (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.exp(x[i]); },
    (g, _x, y, o) => { for (let i = 0; i < o.length; i++) o[i] = g[i] * y[i]; });
}

/** Natural log; d/dx = 1/x. */
export function log(x: Tensor): Tensor {
  return unary('log', x, (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.log(x[i]); },
    (g, x, _y, o) => { for (let i = 0; i < o.length; i++) o[i] = g[i] / x[i]; });
}

/** Square root; d/dx = 1/(2 sqrt x). */
export function sqrt(x: Tensor): Tensor {
  return unary('sqrt', x, (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(x[i]); },
    (g, _x, y, o) => { for (let i = 0; i < o.length; i++) o[i] = g[i] / (2 * y[i]); });
}

/** |x|; d/dx = sign(x), 0 at 0 (as PyTorch). */
export function abs(x: Tensor): Tensor {
  return unary('abs', x, (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.abs(x[i]); },
    (g, x, _y, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0; });
}

/** tanh x; d/dx = 1 - tanh² x. */
export function tanh(x: Tensor): Tensor {
  return unary('tanh', x, (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.tanh(x[i]); },
    (g, _x, y, o) => { for (let i = 0; i < o.length; i++) o[i] = g[i] * (1 - y[i] * y[i]); });
}

/** 1 / (1 + e^-x), computed stably; d/dx = σ(1-σ). */
export function sigmoid(x: Tensor): Tensor {
  return unary('sigmoid', x, (x, o) => {
    for (let i = 0; i < o.length; i++) {
      const v = x[i];
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        o[i] = e / (1 + e);
      }
    }
  }, (g, _x, y, o) => { for (let i = 0; i < o.length; i++) o[i] = g[i] * y[i] * (1 - y[i]); });
}

/** max(0, x), NaN kept; the gradient at 0 is 0 (as PyTorch). */
export function relu(x: Tensor): Tensor {
  return unary('relu', x, (x, o) => {
    for (let i = 0; i < o.length; i++) {
      const v = x[i];
      o[i] = v > 0 ? v : v === v ? 0 : v;
    }
  }, (g, x, _y, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i] > 0 ? g[i] : 0; });
}

/** x ** exponent for a number exponent; d/dx = exponent * x ** (exponent - 1). */
export function pow(x: Tensor, exponent: number): Tensor {
  if (typeof exponent !== 'number') throw new TypeError(`pow: exponent must be a number, got ${typeof exponent}`);
  const p = exponent;
  const forward: Loop = p === 2
    ? (x, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i] * x[i]; }
    : p === 0.5
      ? (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(x[i]); }
      : (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.pow(x[i], p); };
  return unary('pow', x, forward, (g, x, _y, o) => {
    if (p === 0) o.fill(0);
    else if (p === 2) for (let i = 0; i < o.length; i++) o[i] = 2 * g[i] * x[i];
    else for (let i = 0; i < o.length; i++) o[i] = g[i] * p * Math.pow(x[i], p - 1);
  });
}

/** A binary op's forward: one of the arithmetic kernels, or an elementwise function. */
type BinaryForward = ArithmeticOp | ((x: number, y: number) => number);

function binary(
  op: string,
  a: TensorLike,
  b: TensorLike,
  f: BinaryForward,
  backward: (g: Tensor, a: Tensor, b: Tensor) => [Tensor | null, Tensor | null],
): Tensor {
  const [ta, tb] = asTensors(a, b, op);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  const out = allocate(ta.dtype, shape.reduce((p, d) => p * d, 1));
  if (typeof f === 'string') arithmetic(f, ta.data, ta.shape, tb.data, tb.shape, out, shape);
  else mapBinary(ta.data, ta.shape, tb.data, tb.shape, out, shape, f);
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
  return binary('add', a, b, 'add', (g) => [g, g]);
}

/** a - b with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary('sub', a, b, 'sub', (g, _a, tb) => [g, tb.requiresGrad ? neg(g) : null]);
}

/** a * b with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', a, b, 'mul', (g, ta, tb) => [
    ta.requiresGrad ? mul(g, tb) : null,
    tb.requiresGrad ? mul(g, ta) : null,
  ]);
}

/** a / b with broadcasting; d/da = 1/b, d/db = -a/b². */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary('div', a, b, 'div', (g, ta, tb) => [
    ta.requiresGrad ? div(g, tb) : null,
    tb.requiresGrad ? neg(div(mul(g, ta), mul(tb, tb))) : null,
  ]);
}

function selectGrad(g: Tensor, pick: Tensor): Tensor {
  // g where pick is 1, else 0 (pick is a 0/1 mask of g's shape).
  const out = allocate(g.dtype, g.size);
  mapBinarySame(g.data, pick.data, out, (x, m) => (m !== 0 ? x : 0));
  return new Tensor(out, g.shape);
}

function maskOf(shape: readonly number[], ta: Tensor, tb: Tensor, f: (x: number, y: number) => number): Tensor {
  const out = allocate(ta.dtype, shape.reduce((p, d) => p * d, 1));
  mapBinary(ta.data, ta.shape, tb.data, tb.shape, out, shape, f);
  return new Tensor(out, shape);
}

/** Elementwise maximum; on ties the gradient is split evenly between a and b (as PyTorch). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary('maximum', a, b, (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y), (g, ta, tb) => {
    const wa = maskOf(g.shape, ta, tb, (x, y) => (x > y ? 1 : x === y ? 0.5 : 0));
    return [mul(g, wa), mul(g, maskOf(g.shape, ta, tb, (x, y) => (y > x ? 1 : x === y ? 0.5 : 0)))];
  });
}

/** Elementwise minimum; on ties the gradient is split evenly between a and b (as PyTorch). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary('minimum', a, b, (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y), (g, ta, tb) => {
    const wa = maskOf(g.shape, ta, tb, (x, y) => (x < y ? 1 : x === y ? 0.5 : 0));
    return [mul(g, wa), mul(g, maskOf(g.shape, ta, tb, (x, y) => (y < x ? 1 : x === y ? 0.5 : 0)))];
  });
}

function compare(op: string, a: TensorLike, b: TensorLike, f: (x: number, y: number) => boolean): Tensor {
  const [ta, tb] = asTensors(a, b, op);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  // A comparison is a constant: it carries no gradient.
  return maskOf(shape, ta, tb, (x, y) => (f(x, y) ? 1 : 0));
}

/** 1 where a > b, else 0 (no gradient). */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare('gt', a, b, (x, y) => x > y);
}

/** 1 where a < b, else 0 (no gradient). */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare('lt', a, b, (x, y) => x < y);
}

/** 1 where a >= b, else 0 (no gradient). */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare('ge', a, b, (x, y) => x >= y);
}

/** 1 where a <= b, else 0 (no gradient). */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare('le', a, b, (x, y) => x <= y);
}

/** 1 where a == b, else 0 (no gradient). */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare('eq', a, b, (x, y) => x === y);
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
  const md = m.data;
  for (let i = 0; i < out.length; i++) out[i] = md[i] !== 0 ? left[i] : right[i];
  return fromOp('where', out, shape, [ta, tb], (g) => [
    ta.requiresGrad ? unbroadcast(selectGrad(g, m), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(selectGrad(g, eq(m, 0)), tb.shape) : null,
  ]);
}

function broadcastData(t: Tensor, shape: readonly number[]): DataArray {
  return broadcastTo(t.detach(), shape).data;
}
