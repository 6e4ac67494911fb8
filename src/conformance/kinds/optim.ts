/**
 * Conformance kinds of the optim layer: optimizer trajectories, learning-rate schedules and gradient
 * clipping. PyTorch option names are mapped to gradlab's; any other option fails the case.
 * `foreach`, `fused`, `capturable` and `differentiable` choose PyTorch implementations, not results,
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
import type { HasLearningRate, Optimizer } from '../../optim/optimizer';
import { RMSprop } from '../../optim/rmsprop';
import { CosineAnnealingLR, CyclicLR, ExponentialLR, LinearLR, StepLR } from '../../optim/schedules';
import { SGD } from '../../optim/sgd';
import { UnsupportedError, type CaseContext, type KindResult, type KindRunner } from '../kind';

const IMPLEMENTATION_FLAGS = ['foreach', 'fused', 'capturable', 'differentiable'];

function betas(c: CaseContext): [number, number] | undefined {
  if (c.param('betas') === undefined) return undefined;
  const b = c.numbers('betas');
  if (b.length !== 2) throw new Error(`param 'betas' must be a pair, got ${JSON.stringify(b)}`);
  return [b[0], b[1]];
}

const optimizers: Record<string, { options: string[]; make: (p: Tensor, c: CaseContext) => Optimizer }> = {
  sgd: {
    options: ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov', 'maximize'],
    make: (p, c) => new SGD([p], {
      lr: c.number('lr', 1e-3), momentum: c.number('momentum', 0), dampening: c.number('dampening', 0),
      weightDecay: c.number('weight_decay', 0), nesterov: c.boolean('nesterov'), maximize: c.boolean('maximize'),
    }),
  },
  adam: {
    options: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad', 'maximize', 'decoupled_weight_decay'],
    make: (p, c) => new Adam([p], {
      lr: c.number('lr', 1e-3), betas: betas(c), eps: c.number('eps', 1e-8), weightDecay: c.number('weight_decay', 0),
      amsgrad: c.boolean('amsgrad'), maximize: c.boolean('maximize'), decoupledWeightDecay: c.boolean('decoupled_weight_decay'),
    }),
  },
  adamw: {
    options: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad', 'maximize'],
    make: (p, c) => new AdamW([p], {
      lr: c.number('lr', 1e-3), betas: betas(c), eps: c.number('eps', 1e-8), weightDecay: c.number('weight_decay', 0.01),
      amsgrad: c.boolean('amsgrad'), maximize: c.boolean('maximize'),
    }),
  },
  rmsprop: {
    options: ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'maximize'],
    make: (p, c) => new RMSprop([p], {
      lr: c.number('lr', 1e-2), alpha: c.number('alpha', 0.99), eps: c.number('eps', 1e-8), weightDecay: c.number('weight_decay', 0),
      momentum: c.number('momentum', 0), centered: c.boolean('centered'), maximize: c.boolean('maximize'),
    }),
  },
  adagrad: {
    options: ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'maximize'],
    make: (p, c) => new Adagrad([p], {
      lr: c.number('lr', 1e-2), lrDecay: c.number('lr_decay', 0), weightDecay: c.number('weight_decay', 0),
      initialAccumulatorValue: c.number('initial_accumulator_value', 0), eps: c.number('eps', 1e-10), maximize: c.boolean('maximize'),
    }),
  },
};

function optimizerCase(c: CaseContext): KindResult {
  const name = c.string('optimizer');
  const spec = Object.prototype.hasOwnProperty.call(optimizers, name) ? optimizers[name] : undefined;
  if (spec === undefined) throw new UnsupportedError(`optimizer '${name}'`);
  c.checkParams(['optimizer', ...spec.options, ...IMPLEMENTATION_FLAGS]);
  const p = c.input('p0', true);
  const grads = c.input('grads');
  const steps = grads.shape[0];
  const per = p.size;
  if (grads.size !== steps * per) throw new Error(`grads ${JSON.stringify(grads.shape)} is not [steps, ...p0.shape]`);
  const optimizer = spec.make(p, c);
  const trajectory: Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    p.grad = new Tensor(grads.data.slice(t * per, (t + 1) * per), p.shape);
    optimizer.step();
    trajectory.push(tensor(p.data.slice(), { shape: p.shape, dtype: p.dtype }));
  }
  return { outputs: { trajectory: stack(trajectory) }, grads: {} };
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
  lr_scheduler: schedulerCase,
  clip_grad_norm: clipCase,
};
