// What the README promises about results across kernel backends and runs: float64 bit for bit on
// both backends; float32 bit for bit for everything but matrix products, whose float32 sums differ
// (the WebAssembly kernel sums in float32, the TypeScript one in float64) by a few float32 roundings;
// and the same seed gives the same numbers on every run.
import { afterEach, describe, expect, it } from 'vitest';
import {
  CrossEntropyLoss, Dropout, GELU, Generator, Linear, ReLU, SGD, Sequential, Tanh, Tensor, matmul, randint, randn,
  setKernelBackend, type DType, type KernelBackendName,
} from '../../src/index';

afterEach(() => setKernelBackend('wasm'));

/** Losses and final first-layer weights of 5 SGD steps of a small MLP with dropout, all from `seed`. */
function train(backend: KernelBackendName, dtype: DType, seed: number): { losses: number[]; weight: Float32Array | Float64Array } {
  setKernelBackend(backend);
  const gen = new Generator(seed);
  const x = randn([32, 40], { dtype, generator: gen });
  for (let i = 0; i < x.size; i += 3) x.data[i] = 0; // sparse rows, like MNIST pixels
  const labels = randint(0, 10, [32], { generator: gen });
  const first = new Linear(40, 64, { dtype, generator: gen });
  const model = new Sequential(first, new ReLU(), new Dropout(0.3, { generator: gen }), new Linear(64, 32, { dtype, generator: gen }),
    new GELU(), new Linear(32, 10, { dtype, generator: gen }), new Tanh());
  const lossFn = new CrossEntropyLoss({ labelSmoothing: 0.1 });
  const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), labels);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return { losses, weight: first.weight.data.slice() };
}

describe('results across runs and kernel backends', () => {
  it('repeat bit for bit for a fixed seed, on each backend and dtype', () => {
    for (const backend of ['wasm', 'ts'] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        const a = train(backend, dtype, 3);
        const b = train(backend, dtype, 3);
        expect(b.losses, `${backend} ${dtype}`).toEqual(a.losses);
        expect(Array.from(b.weight), `${backend} ${dtype}`).toEqual(Array.from(a.weight));
        expect(train(backend, dtype, 4).losses, 'another seed').not.toEqual(a.losses);
      }
    }
  });

  it('agree bit for bit across backends in float64', () => {
    const wasm = train('wasm', 'float64', 5);
    const ts = train('ts', 'float64', 5);
    expect(wasm.losses).toEqual(ts.losses);
    expect(Array.from(wasm.weight)).toEqual(Array.from(ts.weight));
  });

  it('agree in float32 to float32 rounding: products within k·2^-23 relative, training steps within 1e-5', () => {
    const gen = new Generator(6);
    const a = randn([64, 300], { generator: gen });
    const b = randn([300, 50], { generator: gen });
    setKernelBackend('wasm');
    const pw = matmul(a, b).data;
    setKernelBackend('ts');
    const pt = matmul(a, b).data;
    let worst = 0;
    let differ = 0;
    for (let i = 0; i < pw.length; i++) {
      // Relative to the size of the terms summed, the error bound of a k-term float32 sum.
      worst = Math.max(worst, Math.abs(pw[i] - pt[i]) / (1 + Math.abs(pt[i])));
      if (pw[i] !== pt[i]) differ++;
    }
    expect(worst).toBeLessThan(300 * 2 ** -23);
    expect(differ, 'the two backends really sum differently in float32').toBeGreaterThan(0);

    const wasm = train('wasm', 'float32', 7);
    const ts = train('ts', 'float32', 7);
    for (let i = 0; i < 5; i++) expect(Math.abs(wasm.losses[i] - ts.losses[i])).toBeLessThan(1e-5 * Math.abs(ts.losses[i]) + 1e-6);
  });

  it('give the same bits on both backends in float32 for every op but the matrix product', () => {
    const run = (backend: KernelBackendName): Float32Array[] => {
      setKernelBackend(backend);
      const gen = new Generator(8);
      const x = randn([16, 12], { generator: gen, requiresGrad: true });
      const ops: Tensor[] = [x.exp(), x.tanh(), x.sigmoid(), x.relu(), x.abs(), x.sub(0.5).maximum(x.mul(0.1)), x.logsumexp(1), x.pow(3)];
      ops.forEach((y) => y.sum().backward());
      return [...ops.map((y) => y.data as Float32Array), x.grad?.data as Float32Array];
    };
    const wasm = run('wasm');
    const ts = run('ts');
    wasm.forEach((d, i) => expect(Array.from(d), `output ${i}`).toEqual(Array.from(ts[i])));
  });
});
