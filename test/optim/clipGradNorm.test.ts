import { describe, expect, it } from 'vitest';
import { Tensor, assertClose, clipGradNorm, tensor } from '../../src/index';

function withGrad(g: number[]): Tensor {
  const p = tensor(g.map(() => 0), { dtype: 'float64', requiresGrad: true });
  p.grad = tensor(g, { dtype: 'float64' });
  return p;
}

describe('clipGradNorm', () => {
  it('rescales all gradients together to the max norm and returns the norm before clipping', () => {
    const a = withGrad([3, 0]);
    const b = withGrad([0, 4]);
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5, 15);
    const scale = 1 / (5 + 1e-6);
    assertClose(a.grad ?? tensor(0), [3 * scale, 0], { atol: 1e-15 });
    assertClose(b.grad ?? tensor(0), [0, 4 * scale], { atol: 1e-15 });
  });

  it('leaves gradients below the max norm unchanged, and skips parameters without one', () => {
    const a = withGrad([0.3, 0.4]);
    const none = tensor([1], { requiresGrad: true });
    expect(clipGradNorm([a, none], 1)).toBeCloseTo(0.5, 15);
    assertClose(a.grad ?? tensor(0), [0.3, 0.4], { atol: 0, rtol: 0 });
  });

  it('supports the max norm and reports non-finite norms on request', () => {
    expect(clipGradNorm([withGrad([1, -7, 2])], 100, { normType: Infinity })).toBe(7);
    expect(() => clipGradNorm([withGrad([NaN])], 1, { errorIfNonfinite: true })).toThrow('clipGradNorm: the total norm of the gradients is NaN');
    expect(() => clipGradNorm([], -1)).toThrow('clipGradNorm: maxNorm must be a number >= 0, got -1');
  });

  it('spreads a NaN norm to every gradient, as PyTorch does, rather than leaving them unclipped', () => {
    const a = withGrad([NaN, 1]);
    const b = withGrad([2]);
    expect(clipGradNorm([a, b], 1)).toBeNaN();
    expect(Array.from(a.grad?.data ?? []).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(b.grad?.data[0])).toBe(true);
  });
});

describe('clipGradNorm: p-norms and the edge of the limit', () => {
  it('computes the 1-norm and the 3-norm over all gradients together', () => {
    expect(clipGradNorm([withGrad([3, -4]), withGrad([1])], 100, { normType: 1 })).toBeCloseTo(8, 14);
    expect(clipGradNorm([withGrad([1, -2]), withGrad([2])], 100, { normType: 3 })).toBeCloseTo(Math.cbrt(17), 14);
  });

  it('scales by maxNorm / (norm + 1e-6), so a norm equal to the limit still shrinks a little', () => {
    const a = withGrad([3, 4]);
    clipGradNorm([a], 5);
    assertClose(a.grad ?? tensor(0), [(3 * 5) / (5 + 1e-6), (4 * 5) / (5 + 1e-6)], { atol: 1e-15 });
    const b = withGrad([0.6, 0.8]);
    clipGradNorm([b], 0.5, { normType: Infinity });
    assertClose(b.grad ?? tensor(0), [0.6 * (0.5 / (0.8 + 1e-6)), 0.8 * (0.5 / (0.8 + 1e-6))], { atol: 1e-15 });
  });

  it('returns an infinite norm without throwing unless asked, and names bad arguments', () => {
    expect(clipGradNorm([withGrad([Infinity])], 1)).toBe(Infinity);
    expect(() => clipGradNorm([withGrad([Infinity])], 1, { errorIfNonfinite: true })).toThrow(
      'clipGradNorm: the total norm of the gradients is Infinity; some gradient is NaN or infinite',
    );
    expect(() => clipGradNorm([], 1, { normType: 0 })).toThrow('clipGradNorm: normType must be > 0 or Infinity, got 0');
    expect(() => clipGradNorm([], NaN)).toThrow('clipGradNorm: maxNorm must be a number >= 0, got NaN');
    expect(() => clipGradNorm([withGrad([1]), 3] as never, 1)).toThrow('clipGradNorm: params[1] is not a Tensor');
    expect(clipGradNorm([], 1)).toBe(0);
  });
});

describe('clipGradNorm: argument checks and the exact scale', () => {
  it('refuses numbers given as strings and unknown options', () => {
    expect(() => clipGradNorm([withGrad([1])], '1' as never)).toThrow('clipGradNorm: maxNorm must be a number >= 0, got 1');
    expect(() => clipGradNorm([withGrad([1])], 1, { normType: '2' as never })).toThrow('clipGradNorm: normType must be > 0 or Infinity, got 2');
    expect(() => clipGradNorm([withGrad([1])], 1, { max_norm: 1 } as never)).toThrow("clipGradNorm: unknown option 'max_norm'");
  });

  it('maxNorm 0 is allowed and zeroes every gradient', () => {
    const a = withGrad([3, -4]);
    expect(clipGradNorm([a], 0)).toBe(5);
    expect(Array.from(a.grad?.data ?? []).map(Math.abs)).toEqual([0, 0]);
  });

  it('a norm equal to the limit is scaled by maxNorm / (norm + 1e-6), not left alone (rtol 0)', () => {
    const a = withGrad([3, 4]);
    clipGradNorm([a], 5);
    expect(a.grad?.data[0]).toBe(3 * (5 / (5 + 1e-6)));
    expect(a.grad?.data[1]).toBe(4 * (5 / (5 + 1e-6)));
  });
});
