import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Generator } from '../../src/tensor/random';
import type { DataArray } from '../../src/tensor/dtype';
import { gemmTs } from '../../src/tensor/kernels/gemmTs';
import { gemm } from '../../src/tensor/kernels/matmul';
import {
  kernelBackend,
  kernelThreads,
  kernels,
  setKernelBackend,
  setKernelThreads,
  wasmKernelsUnavailableReason,
} from '../../src/tensor/kernels/backend';
import { loadWasmKernels } from '../../src/tensor/kernels/wasm/module';
import { helperChunks, readyHelpers } from '../../src/tensor/kernels/wasm/pool';
import { Tensor, matmul } from '../../src/index';

const gen = new Generator(7);

function random(
  size: number,
  zeros = 0,
  Ctor: typeof Float32Array | typeof Float64Array = Float32Array,
  g: Generator = gen,
): DataArray {
  const x = new Ctor(size);
  for (let i = 0; i < size; i++) x[i] = g.uniform() < zeros ? 0 : g.normal();
  return x;
}

/** The textbook triple loop in float64: the reference every kernel is held to. */
function reference(a: DataArray, b: DataArray, m: number, k: number, n: number, tA: boolean, tB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Largest |x - y| / (1 + |y|): float32 rounding of a k-term sum stays well below k · 2^-23. */
function maxRelError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return worst;
}

function run(name: 'ts' | 'wasm', a: DataArray, b: DataArray, m: number, k: number, n: number, tA: boolean, tB: boolean): DataArray {
  setKernelBackend(name);
  const out = a instanceof Float64Array ? new Float64Array(m * n) : new Float32Array(m * n);
  gemm(a, b, out, m, k, n, tA, tB);
  return out;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [3, 5, 7], [4, 8, 8], [5, 9, 17], [13, 1, 11], [33, 300, 31], [128, 784, 100],
  [130, 600, 1030], [64, 513, 9], [2, 1000, 3],
];
const TRANS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

afterEach(() => {
  setKernelBackend('wasm');
});
afterAll(() => {
  setKernelThreads(1);
});

describe('kernel backend switch', () => {
  it('runs WebAssembly SIMD here by default, and says so', () => {
    expect(wasmKernelsUnavailableReason()).toBeUndefined();
    if (process.env.GRADLAB_KERNELS === undefined) expect(kernelBackend()).toBe('wasm');
    setKernelBackend('ts');
    expect(kernelBackend()).toBe('ts');
    expect(kernels().name).toBe('ts');
  });

  it('names the rule and the value when asked for an unknown backend or thread count', () => {
    expect(() => setKernelBackend('gpu' as 'ts')).toThrow(
      `setKernelBackend: kernel backend must be 'wasm' or 'ts', got "gpu"`,
    );
    expect(() => setKernelThreads(0)).toThrow('setKernelThreads: threads must be an integer in [1, 16], got 0');
  });
});

describe('gemm: op(A) · op(B) against the float64 triple loop', () => {
  for (const backend of ['ts', 'wasm'] as const) {
    it(`${backend}: every transposition, odd and tiny sizes, float32`, () => {
      for (const [m, k, n] of SHAPES) {
        for (const [tA, tB] of TRANS) {
          const a = random(m * k);
          const b = random(k * n);
          const err = maxRelError(run(backend, a, b, m, k, n, tA, tB), reference(a, b, m, k, n, tA, tB));
          expect(err, `${m}x${k}x${n} transA=${tA} transB=${tB}`).toBeLessThan(k * 6e-8 + 1e-6);
        }
      }
    });
  }

  it('float64 stays float64 under either backend (rounding ~1e-16, not float32)', () => {
    for (const backend of ['ts', 'wasm'] as const) {
      const [m, k, n] = [37, 129, 21];
      for (const [tA, tB] of TRANS) {
        const a = random(m * k, 0, Float64Array);
        const b = random(k * n, 0, Float64Array);
        const out = run(backend, a, b, m, k, n, tA, tB);
        expect(out).toBeInstanceOf(Float64Array);
        expect(maxRelError(out, reference(a, b, m, k, n, tA, tB))).toBeLessThan(1e-13);
      }
    }
  });

  it('an empty inner dimension gives zeros, empty outer dimensions leave out alone', () => {
    for (const backend of ['ts', 'wasm'] as const) {
      expect(Array.from(run(backend, new Float32Array(0), new Float32Array(0), 2, 0, 3, false, false))).toEqual([0, 0, 0, 0, 0, 0]);
      const out = new Float32Array([5]);
      setKernelBackend(backend);
      gemm(new Float32Array(0), new Float32Array(6), out, 0, 2, 3, false, false);
      expect(out[0]).toBe(5);
    }
  });

  it('the wasm and ts backends agree within float32 rounding on random shapes', () => {
    for (let trial = 0; trial < 40; trial++) {
      const [m, k, n] = [1 + gen.integer(0, 70), 1 + gen.integer(0, 300), 1 + gen.integer(0, 70)];
      const [tA, tB] = TRANS[trial % 4];
      const a = random(m * k, trial % 3 === 0 ? 0.8 : 0);
      const b = random(k * n);
      const err = maxRelError(run('wasm', a, b, m, k, n, tA, tB), run('ts', a, b, m, k, n, tA, tB));
      expect(err, `${m}x${k}x${n} transA=${tA} transB=${tB}`).toBeLessThan(k * 6e-8 + 1e-6);
    }
  });
});

describe('gemm: skipping the zeros of op(A) is exact', () => {
  // B transposed turns the skipping off, so the same product is computed densely for comparison.
  function transpose(b: DataArray, k: number, n: number): DataArray {
    const t = new (b.constructor as typeof Float32Array)(k * n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) t[j * k + p] = b[p * n + j];
    return t;
  }

  for (const backend of ['ts', 'wasm'] as const) {
    it(`${backend}: 81% zeros give bit for bit the dense result, both layouts of A`, () => {
      for (const [m, k, n] of [[128, 784, 100], [33, 70, 45], [5, 3, 2]] as const) {
        for (const tA of [false, true]) {
          const a = random(m * k, 0.81);
          const b = random(k * n);
          const sparse = run(backend, a, b, m, k, n, tA, false);
          const dense = run(backend, a, transpose(b, k, n), m, k, n, tA, true);
          expect(Array.from(sparse)).toEqual(Array.from(dense));
        }
      }
    });

    it(`${backend}: 0 · Infinity is still NaN when op(A) is mostly zeros`, () => {
      const [m, k, n] = [6, 10, 45]; // 45 columns: the wasm backend skips zeros from 40 columns on
      const a = random(m * k, 0.9);
      a[0] = 0; // row 0 of op(A) has a zero in column 0 ...
      const b = random(k * n);
      b[2] = Infinity; // ... which meets an infinite entry of B's row 0
      const out = run(backend, a, b, m, k, n, false, false);
      const ref = reference(a, b, m, k, n, false, false);
      expect(Number.isNaN(out[2])).toBe(true);
      for (let i = 0; i < m * n; i++) expect(Number.isNaN(out[i])).toBe(Number.isNaN(ref[i]));
    });
  }
});

describe('gemm: edge tiles and narrow panels at odd sizes', () => {
  const ODD = [1, 3, 5, 7, 9, 17, 33];
  const edgeGen = new Generator(11);
  const draw = (size: number, zeros = 0): DataArray => random(size, zeros, Float32Array, edgeGen);

  it('wasm: every m, k, n in 1, 3, 5, 7, 9, 17, 33 and every transposition, within float32 rounding', () => {
    setKernelBackend('wasm');
    for (const m of ODD) {
      for (const k of ODD) {
        for (const n of ODD) {
          for (const [tA, tB] of TRANS) {
            const a = draw(m * k);
            const b = draw(k * n);
            // out is longer than m x n: the kernel's padded rows and columns must not reach it
            const out = new Float32Array(m * n + 8).fill(7);
            gemm(a, b, out, m, k, n, tA, tB);
            const where = `${m}x${k}x${n} transA=${tA} transB=${tB}`;
            expect(maxRelError(out.subarray(0, m * n), reference(a, b, m, k, n, tA, tB)), where).toBeLessThan(k * 6e-8 + 1e-6);
            expect(Array.from(out.subarray(m * n)), where).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
          }
        }
      }
    }
  });

  it('wasm: infinities in the last rows and columns give NaN and Infinity where the float64 loop does, and nowhere else', () => {
    setKernelBackend('wasm');
    for (const [m, k, n] of [[5, 7, 10], [9, 3, 13], [3, 17, 4], [33, 9, 30]] as const) {
      for (const [tA, tB] of TRANS) {
        const a = draw(m * k);
        const b = draw(k * n);
        a[(m - 1) * k] = Infinity; // an entry of A's last row (A stored [m, k]) or of its last stored row
        b[k * n - 1] = -Infinity;
        b[0] = 0;
        const out = run('wasm', a, b, m, k, n, tA, tB);
        const ref = reference(a, b, m, k, n, tA, tB);
        for (let i = 0; i < m * n; i++) {
          const where = `${m}x${k}x${n} transA=${tA} transB=${tB} at ${i}`;
          if (Number.isFinite(ref[i])) expect(Math.abs(out[i] - ref[i]), where).toBeLessThan(1e-4 * (1 + Math.abs(ref[i])));
          else expect(out[i], where).toBe(ref[i]);
        }
      }
    }
  });

  it('wasm: the zero-skipping kernel gives bit for bit the dense result for every column remainder', () => {
    setKernelBackend('wasm');
    // Zeros are skipped from 40 columns on. n covers the 24-, 16- and 4-column blocks and 1 to 3 single
    // columns; k above 128 takes several passes over B (257: a last pass of one row), and k = 4096
    // gathers 32 rows at a time.
    for (const [m, k, n] of [[7, 33, 40], [9, 129, 41], [5, 9, 43], [17, 5, 46], [3, 257, 52], [33, 7, 69], [70, 4096, 72], [1, 1, 47]] as const) {
      for (const tA of [false, true]) {
        const a = draw(m * k, 0.85);
        const b = draw(k * n);
        const bT = new Float32Array(k * n);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[j * k + p] = b[p * n + j];
        const sparse = run('wasm', a, b, m, k, n, tA, false);
        const dense = run('wasm', a, bT, m, k, n, tA, true);
        expect(Array.from(sparse), `${m}x${k}x${n} transA=${tA}`).toEqual(Array.from(dense));
        expect(maxRelError(sparse, reference(a, b, m, k, n, tA, false))).toBeLessThan(k * 6e-8 + 1e-6);
      }
    }
  });

  it('wasm: empty operands at odd sizes', () => {
    setKernelBackend('wasm');
    for (const [m, n] of [[3, 5], [9, 1], [1, 17]]) {
      expect(Array.from(run('wasm', new Float32Array(0), new Float32Array(0), m, 0, n, true, true))).toEqual(new Array(m * n).fill(0));
    }
    const out = new Float32Array([5, 6]);
    gemm(new Float32Array(0), new Float32Array(0), out, 3, 0, 0, false, true);
    gemm(new Float32Array(0), new Float32Array(0), out, 0, 0, 3, true, false);
    expect(Array.from(out)).toEqual([5, 6]);
  });
});

describe('gemm on two threads', () => {
  it('splits large products by rows or columns and gives bit for bit the one-thread result', async () => {
    setKernelBackend('wasm');
    setKernelThreads(2);
    expect(kernelThreads()).toBe(2);
    const deadline = Date.now() + 10000;
    while (readyHelpers() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(readyHelpers()).toBe(1);
    const cases: [number, number, number, boolean, boolean, number][] = [
      [128, 784, 100, false, false, 0], [784, 128, 100, true, false, 0], [100, 128, 784, false, true, 0],
      [130, 333, 257, true, true, 0], [128, 784, 100, false, false, 0.81], [61, 400, 520, false, false, 0],
    ];
    const two: DataArray[] = [];
    for (const [m, k, n, tA, tB, zeros] of cases) {
      const a = random(m * k, zeros);
      const b = random(k * n);
      const out = new Float32Array(m * n);
      gemm(a, b, out, m, k, n, tA, tB);
      two.push(out);
      setKernelThreads(1);
      const one = new Float32Array(m * n);
      gemm(a, b, one, m, k, n, tA, tB);
      setKernelThreads(2);
      while (readyHelpers() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(Array.from(out), `${m}x${k}x${n}`).toEqual(Array.from(one));
      expect(maxRelError(out, reference(a, b, m, k, n, tA, tB))).toBeLessThan(k * 6e-8 + 1e-6);
    }
    setKernelThreads(1);
    expect(kernelThreads()).toBe(1);
  });

  it('has the helper thread run part of the products (it counts the chunks it ran)', async () => {
    setKernelBackend('wasm');
    setKernelThreads(2);
    const deadline = Date.now() + 20000;
    while (readyHelpers() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(readyHelpers()).toBe(1);
    const [m, k, n] = [256, 512, 256];
    const a = random(m * k);
    const b = random(k * n);
    const out = new Float32Array(m * n);
    const before = helperChunks()[0];
    // A helper that wakes late may find every chunk taken, so repeat the product until it has run one.
    do gemm(a, b, out, m, k, n, false, false);
    while (helperChunks()[0] === before && Date.now() < deadline);
    expect(helperChunks()[0]).toBeGreaterThan(before);
    expect(maxRelError(out, reference(a, b, m, k, n, false, false))).toBeLessThan(k * 6e-8 + 1e-6);
    setKernelThreads(1);
  });
});

describe('wasm memory', () => {
  it('grows once for a size and is reused by later calls of that size', () => {
    setKernelBackend('wasm');
    const w = loadWasmKernels();
    if (typeof w === 'string') throw new Error(w);
    const a = random(256 * 300);
    const b = random(300 * 200);
    const out = new Float32Array(256 * 200);
    gemm(a, b, out, 256, 300, 200, false, true);
    const bytes = w.memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) gemm(a, b, out, 256, 300, 200, i % 2 === 0, i % 3 === 0);
    expect(w.memory.buffer.byteLength).toBe(bytes);
  });
});

describe('matmul through the kernel layer: both backends agree on batched and broadcast products', () => {
  function t(shape: number[], zeros = 0): Tensor {
    const size = shape.reduce((x, y) => x * y, 1);
    return new Tensor(random(size, zeros), shape, true);
  }

  it('values and gradients of [3,1,5,7] @ [4,7,6], [9] @ [2,9,4] and [10,33] @ [33]', () => {
    const cases: [number[], number[]][] = [[[3, 1, 5, 7], [4, 7, 6]], [[9], [2, 9, 4]], [[10, 33], [33]], [[2, 65, 130], [130, 3]]];
    for (const [sa, sb] of cases) {
      const a = t(sa, 0.5);
      const b = t(sb);
      const results = (['ts', 'wasm'] as const).map((backend) => {
        setKernelBackend(backend);
        a.zeroGrad();
        b.zeroGrad();
        const y = matmul(a, b);
        y.mul(y).sum().backward();
        return { y: Array.from(y.data), ga: Array.from(a.grad?.data ?? []), gb: Array.from(b.grad?.data ?? []) };
      });
      const [ts, wasm] = results;
      expect(wasm.y.length).toBe(ts.y.length);
      expect(maxRelError(wasm.y, ts.y), `${sa} @ ${sb}`).toBeLessThan(1e-5);
      expect(maxRelError(wasm.ga, ts.ga)).toBeLessThan(1e-4);
      expect(maxRelError(wasm.gb, ts.gb)).toBeLessThan(1e-4);
    }
  });
});

describe('gemmTs', () => {
  it('reads transposed operands in place: a 2x3 times 3x2 by hand', () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6]); // [[1,2,3],[4,5,6]]
    const b = new Float64Array([7, 8, 9, 10, 11, 12]); // [[7,8],[9,10],[11,12]]
    const out = new Float64Array(4);
    gemmTs(a, b, out, 2, 3, 2, false, false);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
    const at = new Float64Array([1, 4, 2, 5, 3, 6]); // aᵀ stored as [3, 2]
    const bt = new Float64Array([7, 9, 11, 8, 10, 12]); // bᵀ stored as [2, 3]
    gemmTs(at, bt, out, 2, 3, 2, true, true);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
  });
});
