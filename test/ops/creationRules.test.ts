import { describe, expect, it } from 'vitest';
import {
  arange, bernoulli, eye, full, linspace, ones, onesLike, rand, randint, randn, tensor, zeros, zerosLike, Generator,
} from '../../src/index';

/** A generator whose draws are fixed numbers, so a random tensor's values are known exactly. */
class Fixed extends Generator {
  constructor(private readonly u: number, private readonly z = 0.5) {
    super(0);
  }

  override uniform(): number {
    return this.u;
  }

  override normal(): number {
    return this.z;
  }

  override integer(low: number, high: number): number {
    return high - 1 + low * 0;
  }
}

describe('creating tensors: exact values', () => {
  it('tensor() from numbers, nested arrays, typed arrays, with and without a shape', () => {
    expect(tensor(3, { shape: [1, 1] }).toArray()).toEqual([[3]]);
    expect(tensor([[1, 2], [3, 4]], { shape: [4] }).toArray()).toEqual([1, 2, 3, 4]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
    const i32 = tensor(new Int32Array([5, 6]));
    expect(i32.dtype).toBe('float32');
    expect(i32.toArray()).toEqual([5, 6]);
    expect(tensor(new Float32Array([1, 2]), { dtype: 'float64' }).dtype).toBe('float64');
    expect(tensor(new Float64Array([1, 2]), { dtype: 'float32' }).dtype).toBe('float32');
    expect(tensor([1, 2], { dtype: 'float64' }).dtype).toBe('float64');
    expect(tensor(2.5).dtype).toBe('float32');
  });

  it('requiresGrad only when asked for, for every creation function', () => {
    const made = [
      tensor([1]), zeros([1]), ones([1]), full([1], 2), zerosLike(tensor([1])), onesLike(tensor([1])), arange(2), linspace(0, 1, 2), eye(2),
      rand([1]), randn([1]), randint(0, 2, [1]), bernoulli([1], 0.5),
    ];
    for (const t of made) expect(t.requiresGrad).toBe(false);
    const g = { requiresGrad: true } as const;
    const asked = [
      tensor([1], g), zeros([1], g), ones([1], g), full([1], 2, g), zerosLike(tensor([1]), g), onesLike(tensor([1]), g), arange(0, 2, 1, g),
      linspace(0, 1, 2, g), eye(2, 2, g), rand([1], g), randn([1], g), randint(0, 2, [1], g), bernoulli([1], 0.5, g),
    ];
    for (const t of asked) expect(t.requiresGrad).toBe(true);
    expect(tensor([1], { requiresGrad: 1 as never }).requiresGrad).toBe(false);
  });

  it('fills, and like-functions take the shape and dtype of their model unless told otherwise', () => {
    expect(zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(full([2], -1.5, { dtype: 'float64' }).toArray()).toEqual([-1.5, -1.5]);
    const m = ones([2, 1], { dtype: 'float64' });
    expect(zerosLike(m).toArray()).toEqual([[0], [0]]);
    expect(onesLike(m).dtype).toBe('float64');
    expect(onesLike(m, { dtype: 'float32' }).dtype).toBe('float32');
    expect(zerosLike(m, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('arange counts up or down and is empty when the range is', () => {
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(0, 1, 0.5).toArray()).toEqual([0, 0.5]);
    expect(arange(0, 1.1, 0.5).toArray()).toEqual([0, 0.5, 1]);
    expect(arange(5, 0).shape).toEqual([0]);
    expect(arange(3, undefined, 1, { dtype: 'float64' }).dtype).toBe('float64');
    expect(() => arange(0, 1, Infinity)).toThrow('arange: step must be a non-zero finite number, got Infinity');
    expect(() => arange(0, 1, NaN)).toThrow('arange: step must be a non-zero finite number, got NaN');
  });

  it('linspace ends exactly at end, and handles 0 and 1 steps', () => {
    expect(linspace(1, 2, 1).toArray()).toEqual([1]);
    expect(linspace(1, 2, 0).shape).toEqual([0]);
    // With delta = (0.7 - (-1)) / 5 = 0.34, -1 + 5 · delta is 0.6999999999999997 in float64; the
    // last value is end itself, and the others start + i · delta.
    const l = linspace(-1, 0.7, 6, { dtype: 'float64' }).data;
    expect(-1 + 5 * ((0.7 - -1) / 5)).not.toBe(0.7);
    expect(l[5]).toBe(0.7);
    [-1, -0.66, -0.32, 0.02, 0.36].forEach((v, i) => expect(l[i]).toBeCloseTo(v, 15));
    expect(linspace(2, -2, 3).toArray()).toEqual([2, 0, -2]);
    expect(() => linspace(0, 1, -1)).toThrow('linspace: steps must be a non-negative integer, got -1');
    expect(() => linspace(0, 1, 1.5)).toThrow('linspace: steps must be a non-negative integer, got 1.5');
  });

  it('eye: square by default, rectangular either way', () => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(3, 2).toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(eye(1, 3, { dtype: 'float64' }).dtype).toBe('float64');
    expect(eye(4, 2).toArray()).toEqual([[1, 0], [0, 1], [0, 0], [0, 0]]);
    expect(() => eye(-1)).toThrow('eye: shape must hold non-negative integers, got [-1, -1]');
  });

  it('random tensors are the generator\'s draws, one per entry', () => {
    expect(rand([2], { generator: new Fixed(0.25) }).toArray()).toEqual([0.25, 0.25]);
    expect(randn([1, 2], { generator: new Fixed(0, -1.5) }).toArray()).toEqual([[-1.5, -1.5]]);
    expect(randint(3, 7, [2], { generator: new Fixed(0) }).toArray()).toEqual([6, 6]);
    expect(randn([2], { dtype: 'float64' }).dtype).toBe('float64');
    // bernoulli is 1 exactly when the uniform draw is below p.
    expect(bernoulli([2], 0.3, { generator: new Fixed(0.3) }).toArray()).toEqual([0, 0]);
    expect(bernoulli([2], 0.3, { generator: new Fixed(0.2999) }).toArray()).toEqual([1, 1]);
    expect(bernoulli([1], 0, { generator: new Fixed(0) }).toArray()).toEqual([0]);
    expect(bernoulli([1], 1, { generator: new Fixed(0.9999) }).toArray()).toEqual([1]);
    const g = new Generator(4);
    const expected = Array.from({ length: 3 }, () => g.uniform());
    expect(Array.from(rand([3], { generator: new Generator(4), dtype: 'float64' }).data)).toEqual(expected);
    // Exactly one draw per entry: the generator continues with the fourth draw.
    const h = new Generator(4);
    rand([3], { generator: h });
    const fresh = new Generator(4);
    for (let i = 0; i < 3; i++) fresh.uniform();
    expect(h.uniform()).toBe(fresh.uniform());
  });
});

describe('creating tensors: errors name the function', () => {
  it('for bad shapes and options', () => {
    for (const [name, f] of [['zeros', zeros], ['ones', ones], ['rand', rand], ['randn', randn]] as const) {
      expect(() => f([1.5])).toThrow(`${name}: shape must hold non-negative integers, got [1.5]`);
    }
    expect(() => full([-2], 1)).toThrow('full: shape must hold non-negative integers, got [-2]');
    expect(() => randint(0, 2, [-1])).toThrow('randint: shape must hold non-negative integers, got [-1]');
    expect(() => bernoulli([-1], 0.5)).toThrow('bernoulli: shape must hold non-negative integers, got [-1]');
    expect(() => tensor([1, 2], { shape: [-1, -2] })).toThrow('tensor: shape must hold non-negative integers, got [-1, -2]');
    expect(() => tensor([1], { dtype: 'int32' as never })).toThrow('tensor: dtype must be \'float32\' or \'float64\', got "int32"');
    const int32 = { dtype: 'int32' as never };
    const bad = 'dtype must be \'float32\' or \'float64\', got "int32"';
    expect(() => zeros([1], int32)).toThrow(`zeros: ${bad}`);
    expect(() => ones([1], int32)).toThrow(`ones: ${bad}`);
    expect(() => full([1], 2, int32)).toThrow(`full: ${bad}`);
    expect(() => zerosLike(tensor([1]), int32)).toThrow(`zerosLike: ${bad}`);
    expect(() => onesLike(tensor([1]), int32)).toThrow(`onesLike: ${bad}`);
    expect(() => arange(2, undefined, 1, int32)).toThrow(`arange: ${bad}`);
    expect(() => linspace(0, 1, 2, int32)).toThrow(`linspace: ${bad}`);
    expect(() => eye(2, 2, int32)).toThrow(`eye: ${bad}`);
    expect(() => rand([1], int32)).toThrow(`rand: ${bad}`);
    expect(() => randn([1], int32)).toThrow(`randn: ${bad}`);
    expect(() => randint(0, 2, [1], int32)).toThrow(`randint: ${bad}`);
    expect(() => bernoulli([1], 0.5, int32)).toThrow(`bernoulli: ${bad}`);
    expect(() => tensor(new DataView(new ArrayBuffer(4)) as never)).toThrow('tensor: expected numbers or nested arrays, got object at index []');
  });

  it('for bad ranges and probabilities', () => {
    expect(() => randint(2, 2, [1])).toThrow('randint: need integers low < high, got low=2, high=2');
    expect(() => randint(0.5, 2, [1])).toThrow('randint: need integers low < high, got low=0.5, high=2');
    expect(() => randint(0, 2.5, [1])).toThrow('randint: need integers low < high, got low=0, high=2.5');
    expect(() => bernoulli([1], -0.1)).toThrow('bernoulli: p must be in [0, 1], got -0.1');
    expect(() => bernoulli([1], NaN)).toThrow('bernoulli: p must be in [0, 1], got NaN');
  });
});
