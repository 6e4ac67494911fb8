/**
 * Matrix product, 2-D and batched with NumPy broadcasting of the leading axes (like `torch.matmul`).
 * The backward uses the same kernel with transposed operands: dA = dY·Bᵀ, dB = Aᵀ·dY.
 */
import { fromOp } from '../autograd/record';
import { Tensor } from '../autograd/tensor';
import { allocate, type DataArray } from '../tensor/dtype';
import { broadcastShapes, formatShape, sizeOf } from '../tensor/shape';
import { broadcastStrides } from '../tensor/kernels/strided';
import { gemm } from '../tensor/kernels/matmul';
import { reshape } from './movement';
import { checkTensor, unbroadcast } from './util';

/** Batch offsets (in matrices) of an operand broadcast over `batchShape`. */
function batchOffsets(batch: readonly number[], batchShape: readonly number[]): number[] {
  const strides = broadcastStrides(batch, batchShape);
  const total = sizeOf(batchShape);
  const offsets = new Array<number>(total);
  const counter = new Array<number>(batchShape.length).fill(0);
  for (let i = 0; i < total; i++) {
    let off = 0;
    for (let d = 0; d < batchShape.length; d++) off += counter[d] * strides[d];
    offsets[i] = off;
    for (let d = batchShape.length - 1; d >= 0; d--) {
      if (++counter[d] < batchShape[d]) break;
      counter[d] = 0;
    }
  }
  return offsets;
}

/** Runs gemm over a batch: out[i] = op(A[aOff[i]]) @ op(B[bOff[i]]). */
function batchedGemm(
  a: DataArray, aOff: readonly number[], aMat: number,
  b: DataArray, bOff: readonly number[], bMat: number,
  out: DataArray, m: number, k: number, n: number, transA: boolean, transB: boolean,
): void {
  for (let i = 0; i < aOff.length; i++) {
    const ao = aOff[i] * aMat;
    const bo = bOff[i] * bMat;
    gemm(a.subarray(ao, ao + aMat), b.subarray(bo, bo + bMat), out.subarray(i * m * n, (i + 1) * m * n), m, k, n, transA, transB);
  }
}

/** a @ b. 1-D operands are treated as a row (a) or column (b) vector and that axis is dropped. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'matmul', 'first operand');
  checkTensor(b, 'matmul', 'second operand');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both operands need at least 1 dimension, got ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  }
  if (a.dtype !== b.dtype) {
    throw new TypeError(`matmul: dtype mismatch, got ${a.dtype} @ ${b.dtype}; convert one with .astype('${b.dtype}')`);
  }
  // Checked on the shapes as given, before a vector operand is turned into a matrix.
  if (b.shape[Math.max(b.ndim - 2, 0)] !== a.shape[a.ndim - 1]) {
    throw new RangeError(`matmul: inner dimensions must match, got ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  }
  if (a.ndim === 1 || b.ndim === 1) {
    const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
    const b2 = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
    const y = matmul(a2, b2);
    const shape = y.shape.slice();
    if (b.ndim === 1) shape.splice(shape.length - 1, 1);
    if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
    return reshape(y, shape);
  }
  const m = a.shape[a.ndim - 2];
  const k = a.shape[a.ndim - 1];
  const n = b.shape[b.ndim - 1];
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch, 'matmul (batch axes)');
  const shape = [...batchShape, m, n];
  const out = allocate(a.dtype, sizeOf(shape));
  const aOff = batchOffsets(aBatch, batchShape);
  const bOff = batchOffsets(bBatch, batchShape);
  batchedGemm(a.data, aOff, m * k, b.data, bOff, k * n, out, m, k, n, false, false);
  return fromOp('matmul', out, shape, [a, b], (g) => {
    const count = aOff.length;
    const identity = Array.from({ length: count }, (_, i) => i);
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      // dA[i] = dY[i] @ B[i]ᵀ, then summed over the batch axes A was broadcast along.
      const full = allocate(a.dtype, count * m * k);
      batchedGemm(g.data, identity, m * n, b.data, bOff, k * n, full, m, n, k, false, true);
      ga = unbroadcast(new Tensor(full, [...batchShape, m, k]), a.shape);
    }
    if (b.requiresGrad) {
      // dB[i] = A[i]ᵀ @ dY[i].
      const full = allocate(b.dtype, count * k * n);
      batchedGemm(a.data, aOff, m * k, g.data, identity, m * n, full, k, m, n, true, false);
      gb = unbroadcast(new Tensor(full, [...batchShape, k, n]), b.shape);
    }
    return [ga, gb];
  }, true);
}
