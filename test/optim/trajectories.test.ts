import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, RMSprop, SGD, assertClose, tensor, type Optimizer, type Tensor } from '../../src/index';

// Several steps of each optimizer against PyTorch's documented update, written out per coordinate
// (with maximize, PyTorch negates the gradient first and then adds the weight decay λθ).

function run(opt: Optimizer, p: Tensor, grads: number[][]): number[][] {
  return grads.map((g) => {
    p.grad = tensor(g, { dtype: 'float64' });
    opt.step();
    return Array.from(p.data);
  });
}

const param = (values: number[]): Tensor => tensor(values, { dtype: 'float64', requiresGrad: true });

/** Applies a per-coordinate rule `step(theta, grad, state, t)` to each coordinate, as [step][coordinate]. */
function reference<S>(p0: number[], grads: number[][], init: () => S, step: (theta: number, g: number, s: S, t: number) => number): number[][] {
  const thetas = p0.slice();
  const states = p0.map(init);
  return grads.map((g, i) => {
    for (let j = 0; j < thetas.length; j++) thetas[j] = step(thetas[j], g[j], states[j], i + 1);
    return thetas.slice();
  });
}

const grads = [[1, -2], [0.5, 0.25], [-1, 3], [2, -0.5]];
const p0 = [1.5, -0.5];

describe('RMSprop over several steps', () => {
  interface S { v: number; avg: number; b: number }
  const rms = (o: { lr: number; alpha: number; eps: number; wd?: number; mu?: number; centered?: boolean; maximize?: boolean }) =>
    (theta: number, grad: number, s: S): number => {
      const g = (o.maximize ? -grad : grad) + (o.wd ?? 0) * theta;
      s.v = o.alpha * s.v + (1 - o.alpha) * g * g;
      let vt = s.v;
      if (o.centered) {
        s.avg = o.alpha * s.avg + (1 - o.alpha) * g;
        vt -= s.avg * s.avg;
      }
      if ((o.mu ?? 0) > 0) {
        s.b = (o.mu ?? 0) * s.b + g / (Math.sqrt(vt) + o.eps);
        return theta - o.lr * s.b;
      }
      return theta - (o.lr * g) / (Math.sqrt(vt) + o.eps);
    };
  const init = (): S => ({ v: 0, avg: 0, b: 0 });

  it('plain, with its defaults lr 0.01, α 0.99, eps 1e-8', () => {
    const p = param(p0);
    assertClose(run(new RMSprop([p]), p, grads), reference(p0, grads, init, rms({ lr: 0.01, alpha: 0.99, eps: 1e-8 })), { atol: 1e-12 });
  });

  it('with weight decay, momentum and centering together', () => {
    const o = { lr: 0.05, alpha: 0.8, eps: 1e-6, wd: 0.3, mu: 0.7, centered: true };
    const p = param(p0);
    const opt = new RMSprop([p], { lr: o.lr, alpha: o.alpha, eps: o.eps, weightDecay: o.wd, momentum: o.mu, centered: true });
    assertClose(run(opt, p, grads), reference(p0, grads, init, rms(o)), { atol: 1e-12 });
  });

  it('maximize ascends: the negated gradient, then the decay', () => {
    const o = { lr: 0.05, alpha: 0.8, eps: 1e-6, wd: 0.3, maximize: true };
    const p = param(p0);
    assertClose(run(new RMSprop([p], { lr: o.lr, alpha: o.alpha, eps: o.eps, weightDecay: o.wd, maximize: true }), p, grads),
      reference(p0, grads, init, rms(o)), { atol: 1e-12 });
  });
});

describe('Adagrad over several steps', () => {
  const ada = (o: { lr: number; eta?: number; wd?: number; eps: number; maximize?: boolean }) =>
    (theta: number, grad: number, s: { sum: number }, t: number): number => {
      const lr = o.lr / (1 + (t - 1) * (o.eta ?? 0));
      const g = (o.maximize ? -grad : grad) + (o.wd ?? 0) * theta;
      s.sum += g * g;
      return theta - (lr * g) / (Math.sqrt(s.sum) + o.eps);
    };

  it('with its defaults lr 0.01, eps 1e-10', () => {
    const p = param(p0);
    assertClose(run(new Adagrad([p]), p, grads), reference(p0, grads, () => ({ sum: 0 }), ada({ lr: 0.01, eps: 1e-10 })), { atol: 1e-12 });
  });

  it('with lr decay, weight decay, an initial accumulator and maximize', () => {
    const o = { lr: 0.2, eta: 0.3, wd: 0.1, eps: 1e-3, maximize: true };
    const p = param(p0);
    const opt = new Adagrad([p], { lr: 0.2, lrDecay: 0.3, weightDecay: 0.1, initialAccumulatorValue: 0.5, eps: 1e-3, maximize: true });
    assertClose(run(opt, p, grads), reference(p0, grads, () => ({ sum: 0.5 }), ada(o)), { atol: 1e-12 });
  });
});

describe('SGD over several steps', () => {
  const sgd = (o: { lr: number; mu?: number; tau?: number; wd?: number; nesterov?: boolean; maximize?: boolean }) =>
    (theta: number, grad: number, s: { b: number | null }): number => {
      let g = (o.maximize ? -grad : grad) + (o.wd ?? 0) * theta;
      const mu = o.mu ?? 0;
      if (mu !== 0) {
        s.b = s.b === null ? g : mu * s.b + (1 - (o.tau ?? 0)) * g;
        g = o.nesterov ? g + mu * s.b : s.b;
      }
      return theta - o.lr * g;
    };
  const init = (): { b: number | null } => ({ b: null });

  it('momentum with dampening and weight decay', () => {
    const p = param(p0);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.2 });
    assertClose(run(opt, p, grads), reference(p0, grads, init, sgd({ lr: 0.1, mu: 0.9, tau: 0.3, wd: 0.2 })), { atol: 1e-12 });
  });

  it('nesterov with weight decay, and maximize', () => {
    const p = param(p0);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.8, weightDecay: 0.2, nesterov: true, maximize: true });
    assertClose(run(opt, p, grads), reference(p0, grads, init, sgd({ lr: 0.1, mu: 0.8, wd: 0.2, nesterov: true, maximize: true })), { atol: 1e-12 });
    const q = param(p0);
    assertClose(run(new SGD([q], { lr: 0.1, maximize: true, weightDecay: 0.2 }), q, grads),
      reference(p0, grads, init, sgd({ lr: 0.1, wd: 0.2, maximize: true })), { atol: 1e-12 });
  });
});

describe('Adam maximize', () => {
  it('steps along +g: the first step is +lr·sign(g)', () => {
    const p = param([1, 1]);
    assertClose(run(new Adam([p], { lr: 0.1, maximize: true }), p, [[2, -3]]), [[1.1, 0.9]], { atol: 1e-9 });
  });
});

describe('hyperparameter checks name the optimizer, the option and the value', () => {
  const x = param([1]);
  it.each([
    ['SGD: momentum must be a number >= 0, got -0.1', () => new SGD([x], { lr: 0.1, momentum: -0.1 })],
    ['SGD: dampening must be a number in [0, 1], got 1.5', () => new SGD([x], { lr: 0.1, dampening: 1.5 })],
    ['SGD: weightDecay must be a number >= 0, got -1', () => new SGD([x], { lr: 0.1, weightDecay: -1 })],
    ['SGD: lr must be a number >= 0, got NaN', () => new SGD([x], { lr: NaN })],
    ['SGD: nesterov needs momentum > 0 and dampening = 0, got momentum=0.9, dampening=0.1', () => new SGD([x], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })],
    ['Adam: betas[0] must be a number in [0, 1), got -0.1', () => new Adam([x], { betas: [-0.1, 0.9] })],
    ['Adam: betas must be a pair [beta1, beta2], got [0.9]', () => new Adam([x], { betas: [0.9] as never })],
    ['Adam: eps must be a number >= 0, got -1', () => new Adam([x], { eps: -1 })],
    ['Adam: weightDecay must be a number >= 0, got Infinity', () => new Adam([x], { weightDecay: Infinity })],
    ['RMSprop: eps must be a number >= 0, got -1', () => new RMSprop([x], { eps: -1 })],
    ['RMSprop: weightDecay must be a number >= 0, got -1', () => new RMSprop([x], { weightDecay: -1 })],
    ['RMSprop: momentum must be a number >= 0, got -1', () => new RMSprop([x], { momentum: -1 })],
    ['Adagrad: lrDecay must be a number >= 0, got -1', () => new Adagrad([x], { lrDecay: -1 })],
    ['Adagrad: weightDecay must be a number >= 0, got -1', () => new Adagrad([x], { weightDecay: -1 })],
    ['Adagrad: initialAccumulatorValue must be a number >= 0, got -1', () => new Adagrad([x], { initialAccumulatorValue: -1 })],
    ['Adagrad: eps must be a number >= 0, got -1', () => new Adagrad([x], { eps: -1 })],
    ['Adagrad: lr must be a number >= 0, got -0.5', () => new Adagrad([x], { lr: -0.5 })],
  ])('%s', (message, make) => {
    expect(make).toThrow(message);
  });

  it('accepts the ends of each range', () => {
    expect(new SGD([x], { lr: 0, momentum: 0, dampening: 1 }).dampening).toBe(1);
    expect(new Adam([x], { betas: [0, 0] }).beta1).toBe(0);
    expect(new RMSprop([x], { alpha: 1 }).alpha).toBe(1);
  });

  it('rejects params that are not a list of leaf tensors', () => {
    expect(() => new SGD(null as never, { lr: 0.1 })).toThrow('SGD: params must be a list of tensors, e.g. model.parameters()');
    expect(() => new SGD(5 as never, { lr: 0.1 })).toThrow('SGD: params must be a list of tensors, e.g. model.parameters()');
    expect(() => new SGD([x, [1]] as never, { lr: 0.1 })).toThrow('SGD: params[1] is not a Tensor');
  });
});
