import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, Generator, LayerNorm, Tensor, assertClose, batchNorm, cat, gradcheck, layerNorm, narrow, noGrad, randn, tensor, zeros,
} from '../../src/index';

const f64 = (shape: number[], seed: number, requiresGrad = true): Tensor =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad });

describe('LayerNorm', () => {
  it('normalizes each row to mean 0 and (biased) variance 1, then scales and shifts', () => {
    const ln = new LayerNorm(4, { eps: 0 });
    ln.weight?.data.set([1, 2, 1, 1]);
    ln.bias?.data.set([0, 0, 0, 10]);
    // Row [1, 2, 3, 4]: mean 2.5, biased variance 1.25.
    const s = Math.sqrt(1.25);
    assertClose(ln.call(tensor([[1, 2, 3, 4]])), [[-1.5 / s, (2 * -0.5) / s, 0.5 / s, 1.5 / s + 10]]);
  });

  it('treats each sample on its own: a row does not depend on the rest of the batch', () => {
    const ln = new LayerNorm(5);
    const a = randn([3, 5], { generator: new Generator(1) });
    const b = randn([7, 5], { generator: new Generator(2) });
    const alone = ln.call(a);
    const together = ln.call(cat([a, b]));
    assertClose(narrow(together, 0, 0, 3), alone, { atol: 1e-6 });
  });

  it('has gradients that match central differences, over [N, L, D] with γ, β broadcast', () => {
    expect(gradcheck((x, w, b) => layerNorm(x, 4, { weight: w, bias: b }), [f64([2, 3, 4], 3), f64([4], 4), f64([4], 5)])).toBe(true);
    expect(gradcheck((x) => layerNorm(x, [3, 4]), [f64([2, 3, 4], 6)])).toBe(true);
  });

  it('names the shape rule when dims do not match', () => {
    expect(() => new LayerNorm(6).call(zeros([4, 5]))).toThrow('layerNorm: normalizedShape [6] must match the last axes of the input, got shape [4, 5]');
    expect(new LayerNorm(3, { elementwiseAffine: false }).parameters()).toHaveLength(0);
  });
});

/** Each of `rows` standardized per column with the mean and biased variance of `batch` (eps 1e-5). */
function standardize(rows: number[][], batch: number[][]): number[][] {
  const columns = rows[0].map((_, j) => batch.map((r) => r[j]));
  const means = columns.map((c) => c.reduce((s, v) => s + v, 0) / c.length);
  const vars = columns.map((c, j) => c.reduce((s, v) => s + (v - means[j]) ** 2, 0) / c.length);
  return rows.map((r) => r.map((v, j) => (v - means[j]) / Math.sqrt(vars[j] + 1e-5)));
}

describe('BatchNorm1d', () => {
  it('normalizes with the batch statistics in training and updates running stats (unbiased variance)', () => {
    const bn = new BatchNorm1d(2, { eps: 0, momentum: 0.1 });
    // Channel 0: [1, 3] (mean 2, biased var 1, unbiased 2); channel 1: [0, 0] (mean 0, var 0 -> eps 0 gives NaN, so use [2, 6]).
    const y = bn.call(tensor([[1, 2], [3, 6]]));
    assertClose(y, [[-1, -1], [1, 1]]);
    assertClose(bn.runningMean as Tensor, [0.9 * 0 + 0.1 * 2, 0.1 * 4]);
    // Channel 1: values [2, 6], biased var 4, unbiased 8.
    assertClose(bn.runningVar as Tensor, [0.9 + 0.1 * 2, 0.9 + 0.1 * 8]);
    expect((bn.numBatchesTracked as Tensor).item()).toBe(1);
  });

  it('uses the running statistics in eval mode', () => {
    const bn = new BatchNorm1d(1, { eps: 0 });
    (bn.runningMean as Tensor).data[0] = 2;
    (bn.runningVar as Tensor).data[0] = 4;
    bn.eval();
    assertClose(bn.call(tensor([[2], [6], [0]])), [[0], [2], [-1]]);
    expect((bn.numBatchesTracked as Tensor).item()).toBe(0);
  });

  it("makes a sample's output depend on the batch in training but not in eval", () => {
    const bn = new BatchNorm1d(4);
    const a = randn([3, 4], { generator: new Generator(1) });
    const b = randn([5, 4], { generator: new Generator(2) }).mul(3).add(1);
    const alone = noGrad(() => bn.call(a));
    const together = noGrad(() => bn.call(cat([a, b])));
    // Training: each row is standardized with the statistics of the batch it came in.
    const aRows = a.toArray() as number[][];
    const allRows = [...aRows, ...(b.toArray() as number[][])];
    assertClose(alone, standardize(aRows, aRows), { atol: 1e-4 });
    assertClose(narrow(together, 0, 0, 3), standardize(aRows, allRows), { atol: 1e-4 });
    const moved = Math.max(...Array.from(narrow(together, 0, 0, 3).sub(alone).abs().data));
    expect(moved).toBeGreaterThan(0.5);
    bn.eval();
    assertClose(narrow(bn.call(cat([a, b])), 0, 0, 3), bn.call(a), { atol: 1e-6 });
  });

  it('with momentum null keeps a cumulative average', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    bn.call(tensor([[1], [3]]));
    bn.call(tensor([[5], [7]]));
    assertClose(bn.runningMean as Tensor, [4]);
  });

  it('has gradients that match central differences for [N, C] and [N, C, L]', () => {
    const train = (x: Tensor, w: Tensor, b: Tensor): Tensor => batchNorm(x, null, null, { weight: w, bias: b, training: true });
    expect(gradcheck(train, [f64([5, 3], 1), f64([3], 2), f64([3], 3)])).toBe(true);
    expect(gradcheck(train, [f64([4, 3, 2], 4), f64([3], 5), f64([3], 6)])).toBe(true);
    const rm = f64([3], 7, false);
    const rv = f64([3], 8, false).abs().add(0.5);
    expect(gradcheck((x, w) => batchNorm(x, rm, rv, { weight: w }), [f64([4, 3], 9), f64([3], 10)])).toBe(true);
  });

  it('explains wrong inputs', () => {
    expect(() => new BatchNorm1d(3).call(zeros([1, 3]))).toThrow('batchNorm: expected more than 1 value per channel when training, got input shape [1, 3]');
    expect(() => new BatchNorm1d(3).call(zeros([4, 2]))).toThrow('BatchNorm1d(3): input must have 3 channels in axis 1, got shape [4, 2]');
    expect(() => batchNorm(zeros([4, 3]), null, null)).toThrow('batchNorm: evaluation mode (training: false) needs runningMean and runningVar');
  });
});
