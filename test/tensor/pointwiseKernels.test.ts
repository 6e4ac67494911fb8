import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/tensor/random';
import { unaryForward, unaryGrad } from '../../src/tensor/kernels/pointwise';
import { dropoutForward, dropoutGrad } from '../../src/tensor/kernels/fused';

/** Every class of float32 value: ±0, ±subnormals, ±normals, ±largest, ±Infinity, NaNs of both signs. */
const SPECIAL_BITS = [
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x3f800000,
  0xbf800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff,
  0xffffffff,
];

/** The special values, then random bit patterns (every exponent, both signs). */
function float32Cases(count: number): Float32Array {
  const gen = new Generator(11);
  const bits = new Uint32Array(SPECIAL_BITS.length + count);
  bits.set(SPECIAL_BITS);
  for (let i = SPECIAL_BITS.length; i < bits.length; i++) bits[i] = gen.nextUint32();
  return new Float32Array(bits.buffer);
}

/** Same bits, or both NaN (a NaN's payload may be quieted by a float64 round trip). */
function expectSameFloat32(actual: Float32Array, expected: Float32Array): void {
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (Number.isNaN(expected[i])) expect(Number.isNaN(actual[i]), `element ${i}`).toBe(true);
    else if (a[i] !== e[i]) expect(`element ${i}: bits ${a[i].toString(16)}`).toBe(`element ${i}: bits ${e[i].toString(16)}`);
  }
}

describe('relu on float32: the branch-free kernel gives the branching loop bit for bit', () => {
  const x = float32Cases(20000);

  it('forward: x where x > 0, NaN kept, +0 for every other value (also -0, -Infinity)', () => {
    const out = new Float32Array(x.length);
    unaryForward('relu', x, out);
    const expected = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) expected[i] = x[i] > 0 ? x[i] : Number.isNaN(x[i]) ? x[i] : 0;
    expectSameFloat32(out, expected);
    // +0, not -0, for negative inputs; NaN of either sign stays NaN.
    expect(Object.is(out[1], 0)).toBe(true);
    expect(Object.is(out[13], 0)).toBe(true);
    expect(Number.isNaN(out[15])).toBe(true);
  });

  it('gradient: g where x > 0, +0 where x is ±0, negative or NaN (g itself may be anything)', () => {
    const g = float32Cases(20000).reverse();
    const out = new Float32Array(x.length);
    unaryGrad('relu', g, x, new Float32Array(x.length), out);
    const expected = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) expected[i] = x[i] > 0 ? g[i] : 0;
    expectSameFloat32(out, expected);
  });

  it('works on views into a larger buffer (subarrays at an offset)', () => {
    const big = new Float32Array([5, -1, 2, -3, 4, 0, -0]);
    const out = new Float32Array(8);
    unaryForward('relu', big.subarray(1, 5), out.subarray(2, 6));
    expect(Array.from(out)).toEqual([0, 0, 0, 2, 0, 4, 0, 0]);
    const gOut = new Float32Array(4);
    unaryGrad('relu', new Float32Array([1, 2, 3, 4]), big.subarray(3, 7), big.subarray(3, 7), gOut);
    expect(Array.from(gOut)).toEqual([0, 2, 0, 0]);
  });
});

describe('dropout kernel: kept when the uniform() draw u has u >= p, drawn in chunks without a branch', () => {
  it('matches that rule element by element across its chunks of draws, for several p and both dtypes', () => {
    const n = 2500; // more than two chunks of draws
    for (const Ctor of [Float32Array, Float64Array]) {
      const x = new Ctor(n).map((_, i) => (i % 7) - 3.5);
      // Besides round and extreme values, p equal to the draw of element 3 and one step of 2^-53 either side:
      // the comparison is then decided by the low bits of the draw.
      const near = (() => {
        const g = new Generator(12);
        for (let i = 0; i < 3; i++) g.uniform();
        return g.uniform();
      })();
      for (const p of [0.5, 0.3, 0.1, 0.9, 1 - 2 ** -53, 2 ** -53, 0, 1, near, near - 2 ** -53, near + 2 ** -53]) {
        const scale = p === 1 ? 0 : 1 / (1 - p);
        const out = new Ctor(n);
        const keep = new Uint8Array(n);
        dropoutForward(x, p, scale, new Generator(12), out, keep);
        const ref = new Generator(12);
        for (let i = 0; i < n; i++) {
          const kept = ref.uniform() >= p;
          if (keep[i] !== (kept ? 1 : 0)) expect(`element ${i}, p ${p}: keep ${keep[i]}`).toBe(`element ${i}, p ${p}: keep ${kept ? 1 : 0}`);
          const expected = Ctor === Float32Array ? Math.fround(x[i] * (kept ? scale : 0)) : x[i] * (kept ? scale : 0);
          if (!Object.is(out[i], expected)) expect(`element ${i}, p ${p}: ${out[i]}`).toBe(`element ${i}, p ${p}: ${expected}`);
        }
      }
    }
  });

  it('the gradient is g · scale where kept and g · 0 where dropped (-0 for negative g, NaN for infinite g)', () => {
    const g = new Float64Array([2, -3, Infinity, -4, 5]);
    const out = new Float64Array(5);
    dropoutGrad(g, new Uint8Array([1, 0, 0, 1, 0]), 2, out);
    expect(Array.from(out)).toEqual([4, -0, NaN, -8, 0]);
    expect(Object.is(out[1], -0)).toBe(true);
  });
});
