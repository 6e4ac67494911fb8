import { describe, expect, it } from 'vitest';
import {
  assertClose, broadcastTo, cat, flatten, gradcheck, indexSelect, narrow, permute, randn, reshape, slice, squeeze, stack, tensor,
  transpose, unsqueeze, arange, clone, Generator,
} from '../../src/index';

const f64 = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });

describe('movement ops', () => {
  const x = arange(6).reshape([2, 3]);

  it('reshape (with -1), flatten, squeeze and unsqueeze', () => {
    expect(reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(flatten(randn([2, 3, 4]), 1).shape).toEqual([2, 12]);
    expect(squeeze(randn([1, 3, 1])).shape).toEqual([3]);
    expect(unsqueeze(x, -1).shape).toEqual([2, 3, 1]);
    expect(() => reshape(x, [4, 2])).toThrow('reshape: cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)');
  });

  it('permute and transpose move data', () => {
    expect(transpose(x).toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(x.T.shape).toEqual([3, 2]);
    const y = permute(arange(24).reshape([2, 3, 4]), [2, 0, 1]);
    expect(y.shape).toEqual([4, 2, 3]);
    expect(y.toArray()).toEqual([[[0, 4, 8], [12, 16, 20]], [[1, 5, 9], [13, 17, 21]], [[2, 6, 10], [14, 18, 22]], [[3, 7, 11], [15, 19, 23]]]);
    expect(() => permute(x, [0, 0])).toThrow('permute: axes [0, 0] repeat an axis');
  });

  it('returns a new tensor (a view) even when nothing moves, so flags set on it do not touch the input', () => {
    const t = tensor([[1, 2, 3]], { requiresGrad: true });
    for (const v of [squeeze(t, 1), transpose(tensor([1, 2])), broadcastTo(t, [1, 3])]) expect(v).not.toBe(t);
    const view = squeeze(t, 1);
    view.retainGrad();
    expect(t.retainsGrad).toBe(false);
    view.sum().backward();
    expect(t.grad?.toArray()).toEqual([[1, 1, 1]]);
  });

  it('broadcastTo repeats along size-1 axes', () => {
    expect(broadcastTo(tensor([[1], [2]]), [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(() => broadcastTo(tensor([1, 2]), [3])).toThrow('broadcastTo: shapes [2] and [3] cannot be broadcast');
  });

  it('cat, stack, narrow, slice and indexSelect select rows and blocks', () => {
    expect(cat([x, x], 1).toArray()).toEqual([[0, 1, 2, 0, 1, 2], [3, 4, 5, 3, 4, 5]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(narrow(x, 1, 1, 2).toArray()).toEqual([[1, 2], [4, 5]]);
    expect(slice(arange(10), 0, 1, -1, 3).toArray()).toEqual([1, 4, 7]);
    expect(slice(x, 0, -1).toArray()).toEqual([[3, 4, 5]]);
    expect(indexSelect(x, 0, [1, 1, 0]).toArray()).toEqual([[3, 4, 5], [3, 4, 5], [0, 1, 2]]);
    expect(() => cat([x, tensor([1, 2])])).toThrow('cat: shapes must match except along axis 0, got [2, 3] and [2] (tensors[1])');
    expect(() => indexSelect(x, 0, [2])).toThrow('indexSelect: index 2 (position 0) is out of range for axis 0 of size 2');
    expect(() => narrow(x, 1, 2, 2)).toThrow('narrow: range [2, 4) is out of bounds for axis 1 of size 3 (shape [2, 3])');
  });

  it('refuse to index along an axis of a 0-d tensor instead of reading past it', () => {
    expect(() => cat([tensor(1), tensor(2)])).toThrow('cat: tensors[0] is 0-d (shape []) and has no axis 0; use stack to join scalars');
    expect(() => narrow(tensor(1), 0, 0, 1)).toThrow('narrow: input is 0-d (shape []) and has no axis 0; reshape it to [1] first');
    expect(() => slice(tensor(1), -1)).toThrow('slice: input is 0-d (shape []) and has no axis -1; reshape it to [1] first');
    expect(() => indexSelect(tensor(1), 0, [0])).toThrow('indexSelect: input is 0-d (shape []) and has no axis 0; reshape it to [1] first');
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
  });

  it('have gradients that match central differences', () => {
    expect(gradcheck((t) => reshape(t, [6, 4]), [f64([2, 3, 4], 1)])).toBe(true);
    expect(gradcheck((t) => permute(t, [2, 0, 1]), [f64([2, 3, 4], 2)])).toBe(true);
    expect(gradcheck((t) => broadcastTo(t, [2, 3, 4]), [f64([3, 1], 3)])).toBe(true);
    expect(gradcheck((a, b) => cat([a, b], 1), [f64([2, 3], 4), f64([2, 2], 5)])).toBe(true);
    expect(gradcheck((a, b) => stack([a, b], 0), [f64([2, 3], 6), f64([2, 3], 7)])).toBe(true);
    expect(gradcheck((t) => indexSelect(t, 1, [2, 0, 2]), [f64([2, 3], 8)])).toBe(true);
    expect(gradcheck((t) => slice(t, 0, 0, 5, 2), [f64([5, 2], 9)])).toBe(true);
    expect(gradcheck((t) => narrow(t, 1, 1, 2), [f64([2, 4, 3], 10)])).toBe(true);
    expect(gradcheck((t) => slice(t, -1, 2, 4), [f64([3, 5], 11)])).toBe(true);
  });

  it('narrow sends its gradient back to entries start..start+length-1 of the axis, zero elsewhere', () => {
    const t = tensor([[1, 2, 3, 4], [5, 6, 7, 8]], { requiresGrad: true });
    narrow(t, 1, 2, 2).mul(tensor([[10, 20], [30, 40]])).sum().backward();
    expect(t.grad?.toArray()).toEqual([[0, 0, 10, 20], [0, 0, 30, 40]]);
    const rows = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    narrow(rows, 0, 1, 1).mul(tensor([[7, 9]])).sum().backward();
    expect(rows.grad?.toArray()).toEqual([[0, 0], [7, 9], [0, 0]]);
  });

  it('clone copies the values into new storage and passes the gradient through unchanged', () => {
    const t = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    const c = clone(t);
    expect(c.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(c.dtype).toBe('float64');
    expect(c.data).not.toBe(t.data);
    c.data[0] = 99;
    expect(t.data[0]).toBe(1);
    t.clone().mul(tensor([[1, 2], [3, 4]], { dtype: 'float64' })).sum().backward();
    expect(t.grad?.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(gradcheck(clone, [f64([2, 3], 12)])).toBe(true);
  });

  it('astype converts dtype both ways through the gradient', () => {
    const a = tensor([1.5, 2.5], { requiresGrad: true });
    const b = a.astype('float64').mul(2).sum();
    b.backward();
    expect(a.grad?.dtype).toBe('float32');
    assertClose(a.grad ?? 0, [2, 2]);
  });
});
