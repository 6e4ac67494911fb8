import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, CyclicLR, EarlyStopping, ExponentialLR, Linear, SGD, StepLR, tensor, weightDecayGroups } from '../../src/index';

const optimizer = (lr: number): SGD => new SGD([tensor([0], { requiresGrad: true })], { lr });

describe('schedules drive anything with an lr', () => {
  it('a plain {lr} object, and one with an empty paramGroups list, has its own lr scheduled', () => {
    const plain = { lr: 1 };
    const s = new StepLR(plain, { stepSize: 1, gamma: 0.5 });
    s.step();
    expect([plain.lr, s.getLastLr(), s.baseLr]).toEqual([0.5, 0.5, 1]);
    expect(s.getLastLrs()).toEqual([0.5]);
    const empty = { lr: 2, paramGroups: [] as { lr: number }[] };
    new ExponentialLR(empty, { gamma: 0.5 }).step();
    expect(empty.lr).toBe(1);
  });

  it('a missing options object is reported as the missing option', () => {
    expect(() => new StepLR(optimizer(1), undefined as never)).toThrow('StepLR: stepSize must be a number >= 1, got undefined');
    expect(() => new ExponentialLR(optimizer(1), undefined as never)).toThrow('ExponentialLR: gamma must be a number >= 0, got undefined');
    expect(() => new CosineAnnealingLR(optimizer(1), undefined as never)).toThrow('CosineAnnealingLR: tMax must be a number >= 1, got undefined');
  });

  it('CyclicLR names a bad baseLr, and ignores gamma in triangular mode', () => {
    expect(() => new CyclicLR(optimizer(1), { baseLr: -1, maxLr: 1 })).toThrow('CyclicLR: baseLr must be a number >= 0, got -1');
    expect(() => new CyclicLR(optimizer(1), undefined as unknown as { maxLr: number })).toThrow('CyclicLR: options with maxLr are required, got undefined');
    const s = new CyclicLR(optimizer(0), { maxLr: 1, stepSizeUp: 2, gamma: 0.5 });
    const rates = [s.optimizer.lr];
    for (let i = 0; i < 6; i++) {
      s.step();
      rates.push(s.optimizer.lr);
    }
    expect(rates).toEqual([0, 0.5, 1, 0.5, 0, 0.5, 1]);
  });
});

describe('EarlyStopping and weightDecayGroups edge values', () => {
  it('a first value of NaN is not an improvement, and unknown options are named', () => {
    const s = new EarlyStopping({ patience: 2 });
    expect(s.step(NaN)).toBe(false);
    expect([s.best, s.bestEpoch, s.waited]).toEqual([null, 0, 1]);
    s.step(1);
    expect([s.best, s.bestEpoch, s.waited]).toEqual([1, 2, 0]);
    expect(() => new EarlyStopping({ min_delta: 0.1 } as never)).toThrow("EarlyStopping: unknown option 'min_delta'; did you mean 'minDelta'?");
  });

  it('weightDecayGroups accepts 0 and refuses NaN', () => {
    const model = new Linear(2, 1);
    expect(weightDecayGroups(model, 0).map((g) => g.weightDecay)).toEqual([0, 0]);
    expect(() => weightDecayGroups(model, NaN)).toThrow('weightDecayGroups: weightDecay must be a number >= 0, got NaN');
  });
});

describe('what a schedule refuses as an optimizer', () => {
  it('a function with an lr is not an optimizer', () => {
    expect(() => new StepLR(Object.assign(() => 0, { lr: 1 }) as never, { stepSize: 1 })).toThrow('StepLR: the first argument must be an optimizer (something with a numeric lr)');
  });
});
