import { describe, expect, it } from 'vitest';
import { Dropout, Generator, assertClose, dropout, ones, randn, tensor } from '../../src/index';

describe('Dropout', () => {
  it('is the identity in eval mode', () => {
    const layer = new Dropout(0.5).eval();
    const x = randn([100, 10], { generator: new Generator(1) });
    expect(layer.call(x)).toBe(x);
    expect(dropout(x, 0.9, { training: false })).toBe(x);
  });

  it('zeroes a fraction p (within 1%) of 10^6 elements and scales survivors by exactly 1/(1-p)', () => {
    for (const p of [0.1, 0.5, 0.8]) {
      const y = new Dropout(p, { generator: new Generator(42) }).call(ones([1000, 1000]));
      const scale = Math.fround(1 / (1 - p));
      let zeros = 0;
      let wrongScale = 0;
      for (const v of y.data) {
        if (v === 0) zeros++;
        else if (v !== scale) wrongScale++;
      }
      expect(wrongScale).toBe(0);
      expect(Math.abs(zeros / 1e6 - p)).toBeLessThan(0.01);
    }
  });

  it('backpropagates through the same mask', () => {
    const x = randn([50, 40], { generator: new Generator(3), requiresGrad: true });
    const y = dropout(x, 0.3, { generator: new Generator(4) });
    y.sum().backward();
    const g = x.grad;
    expect(g).not.toBeNull();
    const scale = Math.fround(1 / 0.7);
    for (let i = 0; i < x.size; i++) {
      // Where the output kept x (scaled), the gradient is the scale; where it was dropped, 0.
      if (y.data[i] === 0 && x.data[i] !== 0) expect(g?.data[i]).toBe(0);
      else expect(g?.data[i]).toBe(scale);
    }
  });

  it('is reproducible from its generator and checks p', () => {
    const a = dropout(ones([10, 10]), 0.5, { generator: new Generator(9) });
    const b = dropout(ones([10, 10]), 0.5, { generator: new Generator(9) });
    assertClose(a, b, { atol: 0, rtol: 0 });
    assertClose(dropout(tensor([1, 2]), 1), [0, 0]);
    expect(() => new Dropout(1.5)).toThrow('Dropout: p must be in [0, 1], got 1.5');
  });
});
