/**
 * Edges of backward found by mutation testing: which tensors keep a gradient, and backwards that
 * return fewer gradients than their op has inputs.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '../../src/index';
import { fromOp } from '../../src/autograd/record';

describe('backward keeps gradients', () => {
  it('only on leaves and on non-leaf tensors that asked with retainGrad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3); // on the path, did not ask
    const k = x.mul(2).retainGrad();
    h.add(k).sum().backward();
    expect([h.retainsGrad, h.grad, k.retainsGrad]).toEqual([false, null, true]);
    expect(k.grad?.toArray()).toEqual([1, 1]);
    expect(x.grad?.toArray()).toEqual([5, 5]); // d(3x + 2x)/dx
    expect(tensor([1]).retainsGrad).toBe(false);
  });
});

describe('backward with fewer gradients than inputs', () => {
  it('treats a missing entry as no gradient for that input', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const y = fromOp('firstOnly', new Float32Array(1), [], [a, b], (): Tensor[] => [tensor([7, 8])]);
    y.backward();
    expect(a.grad?.toArray()).toEqual([7, 8]);
    expect(b.grad).toBeNull();
  });
});
