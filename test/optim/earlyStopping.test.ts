import { describe, expect, it } from 'vitest';
import { EarlyStopping, Linear, assertClose } from '../../src/index';

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement', () => {
    const s = new EarlyStopping({ patience: 2 });
    expect([1.0, 0.8, 0.9, 0.85].map((v) => s.step(v))).toEqual([false, false, false, true]);
    expect(s.best).toBe(0.8);
    expect(s.bestEpoch).toBe(2);
  });

  it('counts only improvements larger than minDelta, in the direction of mode', () => {
    const s = new EarlyStopping({ patience: 1, minDelta: 0.05 });
    expect([1.0, 0.97].map((v) => s.step(v))).toEqual([false, true]);
    const acc = new EarlyStopping({ patience: 1, mode: 'max' });
    expect([0.5, 0.6, 0.55].map((v) => acc.step(v))).toEqual([false, false, true]);
    expect(acc.best).toBe(0.6);
  });

  it('keeps the best weights and restores them', () => {
    const model = new Linear(2, 1);
    const s = new EarlyStopping({ patience: 3 });
    model.weight.data.set([1, 2]);
    s.step(0.5, model);
    model.weight.data.set([3, 4]);
    s.step(0.7, model);
    s.restoreBest(model);
    assertClose(model.weight, [[1], [2]]);
    expect(() => new EarlyStopping().restoreBest(model)).toThrow('EarlyStopping.restoreBest: no state saved yet');
  });

  it('never counts NaN as an improvement and checks its options', () => {
    const s = new EarlyStopping({ patience: 1 });
    s.step(1);
    expect(s.step(NaN)).toBe(true);
    expect(() => new EarlyStopping({ patience: -1 })).toThrow('EarlyStopping: patience must be an integer >= 0, got -1');
  });
});
