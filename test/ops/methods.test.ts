import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index';

// Each chainable method gives what its function gives; the expected values are worked out by hand
// from the op's definition, so a method that forwards to the wrong op (or to none) fails.
describe('chainable methods', () => {
  const x = tensor([[1, 4], [9, 16]], { dtype: 'float64' });

  it('unary methods', () => {
    expect(x.neg().toArray()).toEqual([[-1, -4], [-9, -16]]);
    expect(tensor([0, 1], { dtype: 'float64' }).exp().toArray()).toEqual([1, Math.E]);
    expect(tensor([1, Math.E], { dtype: 'float64' }).log().toArray()).toEqual([0, 1]);
    expect(x.sqrt().toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor([-2, 0, 3]).abs().toArray()).toEqual([2, 0, 3]);
    expect(tensor([0, 1], { dtype: 'float64' }).tanh().toArray()).toEqual([0, Math.tanh(1)]);
    expect(tensor([0]).sigmoid().toArray()).toEqual([0.5]);
    expect(tensor([-2, 0, 3]).relu().toArray()).toEqual([0, 0, 3]);
    expect(tensor([2, 3]).pow(2).toArray()).toEqual([4, 9]);
  });

  it('binary methods and comparisons', () => {
    const y = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    expect(x.add(y).toArray()).toEqual([[2, 6], [12, 20]]);
    expect(x.sub(y).toArray()).toEqual([[0, 2], [6, 12]]);
    expect(x.mul(y).toArray()).toEqual([[1, 8], [27, 64]]);
    expect(x.div(y).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(x.maximum(5).toArray()).toEqual([[5, 5], [9, 16]]);
    expect(x.minimum(5).toArray()).toEqual([[1, 4], [5, 5]]);
    expect(x.gt(4).toArray()).toEqual([[0, 0], [1, 1]]);
    expect(x.lt(4).toArray()).toEqual([[1, 0], [0, 0]]);
    expect(x.ge(4).toArray()).toEqual([[0, 1], [1, 1]]);
    expect(x.le(4).toArray()).toEqual([[1, 1], [0, 0]]);
    expect(x.eq(4).toArray()).toEqual([[0, 1], [0, 0]]);
    // [[1, 4], [9, 16]] @ [[1, 2], [3, 4]] = [[1 + 12, 2 + 16], [9 + 48, 18 + 64]]
    expect(x.matmul(y).toArray()).toEqual([[13, 18], [57, 82]]);
  });

  it('reductions', () => {
    expect(x.sum().item()).toBe(30);
    expect(x.sum(0, true).toArray()).toEqual([[10, 20]]);
    expect(x.mean(1).toArray()).toEqual([2.5, 12.5]);
    expect(x.max(0).toArray()).toEqual([9, 16]);
    expect(x.min(1, true).toArray()).toEqual([[1], [9]]);
    // Unbiased: ((1 - 4)² + (4 - 4)² + (7 - 4)²) / 2 = 9.
    expect(tensor([1, 4, 7], { dtype: 'float64' }).var().item()).toBe(9);
    expect(tensor([1, 4, 7], { dtype: 'float64' }).var(0, { unbiased: false }).item()).toBe(6);
    expect(tensor([0, 0], { dtype: 'float64' }).logsumexp().item()).toBe(Math.log(2));
    expect(x.argmax(1).toArray()).toEqual([1, 1]);
    expect(tensor([[3, 1], [0, 5]]).argmin(0, true).toArray()).toEqual([[1, 0]]);
  });

  it('movement methods', () => {
    expect(x.reshape([4]).toArray()).toEqual([1, 4, 9, 16]);
    expect(x.view([1, 4]).toArray()).toEqual([[1, 4, 9, 16]]);
    expect(x.flatten().toArray()).toEqual([1, 4, 9, 16]);
    expect(tensor([[1], [2]]).squeeze(1).toArray()).toEqual([1, 2]);
    expect(tensor([1, 2]).unsqueeze(0).toArray()).toEqual([[1, 2]]);
    expect(x.permute([1, 0]).toArray()).toEqual([[1, 9], [4, 16]]);
    expect(x.transpose(0, 1).toArray()).toEqual([[1, 9], [4, 16]]);
    expect(x.T.toArray()).toEqual([[1, 9], [4, 16]]);
    expect(tensor([1, 2]).broadcastTo([2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(tensor([[1], [2]]).expand([2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(tensor([1.5]).astype('float64').dtype).toBe('float64');
    const c = x.clone();
    expect(c.toArray()).toEqual(x.toArray());
    expect(c.data).not.toBe(x.data);
    expect(x.narrow(1, 1, 1).toArray()).toEqual([[4], [16]]);
    expect(tensor([0, 1, 2, 3, 4]).slice(0, 1, 5, 2).toArray()).toEqual([1, 3]);
    expect(x.indexSelect(0, [1]).toArray()).toEqual([[9, 16]]);
  });

  it('backward and zeroGrad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.mul(tensor([3, 5])).sum().backward();
    expect(w.grad?.toArray()).toEqual([3, 5]);
    w.zeroGrad();
    expect(w.grad).toBeNull();
    const v = tensor([1, 2], { requiresGrad: true });
    v.mul(2).backward(tensor([10, 100]));
    expect(v.grad?.toArray()).toEqual([20, 200]);
  });
});
