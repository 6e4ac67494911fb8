import { describe, expect, it } from 'vitest';
import { matmul, tensor } from '../../src/index';

// Batched and vector products and their gradients, worked out by hand.
describe('matmul: exact batched values and gradients', () => {
  it('broadcasts the batch axes: every pair of matrices is multiplied', () => {
    // a: [2, 1, 1, 2] (two row vectors), b: [3, 2, 1] (three column vectors): out[i][j] = a_i · b_j.
    const a = tensor([[[[1, 2]]], [[[3, 4]]]]);
    const b = tensor([[[1], [0]], [[0], [1]], [[1], [1]]]);
    const y = matmul(a, b);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    expect(y.toArray()).toEqual([[[[1]], [[2]], [[3]]], [[[3]], [[4]], [[7]]]]);
    // The other way round: b's batch first.
    const z = matmul(tensor([[[1, 1]], [[2, -1]], [[0, 3]]]), tensor([[[1], [2]], [[5], [7]]]).reshape([2, 1, 2, 1]));
    expect(z.shape).toEqual([2, 3, 1, 1]);
    expect(z.toArray()).toEqual([[[[3]], [[0]], [[6]]], [[[12]], [[3]], [[21]]]]);
  });

  it('a 1-D operand is a row (first) or column (second) vector, also against a batch', () => {
    const v = tensor([1, 2]);
    const batch = tensor([[[1, 0, 1], [0, 1, 1]], [[2, 0, 0], [0, 2, 0]]]); // [2, 2, 3]
    const left = matmul(v, batch);
    expect(left.shape).toEqual([2, 3]);
    expect(left.toArray()).toEqual([[1, 2, 3], [2, 4, 0]]);
    const right = matmul(tensor([[[1, 2], [3, 4]], [[0, 1], [1, 0]]]), v); // [2, 2, 2] @ [2]
    expect(right.shape).toEqual([2, 2]);
    expect(right.toArray()).toEqual([[5, 11], [2, 1]]);
    expect(matmul(v, tensor([3, 4])).shape).toEqual([]);
  });

  it('dA = dY·Bᵀ and dB = Aᵀ·dY, summed over the batch axes an operand was broadcast along', () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b = tensor([[[1, 0], [0, 1]], [[2, 1], [1, 3]]], { requiresGrad: true }); // [2, 2, 2]
    matmul(a, b).mul(tensor([[[1, 0], [0, 0]], [[0, 1], [0, 0]]])).sum().backward();
    // dY[0] = e00, dY[1] = e01: dA = e00·B0ᵀ + e01·B1ᵀ = [[1, 0], [0, 0]] + [[1, 3], [0, 0]].
    expect(a.grad?.toArray()).toEqual([[2, 3], [0, 0]]);
    // dB[0] = Aᵀ·e00 = [[1, 0], [2, 0]], dB[1] = Aᵀ·e01 = [[0, 1], [0, 2]].
    expect(b.grad?.toArray()).toEqual([[[1, 0], [2, 0]], [[0, 1], [0, 2]]]);
  });

  it('only an operand that requires grad gets one', () => {
    const a = tensor([[1, 2]], { requiresGrad: true });
    const b = tensor([[3], [4]]);
    matmul(a, b).sum().backward();
    expect(a.grad?.toArray()).toEqual([[3, 4]]);
    expect(b.grad).toBeNull();
    const c = tensor([[1, 2]]);
    const d = tensor([[3], [4]], { requiresGrad: true });
    matmul(c, d).backward(tensor([[2]]));
    expect(d.grad?.toArray()).toEqual([[2], [4]]);
    expect(c.grad).toBeNull();
  });

  it('names the operands, shapes and dtypes in its errors', () => {
    expect(() => matmul(tensor([1]), tensor(2))).toThrow('matmul: both operands need at least 1 dimension, got [1] @ []');
    expect(() => matmul([1] as never, tensor([1]))).toThrow('matmul: first operand must be a Tensor, got an array (wrap it with tensor())');
    expect(() => matmul(tensor([1]), 2 as never)).toThrow('matmul: second operand must be a Tensor, got number');
    expect(() => matmul(tensor([1]), tensor([1], { dtype: 'float64' })))
      .toThrow("matmul: dtype mismatch, got float32 @ float64; convert one with .astype('float64')");
    expect(() => matmul(tensor([[[1]], [[2]]]), tensor([[[1]], [[2]], [[3]]])))
      .toThrow('matmul (batch axes): shapes [2] and [3] cannot be broadcast');
    // The shapes as given, not the matrices a vector operand becomes.
    expect(() => matmul(tensor([1, 2]), tensor([1, 2, 3]))).toThrow('matmul: inner dimensions must match, got [2] @ [3]');
    expect(() => matmul(tensor([[1, 2]]), tensor([1, 2, 3]))).toThrow('matmul: inner dimensions must match, got [1, 2] @ [3]');
    expect(() => matmul(tensor([1, 2]), tensor([[1, 2]]))).toThrow('matmul: inner dimensions must match, got [2] @ [1, 2]');
    expect(() => matmul(tensor([[[1, 2]]]), tensor([[1], [2], [3]]))).toThrow('matmul: inner dimensions must match, got [1, 1, 2] @ [3, 1]');
  });
});
