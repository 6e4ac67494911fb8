import { describe, expect, it } from 'vitest';
import { Generator, init, zeros } from '../../src/index';

// init.kaimingStd: the std that kaimingNormal draws with, as a number (gain / √fan).
describe('init.kaimingStd', () => {
  it('is √(2/fanIn) for ReLU by default, read from the [in, out] layout', () => {
    expect(init.kaimingStd([784, 100])).toBeCloseTo(Math.sqrt(2 / 784), 15);
    expect(init.kaimingStd([784, 100], { nonlinearity: 'relu' })).toBeCloseTo(Math.sqrt(2 / 784), 15);
    expect(init.kaimingStd([784, 100], { mode: 'fanOut' })).toBeCloseTo(Math.sqrt(2 / 100), 15);
    expect(init.kaimingStd([3, 4, 5])).toBeCloseTo(Math.sqrt(2 / 15), 15);
  });

  it('uses the gain of the nonlinearity, with the leaky slope squared', () => {
    expect(init.kaimingStd([100, 10], { nonlinearity: 'leakyRelu', a: 0.5 })).toBeCloseTo(Math.sqrt(2 / 1.25) / 10, 15);
    expect(init.kaimingStd([100, 10], { nonlinearity: 'tanh' })).toBeCloseTo(5 / 3 / 10, 15);
    expect(init.kaimingStd([100, 10], { nonlinearity: 'linear' })).toBeCloseTo(1 / 10, 15);
  });

  it('is the std that kaimingNormal draws with (within 1 % on 10⁶ draws)', () => {
    const w = init.kaimingNormal(zeros([500, 2000]), { nonlinearity: 'leakyRelu', a: 0.2, mode: 'fanOut', generator: new Generator(3) });
    const std = Math.sqrt(w.var().item());
    expect(Math.abs(std / init.kaimingStd([500, 2000], { nonlinearity: 'leakyRelu', a: 0.2, mode: 'fanOut' }) - 1)).toBeLessThan(0.01);
  });

  it('names what is wrong: the shape, the mode, an option spelt the PyTorch way', () => {
    expect(() => init.kaimingStd([5])).toThrow('init.kaimingStd: fans need a weight with at least 2 dimensions [in, out], got shape [5]');
    expect(() => init.kaimingStd([2, 2], { mode: 'fan_in' as 'fanIn' })).toThrow("init.kaimingStd: mode must be 'fanIn' or 'fanOut', got \"fan_in\"");
    expect(() => init.kaimingStd([2, 2], { negative_slope: 0.1 } as object)).toThrow(/init\.kaimingStd: unknown option 'negative_slope'/);
  });
});
