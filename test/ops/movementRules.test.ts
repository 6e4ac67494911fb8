import { describe, expect, it } from 'vitest';
import {
  arange, astype, broadcastTo, cat, flatten, indexSelect, narrow, permute, reshape, slice, squeeze, stack, tensor, transpose, unsqueeze,
} from '../../src/index';

// Exact values, gradient offsets and error messages of the movement ops, worked out by hand.
describe('movement ops: shapes and values', () => {
  const x = arange(6).reshape([2, 3]);

  it('reshape infers one -1 dimension and refuses what does not fit', () => {
    expect(reshape(x, [-1]).toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reshape(x, [-1, 2]).shape).toEqual([3, 2]);
    expect(reshape(tensor([], { shape: [0, 3] }), [3, -1]).shape).toEqual([3, 0]);
    expect(() => reshape(x, [-1, -1])).toThrow('reshape: only one dimension can be -1, got [-1, -1]');
    expect(() => reshape(x, [-1, 4])).toThrow('reshape: cannot reshape [2, 3] (6 elements) into [-1, 4]');
    expect(() => reshape(x, [0, -1])).toThrow('reshape: cannot reshape [2, 3] (6 elements) into [0, -1]');
    expect(() => reshape(x, [-2, -3])).toThrow('reshape: shape must hold non-negative integers, got [-2, -3]');
    expect(() => reshape([1] as never, [1])).toThrow('reshape: input must be a Tensor, got an array (wrap it with tensor())');
  });

  it('flatten merges axes startDim..endDim; a scalar becomes [1]', () => {
    const t = arange(24).reshape([2, 3, 4]);
    expect(flatten(t).shape).toEqual([24]);
    expect(flatten(t, 0, 1).shape).toEqual([6, 4]);
    expect(flatten(t, -2).shape).toEqual([2, 12]);
    expect(flatten(t, 1, 1).shape).toEqual([2, 3, 4]);
    expect(flatten(tensor(5)).toArray()).toEqual([5]);
    expect(() => flatten(t, 2, 1)).toThrow('flatten: startDim 2 comes after endDim 1');
    expect(() => flatten(t, 3)).toThrow('flatten: axis 3 is out of range for a tensor with 3 dimension(s)');
    expect(() => flatten(t, 0, -4)).toThrow('flatten: axis -4 is out of range for a tensor with 3 dimension(s)');
    expect(() => flatten(null as never)).toThrow('flatten: input must be a Tensor, got null');
  });

  it('squeeze removes size-1 axes (only the given one), unsqueeze inserts one', () => {
    const t = tensor([[[1], [2]]]); // [1, 2, 1]
    expect(squeeze(t, 0).shape).toEqual([2, 1]);
    expect(squeeze(t, -1).shape).toEqual([1, 2]);
    expect(squeeze(t, 1).shape).toEqual([1, 2, 1]);
    expect(squeeze(tensor([[7]])).shape).toEqual([]);
    expect(unsqueeze(tensor([1, 2]), 1).toArray()).toEqual([[1], [2]]);
    expect(unsqueeze(tensor([1, 2]), 0).shape).toEqual([1, 2]);
    expect(unsqueeze(tensor([1, 2]), -2).shape).toEqual([1, 2]);
    expect(unsqueeze(tensor(3), 0).shape).toEqual([1]);
    expect(() => squeeze(t, 3)).toThrow('squeeze: axis 3 is out of range for a tensor with 3 dimension(s)');
    expect(() => unsqueeze(tensor([1, 2]), 3)).toThrow('unsqueeze: axis 3 is out of range for a tensor with 2 dimension(s)');
    expect(() => squeeze(1 as never)).toThrow('squeeze: input must be a Tensor, got number');
    expect(() => unsqueeze(1 as never, 0)).toThrow('unsqueeze: input must be a Tensor, got number');
  });

  it('permute and transpose: values, inverse gradients and errors', () => {
    const t = arange(24).reshape([2, 3, 4]);
    const sw = transpose(t, 0, 2); // [4, 3, 2]: sw[k][j][i] = t[i][j][k] = 12i + 4j + k
    expect(sw.shape).toEqual([4, 3, 2]);
    expect(sw.narrow(0, 3, 1).narrow(1, 2, 1).toArray()).toEqual([[[11, 23]]]);
    expect(transpose(tensor([1, 2])).toArray()).toEqual([1, 2]);
    expect(transpose(tensor(4)).shape).toEqual([]);
    // Only the default pair is forgiven on fewer than 2 axes; other axes are checked.
    expect(transpose(tensor([1, 2]), 0, -1).toArray()).toEqual([1, 2]);
    expect(() => transpose(tensor([1, 2]), 5, -1)).toThrow('transpose: axis 5 is out of range for a tensor with 1 dimension(s)');
    expect(() => transpose(tensor([1, 2]), -2, 3)).toThrow('transpose: axis -2 is out of range for a tensor with 1 dimension(s)');
    const g = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    // y = permute(g, [1, 0]) is [3, 2]; weights w[j][i] land on g[i][j].
    permute(g, [1, 0]).mul(tensor([[10, 40], [20, 50], [30, 60]])).sum().backward();
    expect(g.grad?.toArray()).toEqual([[10, 20, 30], [40, 50, 60]]);
    const h = arange(24, undefined, 1, { requiresGrad: true }).reshape([2, 3, 4]);
    const w = arange(24).reshape([4, 2, 3]);
    const leaf = h.gradNode?.inputs[0];
    permute(h, [2, 0, 1]).mul(w).sum().backward();
    // d/dh[i][j][k] = w[k][i][j] = 6k + 3i + j
    const expected = Array.from({ length: 24 }, (_, f) => {
      const [i, j, k] = [Math.floor(f / 12), Math.floor(f / 4) % 3, f % 4];
      return 6 * k + 3 * i + j;
    });
    expect(Array.from(leaf?.grad?.data ?? [])).toEqual(expected);
    expect(() => permute(x, [0])).toThrow('permute: need 2 axes for shape [2, 3], got [0]');
    expect(() => permute(t, [0, 1])).toThrow('permute: need 3 axes for shape [2, 3, 4], got [0, 1]');
    expect(() => permute(x, [0, 2])).toThrow('permute: axis 2 is out of range for a tensor with 2 dimension(s)');
    expect(() => transpose(x, 0, 2)).toThrow('transpose: axis 2 is out of range for a tensor with 2 dimension(s)');
    expect(() => transpose(x, 5, 0)).toThrow('transpose: axis 5 is out of range for a tensor with 2 dimension(s)');
    expect(() => permute(2 as never, [])).toThrow('permute: input must be a Tensor, got number');
    expect(() => transpose(2 as never)).toThrow('transpose: input must be a Tensor, got number');
  });

  it('broadcastTo: values, summed gradient, and errors', () => {
    const b = tensor([[1], [2]], { requiresGrad: true });
    broadcastTo(b, [3, 2, 4]).sum().backward();
    expect(b.grad?.toArray()).toEqual([[12], [12]]);
    expect(broadcastTo(tensor(5), [2]).toArray()).toEqual([5, 5]);
    expect(() => broadcastTo(tensor([[1], [2]]), [3])).toThrow('broadcastTo: cannot broadcast [2, 1] to [3]');
    expect(() => broadcastTo(tensor([1]), [-1])).toThrow('broadcastTo: shape must hold non-negative integers, got [-1]');
    expect(() => broadcastTo('a' as never, [1])).toThrow('broadcastTo: input must be a Tensor, got string');
  });

  it('astype converts and names itself in its errors', () => {
    const a = tensor([1.1], { dtype: 'float64' });
    expect(astype(a, 'float32').data[0]).toBe(Math.fround(1.1));
    expect(() => astype(a, 'int8' as never)).toThrow('astype: dtype must be \'float32\' or \'float64\', got "int8"');
    expect(() => astype(1 as never, 'float32')).toThrow('astype: input must be a Tensor, got number');
  });
});

describe('movement ops: joining and selecting', () => {
  it('cat sends each input its own block of the gradient, at its offset along the axis', () => {
    const a = tensor([[1], [2]], { requiresGrad: true });
    const b = tensor([[3, 4], [5, 6]]);
    const c = tensor([[7, 8, 9], [10, 11, 12]], { requiresGrad: true });
    const y = cat([a, b, c], 1);
    expect(y.toArray()).toEqual([[1, 3, 4, 7, 8, 9], [2, 5, 6, 10, 11, 12]]);
    y.mul(arange(12).reshape([2, 6])).sum().backward();
    expect(a.grad?.toArray()).toEqual([[0], [6]]);
    expect(b.grad).toBeNull();
    expect(c.grad?.toArray()).toEqual([[3, 4, 5], [9, 10, 11]]);
    const rows = cat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])], -2);
    expect(rows.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('cat and stack name what does not match', () => {
    const x = tensor([[1, 2]]);
    expect(() => cat([x, tensor([[1, 2]], { dtype: 'float64' })])).toThrow('cat: dtype mismatch, tensors[0] is float32, tensors[1] is float64');
    expect(() => cat([x, tensor([[[1, 2]]])])).toThrow('cat: shapes must match except along axis 0, got [1, 2] and [1, 1, 2] (tensors[1])');
    expect(() => cat([x, x, tensor([[1, 2, 3]])], 0)).toThrow('cat: shapes must match except along axis 0, got [1, 2] and [1, 3] (tensors[2])');
    expect(cat([x, tensor([[1, 2, 3]])], 1).shape).toEqual([1, 5]);
    expect(() => cat([])).toThrow('cat: need a non-empty list of tensors');
    expect(() => cat(x as never)).toThrow('cat: need a non-empty list of tensors');
    expect(() => cat([x, 2 as never])).toThrow('cat: tensors[1] must be a Tensor, got number');
    expect(() => cat([x], 2)).toThrow('cat: axis 2 is out of range for a tensor with 2 dimension(s)');
    expect(() => stack([x, tensor([[1, 2, 3]])])).toThrow('stack: all tensors must have one shape, got [1, 2] and [1, 3] (tensors[1])');
    expect(() => stack([])).toThrow('stack: need a non-empty list of tensors');
    expect(() => stack([x], 3)).toThrow('stack: axis 3 is out of range for a tensor with 3 dimension(s)');
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('narrow checks its range', () => {
    const x = arange(6).reshape([2, 3]);
    expect(narrow(x, -1, 0, 0).shape).toEqual([2, 0]);
    expect(narrow(x, 1, 0, 3).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(() => narrow(x, 1, -1, 1)).toThrow('narrow: range [-1, 0) is out of bounds for axis 1 of size 3 (shape [2, 3])');
    expect(() => narrow(x, 1, 1, -1)).toThrow('narrow: range [1, 0) is out of bounds for axis 1 of size 3 (shape [2, 3])');
    expect(() => narrow(x, 1, 0.5, 1)).toThrow('narrow: range [0.5, 1.5) is out of bounds for axis 1 of size 3 (shape [2, 3])');
    expect(() => narrow(x, 1, 0, 1.5)).toThrow('narrow: range [0, 1.5) is out of bounds for axis 1 of size 3 (shape [2, 3])');
    expect(() => narrow(x, 2, 0, 1)).toThrow('narrow: axis 2 is out of range for a tensor with 2 dimension(s)');
    expect(() => narrow(0 as never, 0, 0, 1)).toThrow('narrow: input must be a Tensor, got number');
  });

  it('slice clamps indices like Python, counts negatives from the end, and steps', () => {
    const t = arange(6);
    expect(slice(t, 0, -2).toArray()).toEqual([4, 5]);
    expect(slice(t, 0, 1, -2).toArray()).toEqual([1, 2, 3]);
    expect(slice(t, 0, -10, 2).toArray()).toEqual([0, 1]);
    expect(slice(t, 0, 4, 100).toArray()).toEqual([4, 5]);
    expect(slice(t, 0, 4, 2).shape).toEqual([0]);
    expect(slice(t, 0, 10).shape).toEqual([0]);
    expect(slice(t, 0, 0, undefined, 2).toArray()).toEqual([0, 2, 4]);
    expect(slice(t, 0, -5, -1, 2).toArray()).toEqual([1, 3]);
    expect(slice(t, 0, 4, 2, 2).shape).toEqual([0]);
    expect(slice(t, 0, 1, 6, 5).toArray()).toEqual([1]);
    expect(slice(arange(6).reshape([2, 3]), 1, 1).toArray()).toEqual([[1, 2], [4, 5]]);
    const g = tensor([1, 2, 3, 4, 5], { requiresGrad: true });
    slice(g, 0, 1, 5, 2).mul(tensor([10, 20])).sum().backward();
    expect(g.grad?.toArray()).toEqual([0, 10, 0, 20, 0]);
    expect(() => slice(t, 0, 0, 2, 0)).toThrow('slice: step must be a positive integer, got 0');
    expect(() => slice(t, 0, 0, 2, 1.5)).toThrow('slice: step must be a positive integer, got 1.5');
    expect(() => slice(t, 1)).toThrow('slice: axis 1 is out of range for a tensor with 1 dimension(s)');
    expect(() => slice(0 as never, 0)).toThrow('slice: input must be a Tensor, got number');
  });

  it('indexSelect takes negative and tensor indices, and sums the gradients of repeats into the right rows', () => {
    const x = arange(12).reshape([2, 3, 2]); // x[i][j][k] = 6i + 2j + k
    expect(indexSelect(x, 1, [-1, 0]).toArray()).toEqual([[[4, 5], [0, 1]], [[10, 11], [6, 7]]]);
    expect(indexSelect(x, -1, tensor([1])).toArray()).toEqual([[[1], [3], [5]], [[7], [9], [11]]]);
    expect(indexSelect(x, 0, []).shape).toEqual([0, 3, 2]);
    const g = arange(12, undefined, 1, { requiresGrad: true });
    const leaf = g;
    indexSelect(g.reshape([2, 3, 2]), 1, [2, 2, 0]).mul(tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]])).sum().backward();
    // Row j=2 receives the first two selections' weights summed; row 0 the third's; row 1 nothing.
    expect(leaf.grad?.toArray()).toEqual([5, 6, 0, 0, 4, 6, 11, 12, 0, 0, 16, 18]);
    expect(() => indexSelect(x, 1, [3])).toThrow('indexSelect: index 3 (position 0) is out of range for axis 1 of size 3');
    expect(() => indexSelect(x, 1, [0, -4])).toThrow('indexSelect: index -4 (position 1) is out of range for axis 1 of size 3');
    expect(() => indexSelect(x, 1, [0.5])).toThrow('indexSelect: index 0.5 (position 0) is out of range for axis 1 of size 3');
    expect(indexSelect(x, 1, [-3]).toArray()).toEqual([[[0, 1]], [[6, 7]]]);
    expect(() => indexSelect(x, 3, [0])).toThrow('indexSelect: axis 3 is out of range for a tensor with 3 dimension(s)');
    expect(() => indexSelect(0 as never, 0, [0])).toThrow('indexSelect: input must be a Tensor, got number');
  });
});
