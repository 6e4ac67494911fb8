import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, CrossEntropyLoss, Generator, LayerNorm, Linear, MSELoss, Sequential, Tensor, assertClose, batchNorm, cat, crossEntropy,
  l1Penalty, l2Penalty, layerNorm, mseLoss, narrow, nllLoss, noGrad, randn, tensor, zeros,
} from '../../src/index';

// The options of the normalization layers that follow current PyTorch (affine, trackRunningStats,
// momentum null, LayerNorm's bias), and the checking of option keys across nn.

const batch = (n: number, c: number, seed: number): Tensor => randn([n, c], { generator: new Generator(seed) }).mul(2).add(1);

/** Per-column (mean, biased variance) of a [N, C] tensor, computed by hand. */
function columnStats(x: Tensor): { mean: number[]; variance: number[] } {
  const [n, c] = x.shape;
  const mean = Array.from({ length: c }, (_, j) => { let s = 0; for (let i = 0; i < n; i++) s += x.data[i * c + j]; return s / n; });
  const variance = mean.map((m, j) => { let s = 0; for (let i = 0; i < n; i++) s += (x.data[i * c + j] - m) ** 2; return s / n; });
  return { mean, variance };
}

describe('BatchNorm1d options', () => {
  it('trackRunningStats: false keeps no buffers and normalizes with the batch statistics in eval mode too', () => {
    const bn = new BatchNorm1d(3, { trackRunningStats: false, eps: 0 });
    expect(bn.runningMean).toBeNull();
    expect(bn.runningVar).toBeNull();
    expect(bn.numBatchesTracked).toBeNull();
    expect(bn.namedBuffers()).toEqual([]);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias']);
    const x = batch(6, 3, 1);
    const { mean, variance } = columnStats(x);
    const expected = Array.from({ length: 6 }, (_, i) => [0, 1, 2].map((j) => (x.data[i * 3 + j] - mean[j]) / Math.sqrt(variance[j])));
    assertClose(noGrad(() => bn.call(x)), expected, { atol: 1e-5 });
    bn.eval();
    assertClose(noGrad(() => bn.call(x)), expected, { atol: 1e-5 });
    expect(bn.toString()).toContain('trackRunningStats=false');
  });

  it('trackRunningStats: false needs more than one value per channel in eval mode as well (as PyTorch)', () => {
    const bn = new BatchNorm1d(3, { trackRunningStats: false });
    bn.eval();
    expect(() => bn.call(zeros([1, 3]))).toThrow('expected more than 1 value per channel when training, got input shape [1, 3]');
  });

  it('affine: false has no weight or bias, and the output is the plain normalized input', () => {
    const bn = new BatchNorm1d(2, { affine: false });
    expect(bn.weight).toBeNull();
    expect(bn.bias).toBeNull();
    expect(bn.parameters()).toEqual([]);
    const y = noGrad(() => bn.call(batch(5, 2, 2)));
    const { mean, variance } = columnStats(y);
    mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-6));
    variance.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-3));
  });

  it('momentum: null averages every batch seen so far with equal weight (mean and unbiased variance)', () => {
    const bn = new BatchNorm1d(2, { momentum: null });
    const batches = [batch(4, 2, 3), batch(6, 2, 4), batch(5, 2, 5)];
    for (const x of batches) noGrad(() => bn.call(x));
    const stats = batches.map(columnStats);
    const unbiased = batches.map((x, k) => stats[k].variance.map((v) => (v * x.shape[0]) / (x.shape[0] - 1)));
    // The cumulative average starts from the initial values 0 and 1, which get weight 0 at the first step.
    assertClose(bn.runningMean as Tensor, [0, 1].map((j) => stats.reduce((s, st) => s + st.mean[j], 0) / 3), { atol: 1e-5 });
    assertClose(bn.runningVar as Tensor, [0, 1].map((j) => unbiased.reduce((s, u) => s + u[j], 0) / 3), { atol: 1e-5 });
    expect((bn.numBatchesTracked as Tensor).item()).toBe(3);
  });

  it('a sample in training mode depends on its batch: the same row gives different outputs in different batches', () => {
    const bn = new BatchNorm1d(4);
    const row = batch(1, 4, 6);
    const inA = noGrad(() => narrow(bn.call(cat([row, batch(7, 4, 7)])), 0, 0, 1));
    const inB = noGrad(() => narrow(bn.call(cat([row, batch(7, 4, 8)])), 0, 0, 1));
    expect(() => assertClose(inA, inB, { atol: 1e-3 })).toThrow();
  });

  it('batch size 1 in training raises like PyTorch, naming the shape; eval mode with running statistics works', () => {
    const bn = new BatchNorm1d(4);
    expect(() => bn.call(zeros([1, 4]))).toThrow(
      'batchNorm: expected more than 1 value per channel when training, got input shape [1, 4] (1 value per channel); use a batch of 2 or more, or eval mode with running statistics',
    );
    expect(() => bn.call(zeros([1, 4, 1]))).toThrow('got input shape [1, 4, 1]');
    expect(() => batchNorm(zeros([1, 4]), null, null, { training: true })).toThrow('expected more than 1 value per channel when training');
    bn.call(zeros([2, 4, 1])); // two values per channel are enough, also as [N, C, L]
    bn.eval();
    expect(bn.call(zeros([1, 4])).shape).toEqual([1, 4]);
  });

  it('rejects a momentum outside [0, 1]', () => {
    expect(() => new BatchNorm1d(2, { momentum: 1.5 })).toThrow('BatchNorm1d: momentum must be a number in [0, 1] or null (cumulative average), got 1.5');
  });
});

describe('LayerNorm options', () => {
  it('bias: false keeps the scale γ and no shift β', () => {
    const ln = new LayerNorm(4, { bias: false });
    expect(ln.weight?.shape).toEqual([4]);
    expect(ln.bias).toBeNull();
    expect(ln.namedParameters().map(([n]) => n)).toEqual(['weight']);
    (ln.weight as Tensor).data.set([1, 2, 3, 4]);
    const x = batch(3, 4, 9);
    assertClose(ln.call(x), layerNorm(x, 4).mul(tensor([1, 2, 3, 4])), { atol: 1e-6 });
    expect(ln.toString()).toContain('bias=false');
  });

  it('elementwiseAffine: false has no parameters whatever bias says', () => {
    expect(new LayerNorm(4, { elementwiseAffine: false, bias: true }).parameters()).toEqual([]);
  });

  it('is invariant to rescaling a row: LN(s·x) = LN(x) for s > 0, up to eps', () => {
    const x = batch(5, 8, 10);
    assertClose(layerNorm(x.mul(1000), 8, { eps: 0 }), layerNorm(x, 8, { eps: 0 }), { atol: 1e-5 });
  });
});

describe('unknown option keys are errors across nn', () => {
  const cases: [string, () => unknown, string][] = [
    ['BatchNorm1d', () => new BatchNorm1d(3, { track_running_stats: false } as object), "BatchNorm1d: unknown option 'track_running_stats'; did you mean 'trackRunningStats'?"],
    ['BatchNorm1d', () => new BatchNorm1d(3, { afine: false } as object), "BatchNorm1d: unknown option 'afine'; did you mean 'affine'?"],
    ['LayerNorm', () => new LayerNorm(3, { elementwise_affine: false } as object), "LayerNorm: unknown option 'elementwise_affine'; did you mean 'elementwiseAffine'?"],
    ['Linear', () => new Linear(2, 3, { use_bias: false } as object), "Linear: unknown option 'use_bias'"],
    ['CrossEntropyLoss', () => new CrossEntropyLoss({ label_smoothing: 0.1 } as object), "CrossEntropyLoss: unknown option 'label_smoothing'; did you mean 'labelSmoothing'?"],
    ['MSELoss', () => new MSELoss({ reduce: 'sum' } as object), "MSELoss: unknown option 'reduce'"],
    ['crossEntropy', () => crossEntropy(zeros([2, 3]), [0, 1], { label_smoothing: 0.1 } as object), "crossEntropy: unknown option 'label_smoothing'; did you mean 'labelSmoothing'?"],
    ['nllLoss', () => nllLoss(zeros([2, 3]), [0, 1], { ignore_index: 0 } as object), "nllLoss: unknown option 'ignore_index'"],
    ['mseLoss', () => mseLoss(zeros([2]), zeros([2]), { reductoin: 'sum' } as object), "mseLoss: unknown option 'reductoin'; did you mean 'reduction'?"],
    ['layerNorm', () => layerNorm(zeros([2, 3]), 3, { epsilon: 1e-5 } as object), "layerNorm: unknown option 'epsilon'"],
    ['batchNorm', () => batchNorm(zeros([2, 3]), null, null, { train: true } as object), "batchNorm: unknown option 'train'; known options: weight, bias, training, momentum, eps"],
    ['l2Penalty', () => l2Penalty([zeros([2, 2])], { include_biases: true } as object), "l2Penalty: unknown option 'include_biases'; did you mean 'includeBiases'?"],
    ['l1Penalty', () => l1Penalty([zeros([2, 2])], { biases: true } as object), "l1Penalty: unknown option 'biases'"],
    ['loadStateDict', () => new Sequential(new Linear(1, 1)).loadStateDict({}, { strict_mode: false } as object), "Sequential.loadStateDict: unknown option 'strict_mode'"],
  ];
  for (const [where, call, message] of cases) {
    it(`${where} names the unknown key`, () => {
      expect(call).toThrow(message);
    });
  }

  it('accepts every documented key', () => {
    expect(() => new BatchNorm1d(3, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false, dtype: 'float64' })).not.toThrow();
    expect(() => new LayerNorm(3, { eps: 1e-3, elementwiseAffine: true, bias: false, dtype: 'float64' })).not.toThrow();
    expect(() => new Linear(2, 3, { bias: false, dtype: 'float64', generator: new Generator(0) })).not.toThrow();
    expect(() => new CrossEntropyLoss({ labelSmoothing: 0.1, reduction: 'sum' })).not.toThrow();
    expect(() => layerNorm(zeros([2, 3]), 3, { weight: null, bias: null, eps: 1e-5 })).not.toThrow();
    expect(() => batchNorm(zeros([2, 3]), null, null, { weight: null, bias: null, training: true, momentum: 0.1, eps: 1e-5 })).not.toThrow();
  });
});
