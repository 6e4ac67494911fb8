import { describe, expect, it } from 'vitest';
import { checkOptions, suggestOption } from '../../src/util/options';

describe('checkOptions', () => {
  const known = ['lr', 'momentum', 'weightDecay', 'nesterov'];

  it('accepts known keys, an empty object and undefined', () => {
    expect(() => checkOptions('SGD', { lr: 0.1, weightDecay: 1e-4 }, known)).not.toThrow();
    expect(() => checkOptions('SGD', {}, known)).not.toThrow();
    expect(() => checkOptions('SGD', undefined, known)).not.toThrow();
  });

  it("rejects PyTorch's snake_case spelling and suggests the camelCase name", () => {
    expect(() => checkOptions('SGD', { lr: 0.1, weight_decay: 1e-4 }, known)).toThrow("SGD: unknown option 'weight_decay'; did you mean 'weightDecay'?");
  });

  it('suggests the nearest name for a typo and lists the options when nothing is near', () => {
    expect(() => checkOptions('SGD', { momentun: 0.9 }, known)).toThrow("SGD: unknown option 'momentun'; did you mean 'momentum'?");
    expect(() => checkOptions('SGD', { betas: [0.9, 0.99] }, known)).toThrow("SGD: unknown option 'betas'; known options: lr, momentum, weightDecay, nesterov");
  });

  it('rejects options that are not an object', () => {
    expect(() => checkOptions('SGD', [0.1] as unknown as object, known)).toThrow('SGD: options must be an object, got an array');
  });

  it('matches names case-insensitively and through underscores', () => {
    expect(suggestOption('track_running_stats', ['affine', 'trackRunningStats'])).toBe('trackRunningStats');
    expect(suggestOption('WEIGHTDECAY', known)).toBe('weightDecay');
    expect(suggestOption('zzz', known)).toBeUndefined();
  });
});
