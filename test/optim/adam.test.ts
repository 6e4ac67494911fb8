import { describe, expect, it } from 'vitest';
import { Adam, AdamW, assertClose, tensor, type Optimizer, type Tensor } from '../../src/index';

function param(values: number[]): Tensor {
  return tensor(values, { dtype: 'float64', requiresGrad: true });
}

function stepWith(opt: Optimizer, p: Tensor, grads: number[][]): number[][] {
  return grads.map((g) => {
    p.grad = tensor(g, { dtype: 'float64' });
    opt.step();
    return Array.from(p.data);
  });
}

interface Settings {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  wd?: number;
  decoupled?: boolean;
  amsgrad?: boolean;
}

/**
 * PyTorch's documented Adam, written out for one coordinate: g = ∇ + λθ (or θ = θ(1 - γλ) first,
 * AdamW); m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²; with AMSGrad v_max = max(v_max, v) and
 * v̂ = v_max / (1 - β2^t), else v̂ = v / (1 - β2^t); m̂ = m / (1 - β1^t); θ = θ - γ m̂ / (√v̂ + ε).
 */
function documentedAdam(theta0: number, grads: number[], s: Settings): number[] {
  let theta = theta0;
  let m = 0;
  let v = 0;
  let vMax = 0;
  const wd = s.wd ?? 0;
  return grads.map((grad, i) => {
    const t = i + 1;
    if (s.decoupled) theta *= 1 - s.lr * wd;
    const g = s.decoupled ? grad : grad + wd * theta;
    m = s.b1 * m + (1 - s.b1) * g;
    v = s.b2 * v + (1 - s.b2) * g * g;
    vMax = Math.max(vMax, v);
    const vHat = (s.amsgrad ? vMax : v) / (1 - s.b2 ** t);
    const mHat = m / (1 - s.b1 ** t);
    theta -= (s.lr * mHat) / (Math.sqrt(vHat) + s.eps);
    return theta;
  });
}

/** The trajectories of the coordinates of p, column by column, as [step][coordinate]. */
function columns(p0: number[], grads: number[][], s: Settings): number[][] {
  const paths = p0.map((theta, j) => documentedAdam(theta, grads.map((g) => g[j]), s));
  return grads.map((_, t) => paths.map((path) => path[t]));
}

describe('AMSGrad', () => {
  // β = 0.5 makes the second moment forget fast, so its running maximum differs from it.
  const s: Settings = { lr: 0.1, b1: 0.5, b2: 0.5, eps: 0, amsgrad: true };

  it('divides by the running maximum of v: hand-computed first three steps', () => {
    const p = param([1]);
    const path = stepWith(new Adam([p], { lr: 0.1, betas: [0.5, 0.5], eps: 0, amsgrad: true }), p, [[4], [1], [-2]]);
    // t=1: m=2, v=8, v_max=8; m̂=4, v̂=16, step 0.1·4/4 = 0.1.
    // t=2: m=1.5, v=4.5, v_max=8; m̂=2, v̂=8/0.75=32/3, step 0.2/√(32/3). Plain Adam would use v̂=6.
    // t=3: m=-0.25, v=4.25, v_max=8; m̂=-2/7, v̂=64/7, step -0.1·(2/7)/(8/√7) = -0.1·√7/28.
    const p2 = 0.9 - 0.2 / Math.sqrt(32 / 3);
    assertClose(path, [[0.9], [p2], [p2 + (0.1 * Math.sqrt(7)) / 28]], { atol: 1e-12 });
  });

  it('follows the documented trajectory per coordinate, as v_max is kept and then overtaken', () => {
    // Coordinate 0: v falls after the first gradient, then a large one raises it above v_max.
    // Coordinate 1: growing gradients, so v is its own maximum and the path is plain Adam's.
    const grads = [[4, 0.5], [1, 1], [-2, 2], [3, 3], [5, 4]];
    const p = param([1, -1]);
    const path = stepWith(new Adam([p], { lr: 0.1, betas: [0.5, 0.5], eps: 0, amsgrad: true }), p, grads);
    assertClose(path, columns([1, -1], grads, s), { atol: 1e-12 });
    const plain = columns([1, -1], grads, { ...s, amsgrad: false });
    expect(Math.abs(path[1][0] - plain[1][0])).toBeGreaterThan(0.01);
    assertClose(path.map((r) => r[1]), plain.map((r) => r[1]), { atol: 1e-12 });
  });

  it('combines with weight decay and the default betas', () => {
    const grads = [[0.3], [-0.1], [0.05], [0.2]];
    const p = param([2]);
    const path = stepWith(new Adam([p], { lr: 0.01, amsgrad: true, weightDecay: 0.5, eps: 1e-8 }), p, grads);
    assertClose(path, columns([2], grads, { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.5, amsgrad: true }), { atol: 1e-12 });
  });
});

describe('Adam weight decay over several steps', () => {
  it('Adam adds wd·θ (not wd) to the gradient at every step', () => {
    const grads = [[1, 0.5], [-0.5, 0.2], [0.3, -1], [0, 0]];
    const p = param([2, -3]);
    const path = stepWith(new Adam([p], { lr: 0.1, betas: [0.8, 0.9], eps: 1e-8, weightDecay: 0.5 }), p, grads);
    assertClose(path, columns([2, -3], grads, { lr: 0.1, b1: 0.8, b2: 0.9, eps: 1e-8, wd: 0.5 }), { atol: 1e-12 });
  });

  it('AdamW shrinks θ by (1 - lr·wd) before the Adam step, every step', () => {
    const grads = [[1, 0.5], [-0.5, 0.2], [0.3, -1]];
    const p = param([2, -3]);
    const path = stepWith(new AdamW([p], { lr: 0.1, betas: [0.8, 0.9], eps: 1e-8, weightDecay: 0.5 }), p, grads);
    assertClose(path, columns([2, -3], grads, { lr: 0.1, b1: 0.8, b2: 0.9, eps: 1e-8, wd: 0.5, decoupled: true }), { atol: 1e-12 });
  });
});

describe('Adam defaults and options', () => {
  it('uses lr 1e-3, betas [0.9, 0.999] and eps 1e-8 by default', () => {
    const grads = [[0.5, -2], [0.1, 1], [-0.3, 0.2]];
    const p = param([1, 2]);
    assertClose(stepWith(new Adam([p]), p, grads), columns([1, 2], grads, { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 }), { atol: 1e-14 });
    // eps matters when the gradient is tiny: g = 1e-8 moves by lr·1e-8/(1e-8 + 1e-8) = lr/2 on the first step.
    const q = param([0]);
    assertClose(stepWith(new Adam([q]), q, [[1e-8]]), [[-0.5e-3]], { atol: 1e-12 });
  });

  it('Adam with decoupledWeightDecay is AdamW; AdamW names itself in errors', () => {
    const grads = [[1, 0.5], [-0.5, 0.2]];
    const p = param([2, -3]);
    const path = stepWith(new Adam([p], { lr: 0.1, weightDecay: 0.5, decoupledWeightDecay: true }), p, grads);
    assertClose(path, columns([2, -3], grads, { lr: 0.1, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.5, decoupled: true }), { atol: 1e-12 });
    expect(() => new AdamW([param([1])], { betas: [1, 0.9] })).toThrow('AdamW: betas[0] must be a number in [0, 1), got 1');
    expect(() => new Adam([param([1])], { betas: 0.9 as never })).toThrow('Adam: betas must be a pair [beta1, beta2], got 0.9');
  });
});
