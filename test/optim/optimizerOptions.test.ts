import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, RMSprop, SGD, tensor, type Tensor } from '../../src/index';

const param = (values: number[]): Tensor => tensor(values, { dtype: 'float64', requiresGrad: true });

// Each optimizer reports its resolved defaults (PyTorch's, from torch.optim's documentation) through
// its getters and through paramGroups, and reports the values it was given.
describe('optimizer defaults, as PyTorch documents them', () => {
  it('SGD: momentum, dampening and weight decay 0, nesterov and maximize off', () => {
    const opt = new SGD([param([1])], { lr: 0.1 });
    expect([opt.lr, opt.momentum, opt.dampening, opt.weightDecay, opt.nesterov, opt.maximize]).toEqual([0.1, 0, 0, 0, false, false]);
    const set = new SGD([param([1])], { lr: 0.2, momentum: 0.9, weightDecay: 0.3, nesterov: true, maximize: true });
    expect([set.lr, set.momentum, set.dampening, set.weightDecay, set.nesterov, set.maximize]).toEqual([0.2, 0.9, 0, 0.3, true, true]);
    expect(new SGD([param([1])], { lr: 0.1, momentum: 0.5, dampening: 0.25 }).dampening).toBe(0.25);
    const { params: _p, ...group } = set.paramGroups[0];
    expect(group).toEqual({ lr: 0.2, momentum: 0.9, dampening: 0, weightDecay: 0.3, nesterov: true, maximize: true });
  });

  it('Adam: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, amsgrad and maximize off; AdamW decays by 0.01', () => {
    const opt = new Adam([param([1])]);
    expect([opt.lr, opt.beta1, opt.beta2, opt.eps, opt.weightDecay, opt.amsgrad, opt.maximize, opt.decoupledWeightDecay])
      .toEqual([1e-3, 0.9, 0.999, 1e-8, 0, false, false, false]);
    const set = new Adam([param([1])], { lr: 0.5, betas: [0.8, 0.7], eps: 1e-3, weightDecay: 0.2, amsgrad: true, maximize: true });
    expect([set.lr, set.beta1, set.beta2, set.eps, set.weightDecay, set.amsgrad, set.maximize, set.decoupledWeightDecay])
      .toEqual([0.5, 0.8, 0.7, 1e-3, 0.2, true, true, false]);
    const w = new AdamW([param([1])]);
    expect([w.lr, w.beta1, w.beta2, w.eps, w.weightDecay, w.decoupledWeightDecay]).toEqual([1e-3, 0.9, 0.999, 1e-8, 0.01, true]);
    expect(new AdamW([param([1])], { weightDecay: 0 }).weightDecay).toBe(0);
    const { params: _p, ...group } = w.paramGroups[0];
    expect(group).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, decoupledWeightDecay: true, maximize: false });
  });

  it('RMSprop: lr 0.01, alpha 0.99, eps 1e-8, no weight decay or momentum, centered and maximize off', () => {
    const opt = new RMSprop([param([1])]);
    expect([opt.lr, opt.alpha, opt.eps, opt.weightDecay, opt.momentum, opt.centered, opt.maximize]).toEqual([0.01, 0.99, 1e-8, 0, 0, false, false]);
    const set = new RMSprop([param([1])], { lr: 0.1, alpha: 0.5, eps: 0.25, weightDecay: 0.125, momentum: 0.75, centered: true, maximize: true });
    expect([set.lr, set.alpha, set.eps, set.weightDecay, set.momentum, set.centered, set.maximize]).toEqual([0.1, 0.5, 0.25, 0.125, 0.75, true, true]);
  });

  it('Adagrad: lr 0.01, no lr decay or weight decay, accumulator starting at 0, eps 1e-10', () => {
    const opt = new Adagrad([param([1])]);
    expect([opt.lr, opt.lrDecay, opt.weightDecay, opt.initialAccumulatorValue, opt.eps, opt.maximize]).toEqual([0.01, 0, 0, 0, 1e-10, false]);
    const set = new Adagrad([param([1])], { lr: 0.1, lrDecay: 0.5, weightDecay: 0.25, initialAccumulatorValue: 2, eps: 1e-3, maximize: true });
    expect([set.lr, set.lrDecay, set.weightDecay, set.initialAccumulatorValue, set.eps, set.maximize]).toEqual([0.1, 0.5, 0.25, 2, 1e-3, true]);
  });
});

describe('flag options must be true or false', () => {
  const x = param([1]);
  it.each([
    ['SGD: nesterov must be true or false, got "yes"', () => new SGD([x], { lr: 0.1, momentum: 0.9, nesterov: 'yes' as never })],
    ['SGD: maximize must be true or false, got 1', () => new SGD([x], { lr: 0.1, maximize: 1 as never })],
    ['Adam: amsgrad must be true or false, got null', () => new Adam([x], { amsgrad: null as never })],
    ['Adam: decoupledWeightDecay must be true or false, got "true"', () => new Adam([x], { decoupledWeightDecay: 'true' as never })],
    ['Adam: maximize must be true or false, got 0', () => new Adam([x], { maximize: 0 as never })],
    ['RMSprop: centered must be true or false, got 1', () => new RMSprop([x], { centered: 1 as never })],
    ['RMSprop: maximize must be true or false, got "no"', () => new RMSprop([x], { maximize: 'no' as never })],
    ['Adagrad: maximize must be true or false, got 1', () => new Adagrad([x], { maximize: 1 as never })],
    ['SGD: paramGroups[1]: maximize must be true or false, got 1', () => new SGD([{ params: [x] }, { params: [param([2])], maximize: 1 as never }], { lr: 0.1 })],
  ])('%s', (message, make) => {
    expect(make).toThrow(message);
  });

  it('false and absent are the same', () => {
    const a = param([1]);
    const b = param([1]);
    const withFalse = new SGD([a], { lr: 0.5, maximize: false, nesterov: false });
    const absent = new SGD([b], { lr: 0.5 });
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    withFalse.step();
    absent.step();
    expect([a.data[0], b.data[0]]).toEqual([0.5, 0.5]);
  });
});

describe('range checks: each end of each range', () => {
  const x = param([1]);
  it.each([
    ['SGD: dampening must be a number in [0, 1], got -0.5', () => new SGD([x], { lr: 0.1, dampening: -0.5 })],
    ['RMSprop: alpha must be a number in [0, 1], got -0.1', () => new RMSprop([x], { alpha: -0.1 })],
    ['RMSprop: lr must be a number >= 0, got -1', () => new RMSprop([x], { lr: -1 })],
    ['Adam: lr must be a number >= 0, got -1', () => new Adam([x], { lr: -1 })],
    ['Adam: betas[1] must be a number in [0, 1), got -0.5', () => new Adam([x], { betas: [0.5, -0.5] })],
    ['Adam: betas[0] must be a number in [0, 1), got NaN', () => new Adam([x], { betas: [NaN, 0.5] })],
    ['SGD: momentum must be a number >= 0, got 0.9', () => new SGD([x], { lr: 0.1, momentum: '0.9' as never })],
    ['SGD: momentum must be a number >= 0, got Infinity', () => new SGD([x], { lr: 0.1, momentum: Infinity })],
    ['SGD: nesterov needs momentum > 0 and dampening = 0, got momentum=0, dampening=0.5', () => new SGD([x], { lr: 0.1, dampening: 0.5, nesterov: true })],
  ])('%s', (message, make) => {
    expect(make).toThrow(message);
  });

  it('accepts the closed ends and a value just under an open end', () => {
    expect(new SGD([x], { lr: 0.1, momentum: 0.5, dampening: 0 }).dampening).toBe(0);
    expect(new RMSprop([x], { alpha: 0 }).alpha).toBe(0);
    expect(new Adam([x], { betas: [0.999999, 0.999999] }).beta2).toBe(0.999999);
    expect(new Adam([x], { lr: 0, eps: 0, weightDecay: 0 }).eps).toBe(0);
    expect(new Adagrad([x], { lr: 0, lrDecay: 0, eps: 0 }).eps).toBe(0);
  });
});

describe('optimizer state', () => {
  it('SGD keeps a momentum buffer only with momentum, and it holds b after each step', () => {
    const p = param([1, 2]);
    const plain = new SGD([p], { lr: 0.1 });
    p.grad = tensor([1, 1], { dtype: 'float64' });
    plain.step();
    expect(plain.stateOf(p)?.has('momentum')).toBe(false);
    const q = param([1, 2]);
    const opt = new SGD([q], { lr: 0.1, momentum: 0.5, dampening: 0.5 });
    q.grad = tensor([2, -4], { dtype: 'float64' });
    opt.step();
    expect(Array.from(opt.stateOf(q)?.get('momentum') ?? [])).toEqual([2, -4]);
    opt.step();
    // b = 0.5·b + (1 - 0.5)·g.
    expect(Array.from(opt.stateOf(q)?.get('momentum') ?? [])).toEqual([2, -4]);
    q.grad = tensor([0, 0], { dtype: 'float64' });
    opt.step();
    expect(Array.from(opt.stateOf(q)?.get('momentum') ?? [])).toEqual([1, -2]);
    expect(opt.stateOf(q)?.step).toBe(3);
  });

  it('Adam keeps v_max only with AMSGrad; Adagrad starts its sum at initialAccumulatorValue', () => {
    const p = param([1]);
    const plain = new Adam([p]);
    p.grad = tensor([1], { dtype: 'float64' });
    plain.step();
    expect([plain.stateOf(p)?.has('expAvgSq'), plain.stateOf(p)?.has('maxExpAvgSq')]).toEqual([true, false]);
    const q = param([1]);
    const ams = new Adam([q], { amsgrad: true, betas: [0.5, 0.5] });
    q.grad = tensor([2], { dtype: 'float64' });
    ams.step();
    expect(Array.from(ams.stateOf(q)?.get('maxExpAvgSq') ?? [])).toEqual([2]);
    const r = param([1, 1]);
    const ada = new Adagrad([r], { initialAccumulatorValue: 0.5 });
    r.grad = tensor([1, 2], { dtype: 'float64' });
    ada.step();
    expect(Array.from(ada.stateOf(r)?.get('sum') ?? [])).toEqual([1.5, 4.5]);
  });

  it('a parameter that had no gradient at some steps counts only its own steps (Adam bias correction)', () => {
    const [a, b] = [param([0]), param([0])];
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    opt.step();
    b.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect([opt.stateOf(a)?.step, opt.stateOf(b)?.step]).toEqual([3, 1]);
    // b's first step is lr·g/(|g| + eps), whatever a did before.
    expect(b.data[0]).toBeCloseTo(-0.1 / (1 + 1e-8), 15);
  });
});

describe('RMSprop state and eps, exactly', () => {
  it('keeps squareAvg always, gradAvg only when centered, a momentum buffer only with momentum', () => {
    const p = param([0]);
    const plain = new RMSprop([p], { alpha: 0.75 });
    p.grad = tensor([2], { dtype: 'float64' });
    plain.step();
    const s = plain.stateOf(p);
    expect([s?.has('squareAvg'), s?.has('gradAvg'), s?.has('momentum')]).toEqual([true, false, false]);
    const q = param([0]);
    const centered = new RMSprop([q], { alpha: 0.75, centered: true, momentum: 0.5 });
    q.grad = tensor([2], { dtype: 'float64' });
    centered.step();
    q.grad = tensor([-2], { dtype: 'float64' });
    centered.step();
    // s = 0.75·1 + 0.25·4 = 1.75; ḡ = 0.75·0.5 + 0.25·(-2) = -0.125.
    expect(Array.from(centered.stateOf(q)?.get('squareAvg') ?? [])).toEqual([1.75]);
    expect(Array.from(centered.stateOf(q)?.get('gradAvg') ?? [])).toEqual([-0.125]);
  });

  it('adds eps after the square root (one step by hand, rtol 0)', () => {
    // alpha 0.75, g = 2: s = 0.25·4 = 1, d = √1 + 0.5 = 1.5, p = -lr·g/d = -4/3.
    const p = param([0]);
    p.grad = tensor([2], { dtype: 'float64' });
    new RMSprop([p], { lr: 1, alpha: 0.75, eps: 0.5 }).step();
    expect(p.data[0]).toBeCloseTo(-4 / 3, 15);
    // Centered: ḡ = 0.5, d = √(1 - 0.25) + 0.5.
    const q = param([0]);
    q.grad = tensor([2], { dtype: 'float64' });
    new RMSprop([q], { lr: 1, alpha: 0.75, eps: 0.5, centered: true }).step();
    expect(q.data[0]).toBeCloseTo(-2 / (Math.sqrt(0.75) + 0.5), 15);
  });
});

describe('messages that name where the problem is', () => {
  it('a group whose params are not a list, and a group option broken between steps, name the group', () => {
    expect(() => new SGD([{ params: 5 as never }], { lr: 0.1 })).toThrow('SGD: paramGroups[0]: params must be a list of tensors');
    expect(() => new SGD([{ params: [param([1])] }, { params: null as never }], { lr: 0.1 })).toThrow('SGD: paramGroups[1]: params must be a list of tensors');
    const [p, q] = [param([1]), param([1])];
    const opt = new SGD([{ params: [p] }, { params: [q] }], { lr: 0.1 });
    opt.paramGroups[1].lr = -1;
    p.grad = tensor([1], { dtype: 'float64' });
    expect(() => opt.step()).toThrow('SGD: paramGroups[1]: lr must be a number >= 0, got -1');
    expect(p.data[0]).toBe(1);
  });

  it('AdamW refuses decoupledWeightDecay among its own options', () => {
    expect(() => new AdamW([param([1])], { decoupledWeightDecay: false } as never)).toThrow("AdamW: unknown option 'decoupledWeightDecay'");
  });
});

describe('what is not a list of tensors', () => {
  it('a string or a plain object is refused as params, for the optimizer and for a group', () => {
    expect(() => new SGD('ab' as never, { lr: 0.1 })).toThrow('SGD: params must be a list of tensors, e.g. model.parameters()');
    expect(() => new SGD({} as never, { lr: 0.1 })).toThrow('SGD: params must be a list of tensors, e.g. model.parameters()');
    expect(() => new SGD([{ params: 'ab' as never }], { lr: 0.1 })).toThrow('SGD: paramGroups[0]: params must be a list of tensors');
    expect(() => new SGD([{ params: {} as never }], { lr: 0.1 })).toThrow('SGD: paramGroups[0]: params must be a list of tensors');
  });

  it('RMSprop with momentum keeps its buffer under the name momentum', () => {
    const p = param([0]);
    const opt = new RMSprop([p], { lr: 1, alpha: 0.75, momentum: 0.5 });
    p.grad = tensor([2], { dtype: 'float64' });
    opt.step();
    // b = g / (√(0.25·4) + 1e-8).
    expect(opt.stateOf(p)?.has('momentum')).toBe(true);
    expect(opt.stateOf(p)?.get('momentum')[0]).toBeCloseTo(2 / (1 + 1e-8), 15);
  });
});
