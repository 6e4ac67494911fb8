import { describe, expect, it } from 'vitest';
import {
  CrossEntropyLoss, GELU, LeakyReLU, MSELoss, crossEntropy, erf, gelu, leakyRelu, logSoftmax, mseLoss, nllLoss, softmax, tensor,
} from '../../src/index';

// Values by hand or from the standard normal distribution (Φ(1) = (1 + erf(1/√2))/2, φ(1) = e^(-1/2)/√(2π)).
const PHI_1 = 0.8413447460685429;
const DENSITY_1 = 0.24197072451914337;

describe('activations at known points', () => {
  it('exact GELU is x·Φ(x), with derivative Φ(x) + x·φ(x)', () => {
    const x = tensor([1, -1, 0], { dtype: 'float64', requiresGrad: true });
    const y = gelu(x);
    expect(y.data[0]).toBeCloseTo(PHI_1, 15);
    expect(y.data[1]).toBeCloseTo(-(1 - PHI_1), 15);
    expect(y.data[2]).toBe(0);
    y.sum().backward();
    const g = x.grad?.data ?? [];
    expect(g[0]).toBeCloseTo(PHI_1 + DENSITY_1, 15);
    expect(g[1]).toBeCloseTo(1 - PHI_1 - DENSITY_1, 15);
    expect(g[2]).toBeCloseTo(0.5, 15);
  });

  it("tanh GELU at 1 is 0.5·(1 + tanh(√(2/π)·1.044715)); GELU('tanh') layer the same; other modes are refused", () => {
    expect(gelu(tensor([1], { dtype: 'float64' }), 'tanh').data[0]).toBeCloseTo(0.8411919906082768, 15);
    expect(new GELU('tanh').call(tensor([1], { dtype: 'float64' })).data[0]).toBeCloseTo(0.8411919906082768, 15);
    expect(new GELU('tanh').extraRepr()).toBe("approximate='tanh'");
    expect(new GELU().extraRepr()).toBe('');
    expect(() => gelu(tensor([1]), 'erf' as never)).toThrow(`gelu: approximate must be 'none' or 'tanh', got "erf"`);
  });

  it('erf: odd, ±1 from 6 on, NaN for NaN', () => {
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778130465, 15);
    expect(erf(2.5)).toBeCloseTo(0.999593047982555, 14);
    expect([erf(6), erf(-7), erf(0)]).toEqual([1, -1, 0]);
    expect(erf(NaN)).toBeNaN();
  });

  it('leakyRelu uses slope 0.01 by default and its gradient at 0 is the slope', () => {
    const x = tensor([-2, 0, 3], { dtype: 'float64', requiresGrad: true });
    const y = leakyRelu(x);
    expect(Array.from(y.data)).toEqual([-0.02, 0, 3]);
    y.sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0.01, 0.01, 1]);
    expect(new LeakyReLU().extraRepr()).toBe('negativeSlope=0.01');
    expect(Array.from(new LeakyReLU(0.5).call(tensor([-2], { dtype: 'float64' })).data)).toEqual([-1]);
    expect(() => leakyRelu(tensor([1]), NaN)).toThrow('leakyRelu: negativeSlope must be a finite number, got NaN');
  });
});

describe('losses: reductions and smoothing by hand', () => {
  const logits = tensor([[0, Math.log(3)], [1, 1]], { dtype: 'float64' });

  it('label smoothing ε moves ε/C of the target onto every class', () => {
    // ε = 0.5, C = 2: row 0 (label 1) targets [0.25, 0.75] against p = [0.25, 0.75]; row 1 (label 0) targets [0.75, 0.25] against [0.5, 0.5].
    const row0 = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    const row1 = -Math.log(0.5);
    const none = crossEntropy(logits, [1, 0], { labelSmoothing: 0.5, reduction: 'none' });
    expect(none.data[0]).toBeCloseTo(row0, 14);
    expect(none.data[1]).toBeCloseTo(row1, 14);
    expect(crossEntropy(logits, [1, 0], { labelSmoothing: 1 }).item()).toBeCloseTo((-0.5 * Math.log(0.25) - 0.5 * Math.log(0.75) + row1) / 2, 14);
    expect(() => crossEntropy(logits, [1, 0], { labelSmoothing: -0.1 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got -0.1');
    expect(() => crossEntropy(logits, [1, 0], { labelSmoothing: '0.1' as never })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 0.1');
  });

  it('nllLoss and mseLoss reduce by mean, sum or none, and name a bad reduction', () => {
    const logp = tensor([[-1, -2], [-3, -4]], { dtype: 'float64' });
    expect(Array.from(nllLoss(logp, [1, 0], { reduction: 'none' }).data)).toEqual([2, 3]);
    expect(nllLoss(logp, [1, 0], { reduction: 'sum' }).item()).toBe(5);
    expect(Array.from(mseLoss(tensor([1, 2]), tensor([0, 0]), { reduction: 'none' }).data)).toEqual([1, 4]);
    expect(() => mseLoss(tensor([1]), tensor([1]), { reduction: 'avg' as never })).toThrow(`mseLoss: reduction must be 'mean', 'sum' or 'none', got "avg"`);
    expect(() => crossEntropy(logp, [1, 0], { reduction: 'avg' as never })).toThrow(`crossEntropy: reduction must be 'mean', 'sum' or 'none', got "avg"`);
    expect(() => nllLoss(logp, [1, 0], { reduction: 'avg' as never })).toThrow(`nllLoss: reduction must be 'mean', 'sum' or 'none', got "avg"`);
    expect(() => nllLoss(tensor([1, 2]), [0])).toThrow('nllLoss: logProbs must be [N, C]');
  });

  it('the loss modules keep and show their options', () => {
    const ce = new CrossEntropyLoss({ labelSmoothing: 0.5, reduction: 'none' });
    expect([ce.labelSmoothing, ce.reduction, ce.extraRepr()]).toEqual([0.5, 'none', "labelSmoothing=0.5, reduction='none'"]);
    expect(ce.call(logits, [1, 0]).shape).toEqual([2]);
    expect(new CrossEntropyLoss().extraRepr()).toBe("labelSmoothing=0, reduction='mean'");
    expect(new MSELoss().extraRepr()).toBe("reduction='mean'");
    expect(() => new MSELoss({ reduce: 'sum' } as never)).toThrow("MSELoss: unknown option 'reduce'");
    expect(() => new CrossEntropyLoss({ label_smoothing: 0.1 } as never)).toThrow("CrossEntropyLoss: unknown option 'label_smoothing'; did you mean 'labelSmoothing'?");
  });
});

describe('each function names itself and the bad argument', () => {
  it('a value that is not a tensor', () => {
    expect(() => leakyRelu(5 as never)).toThrow('leakyRelu: input must be a Tensor');
    expect(() => logSoftmax([1, 2] as never)).toThrow('logSoftmax: input must be a Tensor');
    expect(() => softmax(null as never)).toThrow('softmax: input must be a Tensor');
    expect(() => gelu(1 as never)).toThrow('gelu: input must be a Tensor');
    expect(() => mseLoss(1 as never, tensor([1]))).toThrow('mseLoss: input must be a Tensor');
    expect(() => mseLoss(tensor([1]), 1 as never)).toThrow('mseLoss: target must be a Tensor');
  });

  it('unknown options and bad labels', () => {
    const x = tensor([[0, 1]], { dtype: 'float64' });
    expect(() => crossEntropy(x, [0], { label_smoothing: 0.1 } as never)).toThrow("crossEntropy: unknown option 'label_smoothing'");
    expect(() => nllLoss(x, [0], { reduce: 'sum' } as never)).toThrow("nllLoss: unknown option 'reduce'");
    expect(() => nllLoss(x, [2])).toThrow('nllLoss: label 2 at position 0 is not an integer in [0, 1]');
  });

  it('the op recorded for the gradient is gelu', () => {
    expect(gelu(tensor([1], { requiresGrad: true })).gradNode?.op).toBe('gelu');
  });
});

describe('softmax and erf edge cases', () => {
  it('softmax and logSoftmax act on the last axis by default, also for 3-D input', () => {
    // [1, 2, 2]: along the last axis each row [0, ln 3] gives [0.25, 0.75]; along axis 1 the columns would differ.
    const x = tensor([[[0, Math.log(3)], [0, 0]]], { dtype: 'float64' });
    expect(Array.from(softmax(x).data).map((v) => Number(v.toFixed(12)))).toEqual([0.25, 0.75, 0.5, 0.5]);
    expect(logSoftmax(x).data[1]).toBeCloseTo(Math.log(0.75), 15);
    // Entry [0, 1, 1]: log 0.5 along the last axis ([0, 0]); along axis 1 ([ln 3, 0]) it would be log 0.25.
    expect(logSoftmax(x).data[3]).toBeCloseTo(Math.log(0.5), 15);
  });

  it('erf is exactly ±1 far out, where the series would overflow', () => {
    expect([erf(30), erf(-1e3), erf(Infinity)]).toEqual([1, -1, 1]);
  });
});
