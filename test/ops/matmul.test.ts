import { describe, expect, it } from 'vitest';
import { assertClose, gradcheck, matmul, randn, tensor, Generator } from '../../src/index';

const f64 = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });

/** Naive reference product of a [m, k] and [k, n] nested array. */
function reference(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, p) => s + v * b[p][j], 0)));
}

describe('matmul', () => {
  it('multiplies 2-D matrices (hand-checked)', () => {
    assertClose(matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])), [[19, 22], [43, 50]]);
  });

  it('agrees with a naive product on odd sizes', () => {
    const a = randn([7, 13], { generator: new Generator(1), dtype: 'float64' });
    const b = randn([13, 5], { generator: new Generator(2), dtype: 'float64' });
    assertClose(matmul(a, b), reference(a.toArray() as number[][], b.toArray() as number[][]), { atol: 1e-12, rtol: 1e-12 });
  });

  it('batches with broadcasting of the leading axes, and handles vectors', () => {
    const a = randn([2, 1, 3, 4], { generator: new Generator(3) });
    const b = randn([5, 4, 2], { generator: new Generator(4) });
    const y = matmul(a, b);
    expect(y.shape).toEqual([2, 5, 3, 2]);
    const a1 = a.narrow(0, 1, 1).reshape([3, 4]);
    const b3 = b.narrow(0, 3, 1).reshape([4, 2]);
    assertClose(y.narrow(0, 1, 1).narrow(1, 3, 1).reshape([3, 2]), matmul(a1, b3));
    expect(matmul(tensor([1, 2]), tensor([[1, 0], [0, 1]])).shape).toEqual([2]);
    expect(matmul(tensor([[1, 2]]), tensor([3, 4])).shape).toEqual([1]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
  });

  it('has gradients that match central differences, batched and broadcast too', () => {
    expect(gradcheck(matmul, [f64([3, 4], 1), f64([4, 5], 2)])).toBe(true);
    expect(gradcheck(matmul, [f64([2, 3, 4], 3), f64([4, 6], 4)])).toBe(true);
    expect(gradcheck(matmul, [f64([2, 1, 3, 4], 5), f64([3, 4, 2], 6)])).toBe(true);
    expect(gradcheck(matmul, [f64([4], 7), f64([4, 3], 8)])).toBe(true);
  });

  it('reports mismatched inner dimensions with both shapes', () => {
    expect(() => matmul(tensor([[1, 2, 3], [4, 5, 6]]), randn([4, 5]))).toThrow('matmul: inner dimensions must match, got [2, 3] @ [4, 5]');
    expect(() => matmul(tensor(1), tensor([1]))).toThrow('matmul: both operands need at least 1 dimension, got [] @ [1]');
  });
});
