import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, CyclicLR, ExponentialLR, LRScheduler, LinearLR, SGD, StepLR, tensor } from '../../src/index';

const optimizer = (lr: number): SGD => new SGD([tensor([0], { requiresGrad: true })], { lr });

/** The learning rate before each of `n` epochs, stepping once per epoch. */
function lrs(s: LRScheduler, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(s.optimizer.lr);
    s.step();
  }
  return out;
}

const close = (actual: number[], expected: number[]): void => actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));

describe('schedules', () => {
  it('StepLR multiplies by gamma every stepSize epochs', () => {
    close(lrs(new StepLR(optimizer(1), { stepSize: 2, gamma: 0.5 }), 6), [1, 1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('ExponentialLR multiplies by gamma every epoch', () => {
    close(lrs(new ExponentialLR(optimizer(2), { gamma: 0.5 }), 4), [2, 1, 0.5, 0.25]);
  });

  it('CosineAnnealingLR follows half a cosine to etaMin at tMax, then rises again', () => {
    const s = lrs(new CosineAnnealingLR(optimizer(1), { tMax: 4, etaMin: 0.1 }), 7);
    close(s, [1, 0.1 + 0.9 * (1 + Math.SQRT1_2) / 2, 0.55, 0.1 + 0.9 * (1 - Math.SQRT1_2) / 2, 0.1, s[3], 0.55]);
  });

  it('LinearLR warms up from startFactor to endFactor over totalIters, setting the rate at construction', () => {
    const opt = optimizer(0.1);
    const s = new LinearLR(opt, { startFactor: 0.25, totalIters: 3 });
    expect(opt.lr).toBeCloseTo(0.025, 15);
    close(lrs(s, 5), [0.025, 0.05, 0.075, 0.1, 0.1]);
  });

  it('CyclicLR (triangular) goes base -> max -> base every stepSizeUp + stepSizeDown steps', () => {
    const s = new CyclicLR(optimizer(123), { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2, stepSizeDown: 2 });
    close(lrs(s, 9), [0.1, 0.3, 0.5, 0.3, 0.1, 0.3, 0.5, 0.3, 0.1]);
    close(lrs(new CyclicLR(optimizer(0.1), { maxLr: 0.5, stepSizeUp: 1, mode: 'triangular2' }), 5), [0.1, 0.5, 0.1, 0.3, 0.1]);
    close(lrs(new CyclicLR(optimizer(0), { maxLr: 1, stepSizeUp: 1, mode: 'expRange', gamma: 0.5 }), 4), [0, 0.5, 0, 0.125]);
  });

  it('report the last rate and explain bad options', () => {
    const s = new StepLR(optimizer(1), { stepSize: 1, gamma: 0.1 });
    s.step();
    expect(s.getLastLr()).toBeCloseTo(0.1, 15);
    expect(s.lastEpoch).toBe(1);
    expect(() => new StepLR(optimizer(1), { stepSize: 0 })).toThrow('StepLR: stepSize must be a number >= 1, got 0');
    expect(() => new CosineAnnealingLR(optimizer(1), {} as { tMax: number })).toThrow('CosineAnnealingLR: tMax must be a number >= 1, got undefined');
    expect(() => new LinearLR(optimizer(1), { startFactor: 0 })).toThrow('LinearLR: startFactor must be > 0');
    expect(() => new CyclicLR(optimizer(1), { maxLr: 1, mode: 'sine' as 'triangular' })).toThrow("CyclicLR: mode must be 'triangular', 'triangular2' or 'expRange'");
  });
});
