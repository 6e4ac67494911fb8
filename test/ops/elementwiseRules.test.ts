import { describe, expect, it } from 'vitest';
import { abs, add, div, eq, gt, le, lt, ge, maximum, minimum, mul, neg, pow, sub, tensor, where, type Tensor } from '../../src/index';
import { sign } from '../../src/ops/elementwise';
import { unbroadcast } from '../../src/ops/util';

/** Clears the gradients (a function, so that TypeScript does not narrow `grad` to null afterwards). */
const clearGrads = (...ts: Tensor[]): void => ts.forEach((t) => { t.grad = null; });

// Exact values and error messages of the elementwise ops, worked out by hand from their definitions.
describe('elementwise ops: exact gradients', () => {
  it('d(a/b)/da = 1/b and d(a/b)/db = -a/b², summed over the broadcast axis', () => {
    const a = tensor([[2, 4], [6, 8]], { dtype: 'float64', requiresGrad: true });
    const b = tensor([2, 4], { dtype: 'float64', requiresGrad: true });
    div(a, b).sum().backward();
    expect(a.grad?.toArray()).toEqual([[0.5, 0.25], [0.5, 0.25]]);
    // -(2 + 6)/2² = -2 and -(4 + 8)/4² = -0.75
    expect(b.grad?.toArray()).toEqual([-2, -0.75]);
  });

  it('d(a·b) is b for a and a for b; a number operand gets no gradient', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([[10], [20]], { requiresGrad: true });
    mul(a, b).sum().backward();
    expect(a.grad?.toArray()).toEqual([30, 30, 30]);
    expect(b.grad?.toArray()).toEqual([[6], [6]]);
    const c = tensor([1, 2], { requiresGrad: true });
    mul(3, c).sum().backward();
    expect(c.grad?.toArray()).toEqual([3, 3]);
  });

  it('sub sends +g to a and -g to b, also with a number on either side', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([5], { requiresGrad: true });
    sub(a, b).mul(tensor([3, 4])).sum().backward();
    expect(a.grad?.toArray()).toEqual([3, 4]);
    expect(b.grad?.toArray()).toEqual([-7]);
    expect(sub(tensor([1, 2]), tensor([0.5])).toArray()).toEqual([0.5, 1.5]);
    const c = tensor([1, 2], { requiresGrad: true });
    sub(10, c).sum().backward();
    expect(c.grad?.toArray()).toEqual([-1, -1]);
    expect(sub(10, c).toArray()).toEqual([9, 8]);
  });

  it('only an operand that requires grad gets one, whichever side it is on', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4]);
    for (const f of [add, sub, mul, div, maximum, minimum]) {
      f(b, a).sum().backward();
      expect(b.grad).toBeNull();
      clearGrads(a);
      f(a, b).sum().backward();
      expect(b.grad).toBeNull();
      expect(a.grad).not.toBeNull();
      clearGrads(a);
    }
    const m = tensor([1, 0]);
    where(m, a, b).sum().backward();
    expect(a.grad?.toArray()).toEqual([1, 0]);
    expect(b.grad).toBeNull();
    clearGrads(a);
    where(m, b, a).sum().backward();
    expect(a.grad?.toArray()).toEqual([0, 1]);
  });

  it('maximum and minimum route the gradient to the larger / smaller side, half each on ties, with broadcasting', () => {
    const a = tensor([[1, 5], [3, 3]], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(a.grad?.toArray()).toEqual([[0, 1], [0.5, 0.5]]);
    expect(b.grad?.toArray()).toEqual([2]); // 1 (at a=1) + 0 + 0.5 + 0.5
    clearGrads(a, b);
    minimum(a, b).sum().backward();
    expect(a.grad?.toArray()).toEqual([[1, 0], [0.5, 0.5]]);
    expect(b.grad?.toArray()).toEqual([2]);
    expect(maximum(tensor([1, NaN]), tensor([NaN, 2])).toArray()).toEqual([NaN, NaN]);
    expect(minimum(2, tensor([1, 3])).toArray()).toEqual([1, 2]);
  });

  it('where broadcasts mask, a and b and sends each entry\'s gradient to the side it came from', () => {
    const a = tensor([[1, 2, 3]], { requiresGrad: true });
    const b = tensor([[10], [20]], { requiresGrad: true });
    const mask = tensor([1, 0, 1]);
    const y = where(mask, a, b);
    expect(y.toArray()).toEqual([[1, 10, 3], [1, 20, 3]]);
    y.mul(tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
    expect(a.grad?.toArray()).toEqual([[5, 0, 9]]);
    expect(b.grad?.toArray()).toEqual([[2], [5]]);
    expect(where(tensor([0, 2]), 7, tensor([1, 1])).toArray()).toEqual([1, 7]);
  });

  it('sign is -1, 0 or 1 (NaN stays NaN) and carries no gradient; abs\' = sign', () => {
    const x = tensor([-3, 0, 2, NaN], { requiresGrad: true });
    const s = sign(x);
    expect(s.toArray()).toEqual([-1, 0, 1, NaN]);
    expect(s.requiresGrad).toBe(false);
    const y = tensor([-3, 0, 2], { requiresGrad: true });
    abs(y).sum().backward();
    expect(y.grad?.toArray()).toEqual([-1, 0, 1]);
  });

  it('pow: d/dx x^p = p·x^(p-1)', () => {
    const x = tensor([1, 2, 4], { dtype: 'float64', requiresGrad: true });
    pow(x, 3).sum().backward();
    expect(x.grad?.toArray()).toEqual([3, 12, 48]);
    const z = tensor([4], { dtype: 'float64', requiresGrad: true });
    pow(z, 0.5).backward(tensor([1], { dtype: 'float64' }));
    expect(z.grad?.toArray()).toEqual([0.25]);
  });
});

describe('elementwise ops: errors name the op', () => {
  const a = tensor([1, 2]);
  const b = tensor([1, 2, 3]);
  it('for shapes that do not broadcast', () => {
    for (const [name, f] of [['add', add], ['sub', sub], ['mul', mul], ['div', div], ['maximum', maximum], ['minimum', minimum],
      ['gt', gt], ['lt', lt], ['ge', ge], ['le', le], ['eq', eq]] as const) {
      expect(() => f(a, b)).toThrow(`${name}: shapes [2] and [3] cannot be broadcast (axis -1 has 2 vs 3; sizes must match or be 1)`);
    }
    expect(() => where(tensor([1, 0, 1]), a, a)).toThrow('where: shapes [3] and [2] cannot be broadcast');
    expect(() => where(tensor([1, 0]), a, b)).toThrow('where: shapes [2] and [3] cannot be broadcast');
  });

  it('for mixed dtypes, two numbers and non-tensors', () => {
    const d = tensor([1, 2], { dtype: 'float64' });
    for (const [name, f] of [['sub', sub], ['maximum', maximum], ['minimum', minimum], ['where', (x: typeof a, y: typeof a) => where(a, x, y)]] as const) {
      expect(() => f(a, d)).toThrow(`${name}: dtype mismatch, got float32 and float64; convert one with .astype('float64')`);
    }
    expect(() => sub(1, 2)).toThrow('sub: at least one operand must be a Tensor, got two numbers');
    expect(() => maximum(1, 2)).toThrow('maximum: at least one operand must be a Tensor, got two numbers');
    expect(() => minimum(1, 2)).toThrow('minimum: at least one operand must be a Tensor, got two numbers');
    expect(() => neg([1] as never)).toThrow('neg: input must be a Tensor, got an array (wrap it with tensor())');
    expect(() => abs(null as never)).toThrow('abs: input must be a Tensor, got null');
    expect(() => sign(2 as never)).toThrow('sign: input must be a Tensor, got number');
    expect(() => pow(3 as never, 2)).toThrow('pow: input must be a Tensor, got number');
    expect(() => pow(a, '2' as never)).toThrow('pow: exponent must be a number, got string');
    expect(() => where([1] as never, a, a)).toThrow('where: mask must be a Tensor, got an array (wrap it with tensor())');
    expect(() => add(a, 'x' as never)).toThrow('add: second operand must be a Tensor, got string');
    expect(() => add(1, 'x' as never)).toThrow('add: second operand must be a Tensor, got string');
    expect(() => add(undefined as never, 1)).toThrow('add: first operand must be a Tensor, got undefined');
  });
});

describe('unbroadcast', () => {
  it('refuses a gradient with fewer axes than the shape it should sum down to', () => {
    expect(() => unbroadcast(tensor([1, 2]), [1, 2])).toThrow('unbroadcast: gradient [2] has fewer axes than [1, 2]');
    expect(unbroadcast(tensor([[1, 2], [3, 4]]), [1, 2]).toArray()).toEqual([[4, 6]]);
  });
});
