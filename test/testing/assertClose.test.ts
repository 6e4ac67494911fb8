import { describe, expect, it } from 'vitest';
import { assertClose, gradcheck, tensor, randn, Generator, Tensor } from '../../src/index';
import { fromOp } from '../../src/autograd/record';

describe('assertClose', () => {
  it('passes within tolerance and fails outside it with a readable diff', () => {
    assertClose(tensor([1, 2]), [1, 2.00001]);
    expect(() => assertClose(tensor([[1, 2], [3, 4]]), [[1, 2], [3, 5]])).toThrow(
      /assertClose: 1 of 4 element\(s\) differ \(atol=0.00001, rtol=0.0001\); largest difference 1\.000e\+0 at \[1, 1\]\n  at \[1, 1\]: actual 4, expected 5/,
    );
    expect(() => assertClose(tensor([1, 2]), [1, 2, 3])).toThrow('assertClose: shape mismatch, actual [2] vs expected [3]');
    expect(() => assertClose(tensor([NaN]), [NaN])).toThrow(/differ/);
    assertClose(tensor([NaN]), [NaN], { equalNan: true });
    expect(() => assertClose(1, 2, { message: 'std of W' })).toThrow(/^std of W: /);
  });

  it('matches an infinity only with the same infinity (the relative tolerance of inf is no excuse)', () => {
    assertClose(tensor([Infinity, -Infinity]), [Infinity, -Infinity]);
    expect(() => assertClose(5, Infinity)).toThrow(/1 of 1 element\(s\) differ.*largest difference Infinity at \[\]/);
    expect(() => assertClose(-Infinity, Infinity)).toThrow(/differ/);
    expect(() => assertClose(Infinity, 1e30)).toThrow(/differ/);
    expect(() => assertClose([1, 2], [1, Infinity])).toThrow(/at \[1\]: actual 2, expected Infinity/);
  });

  it('reports the first NaN as the largest difference, not an earlier finite one', () => {
    expect(() => assertClose([5, NaN], [1, 1])).toThrow(/largest difference NaN at \[1\]/);
  });
});

describe('gradcheck', () => {
  it('catches a wrong backward even when a plain sum would hide it', () => {
    // A deliberately wrong op: forward x*y, backward swaps the roles (correct only when x == y).
    const bad = (x: Tensor) => fromOp('bad', x.data.map((v) => v * v), x.shape, [x], (g) => [g.mul(x.detach().flip())]);
    const x = randn([4], { dtype: 'float64', generator: new Generator(1), requiresGrad: true });
    expect(() => gradcheck(bad, [x])).toThrow(/gradcheck: gradient of input 0 \(shape \[4\]\) is wrong at element/);
  });

  it('does not accept a finite gradient where the finite difference is infinite', () => {
    // Forward: a step from 0 to inf at x = 0; its (wrong) backward says the gradient is 0.
    const step = (x: Tensor) => fromOp('step', x.data.map((v) => (v > 0 ? Infinity : 0)), x.shape, [x], (g) => [g.mul(0)]);
    expect(() => gradcheck(step, [tensor([0], { dtype: 'float64', requiresGrad: true })])).toThrow(
      /gradcheck: gradient of input 0 \(shape \[1\]\) is wrong at element 0: autograd 0, finite differences -?Infinity/,
    );
  });

  it('requires float64 inputs', () => {
    expect(() => gradcheck((t) => t, [tensor([1], { requiresGrad: true })])).toThrow('gradcheck: inputs[0] must be float64 for finite differences, got float32');
  });
});

declare module '../../src/autograd/tensor' {
  interface Tensor {
    flip(): Tensor;
  }
}
Tensor.prototype.flip = function (this: Tensor) {
  return tensor(Array.from(this.data).reverse(), { dtype: this.dtype });
};
