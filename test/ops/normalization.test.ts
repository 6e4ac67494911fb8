import { afterEach, describe, expect, it } from 'vitest';
import {
  Generator, Tensor, add, assertClose, batchNorm, div, gradcheck, layerNorm, mean, mul, noGrad, randn, reshape, setKernelBackend, sqrt, sub, sum,
  type DType, type KernelBackendName,
} from '../../src/index';

// The fused layer and batch norm against their compositions from core primitives: the same forward
// and the same gradients for x, γ and β, on random shapes, in float64 and float32, on both backends.

/** y = (x - mean) / sqrt(var + eps) · γ + β over the last `k` axes, from core primitives (the reference). */
function layerNormComposed(x: Tensor, k: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const centered = sub(x, mean(x, axes, true));
  const variance = mean(mul(centered, centered), axes, true);
  let y = div(centered, sqrt(add(variance, eps)));
  if (weight !== null) y = mul(y, weight);
  if (bias !== null) y = add(y, bias);
  return y;
}

/** Batch norm of [N, C] or [N, C, L] from core primitives: batch statistics, or the given running ones. */
function batchNormComposed(
  x: Tensor, running: [Tensor, Tensor] | null, weight: Tensor | null, bias: Tensor | null, eps: number,
): Tensor {
  const c = x.shape[1];
  const statShape = x.ndim === 2 ? [1, c] : [1, c, 1];
  let centered: Tensor;
  let variance: Tensor;
  if (running === null) {
    const axes = x.ndim === 2 ? [0] : [0, 2];
    centered = sub(x, mean(x, axes, true));
    variance = mean(mul(centered, centered), axes, true);
  } else {
    centered = sub(x, reshape(running[0], statShape));
    variance = reshape(running[1], statShape);
  }
  let y = div(centered, sqrt(add(variance, eps)));
  if (weight !== null) y = mul(y, reshape(weight, statShape));
  if (bias !== null) y = add(y, reshape(bias, statShape));
  return y;
}

const gen = new Generator(2024);
const rand = (shape: number[], dtype: DType, requiresGrad = true, scale = 1, shift = 0): Tensor =>
  randn(shape, { dtype, generator: gen }).mul(scale).add(shift).detach().requiresGrad_(requiresGrad);

/** The output and the gradients of <g, fn(inputs)> for each input (null where it needs none). */
function valueAndGrads(fn: (...t: Tensor[]) => Tensor, inputs: Tensor[], g: Tensor): { y: Tensor; grads: (Tensor | null)[] } {
  const leaves = inputs.map((t) => t.detach().requiresGrad_(t.requiresGrad));
  const y = fn(...leaves);
  sum(mul(y, g)).backward();
  return { y: y.detach(), grads: leaves.map((t) => t.grad) };
}

function expectSame(fused: ReturnType<typeof valueAndGrads>, composed: ReturnType<typeof valueAndGrads>, dtype: DType, what: string): void {
  const tol = dtype === 'float64' ? { atol: 1e-10, rtol: 1e-9 } : { atol: 2e-5, rtol: 2e-4 };
  assertClose(fused.y, composed.y, tol);
  composed.grads.forEach((want, i) => {
    const got = fused.grads[i];
    if (want === null) expect(got, `${what}: gradient ${i}`).toBeNull();
    else assertClose(got as Tensor, want, tol);
  });
}

const BACKENDS: KernelBackendName[] = ['ts', 'wasm'];
const DTYPES: DType[] = ['float64', 'float32'];
const AFFINE: [boolean, boolean][] = [[true, true], [true, false], [false, true], [false, false]];

afterEach(() => setKernelBackend('wasm'));

describe.each(BACKENDS)('fused layerNorm on the %s backend', (backend) => {
  it.each(DTYPES)('matches the composition in value and gradients (%s)', (dtype) => {
    setKernelBackend(backend);
    const cases: [number[], number][] = [[[1, 1], 1], [[3, 5], 1], [[4, 7], 1], [[2, 3, 4], 1], [[2, 3, 4], 2], [[128, 256], 1], [[6], 1]];
    for (const [shape, k] of cases) {
      for (const [hasW, hasB] of AFFINE) {
        const norm = shape.slice(shape.length - k);
        const x = rand(shape, dtype, true, 3, 1.5);
        const w = hasW ? rand(norm, dtype) : null;
        const b = hasB ? rand(norm, dtype) : null;
        const g = rand(shape, dtype, false);
        const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
        const split = (t: Tensor[]): [Tensor, Tensor | null, Tensor | null] => [t[0], hasW ? t[1] : null, hasB ? t[hasW ? 2 : 1] : null];
        const fused = valueAndGrads((...t) => { const [xx, ww, bb] = split(t); return layerNorm(xx, norm, { weight: ww, bias: bb, eps: 1e-5 }); }, inputs, g);
        const composed = valueAndGrads((...t) => { const [xx, ww, bb] = split(t); return layerNormComposed(xx, k, ww, bb, 1e-5); }, inputs, g);
        expectSame(fused, composed, dtype, `layerNorm ${JSON.stringify(shape)} over ${k} axes, weight ${hasW}, bias ${hasB}`);
      }
    }
  });
});

describe.each(BACKENDS)('fused batchNorm on the %s backend', (backend) => {
  it.each(DTYPES)('matches the composition with batch statistics and with running statistics (%s)', (dtype) => {
    setKernelBackend(backend);
    for (const shape of [[2, 1], [5, 3], [4, 3, 2], [3, 4, 5], [128, 256]]) {
      const c = shape[1];
      for (const [hasW, hasB] of AFFINE) {
        for (const training of [true, false]) {
          const x = rand(shape, dtype, true, 2, -1);
          const w = hasW ? rand([c], dtype) : null;
          const b = hasB ? rand([c], dtype) : null;
          const rm = rand([c], dtype, false);
          const rv = rand([c], dtype, false).abs().add(0.3);
          const g = rand(shape, dtype, false);
          const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
          const split = (t: Tensor[]): [Tensor, Tensor | null, Tensor | null] => [t[0], hasW ? t[1] : null, hasB ? t[hasW ? 2 : 1] : null];
          const fused = valueAndGrads((...t) => {
            const [xx, ww, bb] = split(t);
            return training
              ? batchNorm(xx, null, null, { weight: ww, bias: bb, training, eps: 1e-5 })
              : batchNorm(xx, rm, rv, { weight: ww, bias: bb, training, eps: 1e-5 });
          }, inputs, g);
          const composed = valueAndGrads((...t) => {
            const [xx, ww, bb] = split(t);
            return batchNormComposed(xx, training ? null : [rm, rv], ww, bb, 1e-5);
          }, inputs, g);
          expectSame(fused, composed, dtype, `batchNorm ${JSON.stringify(shape)}, training ${training}, weight ${hasW}, bias ${hasB}`);
        }
      }
    }
  });

  it.each(DTYPES)('moves the running statistics as the composition does: batch mean and unbiased variance (%s)', (dtype) => {
    setKernelBackend(backend);
    const x = rand([6, 3, 2], dtype, false, 2, 1);
    const rm = rand([3], dtype, false);
    const rv = rand([3], dtype, false).abs().add(0.5);
    const [m0, v0] = [rm.detach().clone(), rv.detach().clone()];
    batchNorm(x, rm, rv, { training: true, momentum: 0.3 });
    const n = 12;
    const batchMean = mean(x, [0, 2]);
    const centered = sub(x, reshape(batchMean, [1, 3, 1]));
    const unbiased = div(sum(mul(centered, centered), [0, 2]), n - 1);
    const tol = dtype === 'float64' ? { atol: 1e-12 } : { atol: 1e-6 };
    assertClose(rm, add(mul(m0, 0.7), mul(batchMean, 0.3)), tol);
    assertClose(rv, add(mul(v0, 0.7), mul(unbiased, 0.3)), tol);
  });
});

describe('fused normalization', () => {
  it('gives the same float32 numbers on both backends, bit for bit', () => {
    const x = rand([32, 48], 'float32', true, 2, 1);
    const w = rand([48], 'float32');
    const g = rand([32, 48], 'float32', false);
    const run = (backend: KernelBackendName): Float32Array[] => {
      setKernelBackend(backend);
      const ln = valueAndGrads((xx, ww) => layerNorm(xx, 48, { weight: ww }), [x, w], g);
      const bn = valueAndGrads((xx, ww) => batchNorm(xx, null, null, { weight: ww, training: true }), [x, w], g);
      return [ln.y, ...ln.grads, bn.y, ...bn.grads].map((t) => Float32Array.from((t as Tensor).data));
    };
    const [ts, wasm] = [run('ts'), run('wasm')];
    ts.forEach((a, i) => expect(Array.from(wasm[i])).toEqual(Array.from(a)));
  });

  it('has gradients that match central differences with one of γ, β and on [N, C, L] in eval mode', () => {
    const f64 = (shape: number[]): Tensor => rand(shape, 'float64');
    expect(gradcheck((x, w) => layerNorm(x, [3, 4], { weight: w }), [f64([2, 3, 4]), f64([3, 4])])).toBe(true);
    expect(gradcheck((x, b) => layerNorm(x, 4, { bias: b, eps: 0.1 }), [f64([3, 4]), f64([4])])).toBe(true);
    expect(gradcheck((x, b) => batchNorm(x, null, null, { bias: b, training: true }), [f64([4, 2, 3]), f64([2])])).toBe(true);
    const rm = rand([2], 'float64', false);
    const rv = rand([2], 'float64', false).abs().add(0.5);
    expect(gradcheck((x, w, b) => batchNorm(x, rm, rv, { weight: w, bias: b }), [f64([4, 2, 3]), f64([2]), f64([2])])).toBe(true);
  });

  it('records no graph under noGrad, and a γ that alone requires grad still gets its gradient', () => {
    const x = rand([4, 3], 'float64', false);
    const w = rand([3], 'float64');
    expect(noGrad(() => layerNorm(x, 3, { weight: w })).requiresGrad).toBe(false);
    const g = rand([4, 3], 'float64', false);
    const fused = valueAndGrads((xx, ww) => batchNorm(xx, null, null, { weight: ww, training: true }), [x, w], g);
    const composed = valueAndGrads((xx, ww) => batchNormComposed(xx, null, ww, null, 1e-5), [x, w], g);
    expect(fused.grads[0]).toBeNull();
    assertClose(fused.grads[1] as Tensor, composed.grads[1] as Tensor, { atol: 1e-12 });
  });

  it('names the op and both dtypes when γ, β or the running statistics do not match the input', () => {
    const x = rand([4, 3], 'float32', false);
    expect(() => layerNorm(x, 3, { weight: rand([3], 'float64') })).toThrow("layerNorm: weight is float64 but the input is float32; convert one with .astype('float32')");
    expect(() => batchNorm(x, null, null, { bias: rand([3], 'float64'), training: true })).toThrow('batchNorm: bias is float64 but the input is float32');
    expect(() => layerNorm(x, 3, { bias: rand([3], 'float64') })).toThrow("layerNorm: bias is float64 but the input is float32; convert one with .astype('float32')");
    expect(() => batchNorm(x, null, null, { weight: rand([3], 'float64'), training: true })).toThrow('batchNorm: weight is float64 but the input is float32');
    expect(() => batchNorm(x, rand([3], 'float64', false), rand([3], 'float32', false))).toThrow('batchNorm: runningMean is float64 but the input is float32');
  });
});
