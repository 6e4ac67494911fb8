/** Helpers shared by ops: turning numbers into tensors, dtype agreement, and unbroadcasting gradients. */
import { Tensor } from '../autograd/tensor';
import { allocate } from '../tensor/dtype';
import { formatShape, sameShape, type Shape } from '../tensor/shape';
import { sumAxes } from '../tensor/kernels/reduce';

/** A tensor, or a plain number that takes the other operand's dtype. */
export type TensorLike = Tensor | number;

/** Checks the argument is a Tensor, naming the op and argument otherwise. */
export function checkTensor(x: unknown, op: string, name = 'input'): Tensor {
  if (!(x instanceof Tensor)) {
    const what = x === null ? 'null' : Array.isArray(x) ? 'an array (wrap it with tensor())' : typeof x;
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${what}`);
  }
  return x;
}

/** Both operands as tensors of one dtype; numbers become scalars of the tensor's dtype. */
export function asTensors(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') {
    throw new TypeError(`${op}: at least one operand must be a Tensor, got two numbers`);
  }
  const ta = typeof a === 'number' ? scalarLike(a, checkTensor(b, op, 'second operand')) : checkTensor(a, op, 'first operand');
  const tb = typeof b === 'number' ? scalarLike(b, ta) : checkTensor(b, op, 'second operand');
  if (ta.dtype !== tb.dtype) {
    throw new TypeError(`${op}: dtype mismatch, got ${ta.dtype} and ${tb.dtype}; convert one with .astype('${tb.dtype}')`);
  }
  return [ta, tb];
}

/** A constant scalar tensor with the dtype of `like`. */
export function scalarLike(value: number, like: Tensor): Tensor {
  const data = allocate(like.dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/** Sums a broadcast gradient back down to `shape` (the reverse of broadcasting). */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new Error(`unbroadcast: gradient ${formatShape(g.shape)} has fewer axes than ${formatShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const out = allocate(g.dtype, shape.reduce((p, d) => p * d, 1));
  sumAxes(g.data, g.shape, axes, out);
  return new Tensor(out, shape);
}
