import { describe, expect, it } from 'vitest';
import {
  abs, add, assertClose, div, eq, exp, ge, gradcheck, gt, le, log, lt, maximum, minimum, mul, neg, pow, randn, rand, relu, sigmoid, sqrt,
  sub, tanh, tensor, where, Generator,
} from '../../src/index';

const f64 = (shape: number[], seed: number, positive = false) => {
  const g = new Generator(seed);
  return positive ? rand(shape, { dtype: 'float64', generator: g, requiresGrad: true }).add(0.5).detach().requiresGrad_()
    : randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
};

describe('unary ops', () => {
  it('compute hand-checked values', () => {
    const x = tensor([-1, 0, 2]);
    assertClose(neg(x), [1, -0, -2]);
    assertClose(exp(x), [Math.exp(-1), 1, Math.exp(2)]);
    assertClose(log(tensor([1, Math.E])), [0, 1]);
    assertClose(sqrt(tensor([4, 9])), [2, 3]);
    assertClose(abs(x), [1, 0, 2]);
    assertClose(tanh(tensor([0])), [0]);
    assertClose(sigmoid(tensor([0, -1000, 1000])), [0.5, 0, 1]);
    assertClose(relu(x), [0, 0, 2]);
    assertClose(pow(tensor([2, 3]), 3), [8, 27]);
  });

  it('have gradients that match central differences', () => {
    for (const f of [neg, exp, tanh, sigmoid, relu, abs]) expect(gradcheck(f, [f64([3, 4], 1)])).toBe(true);
    for (const f of [log, sqrt]) expect(gradcheck(f, [f64([3, 4], 2, true)])).toBe(true);
    expect(gradcheck((x) => pow(x, 3), [f64([5], 3)])).toBe(true);
    expect(gradcheck((x) => pow(x, -0.5), [f64([5], 3, true)])).toBe(true);
  });

  it('follow PyTorch at kinks: relu\'(0) = 0 and |x|\'(0) = 0', () => {
    const x = tensor([0, 0], { requiresGrad: true });
    relu(x).sum().backward();
    expect(x.grad?.toArray()).toEqual([0, 0]);
    const y = tensor([0], { requiresGrad: true });
    abs(y).sum().backward();
    expect(y.grad?.toArray()).toEqual([0]);
  });

  it('name the op when given something that is not a tensor', () => {
    expect(() => exp([1, 2] as never)).toThrow('exp: input must be a Tensor, got an array (wrap it with tensor())');
  });
});

describe('binary ops with broadcasting', () => {
  it('compute hand-checked values, also with plain numbers', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const b = tensor([10, 20, 30]);
    assertClose(add(a, b), [[11, 22, 33], [14, 25, 36]]);
    assertClose(sub(a, 1), [[0, 1, 2], [3, 4, 5]]);
    assertClose(sub(1, a), [[0, -1, -2], [-3, -4, -5]]);
    assertClose(mul(a, tensor([[2], [3]])), [[2, 4, 6], [12, 15, 18]]);
    assertClose(div(a, 2), [[0.5, 1, 1.5], [2, 2.5, 3]]);
    assertClose(maximum(a, 3.5), [[3.5, 3.5, 3.5], [4, 5, 6]]);
    assertClose(minimum(a, 3.5), [[1, 2, 3], [3.5, 3.5, 3.5]]);
  });

  it('have gradients that sum over broadcast axes', () => {
    const shapes: [number[], number[]][] = [[[3, 4], [4]], [[2, 1, 5], [3, 1]], [[4, 1], [1, 6]], [[], [2, 3]]];
    shapes.forEach(([sa, sb], i) => {
      for (const f of [add, sub, mul, maximum, minimum]) expect(gradcheck(f, [f64(sa, 10 + i), f64(sb, 20 + i)])).toBe(true);
      expect(gradcheck(div, [f64(sa, 30 + i), f64(sb, 40 + i, true)])).toBe(true);
    });
  });

  it('split the gradient evenly on ties of maximum, as PyTorch', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([1, 1], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(a.grad?.toArray()).toEqual([0.5, 1]);
    expect(b.grad?.toArray()).toEqual([0.5, 0]);
  });

  it('split the gradient evenly on ties of minimum, as PyTorch', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([1, 1, 4], { requiresGrad: true });
    minimum(a, b).mul(tensor([2, 4, 8])).sum().backward();
    // Tie at 0: half of 2 to each side; b is smaller at 1; a is smaller at 2.
    expect(a.grad?.toArray()).toEqual([1, 0, 8]);
    expect(b.grad?.toArray()).toEqual([1, 4, 0]);
  });

  it('report shapes that do not broadcast and mixed dtypes', () => {
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow('add: shapes [1, 3] and [2] cannot be broadcast');
    expect(() => mul(tensor([1]), tensor([1], { dtype: 'float64' }))).toThrow("mul: dtype mismatch, got float32 and float64; convert one with .astype('float64')");
  });
});

describe('comparisons and where', () => {
  it('give 0/1 masks without gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const m = gt(x, 1.5);
    expect(m.toArray()).toEqual([0, 1, 1]);
    expect(m.requiresGrad).toBe(false);
    expect(lt(x, 2).toArray()).toEqual([1, 0, 0]);
    expect(eq(x, 2).toArray()).toEqual([0, 1, 0]);
  });

  it('ge and le include equality, broadcast, and carry no gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(ge(x, 2).toArray()).toEqual([0, 1, 1]);
    expect(le(x, 2).toArray()).toEqual([1, 1, 0]);
    expect(ge(2, x).toArray()).toEqual([1, 1, 0]);
    expect(le(tensor([[1], [3]]), tensor([1, 2, 3])).toArray()).toEqual([[1, 1, 1], [0, 0, 1]]);
    expect(ge(tensor([[1], [3]]), tensor([1, 2, 3])).toArray()).toEqual([[1, 0, 0], [1, 1, 1]]);
    expect(ge(x, 2).requiresGrad).toBe(false);
    expect(le(tensor([NaN]), tensor([NaN])).toArray()).toEqual([0]);
    expect(x.ge(3).toArray()).toEqual([0, 0, 1]);
    expect(x.le(1).toArray()).toEqual([1, 0, 0]);
    expect(() => ge(tensor([1, 2]), tensor([1, 2, 3]))).toThrow('ge: shapes [2] and [3] cannot be broadcast');
  });

  it('where picks by mask, broadcasts, and routes gradients to the chosen side only', () => {
    const mask = tensor([[1], [0]]);
    const a = f64([2, 3], 5);
    const b = f64([3], 6);
    const y = where(mask, a, b);
    assertClose(y.detach().narrow(0, 0, 1), a.detach().narrow(0, 0, 1));
    assertClose(y.detach().narrow(0, 1, 1).reshape([3]), b.detach());
    expect(gradcheck((p, q) => where(mask.astype('float64'), p, q), [a, b])).toBe(true);
  });
});
