import { describe, expect, it } from 'vitest';
import { Generator, Tensor, assertClose, init, matmul, zeros } from '../../src/index';

function stats(t: Tensor): { mean: number; std: number } {
  let s = 0;
  for (const v of t.data) s += v;
  const mean = s / t.size;
  let q = 0;
  for (const v of t.data) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / t.size) };
}

/** Sample mean and std within 3% of the formula (a zero mean: within 3% of the std). */
function expectMoments(t: Tensor, mean: number, std: number): void {
  const s = stats(t);
  expect(Math.abs(s.mean - mean)).toBeLessThanOrEqual(0.03 * (mean === 0 ? std : Math.abs(mean)));
  expect(Math.abs(s.std - std)).toBeLessThanOrEqual(0.03 * std);
}

const big = (): Tensor => zeros([1000, 1000]);
const g = (seed: number): { generator: Generator } => ({ generator: new Generator(seed) });

describe('init on a 1000x1000 tensor matches each formula (mean and std within 3%)', () => {
  it('uniform(a, b): mean (a+b)/2, std (b-a)/sqrt(12)', () => {
    expectMoments(init.uniform(big(), -0.5, 1.5, g(1)), 0.5, 2 / Math.sqrt(12));
  });

  it('normal(mean, std)', () => {
    expectMoments(init.normal(big(), 0.3, 2, g(2)), 0.3, 2);
  });

  it('xavierUniform and xavierNormal: std = gain·sqrt(2/(fanIn+fanOut))', () => {
    expectMoments(init.xavierUniform(big(), { gain: 2, ...g(3) }), 0, 2 * Math.sqrt(2 / 2000));
    expectMoments(init.xavierNormal(big(), g(4)), 0, Math.sqrt(2 / 2000));
  });

  it('kaimingUniform and kaimingNormal: std = gain/sqrt(fan)', () => {
    expectMoments(init.kaimingUniform(big(), { nonlinearity: 'relu', ...g(5) }), 0, Math.SQRT2 / Math.sqrt(1000));
    expectMoments(init.kaimingNormal(big(), { nonlinearity: 'tanh', mode: 'fanOut', ...g(6) }), 0, 5 / 3 / Math.sqrt(1000));
    expectMoments(init.kaimingNormal(big(), { nonlinearity: 'leakyRelu', a: 0.2, ...g(7) }), 0, Math.sqrt(2 / 1.04) / Math.sqrt(1000));
  });

  it('orthogonal: entries have std gain/sqrt(n)', () => {
    // 256² = 65,536 entries pin the std well within 3%; Gram-Schmidt on 1000² would cost 1000× more.
    expectMoments(init.orthogonal(zeros([256, 256]), { gain: 3, ...g(8) }), 0, 3 / Math.sqrt(256));
  });

  it('constant, zeros, ones fill exactly', () => {
    const t = init.constant(zeros([3, 2]), 0.25);
    assertClose(t, [[0.25, 0.25], [0.25, 0.25], [0.25, 0.25]], { atol: 0, rtol: 0 });
    assertClose(init.ones(zeros([2])), [1, 1], { atol: 0, rtol: 0 });
    assertClose(init.zeros(init.ones(zeros([2]))), [0, 0], { atol: 0, rtol: 0 });
  });
});

describe('fans and gains', () => {
  it('read fans from the [in, out] layout', () => {
    expect(init.calculateFans([784, 100])).toEqual({ fanIn: 784, fanOut: 100 });
    expect(init.calculateFans([3, 4, 5])).toEqual({ fanIn: 15, fanOut: 20 });
    // A Kaiming weight [in=50, out=800] with fanIn uses 50; with fanOut, 800.
    expectMoments(init.kaimingNormal(zeros([50, 800]), g(9)), 0, Math.SQRT2 / Math.sqrt(50));
    expectMoments(init.kaimingNormal(zeros([50, 800]), { mode: 'fanOut', ...g(10) }), 0, Math.SQRT2 / Math.sqrt(800));
  });

  it('give the standard gains', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
  });

  it('explain what they cannot do', () => {
    expect(() => init.xavierUniform(zeros([5]))).toThrow('init.xavierUniform: fans need a weight with at least 2 dimensions [in, out], got shape [5]');
    expect(() => init.calculateGain('softplus' as 'relu')).toThrow('calculateGain: unknown nonlinearity "softplus"');
    expect(() => init.kaimingNormal(zeros([2, 2]), { mode: 'both' as 'fanIn' })).toThrow("init.kaimingNormal: mode must be 'fanIn' or 'fanOut'");
    expect(() => init.uniform(zeros([2]), 1, 0)).toThrow('init.uniform: need finite a <= b, got a=1, b=0');
  });

  it('leave an empty weight as it is (its zero fan would give an infinite scale), as PyTorch does', () => {
    for (const f of [init.kaimingNormal, init.kaimingUniform, init.xavierNormal, init.xavierUniform]) {
      const w = zeros([0, 5]);
      expect(f(w)).toBe(w);
      expect(w.shape).toEqual([0, 5]);
    }
    expect(() => init.kaimingNormal(zeros([0]))).toThrow('init.kaimingNormal: fans need a weight with at least 2 dimensions [in, out], got shape [0]');
  });
});

describe('orthogonal', () => {
  it('gives orthonormal columns for a tall matrix and orthonormal rows for a wide one', () => {
    const tall = init.orthogonal(zeros([6, 3], { dtype: 'float64' }), g(11));
    assertClose(matmul(tall.T, tall), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], { atol: 1e-12 });
    const wide = init.orthogonal(zeros([2, 5], { dtype: 'float64' }), g(12));
    assertClose(matmul(wide, wide.T), [[1, 0], [0, 1]], { atol: 1e-12 });
  });
});

describe('initializers', () => {
  it('are reproducible from the seeded generator and write in place', () => {
    const w = zeros([4, 4]);
    expect(init.kaimingUniform(w, g(13))).toBe(w);
    assertClose(init.kaimingUniform(zeros([4, 4]), g(13)), w, { atol: 0, rtol: 0 });
    // fanIn 4 and gain √2 give the bound √2 · √(3/4); each entry is one draw of the generator's stream.
    const bound = Math.sqrt(2) * Math.sqrt(3 / 4);
    const draws = (seed: number): number[] => {
      const gen = new Generator(seed);
      return Array.from({ length: 16 }, () => -bound + 2 * bound * gen.uniform());
    };
    assertClose(w.reshape([16]), draws(13), { atol: 1e-6 });
    const other = init.kaimingUniform(zeros([4, 4]), g(14));
    assertClose(other.reshape([16]), draws(14), { atol: 1e-6 });
    expect(Array.from(other.data).filter((v, i) => v === w.data[i])).toEqual([]);
  });
});
