import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, Linear, Optimizer, RMSprop, SGD, Tensor, assertClose, tensor } from '../../src/index';

/** A parameter [p] with gradient [g] set directly. */
function param(values: number[]): Tensor {
  return tensor(values, { dtype: 'float64', requiresGrad: true });
}

function stepWith(opt: Optimizer, p: Tensor, grads: number[][]): number[][] {
  const path: number[][] = [];
  for (const g of grads) {
    p.grad = tensor(g, { dtype: 'float64' });
    opt.step();
    path.push(Array.from(p.data));
  }
  return path;
}

describe('SGD', () => {
  it('plain: p -= lr·g', () => {
    const p = param([1, 2]);
    assertClose(stepWith(new SGD([p], { lr: 0.1 }), p, [[1, -2]]), [[0.9, 2.2]]);
  });

  it('momentum: the first buffer is g itself, then b = μb + (1-dampening)g', () => {
    const p = param([0]);
    // b1 = 1 -> p = -0.1; b2 = 0.9·1 + 0.5·1 = 1.4 -> p = -0.24.
    assertClose(stepWith(new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }), p, [[1], [1]]), [[-0.1], [-0.24]], { atol: 1e-12 });
  });

  it('nesterov: p -= lr·(g + μb)', () => {
    const p = param([0]);
    // b1 = 1, step g + 0.9·1 = 1.9; b2 = 0.9 + 1 = 1.9, step 1 + 0.9·1.9 = 2.71.
    assertClose(stepWith(new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), p, [[1], [1]]), [[-0.19], [-0.19 - 0.271]], { atol: 1e-12 });
  });

  it('weight decay adds wd·p to the gradient; maximize ascends', () => {
    const p = param([2]);
    assertClose(stepWith(new SGD([p], { lr: 0.5, weightDecay: 0.1 }), p, [[0]]), [[2 - 0.5 * 0.2]]);
    const q = param([0]);
    assertClose(stepWith(new SGD([q], { lr: 0.5, maximize: true }), q, [[1]]), [[0.5]]);
  });

  it('without weight decay the update reads only the gradient: an infinite parameter stays infinite (as in PyTorch)', () => {
    const p = param([Infinity, -Infinity, 1]);
    expect(stepWith(new SGD([p], { lr: 0.1 }), p, [[1, 1, 1]])).toEqual([[Infinity, -Infinity, 0.9]]);
    const q = param([Infinity]);
    expect(stepWith(new SGD([q], { lr: 0.1, weightDecay: 0.1 }), q, [[1]])).toEqual([[NaN]]);
  });
});

describe('Adam family', () => {
  it('Adam: the first step moves each coordinate by lr·sign(g) (bias correction)', () => {
    const p = param([1, 1]);
    assertClose(stepWith(new Adam([p], { lr: 0.01 }), p, [[3, -0.5]]), [[0.99, 1.01]], { atol: 1e-9 });
  });

  it('Adam: second step follows m̂ / (sqrt(v̂) + eps)', () => {
    const p = param([0]);
    const [b1, b2, lr] = [0.9, 0.999, 0.1];
    const path = stepWith(new Adam([p], { lr, betas: [b1, b2], eps: 0 }), p, [[1], [3]]);
    const m = b1 * (1 - b1) * 1 + (1 - b1) * 3;
    const v = b2 * (1 - b2) * 1 + (1 - b2) * 9;
    const expected = -lr - (lr * (m / (1 - b1 ** 2))) / Math.sqrt(v / (1 - b2 ** 2));
    expect(path[1][0]).toBeCloseTo(expected, 12);
  });

  it('Adam adds weight decay to the gradient; AdamW decays p first', () => {
    const a = param([2]);
    const w = param([2]);
    // Adam with g = 0 + 0.1·2: the first step is still lr·sign(g) = 0.01.
    assertClose(stepWith(new Adam([a], { lr: 0.01, weightDecay: 0.1 }), a, [[0]]), [[1.99]], { atol: 1e-9 });
    // AdamW with g = 0: only the decay, p·(1 - lr·wd), and no Adam move (m = 0).
    assertClose(stepWith(new AdamW([w], { lr: 0.01, weightDecay: 0.1 }), w, [[0]]), [[2 * (1 - 0.001)]], { atol: 1e-12 });
    expect(new AdamW([param([1])]).weightDecay).toBe(0.01);
  });

  it('AMSGrad divides by the running maximum of v', () => {
    const p = param([0]);
    const q = param([0]);
    const grads = [[10], [0.1], [0.1]];
    const ams = stepWith(new Adam([p], { lr: 0.1, amsgrad: true }), p, grads);
    const plain = stepWith(new Adam([q], { lr: 0.1 }), q, grads);
    expect(Math.abs(ams[2][0] - ams[1][0])).toBeLessThan(Math.abs(plain[2][0] - plain[1][0]));
  });
});

describe('RMSprop and Adagrad', () => {
  it('RMSprop: p -= lr·g / (sqrt(s) + eps) with s = (1-α)g² after one step', () => {
    const p = param([0]);
    assertClose(stepWith(new RMSprop([p], { lr: 0.01, alpha: 0.9, eps: 0 }), p, [[2]]), [[-0.01 * 2 / Math.sqrt(0.1 * 4)]], { atol: 1e-12 });
  });

  it('RMSprop with momentum accumulates g/d; centered subtracts the mean gradient', () => {
    const p = param([0]);
    const d1 = Math.sqrt(0.01);
    const d2 = Math.sqrt(0.99 * 0.01 + 0.01);
    const path = stepWith(new RMSprop([p], { lr: 1, momentum: 0.5, eps: 0 }), p, [[1], [1]]);
    assertClose(path, [[-1 / d1], [-1 / d1 - (0.5 / d1 + 1 / d2)]], { atol: 1e-9 });
    const q = param([0]);
    // One centered step: s = 0.01·4, ḡ = 0.01·2, d = sqrt(0.04 - 0.0004).
    assertClose(stepWith(new RMSprop([q], { lr: 1, centered: true, eps: 0 }), q, [[2]]), [[-2 / Math.sqrt(0.04 - 0.0004)]], { atol: 1e-9 });
  });

  it('Adagrad: p -= lr/(1+(t-1)·lrDecay) · g / (sqrt(sum g²) + eps)', () => {
    const p = param([0]);
    const path = stepWith(new Adagrad([p], { lr: 0.1, lrDecay: 0.5, eps: 0 }), p, [[2], [1]]);
    assertClose(path, [[-0.1], [-0.1 - (0.1 / 1.5) * (1 / Math.sqrt(5))]], { atol: 1e-12 });
    const q = param([0]);
    assertClose(stepWith(new Adagrad([q], { lr: 1, initialAccumulatorValue: 3, eps: 0 }), q, [[1]]), [[-0.5]], { atol: 1e-12 });
  });
});

describe('Optimizer', () => {
  it('skips parameters without a gradient, and zeroGrad clears gradients', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new SGD([a, b], { lr: 1 });
    a.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(Array.from(a.data)).toEqual([0]);
    expect(Array.from(b.data)).toEqual([1]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('refuses a gradient whose shape is not the parameter\'s, before changing anything', () => {
    const a = param([1, 2]);
    const b = param([3, 4]);
    const opt = new Adam([a, b]);
    a.grad = tensor([1, 1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    expect(() => opt.step()).toThrow('Adam.step: params[1] has shape [2] but its grad has shape [1]');
    expect(Array.from(a.data)).toEqual([1, 2]);
    expect(Array.from(b.data)).toEqual([3, 4]);
    expect(opt.stateOf(a)).toBeUndefined();
  });

  it('has an adjustable learning rate', () => {
    const p = param([0]);
    const opt = new SGD([p], { lr: 1 });
    opt.lr = 0.5;
    stepWith(opt, p, [[1]]);
    expect(p.data[0]).toBe(-0.5);
    expect(() => (opt.lr = -1)).toThrow('SGD: lr must be a number >= 0, got -1');
  });

  it('takes each parameter once and explains bad arguments', () => {
    const layer = new Linear(2, 2);
    expect(new SGD([...layer.parameters(), ...layer.parameters()], { lr: 0.1 }).params).toHaveLength(2);
    const x = param([1]);
    expect(() => new SGD([x.mul(2)], { lr: 0.1 })).toThrow("SGD: params[0] was computed by 'mul'; optimize leaf tensors such as model.parameters()");
    expect(() => new Adam([])).toThrow('Adam: got an empty list of parameters');
    expect(() => new SGD([x], { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov needs momentum > 0 and dampening = 0, got momentum=0, dampening=0');
    expect(() => new Adam([x], { betas: [0.9, 1] })).toThrow('Adam: betas[1] must be a number in [0, 1), got 1');
    expect(() => new RMSprop([x], { alpha: 2 })).toThrow('RMSprop: alpha must be a number in [0, 1], got 2');
  });

  it('keeps per-parameter state (step count and buffers)', () => {
    const p = param([0, 0]);
    const opt = new Adam([p]);
    expect(opt.stateOf(p)).toBeUndefined();
    stepWith(opt, p, [[1, 1], [1, 1]]);
    expect(opt.stateOf(p)?.step).toBe(2);
    expect(opt.stateOf(p)?.has('expAvg')).toBe(true);
  });
});
