import { describe, expect, it } from 'vitest';
import {
  CrossEntropyLoss, Generator, MSELoss, Tensor, assertClose, crossEntropy, gradcheck, logSoftmax, mseLoss, nllLoss, oneHot, randn, randint,
  softmax, tensor, zeros,
} from '../../src/index';

const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });

describe('softmax and logSoftmax', () => {
  it('compute hand-checked values and rows summing to 1', () => {
    const x = tensor([[0, Math.log(3)], [1, 1]]);
    assertClose(softmax(x), [[0.25, 0.75], [0.5, 0.5]]);
    assertClose(logSoftmax(x), [[Math.log(0.25), Math.log(0.75)], [Math.log(0.5), Math.log(0.5)]]);
    assertClose(softmax(x, 0).sum(0), [1, 1]);
  });

  it('stay finite for huge logits', () => {
    assertClose(logSoftmax(tensor([[1000, 0], [-1000, -1000]])), [[0, -1000], [Math.log(0.5), Math.log(0.5)]]);
  });

  it('have gradients that match central differences along either axis', () => {
    expect(gradcheck((x) => logSoftmax(x, 1), [f64([3, 4], 1)])).toBe(true);
    expect(gradcheck((x) => softmax(x, 0), [f64([3, 4], 2)])).toBe(true);
  });
});

describe('crossEntropy', () => {
  it('is the mean of -log softmax at the true class', () => {
    const logits = tensor([[0, Math.log(3)], [1, 1]]);
    // -log 0.75 for row 0 (label 1), -log 0.5 for row 1 (label 0).
    assertClose(crossEntropy(logits, [1, 0]), (-Math.log(0.75) - Math.log(0.5)) / 2);
    assertClose(crossEntropy(logits, tensor([1, 0]), { reduction: 'sum' }), -Math.log(0.75) - Math.log(0.5));
    assertClose(crossEntropy(logits, Int32Array.from([1, 0]), { reduction: 'none' }), [-Math.log(0.75), -Math.log(0.5)]);
  });

  it('with label smoothing ε is (1-ε)·nll + ε·mean_k(-log p_k)', () => {
    const logits = randn([6, 5], { generator: new Generator(3) });
    const labels = randint(0, 5, [6], { generator: new Generator(4) });
    const eps = 0.2;
    const logp = logSoftmax(logits);
    const expected = nllLoss(logp, labels).mul(1 - eps).add(logp.neg().mean(1).mean().mul(eps));
    assertClose(crossEntropy(logits, labels, { labelSmoothing: eps }), expected, { atol: 1e-6 });
    assertClose(new CrossEntropyLoss({ labelSmoothing: eps }).call(logits, labels), expected, { atol: 1e-6 });
  });

  it('has gradients that match central differences, with and without smoothing', () => {
    const labels = [0, 3, 2, 3];
    expect(gradcheck((x) => crossEntropy(x, labels), [f64([4, 4], 5)])).toBe(true);
    expect(gradcheck((x) => crossEntropy(x, labels, { labelSmoothing: 0.1 }), [f64([4, 4], 6)])).toBe(true);
    // The gradient of the mean loss is (softmax - onehot) / N.
    const x = f64([4, 4], 7);
    crossEntropy(x, labels).backward();
    assertClose(x.grad ?? tensor(0), softmax(x.detach()).sub(oneHot(labels, 4, 'float64')).div(4), { atol: 1e-12 });
  });

  it('explains bad labels and shapes', () => {
    expect(() => crossEntropy(zeros([3, 10]), [1, 10, 2])).toThrow('crossEntropy: label 10 at position 1 is not an integer in [0, 9]');
    expect(() => crossEntropy(zeros([3, 10]), [1, 2])).toThrow('crossEntropy: got 2 labels for 3 examples');
    expect(() => crossEntropy(zeros([3, 10]), tensor([0.5, 1, 2]))).toThrow('crossEntropy: label 0.5 at position 0 is not an integer in [0, 9]');
    expect(() => crossEntropy(zeros([10]), [1])).toThrow('crossEntropy: logits must be [N, C] (one row of class scores per example), got shape [10]');
    expect(() => crossEntropy(zeros([2, 3]), [0, 1], { labelSmoothing: 1.5 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 1.5');
  });
});

describe('nllLoss, oneHot and mseLoss', () => {
  it('nllLoss picks -logProbs at the labels', () => {
    assertClose(nllLoss(tensor([[-1, -2], [-3, -4]]), [1, 0]), (2 + 3) / 2);
  });

  it('oneHot puts a 1 at each label', () => {
    assertClose(oneHot([2, 0], 3), [[0, 0, 1], [1, 0, 0]]);
    expect(oneHot(tensor([1], { dtype: 'float64' }), 2).dtype).toBe('float64');
  });

  it('mseLoss is the mean squared difference, with a gradient 2(x - t)/N', () => {
    assertClose(mseLoss(tensor([1, 2, 3]), tensor([1, 0, 0])), (0 + 4 + 9) / 3);
    assertClose(new MSELoss({ reduction: 'sum' }).call(tensor([1, 2]), tensor([0, 0])), 5);
    const x = f64([3, 2], 8);
    const t = f64([3, 2], 9).detach();
    expect(gradcheck((a) => mseLoss(a, t), [x])).toBe(true);
  });

  it('mseLoss names itself when input and target dtypes differ', () => {
    expect(() => mseLoss(zeros([2]), zeros([2], { dtype: 'float64' }))).toThrow(
      "mseLoss: input is float32 but target is float64; convert one with .astype('float32')",
    );
  });

  it('mseLoss refuses shapes that would broadcast', () => {
    expect(() => mseLoss(zeros([5, 1]), zeros([5]))).toThrow(
      'mseLoss: input shape [5, 1] and target shape [5] must be equal (reshape one of them; broadcasting here is almost always a bug)',
    );
  });
});
