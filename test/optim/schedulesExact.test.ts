import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR, CyclicLR, EarlyStopping, ExponentialLR, LinearLR, SGD, StepLR, assertClose, tensor, type LRScheduler,
} from '../../src/index';

const optimizer = (lr: number): SGD => new SGD([tensor([0], { requiresGrad: true })], { lr });

/** The rate before each of `n` steps. */
function rates(s: LRScheduler, n: number): number[] {
  return Array.from({ length: n }, () => {
    const lr = s.optimizer.lr;
    s.step();
    return lr;
  });
}

describe('schedules: defaults and less common settings', () => {
  it('StepLR decays by 0.1 by default', () => {
    assertClose(rates(new StepLR(optimizer(1), { stepSize: 3 }), 7), [1, 1, 1, 0.1, 0.1, 0.1, 0.01], { atol: 1e-15 });
  });

  it('CosineAnnealingLR goes down to 0 by default: base·(1 + cos(πt/T))/2', () => {
    const r = rates(new CosineAnnealingLR(optimizer(2), { tMax: 3 }), 4);
    assertClose(r, [2, 1 + Math.cos(Math.PI / 3), 1 + Math.cos((2 * Math.PI) / 3), 0], { atol: 1e-15 });
  });

  it('LinearLR defaults to factors 1/3 -> 1 over 5 steps, may decay, and with totalIters 0 starts at endFactor', () => {
    assertClose(rates(new LinearLR(optimizer(3)), 7), [1, 1 + 2 / 5, 1 + 4 / 5, 1 + 6 / 5, 1 + 8 / 5, 3, 3], { atol: 1e-12 });
    assertClose(rates(new LinearLR(optimizer(1), { startFactor: 1, endFactor: 0.5, totalIters: 2 }), 4), [1, 0.75, 0.5, 0.5], { atol: 1e-15 });
    assertClose(rates(new LinearLR(optimizer(1), { startFactor: 0.5, endFactor: 0.25, totalIters: 0 }), 2), [0.25, 0.25], { atol: 1e-15 });
  });

  it('CyclicLR climbs over stepSizeUp and comes down over stepSizeDown', () => {
    // Up in 1 step, down in 3: 0.1, 0.5, then 0.5 - 0.4/3 per step.
    const r = rates(new CyclicLR(optimizer(0.1), { maxLr: 0.5, stepSizeUp: 1, stepSizeDown: 3 }), 6);
    assertClose(r, [0.1, 0.5, 0.5 - 0.4 / 3, 0.5 - 0.8 / 3, 0.1, 0.5], { atol: 1e-12 });
  });

  it('CyclicLR halves the amplitude every cycle (triangular2) or scales it by γ^step (expRange)', () => {
    assertClose(rates(new CyclicLR(optimizer(0), { maxLr: 1, stepSizeUp: 2, mode: 'triangular2' }), 9),
      [0, 0.5, 1, 0.5, 0, 0.25, 0.5, 0.25, 0], { atol: 1e-15 });
    assertClose(rates(new CyclicLR(optimizer(0), { maxLr: 1, stepSizeUp: 2, mode: 'expRange', gamma: 0.9 }), 4),
      [0, 0.5 * 0.9, 0.9 ** 2, 0.5 * 0.9 ** 3], { atol: 1e-15 });
  });

  it('CyclicLR takes 2000 steps up by default and starts from the optimizer rate', () => {
    const s = new CyclicLR(optimizer(0.2), { maxLr: 1.2 });
    expect(s.minLr).toBe(0.2);
    for (let i = 0; i < 1000; i++) s.step();
    expect(s.optimizer.lr).toBeCloseTo(0.7, 12);
    expect(s.getLastLr()).toBeCloseTo(0.7, 12);
  });

  it('explain bad options and a missing optimizer', () => {
    expect(() => new StepLR(optimizer(1), { stepSize: 1.5 })).toThrow('StepLR: stepSize must be an integer, got 1.5');
    expect(() => new StepLR(optimizer(1), { stepSize: 1, gamma: -1 })).toThrow('StepLR: gamma must be a number >= 0, got -1');
    expect(() => new ExponentialLR(optimizer(1), { gamma: NaN })).toThrow('ExponentialLR: gamma must be a number >= 0, got NaN');
    expect(() => new LinearLR(optimizer(1), { startFactor: 1.5 })).toThrow('LinearLR: startFactor must be a number in [0, 1], got 1.5');
    expect(() => new LinearLR(optimizer(1), { endFactor: -0.5 })).toThrow('LinearLR: endFactor must be a number in [0, 1], got -0.5');
    expect(() => new LinearLR(optimizer(1), { totalIters: -1 })).toThrow('LinearLR: totalIters must be a number >= 0, got -1');
    expect(() => new CosineAnnealingLR(optimizer(1), { tMax: 2, etaMin: -1 })).toThrow('CosineAnnealingLR: etaMin must be a number >= 0, got -1');
    expect(() => new CyclicLR(optimizer(1), { maxLr: 1, stepSizeUp: 0 })).toThrow('CyclicLR: stepSizeUp must be a number >= 1, got 0');
    expect(() => new CyclicLR(optimizer(1), { maxLr: 1, stepSizeDown: -1 })).toThrow('CyclicLR: stepSizeDown must be a number >= 0, got -1');
    expect(() => new CyclicLR(optimizer(1), { maxLr: 1, gamma: -1 })).toThrow('CyclicLR: gamma must be a number >= 0, got -1');
    expect(() => new CyclicLR(optimizer(1), { maxLr: Infinity })).toThrow('CyclicLR: maxLr must be a number >= 0, got Infinity');
    expect(() => new StepLR(null as never, { stepSize: 1 })).toThrow('StepLR: the first argument must be an optimizer (something with a numeric lr)');
    expect(() => new StepLR({ lr: '0.1' } as never, { stepSize: 1 })).toThrow('StepLR: the first argument must be an optimizer');
  });
});

describe('EarlyStopping: counting and options', () => {
  it('counts epochs without improvement, resets on improvement, and stays stopped', () => {
    const s = new EarlyStopping({ patience: 2 });
    expect(s.best).toBeNull();
    s.step(1);
    s.step(1); // equal is not better
    expect([s.waited, s.epoch, s.bestEpoch]).toEqual([1, 2, 1]);
    s.step(0.5);
    expect([s.waited, s.best, s.bestEpoch, s.stopped]).toEqual([0, 0.5, 3, false]);
    s.step(0.6);
    expect(s.step(0.7)).toBe(true);
    expect(s.step(0.1)).toBe(true); // once stopped, it stays stopped
  });

  it('with patience 0 stops at the first epoch without improvement, and by default waits 5', () => {
    const s = new EarlyStopping({ patience: 0 });
    expect([s.step(2), s.step(1), s.step(1.5)]).toEqual([false, false, true]);
    const d = new EarlyStopping();
    expect([3, 4, 4, 4, 4, 4].map((v) => d.step(v))).toEqual([false, false, false, false, false, true]);
  });

  it("in 'max' mode needs more than best + minDelta, and keeps the best state dict", () => {
    const s = new EarlyStopping<{ v: number }>({ patience: 3, mode: 'max', minDelta: 0.1 });
    let saved = 0;
    const model = { stateDict: () => ({ v: ++saved }), loadStateDict: () => undefined };
    s.step(0.5, model);
    s.step(0.6, model); // +0.1 is not more than minDelta
    s.step(0.61, model);
    expect([s.best, s.bestEpoch, s.waited]).toEqual([0.61, 3, 0]);
    expect(s.bestStateDict).toEqual({ v: 2 });
    expect(new EarlyStopping().bestStateDict).toBeNull();
  });

  it('names bad options and values', () => {
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow('EarlyStopping: patience must be an integer >= 0, got 1.5');
    expect(() => new EarlyStopping({ minDelta: -0.1 })).toThrow('EarlyStopping: minDelta must be >= 0, got -0.1');
    expect(() => new EarlyStopping({ mode: 'up' as 'min' })).toThrow(`EarlyStopping: mode must be 'min' or 'max', got "up"`);
    expect(() => new EarlyStopping().step('0.5' as never)).toThrow('EarlyStopping.step: value must be a number, got string');
  });
});
