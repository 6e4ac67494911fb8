/**
 * Conformance kinds of the optim layer: optimizer trajectories (one parameter, or two in two
 * parameter groups), learning-rate schedules and gradient clipping. PyTorch option names are mapped
 * to gradlab's; any other option fails the case. `foreach`, `fused`, `capturable` and `differentiable` choose PyTorch implementations, not results,
 * so they are accepted and ignored.
 */
import { Tensor } from '../../autograd/tensor';
import { stack } from '../../ops/movement';
import { tensor } from '../../ops/creation';
import { Adagrad } from '../../optim/adagrad';
import { Adam } from '../../optim/adam';
import { AdamW } from '../../optim/adamw';
import { clipGradNorm } from '../../optim/clipGradNorm';
import type { LRScheduler } from '../../optim/lrScheduler';
import type { HasLearningRate, Optimizer, ParamsOrGroups } from '../../optim/optimizer';
import { RMSprop } from '../../optim/rmsprop';
import { CosineAnnealingLR, CyclicLR, ExponentialLR, LinearLR, StepLR } from '../../optim/schedules';
import { SGD, type SGDOptions } from '../../optim/sgd';
import { UnsupportedError, type CaseContext, type KindResult, type KindRunner } from '../kind';

const IMPLEMENTATION_FLAGS = ['foreach', 'fused', 'capturable', 'differentiable'];

// Each optimizer: its PyTorch option names and the defaults where PyTorch's differ from gradlab's
// (SGD's lr is required in gradlab, 1e-3 in PyTorch).
const optimizers: Record<string, { options: string[]; defaults?: Record<string, unknown>; make: (params: ParamsOrGroups<object>, options: object) => Optimizer }> = {
  sgd: {
    options: ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov', 'maximize'],
    defaults: { lr: 1e-3 },
    make: (params, options) => new SGD(params, options as SGDOptions),
  },
  adam: {
    options: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad', 'maximize', 'decoupled_weight_decay'],
    make: (params, options) => new Adam(params, options),
  },
  adamw: {
    options: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad', 'maximize'],
    make: (params, options) => new AdamW(params, options),
  },
  rmsprop: {
    options: ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'maximize'],
    make: (params, options) => new RMSprop(params, options),
  },
  adagrad: {
    options: ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'maximize'],
    make: (params, options) => new Adagrad(params, options),
  },
};

function optimizerSpec(c: CaseContext): (typeof optimizers)[string] {
  const name = c.string('optimizer');
  const spec = Object.prototype.hasOwnProperty.call(optimizers, name) ? optimizers[name] : undefined;
  if (spec === undefined) throw new UnsupportedError(`optimizer '${name}'`);
  return spec;
}

/** PyTorch options (`weight_decay`) as gradlab's (`weightDecay`); an option the optimizer lacks fails the case. */
function translateOptions(torch: unknown, known: readonly string[], where: string): Record<string, unknown> {
  if (torch === null || typeof torch !== 'object' || Array.isArray(torch)) throw new Error(`param '${where}' must be an object of options`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(torch)) {
    if (IMPLEMENTATION_FLAGS.includes(key)) continue;
    if (!known.includes(key)) throw new UnsupportedError(`kind 'optimizer_groups' does not support option '${key}' in ${where}`);
    out[key.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase())] = value;
  }
  return out;
}

function optimizerCase(c: CaseContext): KindResult {
  const spec = optimizerSpec(c);
  c.checkParams(['optimizer', ...spec.options, ...IMPLEMENTATION_FLAGS]);
  const { optimizer: _name, ...torchOptions } = c.spec.params;
  const options = { ...spec.defaults, ...translateOptions(torchOptions, spec.options, 'params') };
  const p = c.input('p0', true);
  const optimizer = spec.make([p], options);
  const trajectories = runSteps(c, optimizer, [p], ['grads']);
  return { outputs: { trajectory: trajectories[0] }, grads: {} };
}

/** Applies `grads[t]` of each parameter for every step t and returns each parameter's trajectory. */
function runSteps(c: CaseContext, optimizer: Optimizer, params: Tensor[], gradNames: string[]): Tensor[] {
  const grads = gradNames.map((n) => c.input(n));
  const steps = grads[0].shape[0];
  params.forEach((p, i) => {
    if (grads[i].shape[0] !== steps || grads[i].size !== steps * p.size) {
      throw new Error(`${gradNames[i]} ${JSON.stringify(grads[i].shape)} is not [${steps}, ...${JSON.stringify(p.shape)}]`);
    }
  });
  const trajectories: Tensor[][] = params.map(() => []);
  for (let t = 0; t < steps; t++) {
    params.forEach((p, i) => (p.grad = new Tensor(grads[i].data.slice(t * p.size, (t + 1) * p.size), p.shape)));
    optimizer.step();
    params.forEach((p, i) => trajectories[i].push(tensor(p.data.slice(), { shape: p.shape, dtype: p.dtype })));
  }
  return trajectories.map((list) => stack(list));
}

function optimizerGroupsCase(c: CaseContext): KindResult {
  const spec = optimizerSpec(c);
  c.checkParams(['optimizer', 'defaults', 'groups']);
  const defaults = { ...spec.defaults, ...translateOptions(c.param('defaults') ?? {}, spec.options, 'defaults') };
  const groups = c.param('groups');
  if (!Array.isArray(groups) || groups.length !== 2) throw new Error(`param 'groups' must be a list of two groups, got ${JSON.stringify(groups)}`);
  const p = c.input('p0', true);
  const q = c.input('q0', true);
  const optimizer = spec.make(
    [p, q].map((param, i) => ({ params: [param], ...translateOptions(groups[i], spec.options, `groups[${i}]`) })),
    defaults,
  );
  const [trajectoryP, trajectoryQ] = runSteps(c, optimizer, [p, q], ['grads_p', 'grads_q']);
  return { outputs: { trajectory_p: trajectoryP, trajectory_q: trajectoryQ }, grads: {} };
}

const schedulers: Record<string, { options: string[]; make: (o: HasLearningRate, c: CaseContext) => LRScheduler }> = {
  step: {
    options: ['step_size', 'gamma'],
    make: (o, c) => new StepLR(o, { stepSize: c.number('step_size'), gamma: c.number('gamma', 0.1) }),
  },
  exponential: {
    options: ['gamma'],
    make: (o, c) => new ExponentialLR(o, { gamma: c.number('gamma') }),
  },
  cosine: {
    options: ['T_max', 'eta_min'],
    make: (o, c) => new CosineAnnealingLR(o, { tMax: c.number('T_max'), etaMin: c.number('eta_min', 0) }),
  },
  linear_warmup: {
    options: ['start_factor', 'end_factor', 'total_iters'],
    make: (o, c) => new LinearLR(o, {
      startFactor: c.number('start_factor', 1 / 3), endFactor: c.number('end_factor', 1), totalIters: c.number('total_iters', 5),
    }),
  },
};
schedulers.linear = schedulers.linear_warmup;

// The lrs of CyclicLR do not depend on whether PyTorch also cycles momentum.
const cyclicOptions = ['max_lr', 'step_size_up', 'step_size_down', 'mode', 'gamma', 'cycle_momentum'];
const cyclicModes: Record<string, 'triangular' | 'triangular2' | 'expRange'> = {
  triangular: 'triangular', triangular2: 'triangular2', exp_range: 'expRange',
};
for (const [suffix, mode] of [['', null], ['_triangular', 'triangular'], ['_triangular2', 'triangular2'], ['_exp_range', 'exp_range']] as const) {
  schedulers[`cyclic${suffix}`] = {
    options: cyclicOptions,
    make: (o, c) => {
      const m = mode ?? (c.param('mode') === undefined ? 'triangular' : c.string('mode'));
      if (mode !== null && c.param('mode') !== undefined && c.string('mode') !== mode) throw new Error(`scheduler cyclic${suffix} with mode '${c.string('mode')}'`);
      const ours = Object.prototype.hasOwnProperty.call(cyclicModes, m) ? cyclicModes[m] : undefined;
      if (ours === undefined) throw new UnsupportedError(`CyclicLR mode '${m}'`);
      const up = c.number('step_size_up', 2000);
      return new CyclicLR(o, {
        baseLr: c.number('base_lr'), maxLr: c.number('max_lr'), stepSizeUp: up, stepSizeDown: c.number('step_size_down', up),
        mode: ours, gamma: c.number('gamma', 1),
      });
    },
  };
}

function schedulerCase(c: CaseContext): KindResult {
  const name = c.string('scheduler');
  const spec = Object.prototype.hasOwnProperty.call(schedulers, name) ? schedulers[name] : undefined;
  if (spec === undefined) throw new UnsupportedError(`scheduler '${name}'`);
  c.checkParams(['scheduler', 'base_lr', ...spec.options]);
  const expected = c.spec.outputs.lrs;
  const epochs = expected === undefined ? 12 : expected.data.length;
  const optimizer: HasLearningRate = { lr: c.number('base_lr') };
  const scheduler = spec.make(optimizer, c);
  const lrs: number[] = [];
  for (let e = 0; e < epochs; e++) {
    lrs.push(optimizer.lr);
    scheduler.step();
  }
  return { outputs: { lrs: tensor(lrs, { dtype: 'float64' }) }, grads: {} };
}

function clipCase(c: CaseContext): KindResult {
  c.checkParams(['max_norm', 'norm_type', 'error_if_nonfinite', 'foreach']);
  const names = Object.keys(c.spec.inputs).filter((n) => /^g\d+$/.test(n)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const params = names.map((n) => {
    const g = c.input(n);
    const p = new Tensor(g.data.slice(), g.shape, true);
    p.grad = g;
    return p;
  });
  const normType = c.param('norm_type');
  const norm = clipGradNorm(params, c.number('max_norm'), {
    normType: normType === 'inf' || normType === 'Infinity' ? Infinity : c.number('norm_type', 2),
    errorIfNonfinite: c.boolean('error_if_nonfinite'),
  });
  const outputs: Record<string, Tensor> = { total_norm: tensor(norm, { dtype: c.dtype }) };
  names.forEach((n, i) => {
    const g = params[i].grad;
    if (g !== null) outputs[n] = g;
  });
  return { outputs, grads: {} };
}

/** The optim kinds by name. */
export const optimKinds: Record<string, KindRunner> = {
  optimizer: optimizerCase,
  optimizer_groups: optimizerGroupsCase,
  lr_scheduler: schedulerCase,
  clip_grad_norm: clipCase,
};
