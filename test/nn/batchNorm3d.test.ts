import { describe, expect, it } from 'vitest';
import { BatchNorm1d, assertClose, tensor, type Tensor } from '../../src/index';

// x [N=2, C=2, L=3]. Channel 0 holds 1, 2, 3, 5, 6, 7: mean 4, squared deviations sum 28, so the
// biased variance over the N·L = 6 values is 28/6 and the unbiased one 28/5.
// Channel 1 holds 0, 0, 4, 2, 2, 2: mean 5/3, squared deviations sum 34/3 (biased 34/18, unbiased 34/15).
const x = tensor([[[1, 2, 3], [0, 0, 4]], [[5, 6, 7], [2, 2, 2]]], { dtype: 'float64' });

describe('BatchNorm1d on [N, C, L] input', () => {
  it('normalizes each channel over the batch and length axes together (biased variance)', () => {
    const bn = new BatchNorm1d(2, { eps: 0, dtype: 'float64' });
    const s0 = Math.sqrt(28 / 6);
    const s1 = Math.sqrt(34 / 18);
    const m1 = 5 / 3;
    assertClose(bn.call(x), [
      [[-3 / s0, -2 / s0, -1 / s0], [-m1 / s1, -m1 / s1, (4 - m1) / s1]],
      [[1 / s0, 2 / s0, 3 / s0], [(2 - m1) / s1, (2 - m1) / s1, (2 - m1) / s1]],
    ], { atol: 1e-12 });
  });

  it('moves the running mean and the unbiased running variance, counted over N·L values', () => {
    const bn = new BatchNorm1d(2, { momentum: 0.1, dtype: 'float64' });
    bn.call(x);
    assertClose((bn.runningMean as Tensor), [0.9 * 0 + 0.1 * 4, 0.1 * (5 / 3)], { atol: 1e-12 });
    assertClose((bn.runningVar as Tensor), [0.9 * 1 + 0.1 * (28 / 5), 0.9 * 1 + 0.1 * (34 / 15)], { atol: 1e-12 });
    expect((bn.numBatchesTracked as Tensor).item()).toBe(1);
    bn.call(x);
    assertClose((bn.runningMean as Tensor), [0.9 * 0.4 + 0.1 * 4, 0.9 * (0.1 * 5 / 3) + 0.1 * (5 / 3)], { atol: 1e-12 });
    assertClose((bn.runningVar as Tensor), [0.9 * (0.9 + 0.56) + 0.56, 0.9 * (0.9 + 0.1 * 34 / 15) + 0.1 * (34 / 15)], { atol: 1e-12 });
  });

  it('in eval mode normalizes every position of a channel with that channel\'s running statistics', () => {
    const bn = new BatchNorm1d(2, { eps: 0.5, dtype: 'float64' });
    (bn.runningMean as Tensor).data.set([1, -2]);
    (bn.runningVar as Tensor).data.set([3.5, 0.5]);
    bn.weight?.data.set([2, 1]);
    bn.bias?.data.set([0, 10]);
    bn.eval();
    // Channel 0: (x - 1) / sqrt(4) · 2 = x - 1; channel 1: (x + 2) / sqrt(1) + 10 = x + 12.
    assertClose(bn.call(x), [[[0, 1, 2], [12, 12, 16]], [[4, 5, 6], [14, 14, 14]]], { atol: 1e-12 });
    expect((bn.numBatchesTracked as Tensor).item()).toBe(0);
    assertClose((bn.runningMean as Tensor), [1, -2], { atol: 0 });
  });
});
