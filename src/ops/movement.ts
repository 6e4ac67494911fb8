/**
 * Movement primitives: reshape, permute, broadcast, concatenate, select and slice, each with its
 * backward. Tensors are always contiguous, so reshape shares the data and the others copy.
 */
import { fromOp } from '../autograd/record';
import { Tensor } from '../autograd/tensor';
import { allocate, checkDType, type DType } from '../tensor/dtype';
import { broadcastShapes, checkShape, formatShape, normalizeAxis, sameShape, sizeOf, type Shape } from '../tensor/shape';
import { broadcastInto, copyAxisBlock, permuteInto } from '../tensor/kernels/movement';
import { checkTensor, unbroadcast } from './util';

/** The same data viewed with a new shape; one dimension may be -1 and is inferred. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  checkTensor(x, 'reshape');
  const target = shape.slice();
  const unknown = target.indexOf(-1);
  if (unknown !== -1) {
    if (target.indexOf(-1, unknown + 1) !== -1) throw new RangeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
    const known = target.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`);
    }
    target[unknown] = x.size / known;
  }
  checkShape(target, 'reshape');
  if (sizeOf(target) !== x.size) {
    throw new RangeError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)} (${sizeOf(target)} elements)`,
    );
  }
  return fromOp('reshape', x.data, target, [x], (g) => [new Tensor(g.data, x.shape)]);
}

/** Flattens axes startDim..endDim into one (defaults: all axes, giving a 1-D tensor). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor(x, 'flatten');
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, 'flatten');
  const e = normalizeAxis(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes axes of size 1 (all of them, or only `axis`). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  checkTensor(x, 'squeeze');
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normalizeAxis(axis, x.ndim, 'squeeze');
  if (x.shape[a] !== 1) return reshape(x, x.shape); // a new view, as PyTorch returns
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

/** Inserts an axis of size 1 at `axis` (which may be ndim, or negative). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor(x, 'unsqueeze');
  const a = normalizeAxis(axis, x.ndim + 1, 'unsqueeze');
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Reorders the axes: output axis i is input axis axes[i]. */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  checkTensor(x, 'permute');
  if (axes.length !== x.ndim) {
    throw new RangeError(`permute: need ${x.ndim} axes for shape ${formatShape(x.shape)}, got [${axes.join(', ')}]`);
  }
  const norm = axes.map((a) => normalizeAxis(a, x.ndim, 'permute'));
  if (new Set(norm).size !== norm.length) throw new RangeError(`permute: axes [${axes.join(', ')}] repeat an axis`);
  const shape = norm.map((a) => x.shape[a]);
  const out = allocate(x.dtype, x.size);
  permuteInto(x.data, x.shape, norm, out);
  const inverse = new Array<number>(norm.length);
  norm.forEach((a, i) => (inverse[a] = i));
  return fromOp('permute', out, shape, [x], (g) => [permute(g, inverse)]);
}

/** Swaps two axes (the last two by default, i.e. the matrix transpose). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor(x, 'transpose');
  if (x.ndim < 2 && dim0 === -2 && dim1 === -1) return reshape(x, x.shape);
  const a = normalizeAxis(dim0, x.ndim, 'transpose');
  const b = normalizeAxis(dim1, x.ndim, 'transpose');
  const axes = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, axes);
}

/** Repeats x along broadcast axes to `shape` (NumPy rules); the gradient sums back. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  checkTensor(x, 'broadcastTo');
  checkShape(shape, 'broadcastTo');
  const result = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!sameShape(result, shape)) {
    throw new RangeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  if (sameShape(x.shape, shape)) return reshape(x, shape);
  const out = allocate(x.dtype, sizeOf(shape));
  broadcastInto(x.data, x.shape, shape, out);
  return fromOp('broadcastTo', out, shape, [x], (g) => [unbroadcast(g, x.shape)]);
}

/** A copy converted to `dtype`; the gradient converts back. */
export function astype(x: Tensor, dtype: DType): Tensor {
  checkTensor(x, 'astype');
  checkDType(dtype, 'astype');
  const out = allocate(dtype, x.size);
  out.set(x.data);
  return fromOp('astype', out, x.shape, [x], (g) => [astype(g, x.dtype)]);
}

/** A differentiable copy. */
export function clone(x: Tensor): Tensor {
  return astype(x, x.dtype);
}

/** Normalizes `axis` of `x` for ops that index along an axis, which a 0-d tensor does not have. */
function indexAxis(x: Tensor, axis: number, op: string, name = 'input', hint = 'reshape it to [1] first'): number {
  if (x.ndim === 0) throw new RangeError(`${op}: ${name} is 0-d (shape []) and has no axis ${axis}; ${hint}`);
  return normalizeAxis(axis, x.ndim, op);
}

function axisView(shape: Shape, axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis], inner];
}

function checkTensorList(tensors: unknown, op: string): void {
  if (!(tensors instanceof Array) || tensors.length === 0) throw new RangeError(`${op}: need a non-empty list of tensors`);
  tensors.forEach((t: unknown, i: number) => checkTensor(t, op, `tensors[${i}]`));
}

/** Joins tensors along an existing axis; all other axes must match. */
export function cat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkTensorList(tensors, 'cat');
  const first = tensors[0];
  const a = indexAxis(first, axis, 'cat', 'tensors[0]', 'use stack to join scalars');
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i];
    if (t.dtype !== first.dtype) throw new TypeError(`cat: dtype mismatch, tensors[0] is ${first.dtype}, tensors[${i}] is ${t.dtype}`);
    if (t.ndim !== first.ndim || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      throw new RangeError(
        `cat: shapes must match except along axis ${a}, got ${formatShape(first.shape)} and ${formatShape(t.shape)} (tensors[${i}])`,
      );
    }
  }
  const total = tensors.reduce((p, t) => p + t.shape[a], 0);
  const shape = first.shape.map((d, j) => (j === a ? total : d));
  const out = allocate(first.dtype, sizeOf(shape));
  const [outer, , inner] = axisView(shape, a);
  const starts: number[] = [];
  let start = 0;
  for (const t of tensors) {
    starts.push(start);
    copyAxisBlock(t.data, t.shape[a], 0, out, total, start, t.shape[a], outer, inner);
    start += t.shape[a];
  }
  return fromOp('cat', out, shape, tensors, (g) => tensors.map((t, i) => (t.requiresGrad ? narrow(g, a, starts[i], t.shape[a]) : null)));
}

/** Stacks same-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkTensorList(tensors, 'stack');
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape)) {
      throw new RangeError(`stack: all tensors must have one shape, got ${formatShape(first.shape)} and ${formatShape(t.shape)} (tensors[${i}])`);
    }
  });
  const a = normalizeAxis(axis, first.ndim + 1, 'stack');
  return cat(tensors.map((t) => unsqueeze(t, a)), a);
}

/** The `length` entries starting at `start` along `axis` (like `torch.narrow`). */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  checkTensor(x, 'narrow');
  const a = indexAxis(x, axis, 'narrow');
  const n = x.shape[a];
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > n) {
    throw new RangeError(`narrow: range [${start}, ${start + length}) is out of bounds for axis ${a} of size ${n} (shape ${formatShape(x.shape)})`);
  }
  const shape = x.shape.map((d, j) => (j === a ? length : d));
  const out = allocate(x.dtype, sizeOf(shape));
  const [outer, , inner] = axisView(x.shape, a);
  copyAxisBlock(x.data, n, start, out, length, 0, length, outer, inner);
  return fromOp('narrow', out, shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    copyAxisBlock(g.data, length, 0, gx, n, start, length, outer, inner);
    return [new Tensor(gx, x.shape)];
  });
}

/** Python-style slice along `axis`: entries start, start+step, ... below end; negative indices count from the end. */
export function slice(x: Tensor, axis: number, start = 0, end?: number, step = 1): Tensor {
  checkTensor(x, 'slice');
  const a = indexAxis(x, axis, 'slice');
  const n = x.shape[a];
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  const clampIndex = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const s = clampIndex(start);
  const e = end === undefined ? n : clampIndex(end);
  if (step === 1) return narrow(x, a, s, Math.max(0, e - s));
  const indices: number[] = [];
  for (let i = s; i < e; i += step) indices.push(i);
  return indexSelect(x, a, indices);
}

/** The entries at `indices` along `axis` (like `torch.index_select`); repeated indices sum their gradients. */
export function indexSelect(x: Tensor, axis: number, indices: ArrayLike<number> | Tensor): Tensor {
  checkTensor(x, 'indexSelect');
  const a = indexAxis(x, axis, 'indexSelect');
  const n = x.shape[a];
  const idx = indices instanceof Tensor ? indices.data : indices;
  const list: number[] = [];
  for (let i = 0; i < idx.length; i++) {
    let k = idx[i];
    if (!Number.isInteger(k) || k < -n || k >= n) {
      throw new RangeError(`indexSelect: index ${k} (position ${i}) is out of range for axis ${a} of size ${n}`);
    }
    if (k < 0) k += n;
    list.push(k);
  }
  const shape = x.shape.map((d, j) => (j === a ? list.length : d));
  const out = allocate(x.dtype, sizeOf(shape));
  const [outer, , inner] = axisView(x.shape, a);
  for (let j = 0; j < list.length; j++) copyAxisBlock(x.data, n, list[j], out, list.length, j, 1, outer, inner);
  return fromOp('indexSelect', out, shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let j = 0; j < list.length; j++) {
      for (let o = 0; o < outer; o++) {
        const src = (o * list.length + j) * inner;
        const dst = (o * n + list[j]) * inner;
        for (let q = 0; q < inner; q++) gx[dst + q] += gd[src + q];
      }
    }
    return [new Tensor(gx, x.shape)];
  });
}
