import { describe, expect, it } from 'vitest';
import { Generator, Linear, ReLU, Sequential, Tanh, crossEntropy, noGrad, normsPerLayer, randn, relu, tanh, tensor } from '../../src/index';

// normsPerLayer: the activation norm after every nonlinearity and the gradient norm of every Linear
// weight, checked against a forward and backward pass written out by hand.
function smallNet(): { model: Sequential; first: Linear; second: Linear; third: Linear } {
  const gen = new Generator(4);
  const first = new Linear(6, 5, { generator: gen });
  const second = new Linear(5, 4, { generator: gen });
  const third = new Linear(4, 3, { bias: false, generator: gen });
  return { model: new Sequential(first, new ReLU(), second, new Tanh(), third), first, second, third };
}

describe('normsPerLayer', () => {
  it('gives (1/B)·Σ‖a_b‖² after each nonlinearity, ‖∇W‖² per Linear and the loss, as computed by hand', () => {
    const { model, first, second, third } = smallNet();
    const x = randn([8, 6], { generator: new Generator(5) });
    const labels = [0, 1, 2, 0, 1, 2, 0, 1];
    const norms = normsPerLayer(model, x, labels);
    const a1 = relu(x.matmul(first.weight).add(first.bias!));
    const a2 = tanh(a1.matmul(second.weight).add(second.bias!));
    const loss = crossEntropy(a2.matmul(third.weight), labels);
    loss.backward();
    const sq = (t: { pow(e: number): { sum(): { item(): number } } }): number => t.pow(2).sum().item();
    const expectedActivation = noGrad(() => [sq(a1) / 8, sq(a2) / 8]);
    const expectedGradient = [first, second, third].map((l) => sq(l.weight.grad!));
    expect(norms.activation).toHaveLength(2);
    norms.activation.forEach((v, i) => expect(v).toBeCloseTo(expectedActivation[i], 5));
    expect(norms.gradient).toHaveLength(3);
    norms.gradient.forEach((v, i) => expect(v / expectedGradient[i]).toBeCloseTo(1, 5));
    expect(norms.loss).toBeCloseTo(loss.item(), 6);
  });

  it('leaves no gradient behind and does not mix with gradients already there', () => {
    const { model } = smallNet();
    const x = randn([4, 6], { generator: new Generator(6) });
    const once = normsPerLayer(model, x, [0, 1, 2, 0]);
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
    crossEntropy(model.call(x), [2, 2, 2, 2]).backward();            // stale gradients from another batch
    expect(normsPerLayer(model, x, [0, 1, 2, 0]).gradient).toEqual(once.gradient);
  });

  it('has worked example values: one ReLU layer of the identity on [[3, -1], [3, 1]]', () => {
    const linear = new Linear(2, 2, { bias: false });
    linear.weight.data.set([1, 0, 0, 1]);
    const norms = normsPerLayer(new Sequential(linear, new ReLU()), tensor([[3, -1], [3, 1]]), [0, 1]);
    expect(norms.activation).toEqual([9.5]);                           // (9 + 10) / 2
  });

  it('names a batch that is not [B, features]', () => {
    const { model } = smallNet();
    expect(() => normsPerLayer(model, randn([6]), [0])).toThrow('normsPerLayer: x must be a non-empty batch [B, features], got shape [6]');
  });
});
