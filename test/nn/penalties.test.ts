import { describe, expect, it } from 'vitest';
import { Generator, Linear, ReLU, SGD, Sequential, Tensor, assertClose, l1Penalty, l2Penalty, mseLoss, randn, tensor } from '../../src/index';

function model(seed: number): Sequential {
  const g = new Generator(seed);
  return new Sequential(new Linear(3, 4, { generator: g }), new ReLU(), new Linear(4, 1, { generator: g }));
}

describe('weight penalties', () => {
  it('sum squared (L2) or absolute (L1) weights, leaving biases out by default', () => {
    const layer = new Linear(2, 1);
    layer.weight.data.set([3, -4]);
    layer.bias?.data.set([10]);
    assertClose(l2Penalty(layer), 25);
    assertClose(l1Penalty(layer), 7);
    assertClose(l2Penalty(layer, { includeBiases: true }), 125);
    assertClose(l2Penalty([tensor([[1, 2]]), tensor([5])]), 5);
  });

  it('λ/2 · l2Penalty has the gradient λ·w, the weight-decay term of SGD', () => {
    const lambda = 0.3;
    const x = randn([8, 3], { generator: new Generator(1) });
    const y = randn([8, 1], { generator: new Generator(2) });
    // Only weights are penalized, so give SGD only the weights too and compare one step.
    const weights = (m: Sequential): Tensor[] => m.parameters().filter((p) => p.ndim === 2);
    const a = model(5);
    const b = model(5);
    mseLoss(a.call(x), y).add(l2Penalty(a).mul(lambda / 2)).backward();
    new SGD(weights(a), { lr: 0.1 }).step();
    mseLoss(b.call(x), y).backward();
    new SGD(weights(b), { lr: 0.1, weightDecay: lambda }).step();
    weights(a).forEach((w, i) => assertClose(w, weights(b)[i], { atol: 1e-6 }));
  });

  it('the L2 gradient is exactly 2w', () => {
    const w = randn([3, 3], { generator: new Generator(3), requiresGrad: true });
    l2Penalty([w]).backward();
    assertClose(w.grad ?? tensor(0), w.detach().mul(2));
  });

  it('reject non-tensors', () => {
    expect(() => l2Penalty([1 as unknown as Tensor])).toThrow('l2Penalty: params[0] is not a Tensor');
  });
});
