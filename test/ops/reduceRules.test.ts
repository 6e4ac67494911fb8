import { describe, expect, it } from 'vitest';
import { argmax, argmin, arange, logsumexp, max, mean, min, sum, tensor, variance } from '../../src/index';

// Exact values, gradients and error messages of the reductions, worked out by hand.
describe('reductions: exact values and gradients', () => {
  // x[i][j][k] = 12i + 4j + k
  const x3 = arange(24, undefined, 1, { dtype: 'float64' }).reshape([2, 3, 4]);

  it('sum and mean spread the gradient back over the reduced axes', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    sum(x, 1).mul(tensor([10, 100])).sum().backward();
    expect(x.grad?.toArray()).toEqual([[10, 10, 10], [100, 100, 100]]);
    const y = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    mean(y, 0, true).mul(tensor([[2, 4, 6]], { dtype: 'float64' })).sum().backward();
    expect(y.grad?.toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(mean(x3, [0, 2]).toArray()).toEqual([7.5, 11.5, 15.5]); // means of 12i + 4j + k over i, k
    expect(mean(x3).item()).toBe(11.5);
  });

  it('max gives the gradient to the maximal entry, split evenly among ties', () => {
    const x = tensor([[1, 3, 3], [5, 2, 0]], { requiresGrad: true });
    max(x, 1).mul(tensor([4, 6])).sum().backward();
    expect(x.grad?.toArray()).toEqual([[0, 2, 2], [6, 0, 0]]);
    const y = tensor([2, 7, 7, 7], { requiresGrad: true });
    max(y).backward();
    expect(Array.from(y.grad?.data ?? [])).toEqual([0, 1 / 3, 1 / 3, 1 / 3].map(Math.fround));
    expect(max(x3, 1).toArray()).toEqual([[8, 9, 10, 11], [20, 21, 22, 23]]);
    expect(max(x3, [0, 2], true).toArray()).toEqual([[[15], [19], [23]]]);
  });

  it('min is the smallest entry with the same tie rule', () => {
    const x = tensor([[4, 1, 1], [0, 2, 3]], { requiresGrad: true });
    min(x, 1).sum().backward();
    expect(x.grad?.toArray()).toEqual([[0, 0.5, 0.5], [1, 0, 0]]);
    expect(min(x).item()).toBe(0);
    expect(min(x, 0, true).toArray()).toEqual([[0, 1, 1]]);
  });

  it('variance: biased and unbiased, over several axes, keepdim', () => {
    const v = tensor([[1, 3], [5, 7]], { dtype: 'float64' });
    // Mean 4, squared deviations 9 + 1 + 1 + 9 = 20.
    expect(variance(v).item()).toBe(20 / 3);
    expect(variance(v, [0, 1], { unbiased: false }).item()).toBe(5);
    expect(variance(v, 0, { unbiased: true, keepdim: true }).toArray()).toEqual([[8, 8]]);
    expect(variance(v, 1, { unbiased: false }).toArray()).toEqual([1, 1]);
    const w = tensor([1, 2, 4], { dtype: 'float64', requiresGrad: true });
    // d/dw_i of sum((w - m)²)/(n - 1) is 2(w_i - m)/(n - 1) with m = 7/3.
    variance(w).backward();
    const m = 7 / 3;
    const g = w.grad?.toArray() as number[];
    [1, 2, 4].forEach((wi, i) => expect(g[i]).toBeCloseTo((2 * (wi - m)) / 2, 14));
  });

  it('logsumexp: shifted by the maximum, -inf for all -inf, +inf when an entry is +inf, keepdim', () => {
    expect(logsumexp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logsumexp(tensor([Infinity, 0])).item()).toBe(Infinity);
    expect(logsumexp(tensor([[0, 0], [1000, -Infinity]], { dtype: 'float64' }), 1).toArray()).toEqual([Math.log(2), 1000]);
    const k = logsumexp(tensor([[0, 0, 0, 0]], { dtype: 'float64' }), 1, true);
    expect(k.shape).toEqual([1, 1]);
    expect(k.item()).toBe(Math.log(4));
    // d/dx logsumexp = softmax(x): [1/2, 1/2] for equal entries.
    const x = tensor([3, 3], { dtype: 'float64', requiresGrad: true });
    logsumexp(x).backward();
    expect(x.grad?.toArray()).toEqual([0.5, 0.5]);
    expect(logsumexp(tensor([], { shape: [0] })).item()).toBe(-Infinity);
  });

  it('argmax and argmin along an inner axis, the first index on ties, keepdim on the flattened tensor', () => {
    const t = tensor([[[1, 9], [5, 2], [5, 9]], [[0, 1], [7, 3], [6, 4]]]);
    expect(argmax(t, 1).toArray()).toEqual([[1, 0], [1, 2]]);
    expect(argmax(t, -1, true).toArray()).toEqual([[[1], [0], [1]], [[1], [0], [0]]]);
    expect(argmin(t, 1).toArray()).toEqual([[0, 1], [0, 0]]);
    expect(argmax(t).item()).toBe(1);
    const k = argmax(t, undefined, true);
    expect(k.shape).toEqual([1, 1, 1]);
    expect(k.item()).toBe(1);
    expect(argmin(t).item()).toBe(6);
    expect(argmax(tensor(4)).shape).toEqual([]);
    expect(argmax(x3, 0).toArray()).toEqual([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]);
  });
});

describe('reductions: errors name the op', () => {
  const x = tensor([[1, 2], [3, 4]]);
  it('for an axis out of range', () => {
    for (const [name, f] of [['sum', sum], ['mean', mean], ['max', max], ['min', min], ['logsumexp', logsumexp]] as const) {
      expect(() => f(x, 2)).toThrow(`${name}: axis 2 is out of range for a tensor with 2 dimension(s)`);
    }
    expect(() => variance(x, [0, 5])).toThrow('var: axis 5 is out of range for a tensor with 2 dimension(s)');
    expect(() => argmax(x, 2)).toThrow('argmax: axis 2 is out of range for a tensor with 2 dimension(s)');
    expect(() => argmin(x, -3)).toThrow('argmax: axis -3 is out of range for a tensor with 2 dimension(s)');
  });

  it('for a non-tensor', () => {
    for (const [name, f] of [['sum', sum], ['mean', mean], ['max', max], ['min', min], ['var', variance], ['logsumexp', logsumexp], ['argmax', argmax]] as const) {
      expect(() => f([1, 2] as never)).toThrow(`${name}: input must be a Tensor, got an array (wrap it with tensor())`);
    }
  });

  it('for an extremum of no values, naming the axes', () => {
    const empty = tensor([], { shape: [2, 0] });
    expect(() => max(empty, [1])).toThrow('max: cannot take the maximum of no values, got shape [2, 0] reduced over axes [1]');
    expect(() => max(tensor([], { shape: [2, 0, 3] }), [1, 2])).toThrow('max: cannot take the maximum of no values, got shape [2, 0, 3] reduced over axes [1, 2]');
    expect(() => max(empty, null)).toThrow('max: cannot take the maximum of no values, got shape [2, 0] reduced over all axes');
    expect(() => min(empty)).toThrow('min: cannot take the minimum of no values, got shape [2, 0] reduced over all axes');
    expect(() => min(tensor([], { shape: [0] }), 0)).toThrow('min: cannot take the minimum of no values, got shape [0] reduced over axis 0');
    expect(min(tensor([], { shape: [0, 2] }), 1).shape).toEqual([0]);
    expect(() => argmax(empty, 0)).toThrow('argmax: cannot reduce an empty tensor');
    expect(() => argmax(tensor([]))).toThrow('argmax: cannot reduce an empty tensor');
  });
});
