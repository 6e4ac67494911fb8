import { describe, expect, it } from 'vitest';
import { Generator, assertClose, init, manualSeed, matmul, tensor, zeros } from '../../src/index';

// Each random initializer draws one value per entry, in row-major order, from the generator: so its
// output is an exact function of the generator's stream, checked here entry by entry.
const uniforms = (seed: number, n: number): number[] => {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => g.uniform());
};
const normals = (seed: number, n: number): number[] => {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => g.normal());
};
const gen = (seed: number): { generator: Generator } => ({ generator: new Generator(seed) });
const f64 = (shape: number[]) => zeros(shape, { dtype: 'float64' });

describe('initializers as functions of the generator stream', () => {
  it('uniform(a, b) = a + (b - a)·u and normal(mean, std) = mean + std·z', () => {
    assertClose(init.uniform(f64([2, 3]), -1, 3, gen(1)).reshape([6]), uniforms(1, 6).map((u) => -1 + 4 * u), { atol: 1e-15 });
    assertClose(init.uniform(f64([4]), 0, 1, gen(2)), uniforms(2, 4), { atol: 1e-15 });
    assertClose(init.normal(f64([5]), 0.5, 3, gen(3)), normals(3, 5).map((z) => 0.5 + 3 * z), { atol: 1e-15 });
    assertClose(init.normal(f64([5]), undefined, undefined, gen(3)), normals(3, 5), { atol: 1e-15 });
  });

  it('draws exactly one value per entry, so the next call continues the stream', () => {
    const g = new Generator(31);
    init.uniform(f64([3]), 0, 1, { generator: g });
    assertClose(init.uniform(f64([2]), 0, 1, { generator: g }), uniforms(31, 5).slice(3), { atol: 0, rtol: 0 });
    const o = new Generator(33);
    init.orthogonal(f64([2, 2]), { generator: o });
    // orthogonal draws one normal per entry (4 here), then uniform continues the stream.
    const ref = new Generator(33);
    for (let i = 0; i < 4; i++) ref.normal();
    assertClose(init.uniform(f64([2]), 0, 1, { generator: o }), [ref.uniform(), ref.uniform()], { atol: 0, rtol: 0 });
    const h = new Generator(32);
    init.normal(f64([3]), 0, 1, { generator: h });
    assertClose(init.normal(f64([2]), 0, 1, { generator: h }), normals(32, 5).slice(3), { atol: 0, rtol: 0 });
  });

  it('normal with std 0 fills the mean', () => {
    expect(init.normal(f64([3]), 2.5, 0, gen(1)).toArray()).toEqual([2.5, 2.5, 2.5]);
  });

  it('uses the default generator when none is given (manualSeed makes it reproducible)', () => {
    manualSeed(21);
    const a = init.uniform(f64([3]));
    const b = init.normal(f64([3]));
    manualSeed(21);
    assertClose(init.uniform(f64([3])), a, { atol: 0, rtol: 0 });
    assertClose(init.normal(f64([3])), b, { atol: 0, rtol: 0 });
    expect(Array.from(a.data).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('xavierUniform: bound = gain·√(6/(fanIn+fanOut)); xavierNormal: std = gain·√(2/(fanIn+fanOut))', () => {
    // [4, 2]: fanIn + fanOut = 6, so the bound is gain and the std gain/√3.
    assertClose(init.xavierUniform(f64([4, 2]), gen(4)).reshape([8]), uniforms(4, 8).map((u) => -1 + 2 * u), { atol: 1e-15 });
    assertClose(init.xavierUniform(f64([4, 2]), { gain: 3, ...gen(4) }).reshape([8]), uniforms(4, 8).map((u) => 3 * (-1 + 2 * u)), { atol: 1e-14 });
    assertClose(init.xavierNormal(f64([4, 2]), { gain: 2, ...gen(5) }).reshape([8]), normals(5, 8).map((z) => (2 / Math.sqrt(3)) * z), { atol: 1e-14 });
    assertClose(init.xavierNormal(f64([4, 2]), gen(5)).reshape([8]), normals(5, 8).map((z) => z / Math.sqrt(3)), { atol: 1e-14 });
  });

  it('kaiming: std = gain/√fan with fan = fanIn (default) or fanOut, gain from nonlinearity and slope a', () => {
    // [3, 12]: fanIn 3, fanOut 12. The default, leakyRelu with a = 0, has gain √2.
    const z = normals(6, 36);
    assertClose(init.kaimingNormal(f64([3, 12]), gen(6)).reshape([36]), z.map((v) => (Math.SQRT2 / Math.sqrt(3)) * v), { atol: 1e-14 });
    assertClose(init.kaimingNormal(f64([3, 12]), { mode: 'fanOut', ...gen(6) }).reshape([36]), z.map((v) => (Math.SQRT2 / Math.sqrt(12)) * v), { atol: 1e-14 });
    const gain = Math.sqrt(2 / (1 + 0.5 * 0.5));
    assertClose(init.kaimingNormal(f64([3, 12]), { a: 0.5, ...gen(6) }).reshape([36]), z.map((v) => (gain / Math.sqrt(3)) * v), { atol: 1e-14 });
    assertClose(init.kaimingNormal(f64([3, 12]), { nonlinearity: 'linear', ...gen(6) }).reshape([36]), z.map((v) => v / Math.sqrt(3)), { atol: 1e-14 });
    const u = uniforms(7, 36);
    // Uniform: bound = √3 · std; fanOut 12 with tanh gives std (5/3)/√12.
    const bound = Math.sqrt(3) * (5 / 3) / Math.sqrt(12);
    assertClose(init.kaimingUniform(f64([3, 12]), { nonlinearity: 'tanh', mode: 'fanOut', ...gen(7) }).reshape([36]), u.map((v) => -bound + 2 * bound * v), { atol: 1e-14 });
  });

  it('constant writes the value into every entry, in place', () => {
    const t = f64([2, 2]);
    expect(init.constant(t, -7.5)).toBe(t);
    expect(t.toArray()).toEqual([[-7.5, -7.5], [-7.5, -7.5]]);
  });

  it('gains: identity is 1, a leakyRelu slope must be a finite number', () => {
    expect(init.calculateGain('identity')).toBe(1);
    expect(init.calculateGain('leakyRelu', 0)).toBe(Math.SQRT2);
    expect(() => init.calculateGain('leakyRelu', NaN)).toThrow('calculateGain: leakyRelu slope must be a finite number, got NaN');
    expect(() => init.calculateGain('leakyRelu', '0.1' as never)).toThrow('calculateGain: leakyRelu slope must be a finite number, got 0.1');
    expect(() => init.calculateFans([3])).toThrow('calculateFans: fans need a weight with at least 2 dimensions [in, out], got shape [3]');
  });

  it('name bad arguments', () => {
    expect(() => init.normal(f64([2]), 0, -1)).toThrow('init.normal: need finite mean and std >= 0, got mean=0, std=-1');
    expect(() => init.normal(f64([2]), NaN, 1)).toThrow('init.normal: need finite mean and std >= 0, got mean=NaN, std=1');
    expect(() => init.normal(f64([2]), 0, Infinity)).toThrow('init.normal: need finite mean and std >= 0, got mean=0, std=Infinity');
    expect(() => init.uniform(f64([2]), -Infinity, 0)).toThrow('init.uniform: need finite a <= b, got a=-Infinity, b=0');
    expect(() => init.uniform(f64([2]), 0, NaN)).toThrow('init.uniform: need finite a <= b, got a=0, b=NaN');
    expect(() => init.constant(f64([2]), '1' as never)).toThrow('init.constant: value must be a number, got string');
    expect(() => init.xavierNormal(f64([4]))).toThrow('init.xavierNormal: fans need a weight with at least 2 dimensions [in, out], got shape [4]');
    expect(() => init.orthogonal(f64([4]))).toThrow('init.orthogonal: needs a tensor with at least 2 dimensions, got shape [4]');
    expect(() => init.kaimingUniform(f64([2, 2]), { mode: 'fanin' as 'fanIn' })).toThrow(`init.kaimingUniform: mode must be 'fanIn' or 'fanOut', got "fanin"`);
    // a = b is allowed: every entry is a.
    expect(init.uniform(f64([2]), 2, 2, gen(1)).toArray()).toEqual([2, 2]);
  });
});

describe('orthogonal as the Q of a QR decomposition with R\'s diagonal positive', () => {
  /** Checks Q has orthonormal columns (times gain) and R = Qᵀ A / gain² is upper triangular with a positive diagonal. */
  function expectQr(q: number[][], a: number[][], gain: number): void {
    const qt = tensor(q, { dtype: 'float64' });
    const cols = q[0].length;
    assertClose(matmul(qt.T, qt), tensor(Array.from({ length: cols }, (_, i) => Array.from({ length: cols }, (_, j) => (i === j ? gain * gain : 0)))), { atol: 1e-12 });
    const r = matmul(qt.T, tensor(a, { dtype: 'float64' })).toArray() as number[][];
    for (let i = 0; i < cols; i++) {
      expect(r[i][i]).toBeGreaterThan(0);
      for (let j = 0; j < i; j++) expect(Math.abs(r[i][j])).toBeLessThan(1e-12);
    }
  }

  it('tall [5, 3]: Q from the normal matrix A drawn row by row; its first column is gain · a₁ / |a₁|', () => {
    const z = normals(11, 15);
    const a = [0, 1, 2, 3, 4].map((i) => z.slice(3 * i, 3 * i + 3));
    const q = init.orthogonal(f64([5, 3]), { gain: 2, ...gen(11) }).toArray() as number[][];
    const norm = Math.hypot(...a.map((row) => row[0]));
    assertClose(q.map((row) => row[0]), a.map((row) => (2 * row[0]) / norm), { atol: 1e-12 });
    expectQr(q, a, 2);
  });

  it('wide [2, 4]: the rows are orthonormal, the first being the first drawn row over its norm', () => {
    const z = normals(12, 8);
    const q = init.orthogonal(f64([2, 4]), gen(12)).toArray() as number[][];
    const norm = Math.hypot(...z.slice(0, 4));
    assertClose(q[0], z.slice(0, 4).map((v) => v / norm), { atol: 1e-12 });
    const qT = [0, 1, 2, 3].map((j) => q.map((row) => row[j]));
    const aT = [0, 1, 2, 3].map((j) => [z[j], z[4 + j]]);
    expectQr(qT, aT, 1);
  });

  it('square [3, 3]: Q is the Q of A itself (not of Aᵀ)', () => {
    const z = normals(14, 9);
    const a = [0, 1, 2].map((i) => z.slice(3 * i, 3 * i + 3));
    expectQr(init.orthogonal(f64([3, 3]), gen(14)).toArray() as number[][], a, 1);
  });

  it('views [2, 3, 2] as [2, 6] and fills it with orthonormal rows; an empty tensor is left alone', () => {
    const t = init.orthogonal(f64([2, 3, 2]), gen(13));
    const rows = t.reshape([2, 6]);
    assertClose(matmul(rows, rows.T), [[1, 0], [0, 1]], { atol: 1e-12 });
    const empty = f64([0, 3]);
    expect(init.orthogonal(empty, gen(13))).toBe(empty);
    expect(empty.shape).toEqual([0, 3]);
  });
});
