import { describe, expect, it } from 'vitest';
import {
  Flatten, GELU, Generator, Identity, LeakyReLU, Linear, ReLU, Residual, Sequential, Sigmoid, Tanh, Tensor, assertClose, erf, gelu,
  gradcheck, leakyRelu, linear, randn, tensor, zeros,
} from '../../src/index';

const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });

describe('Linear', () => {
  it('stores its weight [in, out] and computes x W + b', () => {
    const layer = new Linear(3, 2);
    expect(layer.weight.shape).toEqual([3, 2]);
    expect(layer.bias?.shape).toEqual([2]);
    layer.weight.data.set([1, 2, 3, 4, 5, 6]);
    layer.bias?.data.set([0.5, -1]);
    // [1, 1, 1] W = [1+3+5, 2+4+6] = [9, 12]; plus b.
    assertClose(layer.call(tensor([[1, 1, 1], [0, 0, 0]])), [[9.5, 11], [0.5, -1]]);
  });

  it('initializes weight and bias from U(-1/sqrt(in), 1/sqrt(in)), reproducibly from the generator', () => {
    const layer = new Linear(400, 300, { generator: new Generator(7) });
    const bound = 1 / Math.sqrt(400);
    const w = Array.from(layer.weight.data);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    // The uniform std is 2·bound/sqrt(12).
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(std / ((2 * bound) / Math.sqrt(12))).toBeCloseTo(1, 1);
    expect(Math.max(...Array.from(layer.bias?.data ?? []))).toBeLessThanOrEqual(bound);
    const again = new Linear(400, 300, { generator: new Generator(7) });
    assertClose(again.weight, layer.weight, { atol: 0, rtol: 0 });
  });

  it('can go without bias and works on batched inputs [..., in]', () => {
    const layer = new Linear(4, 5, { bias: false });
    expect(layer.bias).toBeNull();
    expect(layer.parameters()).toHaveLength(1);
    expect(layer.call(zeros([2, 3, 4])).shape).toEqual([2, 3, 5]);
  });

  it('has gradients that match central differences (float64, bias broadcast over the batch)', () => {
    const w = f64([3, 2], 1);
    const b = f64([2], 2);
    expect(gradcheck((x, w2, b2) => linear(x, w2, b2), [f64([4, 3], 3), w, b])).toBe(true);
    const layer = new Linear(3, 2, { dtype: 'float64' });
    expect(gradcheck((x) => layer.call(x), [f64([2, 5, 3], 4)])).toBe(true);
  });

  it('names the layer and both shapes when the input width is wrong', () => {
    expect(() => new Linear(784, 100).call(zeros([32, 785]))).toThrow(
      'Linear(784, 100): input must have 784 features in its last axis, got shape [32, 785]',
    );
    expect(() => linear(zeros([2, 3]), zeros([4, 5]))).toThrow('linear: input must have 4 features in its last axis to match weight [4, 5], got shape [2, 3]');
    expect(() => new Linear(0, 3)).toThrow('Linear: inFeatures must be a positive integer, got 0');
  });

  it('names itself when the input dtype is not the weight dtype', () => {
    expect(() => new Linear(2, 3).call(zeros([1, 2], { dtype: 'float64' }))).toThrow(
      "linear: input is float64 but weight is float32; convert the input with .astype('float32') or make the layer with { dtype: 'float64' }",
    );
  });
});

describe('activations', () => {
  const x = tensor([-2, -0.5, 0, 1.5]);

  it('compute hand-checked values', () => {
    assertClose(new ReLU().call(x), [0, 0, 0, 1.5]);
    assertClose(new LeakyReLU(0.1).call(x), [-0.2, -0.05, 0, 1.5]);
    assertClose(new Tanh().call(x), [Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(1.5)]);
    assertClose(new Sigmoid().call(x), [1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(0.5)), 0.5, 1 / (1 + Math.exp(-1.5))]);
    assertClose(new Identity().call(x), x);
    // GELU(x) = x Φ(x): Φ(1.5) = 0.9331927987311419, Φ(-0.5) = 0.3085375387259869, Φ(-2) = 0.022750131948179195.
    assertClose(new GELU().call(x), [-2 * 0.022750131948179195, -0.5 * 0.3085375387259869, 0, 1.5 * 0.9331927987311419], { atol: 1e-6 });
    assertClose(new GELU('tanh').call(x), new GELU().call(x), { atol: 1e-3 });
  });

  it('erf matches reference values to double precision', () => {
    const cases: [number, number][] = [[0, 0], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3.5, 0.9999992569016276], [-1, -0.8427007929497149], [7, 1]];
    for (const [v, expected] of cases) expect(Math.abs(erf(v) - expected)).toBeLessThan(1e-15);
  });

  it('have gradients that match central differences', () => {
    expect(gradcheck((t) => leakyRelu(t, 0.2), [f64([3, 4], 5)])).toBe(true);
    expect(gradcheck((t) => gelu(t), [f64([3, 4], 6)])).toBe(true);
    expect(gradcheck((t) => gelu(t, 'tanh'), [f64([3, 4], 7)])).toBe(true);
  });

  it('LeakyReLU gives the slope as the gradient at 0 (as PyTorch)', () => {
    const z = tensor([0, 1, -1], { requiresGrad: true });
    leakyRelu(z, 0.3).sum().backward();
    assertClose(z.grad ?? tensor(0), [0.3, 1, 0.3]);
  });
});

describe('containers', () => {
  it('Sequential applies layers in order', () => {
    const model = new Sequential(new Linear(2, 3, { generator: new Generator(1) }), new ReLU(), new Linear(3, 1, { generator: new Generator(2) }));
    const x = tensor([[1, -1], [0.5, 2]]);
    const first = model.at(0) as Linear;
    const last = model.at(-1) as Linear;
    assertClose(model.call(x), last.call(first.call(x).relu()));
    expect(model.length).toBe(3);
    expect(() => model.at(3)).toThrow('Sequential.at: index 3 is out of range for 3 layers');
  });

  it('Residual adds the input and checks the shape', () => {
    const inner = new Linear(3, 3, { generator: new Generator(3) });
    const block = new Residual(inner);
    const x = tensor([[1, 2, 3]]);
    assertClose(block.call(x), x.add(inner.call(x)));
    expect(block.namedParameters().map(([n]) => n)).toEqual(['module.weight', 'module.bias']);
    expect(() => new Residual(new Linear(3, 2)).call(x)).toThrow('Residual: the inner Linear must keep the shape, got input [1, 3] and output [1, 2]');
  });

  it('Flatten keeps the batch axis by default', () => {
    expect(new Flatten().call(zeros([5, 1, 28, 28])).shape).toEqual([5, 784]);
    expect(new Flatten(0).call(zeros([5, 2, 3])).shape).toEqual([30]);
  });
});
