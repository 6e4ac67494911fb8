import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../../src/conformance/runner';
import { loadSuite, type ConformanceCase } from '../../../src/conformance/suite';
import '../../../src/ops/methods';

const VISIBLE = path.resolve(__dirname, '../../fixtures/conformance/torch-visible.json');
const KINDS = ['cross_entropy', 'log_softmax', 'mse', 'layernorm', 'batchnorm1d', 'mlp', 'optimizer', 'lr_scheduler', 'clip_grad_norm'];
const cases = loadSuite(VISIBLE).cases.filter((c) => KINDS.includes(c.kind));

describe('nn and optim conformance kinds on torch-visible.json', () => {
  it('cover every nn/optim kind of the suite', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(KINDS));
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`pass every case in ${dtype}`, () => {
      const failed = cases.map((c) => runCase(c, dtype)).filter((r) => !r.passed);
      expect(failed.map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
    });
  }
});

describe('nn and optim conformance kinds', () => {
  const sgd = cases.find((c) => c.name === 'optim.sgd.1') as ConformanceCase;
  const ce = cases.find((c) => c.kind === 'cross_entropy') as ConformanceCase;
  const sched = cases.find((c) => c.name === 'sched.cosine') as ConformanceCase;

  it('fail (never skip) an option or a variant they do not support', () => {
    const unknownOption = runCase({ ...sgd, params: { ...sgd.params, foo: 1 } });
    expect(unknownOption.passed).toBe(false);
    expect(unknownOption.problems[0]).toBe("unsupported: kind 'optimizer' does not support option 'foo'");
    const unknownOptimizer = runCase({ ...sgd, params: { optimizer: 'lbfgs', lr: 1 } });
    expect(unknownOptimizer.problems[0]).toBe("unsupported: optimizer 'lbfgs'");
    expect(runCase({ ...sched, params: { ...sched.params, scheduler: 'plateau' } }).problems[0]).toBe("unsupported: scheduler 'plateau'");
    expect(runCase({ ...ce, params: { ...ce.params, ignore_index: 1 } }).passed).toBe(false);
  });

  it('fail a case whose reference differs', () => {
    const traj = sgd.outputs.trajectory;
    const wrong = { ...sgd, outputs: { trajectory: { shape: traj.shape, data: traj.data.map((v, i) => (i === 3 ? v + 1e-3 : v)) } } };
    const r = runCase(wrong);
    expect(r.passed).toBe(false);
    expect(r.problems[0]).toMatch(/^outputs.trajectory: 1 element\(s\) off, first at element 3/);
  });

  it('map PyTorch option names: the same trajectory under AdamW equals Adam with decoupled_weight_decay', () => {
    const adamw = cases.find((c) => c.name === 'optim.adamw.9') as ConformanceCase;
    expect(runCase({ ...adamw, params: { ...adamw.params, optimizer: 'adam', decoupled_weight_decay: true } }).passed).toBe(true);
    expect(runCase({ ...adamw, params: { ...adamw.params, optimizer: 'adam' } }).passed).toBe(false);
  });
});
