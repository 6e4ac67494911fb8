import { describe, expect, it } from 'vitest';
import {
  Adagrad, Adam, AdamW, BatchNorm1d, CosineAnnealingLR, DataLoader, Generator, LayerNorm, Linear, MSELoss, Optimizer, RMSprop, ReLU, SGD, Sequential,
  StepLR, Tensor, fit, l2Penalty, mseLoss, polynomialRegression, randn, tensor, weightDecayGroups,
} from '../../src/index';

const f64 = (values: number[]): Tensor => tensor(values, { dtype: 'float64', requiresGrad: true });

/** Five steps of fixed gradients on p and q; returns their values after each step. */
function run(opt: Optimizer, p: Tensor, q: Tensor): number[][] {
  const path: number[][] = [];
  for (let t = 1; t <= 5; t++) {
    p.grad = tensor([0.3 * t - 1, 0.7, -0.2 * t], { dtype: 'float64' });
    q.grad = tensor([1 - 0.4 * t, 0.5], { dtype: 'float64' });
    opt.step();
    path.push([...p.data, ...q.data]);
  }
  return path;
}

type Make = (params: never, options: object) => Optimizer;
const cases: [string, Make, object, object][] = [
  ['SGD', (ps, o) => new SGD(ps, o as { lr: number }), { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }, { lr: 0.02, weightDecay: 0, nesterov: true }],
  ['Adam', (ps, o) => new Adam(ps, o), { lr: 0.01 }, { lr: 0.003, betas: [0.8, 0.9], weightDecay: 0.1, amsgrad: true }],
  ['AdamW', (ps, o) => new AdamW(ps, o), { lr: 0.01, weightDecay: 0.1 }, { weightDecay: 0, eps: 1e-6 }],
  ['RMSprop', (ps, o) => new RMSprop(ps, o), { lr: 0.01, momentum: 0.5 }, { alpha: 0.9, centered: true, weightDecay: 0.2 }],
  ['Adagrad', (ps, o) => new Adagrad(ps, o), { lr: 0.1 }, { lrDecay: 0.1, initialAccumulatorValue: 0.5, weightDecay: 0.05 }],
];

describe('parameter groups', () => {
  for (const [name, make, defaults, overrides] of cases) {
    it(`${name}: each group steps exactly as its own optimizer with the defaults overridden by the group's options`, () => {
      const [p, q] = [f64([1, -2, 0.5]), f64([0.25, 3])];
      const grouped = make([{ params: [p] }, { params: [q], ...overrides }] as never, defaults);
      const both = run(grouped, p, q);
      const [p1, q1] = [f64([1, -2, 0.5]), f64([0.25, 3])];
      const alone = run(make([p1] as never, defaults), p1, f64([0, 0]));
      const [p2, q2] = [f64([0, 0, 0]), f64([0.25, 3])];
      const aloneQ = run(make([q2] as never, { ...defaults, ...overrides }), p2, q2);
      expect(both.map((r) => r.slice(0, 3))).toEqual(alone.map((r) => r.slice(0, 3)));
      expect(both.map((r) => r.slice(3))).toEqual(aloneQ.map((r) => r.slice(3)));
      // The override really changed q's path: without it, q moves differently.
      const [p3, q3] = [f64([1, -2, 0.5]), f64([0.25, 3])];
      const plain = run(make([p3, q3] as never, defaults), p3, q3);
      expect(plain.map((r) => r.slice(3))).not.toEqual(both.map((r) => r.slice(3)));
      expect(grouped.paramGroups).toHaveLength(2);
      expect(grouped.params).toEqual([p, q]);
    });
  }

  it('SGD by hand: the second group with lr 0.02 and no decay moves q by 0.02·g only', () => {
    const [p, q] = [f64([2]), f64([2])];
    const opt = new SGD([{ params: [p] }, { params: [q], lr: 0.02, weightDecay: 0 }], { lr: 0.1, weightDecay: 0.5 });
    p.grad = tensor([1], { dtype: 'float64' });
    q.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(p.data[0]).toBeCloseTo(2 - 0.1 * (1 + 0.5 * 2), 15);
    expect(q.data[0]).toBeCloseTo(2 - 0.02 * 1, 15);
    expect(opt.paramGroups.map((g) => [g.lr, g.weightDecay])).toEqual([[0.1, 0.5], [0.02, 0]]);
  });

  it('a group field changed between steps is used (and checked) at the next step', () => {
    const p = f64([1]);
    const opt = new SGD([{ params: [p] }], { lr: 0.1 });
    opt.paramGroups[0].lr = 0.5;
    p.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(p.data[0]).toBeCloseTo(0.5, 15);
    opt.paramGroups[0].momentum = -1;
    expect(() => opt.step()).toThrow('SGD: momentum must be a number >= 0, got -1');
    expect(p.data[0]).toBeCloseTo(0.5, 15);
  });

  it('optimizer.lr reads the first group and sets every group', () => {
    const [p, q] = [f64([1]), f64([1])];
    const opt = new Adam([{ params: [p], lr: 0.1 }, { params: [q], lr: 0.2 }]);
    expect(opt.lr).toBe(0.1);
    opt.lr = 0.05;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.05, 0.05]);
  });

  it('rejects a tensor in two groups, a group without params, mixed lists and bad group options, naming the group', () => {
    const [p, q] = [f64([1]), f64([1])];
    expect(() => new SGD([{ params: [p] }, { params: [q, p] }], { lr: 0.1 })).toThrow(
      'SGD: paramGroups[1]: params[1] is already in paramGroups[0]; a tensor may be in one group only',
    );
    expect(() => new SGD([{ params: [p] }, { lr: 0.1 } as never], { lr: 0.1 })).toThrow('SGD: params[1] must be a group {params, ...options} like the others');
    expect(() => new SGD([{ params: [p] }, q] as never, { lr: 0.1 })).toThrow('SGD: params[1] must be a group {params, ...options} like the others, got a Tensor');
    expect(() => new SGD([{ params: [p] }, { params: [q], weight_decay: 0 } as never], { lr: 0.1 })).toThrow(
      "SGD: paramGroups[1]: unknown option 'weight_decay'; did you mean 'weightDecay'?",
    );
    expect(() => new Adam([{ params: [p] }, { params: [q], lr: -1 }])).toThrow('Adam: paramGroups[1]: lr must be a number >= 0, got -1');
    expect(() => new SGD([{ params: [] }], { lr: 0.1 })).toThrow('SGD: got an empty list of parameters');
    expect(() => new AdamW([{ params: [p], decoupledWeightDecay: false } as never])).toThrow("AdamW: paramGroups[0]: unknown option 'decoupledWeightDecay'");
  });

  it('a group without its own lr takes the default; SGD still needs an lr somewhere', () => {
    const p = f64([1]);
    expect(() => new SGD([{ params: [p] }], {} as never)).toThrow('SGD: lr must be a number >= 0, got undefined');
    expect(new SGD([{ params: [p], lr: 0.3 }], { lr: 0.1 }).paramGroups[0].lr).toBe(0.3);
  });
});

describe('schedules with parameter groups', () => {
  it("scale every group's own base rate (PyTorch's param_groups)", () => {
    const [p, q] = [f64([1]), f64([1])];
    const opt = new SGD([{ params: [p] }, { params: [q], lr: 0.01 }], { lr: 0.1 });
    const schedule = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const rates: number[][] = [];
    for (let e = 0; e < 5; e++) {
      rates.push(opt.paramGroups.map((g) => g.lr));
      schedule.step();
    }
    expect(rates).toEqual([[0.1, 0.01], [0.1, 0.01], [0.05, 0.005], [0.05, 0.005], [0.025, 0.0025]]);
    expect(schedule.getLastLrs()).toEqual([0.025, 0.0025]);
    expect(schedule.baseLrs).toEqual([0.1, 0.01]);
  });

  it('cosine annealing takes each group from its base to etaMin', () => {
    const opt = new Adam([{ params: [f64([1])], lr: 0.2 }, { params: [f64([1])], lr: 0.02 }]);
    const schedule = new CosineAnnealingLR(opt, { tMax: 4 });
    for (let e = 0; e < 2; e++) schedule.step();
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.1, 15);
    expect(opt.paramGroups[1].lr).toBeCloseTo(0.01, 15);
  });
});

describe('weightDecayGroups', () => {
  it('puts weights in a decayed group and biases and normalization parameters in an undecayed one', () => {
    const g = new Generator(0);
    const model = new Sequential(new Linear(3, 4, { generator: g }), new BatchNorm1d(4), new ReLU(), new Linear(4, 2, { generator: g }), new LayerNorm(2));
    const groups = weightDecayGroups(model, 0.05);
    const names = new Map(model.namedParameters().map(([n, p]) => [p, n]));
    expect(groups.map((gr) => [gr.weightDecay, gr.params.map((p) => names.get(p))])).toEqual([
      [0.05, ['0.weight', '3.weight']],
      [0, ['0.bias', '1.weight', '1.bias', '3.bias', '4.weight', '4.bias']],
    ]);
    const opt = new AdamW(groups, { lr: 1e-3 });
    expect(opt.paramGroups.map((gr) => gr.weightDecay)).toEqual([0.05, 0]);
  });

  it('leaves out an empty group and checks its arguments', () => {
    const model = new Linear(3, 2, { bias: false });
    expect(weightDecayGroups(model, 0.1)).toEqual([{ params: [model.weight], weightDecay: 0.1 }]);
    expect(() => weightDecayGroups(model, -1)).toThrow('weightDecayGroups: weightDecay must be a number >= 0, got -1');
    expect(() => weightDecayGroups([1 as never], 0.1)).toThrow('weightDecayGroups: params[0] is not a Tensor');
  });
});

describe('l2Penalty and weightDecay cover the same parameters only when told to', () => {
  /** Ten SGD steps on a fixed batch; returns every parameter's values. */
  function train(decay: 'groups' | 'all' | 'penalty' | 'penaltyAll', momentum: number, nesterov: boolean): number[] {
    const g = new Generator(3);
    const model = new Sequential(new Linear(4, 8, { generator: g, dtype: 'float64' }), new ReLU(), new Linear(8, 1, { generator: g, dtype: 'float64' }));
    const x = randn([16, 4], { generator: g, dtype: 'float64' });
    const y = randn([16, 1], { generator: g, dtype: 'float64' });
    const lambda = 0.1;
    const base = { lr: 0.05, momentum, nesterov };
    const opt =
      decay === 'groups' ? new SGD(weightDecayGroups(model, lambda), base)
      : decay === 'all' ? new SGD(model.parameters(), { ...base, weightDecay: lambda })
      : new SGD(model.parameters(), base);
    for (let t = 0; t < 10; t++) {
      opt.zeroGrad();
      let loss = mseLoss(model.call(x), y);
      if (decay === 'penalty') loss = loss.add(l2Penalty(model).mul(lambda / 2));
      if (decay === 'penaltyAll') loss = loss.add(l2Penalty(model, { includeBiases: true }).mul(lambda / 2));
      loss.backward();
      opt.step();
    }
    return model.parameters().flatMap((p) => Array.from(p.data));
  }

  for (const [label, momentum, nesterov] of [['plain', 0, false], ['momentum', 0.9, false], ['Nesterov', 0.9, true]] as const) {
    it(`${label}: weightDecayGroups(model, λ) = loss + λ/2·l2Penalty(model); weightDecay: λ on all = l2Penalty with includeBiases`, () => {
      const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
      expect(maxDiff(train('groups', momentum, nesterov), train('penalty', momentum, nesterov))).toBeLessThanOrEqual(1e-15);
      expect(maxDiff(train('all', momentum, nesterov), train('penaltyAll', momentum, nesterov))).toBeLessThanOrEqual(1e-15);
      // Mismatched coverage is not the same: decaying the biases too moves them differently.
      expect(maxDiff(train('all', momentum, nesterov), train('penalty', momentum, nesterov))).toBeGreaterThan(1e-6);
    });
  }
});

describe('fit with parameter groups', () => {
  it('trains with a grouped optimizer and a schedule that scales each group; history.lr is the first group', async () => {
    const data = polynomialRegression({ n: 40, degree: 3, seed: 1 });
    const g = new Generator(0);
    const model = new Sequential(new Linear(1, 16, { generator: g }), new ReLU(), new Linear(16, 1, { generator: g }));
    const optimizer = new SGD([{ params: weightDecayGroups(model, 0.01)[0].params, lr: 0.05 }, { params: weightDecayGroups(model, 0.01)[1].params }], { lr: 0.01 });
    const history = await fit(model, {
      epochs: 4, trainLoader: new DataLoader(data, { batchSize: 10 }), optimizer, loss: new MSELoss(),
      scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.5 }), verbose: false,
    });
    expect(history.lr).toEqual([0.05, 0.025, 0.0125, 0.00625]);
    expect(optimizer.paramGroups.map((gr) => gr.lr)).toEqual([0.003125, 0.000625]);
    expect(history.train.loss[3]).toBeLessThan(history.train.loss[0]);
  });
});
