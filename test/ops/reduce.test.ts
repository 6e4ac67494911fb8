import { describe, expect, it } from 'vitest';
import { argmax, argmin, assertClose, gradcheck, logsumexp, max, mean, min, randn, sum, tensor, variance, Generator } from '../../src/index';

const f64 = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });

describe('reductions', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it('reduce over no axis, one axis, several axes, with keepdim', () => {
    assertClose(sum(x), 21);
    expect(sum(x).shape).toEqual([]);
    assertClose(sum(x, 0), [5, 7, 9]);
    assertClose(sum(x, 1, true), [[6], [15]]);
    expect(sum(x, [0, 1], true).shape).toEqual([1, 1]);
    assertClose(mean(x, -1), [2, 5]);
    assertClose(max(x, 0), [4, 5, 6]);
    assertClose(min(x, 1), [1, 4]);
    assertClose(logsumexp(tensor([0, 0])), Math.log(2));
    assertClose(logsumexp(tensor([1000, 1000])), 1000 + Math.log(2));
  });

  it('var is unbiased by default, as in PyTorch, and biased on request', () => {
    assertClose(variance(tensor([1, 2, 3, 4])), 5 / 3);
    assertClose(variance(tensor([1, 2, 3, 4]), null, { unbiased: false }), 1.25);
    assertClose(x.var(1, { keepdim: true }), [[1], [1]]);
  });

  it('argmax / argmin give indices along an axis or of the flattened tensor', () => {
    expect(argmax(x).item()).toBe(5);
    expect(argmax(x, 1).toArray()).toEqual([2, 2]);
    expect(argmin(x, 0).toArray()).toEqual([0, 0, 0]);
    expect(argmax(tensor([3, 7, 7])).item()).toBe(1);
  });

  it('have gradients that match central differences', () => {
    for (const axis of [undefined, 0, 1, -1, [0, 2]] as const) {
      for (const keepdim of [false, true]) {
        expect(gradcheck((t) => sum(t, axis, keepdim), [f64([2, 3, 4], 1)])).toBe(true);
        expect(gradcheck((t) => mean(t, axis, keepdim), [f64([2, 3, 4], 2)])).toBe(true);
        expect(gradcheck((t) => max(t, axis, keepdim), [f64([2, 3, 4], 3)])).toBe(true);
        expect(gradcheck((t) => logsumexp(t, axis, keepdim), [f64([2, 3, 4], 4)])).toBe(true);
        expect(gradcheck((t) => variance(t, axis, { keepdim }), [f64([2, 3, 4], 5)])).toBe(true);
      }
    }
  });

  it('treat axis 0 and -1 of a scalar as the scalar itself, as PyTorch does', () => {
    const s = tensor(3, { requiresGrad: true });
    for (const axis of [0, -1]) {
      expect(sum(s, axis).item()).toBe(3);
      expect(mean(s, axis).item()).toBe(3);
      expect(max(s, axis, true).shape).toEqual([]);
      expect(logsumexp(s, axis).item()).toBe(3);
      expect(variance(s, axis, { unbiased: false }).item()).toBe(0);
      expect(argmax(s, axis).item()).toBe(0);
    }
    mean(s, 0).backward();
    expect(s.grad?.item()).toBe(1);
    expect(() => sum(s, 1)).toThrow('sum: axis 1 is out of range for a tensor with 0 dimension(s)');
    expect(() => argmax(s, -2)).toThrow('argmax: axis -2 is out of range for a tensor with 0 dimension(s)');
  });

  it('reduce empty tensors: sums to 0, max only when some value is left to compare', () => {
    assertClose(sum(tensor([], { shape: [2, 0] }), 1), [0, 0]);
    expect(max(tensor([], { shape: [0, 3] }), 1).shape).toEqual([0]);
    expect(max(tensor([], { shape: [2, 0] }), 0).shape).toEqual([0]);
    expect(logsumexp(tensor([], { shape: [2, 0] }), 1).toArray()).toEqual([-Infinity, -Infinity]);
    expect(logsumexp(tensor([], { shape: [0, 2] }), 1).shape).toEqual([0]);
    expect(() => max(tensor([], { shape: [2, 0] }), 1)).toThrow('max: cannot take the maximum of no values, got shape [2, 0] reduced over axis 1');
    expect(() => max(tensor([]))).toThrow('max: cannot take the maximum of no values, got shape [0] reduced over all axes');
    expect(() => min(tensor([], { shape: [2, 0] }), 1)).toThrow('min: cannot take the minimum of no values, got shape [2, 0] reduced over axis 1');
  });

  it('name the op and axis when the axis is out of range', () => {
    expect(() => sum(x, 2)).toThrow('sum: axis 2 is out of range for a tensor with 2 dimension(s)');
    expect(() => x.var(-3)).toThrow('var: axis -3 is out of range for a tensor with 2 dimension(s)');
  });
});
