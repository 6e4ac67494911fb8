import { describe, expect, it } from 'vitest';
import {
  arange, bernoulli, eye, full, linspace, ones, onesLike, rand, randint, randn, tensor, zeros, zerosLike, manualSeed, Generator,
} from '../../src/index';

describe('creating tensors', () => {
  it('infers shape and dtype from nested arrays and copies typed arrays', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.ndim).toBe(2);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const src = new Float64Array([1, 2, 3, 4]);
    const u = tensor(src, { shape: [2, 2] });
    expect(u.dtype).toBe('float64');
    src[0] = 99;
    expect(u.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(3).item()).toBe(3);
  });

  it('rejects ragged arrays and shapes that do not fit, naming the place', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: ragged nested array: expected length 2 at index [1], got 1');
    // A list where a number belongs is ragged too, whichever comes first.
    expect(() => tensor([1, [2]])).toThrow('tensor: ragged nested array: expected a number at index [1], got a list');
    expect(() => tensor([[1], 2])).toThrow('tensor: ragged nested array: expected a list at index [1], got a number');
    expect(() => tensor([[1, 2], [3, [4]]])).toThrow('tensor: ragged nested array: expected a number at index [1, 1], got a list');
    expect(() => tensor([[], [1]])).toThrow('tensor: ragged nested array: expected length 0 at index [1], got 1');
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(() => tensor([1, 'a' as unknown as number])).toThrow('tensor: expected numbers or nested arrays, got string at index [1]');
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: 3 values do not fit shape [2, 2] (needs 4)');
    expect(() => zeros([2, -1])).toThrow('zeros: shape must hold non-negative integers, got [2, -1]');
    expect(() => tensor([1, 2]).item()).toThrow('item: only a one-element tensor converts to a number, got shape [2]');
  });

  it('fills, ranges and identities', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([2], { dtype: 'float64' }).dtype).toBe('float64');
    expect(full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
    expect(zerosLike(ones([3], { dtype: 'float64' })).dtype).toBe('float64');
    expect(onesLike(zeros([1, 2])).toArray()).toEqual([[1, 1]]);
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(() => arange(0, 1, 0)).toThrow(/arange: step must be a non-zero finite number/);
  });

  it('draws seeded random tensors: same seed, same numbers; explicit generators are independent', () => {
    manualSeed(1);
    const a = randn([3, 3]);
    manualSeed(1);
    expect(randn([3, 3]).toArray()).toEqual(a.toArray());
    const g1 = new Generator(9);
    const g2 = new Generator(9);
    expect(rand([5], { generator: g1 }).toArray()).toEqual(rand([5], { generator: g2 }).toArray());
    const ints = randint(2, 5, [1000], { generator: new Generator(1) });
    const values = new Set(Array.from(ints.data));
    expect([...values].sort()).toEqual([2, 3, 4]);
    const b = bernoulli([100_000], 0.3, { generator: new Generator(2) });
    const mean = Array.from(b.data).reduce((s, v) => s + v, 0) / b.size;
    expect(Math.abs(mean - 0.3)).toBeLessThan(0.005);
    expect(() => bernoulli([2], 1.5)).toThrow('bernoulli: p must be in [0, 1], got 1.5');
  });

  it('rand stays below 1 in float32 even for a draw that rounds up to 1', () => {
    // A generator whose every uniform draw is 1 - 2^-30: below 1 in float64, exactly 1 once rounded to float32.
    class NearlyOne extends Generator {
      override uniform(): number {
        return 1 - 2 ** -30;
      }
    }
    expect(Array.from(rand([2], { generator: new NearlyOne() }).data)).toEqual([1 - 2 ** -24, 1 - 2 ** -24]);
    expect(rand([1], { generator: new NearlyOne(), dtype: 'float64' }).item()).toBe(1 - 2 ** -30);
  });
});

describe('printing', () => {
  it('prints like PyTorch: integers with a dot, fixed 4 decimals, dtype and grad info', () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(tensor([0.5, -1.25]).toString()).toBe('tensor([ 0.5000, -1.2500])');
    expect(tensor([1, 2], { dtype: 'float64', requiresGrad: true }).toString()).toBe('tensor([1., 2.], dtype=float64, requiresGrad=true)');
    expect(tensor(2.5).toString()).toBe('tensor(2.5000)');
    expect(tensor([1e-6, 1]).toString()).toBe('tensor([1.0000e-06, 1.0000e+00])');
  });

  it('summarises tensors over 1000 elements with ... on every axis', () => {
    const s = arange(2000).reshape([40, 50]).toString();
    expect(s.split('\n')).toHaveLength(7);
    expect(s).toContain('...');
    expect(s).toContain('1999.');
  });
});
