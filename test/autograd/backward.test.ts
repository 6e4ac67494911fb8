import * as v8 from 'v8';
import * as vm from 'vm';
import { describe, expect, it } from 'vitest';
import { assertClose, detectAnomaly, exp, log, matmul, noGrad, ones, randn, sqrt, tensor, zeros, Generator, enableGrad, isGradEnabled } from '../../src/index';

describe('backward', () => {
  it('computes the gradient of a scalar and accumulates into leaves across calls', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    assertClose(x.grad ?? 0, [2, 4, 6]);
    x.mul(3).sum().backward();
    assertClose(x.grad ?? 0, [5, 7, 9]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('sums gradients of a tensor used twice (diamond graph)', () => {
    const x = tensor(2, { requiresGrad: true });
    const y = x.mul(x);
    y.add(y.mul(x)).backward(); // y + y*x = x² + x³, d/dx = 2x + 3x² = 16
    expect(x.grad?.item()).toBe(16);
  });

  it('sums in place only into its own sums: a gradient handed to several inputs is never written into', () => {
    // add hands its incoming gradient to both inputs, so a, b and c first share one tensor; their
    // later sums must not leak into each other (d/dx = 1+1+1+1+2, d/dw = 1+2+3).
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    const a = x.mul(1);
    const b = x.mul(1);
    const s = a.add(b);
    const y = s.add(a).add(b).add(x.mul(2)).add(w).add(w.mul(2)).add(w.mul(3));
    y.sum().backward();
    assertClose(x.grad ?? 0, [6, 6]);
    assertClose(w.grad ?? 0, [6, 6]);
    // t's gradient is a sum (t is used twice) that add hands on to p and q; p's other use adds more.
    for (const order of ['t first', 'p first']) {
      const u = tensor([1, 2], { requiresGrad: true });
      const v = tensor([1, 2], { requiresGrad: true });
      const p = u.mul(1);
      const t = p.add(v.mul(1));
      const out = order === 't first' ? t.add(t).add(p.mul(3)) : p.mul(3).add(t.add(t));
      out.sum().backward();
      assertClose(u.grad ?? 0, [5, 5], { message: order });
      assertClose(v.grad ?? 0, [2, 2], { message: order });
    }
    // A leaf used three times keeps its summed gradient, and a second backward adds to it.
    const z = x.add(x).add(x);
    z.sum().backward();
    assertClose(x.grad ?? 0, [9, 9]);
  });

  it('accepts an explicit upstream gradient for non-scalar outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(2).backward(tensor([1, 10]));
    assertClose(x.grad ?? 0, [2, 20]);
  });

  it('refuses backward of a non-scalar without a gradient, or of a tensor without a graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      'backward: a gradient can be created implicitly only for a one-element output, got shape [2]; pass a gradient of the same shape, e.g. y.backward(onesLike(y))',
    );
    expect(() => tensor([1]).sum().backward()).toThrow(/does not require grad/);
    expect(() => x.mul(2).backward(tensor([1, 2, 3]))).toThrow('backward: gradient shape [3] does not match output shape [2]');
  });

  it('propagates requiresGrad and leaves non-requiring inputs without grad', () => {
    const w = tensor([[1, 2]], { requiresGrad: true });
    const c = tensor([[3], [4]]);
    const y = matmul(w, c);
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    y.sum().backward();
    expect(c.grad).toBeNull();
    assertClose(w.grad ?? 0, [[3, 4]]);
  });

  it('detach cuts the graph', () => {
    const x = tensor(3, { requiresGrad: true });
    const y = x.mul(x.detach());
    y.backward();
    expect(x.grad?.item()).toBe(3);
  });

  it('walks a 10,000-op chain iteratively without overflowing the stack', () => {
    const x = tensor(1, { requiresGrad: true, dtype: 'float64' });
    let y = x;
    for (let i = 0; i < 10_000; i++) y = y.mul(1.0001);
    y.backward();
    expect(x.grad?.item()).toBeCloseTo(Math.pow(1.0001, 10_000), 8);
  });

  it('releases the graph after backward, and retainGraph keeps it for a second pass', () => {
    const x = tensor(2, { requiresGrad: true });
    const y = x.mul(x);
    y.backward();
    expect(() => y.backward()).toThrow(/already used and released; pass \{retainGraph: true\}/);
    const z = x.mul(x);
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(x.grad?.item()).toBe(4 + 8);
  });

  it('keeps memory flat over many training-like steps (the graph does not leak)', () => {
    // A real collection before each reading, so the comparison is of live memory, not of garbage.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const w = randn([64, 64], { generator: new Generator(1), requiresGrad: true });
    const x = randn([32, 64], { generator: new Generator(2) });
    const step = () => {
      const loss = matmul(x, w).relu().mean();
      loss.backward();
      noGrad(() => w.data.forEach((v, i) => (w.data[i] = v - 0.01 * (w.grad?.data[i] ?? 0))));
      w.zeroGrad();
    };
    for (let i = 0; i < 200; i++) step();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 2000; i++) step();
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    // 2000 steps allocate ~1 GB in total; a leaked graph would keep most of it.
    expect(growth).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('backward reusing gradients it owns', () => {
  it('a unary op writes its input gradient into a free incoming gradient, never into a retained one', () => {
    const x = tensor([-1, 0.5, 2], { dtype: 'float64', requiresGrad: true });
    const m = exp(x);
    m.retainGrad();
    const n = m.relu();
    n.retainGrad();
    n.exp().sum().backward();
    const em = m.data.map((v) => Math.exp(v));
    // d/dn Σ e^n = e^n (n = m > 0 here); m.grad is that through relu, x.grad that times e^x.
    assertClose(n.grad ?? 0, Array.from(em), { atol: 1e-12 });
    assertClose(m.grad ?? 0, Array.from(em), { atol: 1e-12 });
    assertClose(x.grad ?? 0, Array.from(em.map((v, i) => v * Math.exp(x.data[i]))), { atol: 1e-12 });
    expect(m.grad?.data).not.toBe(x.grad?.data);
    expect(n.grad?.data).not.toBe(m.grad?.data);
  });

  it('a tensor used twice gets the sum of both gradients, and the unary op below it reuses that sum correctly', () => {
    const x = tensor([0.3, -0.7], { dtype: 'float64', requiresGrad: true });
    const m = x.tanh();
    m.exp().sum().add(m.mul(m).sum()).backward();
    const expected = Array.from(x.data).map((v) => {
      const t = Math.tanh(v);
      return (Math.exp(t) + 2 * t) * (1 - t * t);
    });
    assertClose(x.grad ?? 0, expected, { atol: 1e-12 });
  });
});

describe('grad modes', () => {
  it('noGrad records nothing and restores the mode even when fn throws', () => {
    const x = tensor(1, { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
  });

  it('detectAnomaly names the op whose backward produced NaN', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    expect(() => detectAnomaly(() => sqrt(x).mul(zeros([2])).sum().backward())).toThrow(
      "detectAnomaly: the backward of 'sqrt' returned NaN in the gradient of its input 0 (element 0)",
    );
    const y = tensor([1, 2], { requiresGrad: true });
    detectAnomaly(() => log(exp(y)).sum().backward());
    assertClose(y.grad ?? 0, ones([2]));
  });
});
