// The fused ops (cross-entropy, linear with bias, dropout) against the compositions they replace:
// values and gradients, float32 and float64, both kernel backends, plus gradcheck.
import { afterEach, describe, expect, it } from 'vitest';
import {
  Generator, Tensor, add, assertClose, crossEntropy, dropout, gradcheck, linear, logSoftmax, matmul, mean, mul, neg, randn,
  setKernelBackend, sum, tensor, type DType,
} from '../../src/index';

const BACKENDS = ['wasm', 'ts'] as const;
const DTYPES: DType[] = ['float32', 'float64'];

afterEach(() => setKernelBackend('wasm'));

function leaf(shape: number[], dtype: DType, seed: number): Tensor {
  return randn(shape, { dtype, generator: new Generator(seed), requiresGrad: true });
}

/** Values of fn(...inputs) and the gradients of sum(fn · w) for a fixed random w, on fresh copies of the inputs. */
function valueAndGrads(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): { y: Tensor; grads: Tensor[] } {
  const xs = inputs.map((t) => new Tensor(t.data.slice(), t.shape, true));
  const y = fn(...xs);
  const w = randn(y.shape, { dtype: y.dtype, generator: new Generator(99) });
  sum(mul(y, w)).backward();
  return { y, grads: xs.map((x) => x.grad as Tensor) };
}

/** Cross-entropy per example as the composition: -Σ_k q_k log softmax_k with a dense target q. */
function crossEntropyComposed(logits: Tensor, labels: number[], eps: number): Tensor {
  const [n, c] = logits.shape;
  // The target as crossEntropy built it before it was fused: filled with ε/C, then 1 - ε added.
  const q = logits.dtype === 'float32' ? new Float32Array(n * c) : new Float64Array(n * c);
  q.fill(eps / c);
  labels.forEach((l, i) => (q[i * c + l] += 1 - eps));
  const target = tensor(q, { shape: [n, c], dtype: logits.dtype });
  return neg(sum(mul(logSoftmax(logits, 1), target), 1));
}

describe('fused crossEntropy', () => {
  const labels = [3, 0, 4, 4, 1, 2, 0];
  for (const backend of BACKENDS) {
    for (const dtype of DTYPES) {
      it(`equals the composition -Σ q log softmax bit for bit, values and gradients (${backend}, ${dtype}, ε = 0 and 0.1)`, () => {
        setKernelBackend(backend);
        const logits = leaf([7, 5], dtype, 1);
        for (const eps of [0, 0.1]) {
          for (const reduction of ['none', 'mean', 'sum'] as const) {
            const reduce = (t: Tensor): Tensor => (reduction === 'none' ? t : reduction === 'mean' ? mean(t) : sum(t));
            const fused = valueAndGrads((x) => crossEntropy(x, labels, { labelSmoothing: eps, reduction }), [logits]);
            const composed = valueAndGrads((x) => reduce(crossEntropyComposed(x, labels, eps)), [logits]);
            expect(fused.y.dtype).toBe(dtype);
            expect(Array.from(fused.y.data), `loss (ε ${eps}, ${reduction})`).toEqual(Array.from(composed.y.data));
            expect(Array.from(fused.grads[0].data), `d/dlogits (ε ${eps}, ${reduction})`).toEqual(Array.from(composed.grads[0].data));
          }
        }
      });
    }
  }

  it('passes gradcheck with and without label smoothing', () => {
    expect(gradcheck((x) => crossEntropy(x, labels), [leaf([7, 5], 'float64', 2)])).toBe(true);
    expect(gradcheck((x) => crossEntropy(x, labels, { labelSmoothing: 0.3, reduction: 'sum' }), [leaf([7, 5], 'float64', 3)])).toBe(true);
  });

  it('is one graph node over the logits (no dense target among its inputs)', () => {
    const logits = leaf([7, 5], 'float32', 4);
    const losses = crossEntropy(logits, labels, { reduction: 'none' });
    expect(losses.gradNode?.op).toBe('crossEntropy');
    expect(losses.gradNode?.inputs).toEqual([logits]);
  });

  it('keeps a -Infinity logit of another class finite (as PyTorch), and its gradient 0 there', () => {
    const logits = tensor([[0, Math.log(3), -Infinity]], { dtype: 'float64' }).requiresGrad_(true);
    const loss = crossEntropy(logits, [1]);
    expect(loss.item()).toBeCloseTo(-Math.log(0.75), 14);
    loss.backward();
    assertClose(logits.grad as Tensor, [[0.25, -0.25, 0]], { atol: 1e-15 });
  });
});

describe('fused linear (x W + b as one op)', () => {
  for (const backend of BACKENDS) {
    for (const dtype of DTYPES) {
      it(`equals add(matmul(x, W), b) bit for bit, values and gradients (${backend}, ${dtype})`, () => {
        setKernelBackend(backend);
        // MNIST-like sparse rows take the zero-skipping product path, the dense ones the other.
        const x = leaf([9, 13], dtype, 5);
        for (let i = 0; i < x.size; i += 2) x.data[i] = 0;
        const inputs = [x, leaf([13, 6], dtype, 6), leaf([6], dtype, 7)];
        const fused = valueAndGrads((a, w, b) => linear(a, w, b), inputs);
        const composed = valueAndGrads((a, w, b) => add(matmul(a, w), b), inputs);
        expect(fused.y.gradNode).not.toBeNull();
        expect(Array.from(fused.y.data)).toEqual(Array.from(composed.y.data));
        for (let i = 0; i < 3; i++) expect(Array.from(fused.grads[i].data)).toEqual(Array.from(composed.grads[i].data));
      });
    }
  }

  it('passes gradcheck, also with only some inputs requiring grad', () => {
    expect(gradcheck((a, w, b) => linear(a, w, b), [leaf([4, 3], 'float64', 8), leaf([3, 5], 'float64', 9), leaf([5], 'float64', 10)])).toBe(true);
    const x = randn([4, 3], { dtype: 'float64', generator: new Generator(11) });
    expect(gradcheck((w, b) => linear(x, w, b), [leaf([3, 5], 'float64', 12), leaf([5], 'float64', 13)])).toBe(true);
  });

  it('is one graph node with x, W and b as inputs; batched inputs still work through the composition', () => {
    const [x, w, b] = [leaf([2, 3], 'float32', 14), leaf([3, 4], 'float32', 15), leaf([4], 'float32', 16)];
    const y = linear(x, w, b);
    expect(y.gradNode?.op).toBe('linear');
    expect(y.gradNode?.inputs).toEqual([x, w, b]);
    const batched = linear(leaf([2, 2, 3], 'float32', 17), w, b);
    expect(batched.shape).toEqual([2, 2, 4]);
    expect(gradcheck((a, ww, bb) => linear(a, ww, bb), [leaf([2, 2, 3], 'float64', 18), leaf([3, 4], 'float64', 19), leaf([4], 'float64', 20)])).toBe(true);
  });
});

describe('fused dropout', () => {
  for (const backend of BACKENDS) {
    for (const dtype of DTYPES) {
      it(`equals mul(x, mask) with a 0/scale mask drawn in the same order, bit for bit (${backend}, ${dtype})`, () => {
        setKernelBackend(backend);
        const x = leaf([6, 50], dtype, 21);
        for (const p of [0.5, 0.3]) {
          const fused = valueAndGrads((a) => dropout(a, p, { generator: new Generator(7) }), [x]);
          const composed = valueAndGrads((a) => {
            const g = new Generator(7);
            const mask = new Float64Array(a.size).map(() => (g.uniform() < p ? 0 : 1 / (1 - p)));
            return mul(a, tensor(mask, { shape: a.shape, dtype }));
          }, [x]);
          expect(Array.from(fused.y.data)).toEqual(Array.from(composed.y.data));
          expect(Array.from(fused.grads[0].data)).toEqual(Array.from(composed.grads[0].data));
        }
      });
    }
  }

  it('is one graph node over x alone (no mask or scale tensor), and passes gradcheck', () => {
    const x = leaf([4, 5], 'float32', 22);
    const y = dropout(x, 0.5, { generator: new Generator(1) });
    expect(y.gradNode?.op).toBe('dropout');
    expect(y.gradNode?.inputs).toEqual([x]);
    expect(gradcheck((a) => dropout(a, 0.4, { generator: new Generator(3) }), [leaf([5, 6], 'float64', 23)])).toBe(true);
  });
});
