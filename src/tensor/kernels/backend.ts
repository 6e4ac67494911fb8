/**
 * The kernel layer's switch: which implementation of the tight loops runs. 'wasm' (WebAssembly SIMD,
 * the default where the engine supports it) or 'ts' (plain TypeScript, always available, and used for
 * float64 by both). Choose with `setKernelBackend` or the environment variable GRADLAB_KERNELS=ts|wasm;
 * the helper threads of the wasm kernels with `setKernelThreads` or GRADLAB_THREADS=n.
 */
import type { DataArray } from '../dtype';
import { fusedKernels } from './fused';
import { gemmTs } from './gemmTs';
import { normalizationTs, type NormalizationKernels } from './normalizationTs';
import { pointwiseKernels } from './pointwise';
import { gemmWasm } from './wasm/gemmWasm';
import { loadWasmKernels } from './wasm/module';
import { MAX_THREADS, poolThreads, resizePool } from './wasm/pool';

/** Names of the kernel implementations. */
export type KernelBackendName = 'wasm' | 'ts';

/** out[m, n] = op(a) @ op(b) on contiguous row-major arrays (op transposes when asked); out is overwritten. */
export type GemmKernel = (
  a: DataArray,
  b: DataArray,
  out: DataArray,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
) => void;

/** One implementation of the kernels the ops call. */
export interface Kernels {
  readonly name: KernelBackendName;
  readonly gemm: GemmKernel;
  readonly normalization: NormalizationKernels;
  /** Unary, comparison and selection loops (TypeScript in both backends: see pointwise.ts). */
  readonly pointwise: typeof pointwiseKernels;
  /** Fused cross-entropy, bias and dropout loops (TypeScript in both backends). */
  readonly fused: typeof fusedKernels;
}

const tsKernels: Kernels = { name: 'ts', gemm: gemmTs, normalization: normalizationTs, pointwise: pointwiseKernels, fused: fusedKernels };

let wasmKernels: Kernels | undefined;
let active: Kernels | undefined;

function wasmOrReason(): Kernels | string {
  if (wasmKernels !== undefined) return wasmKernels;
  const w = loadWasmKernels();
  if (typeof w === 'string') return w;
  const gemm: GemmKernel = (a, b, out, m, k, n, transA, transB) => {
    if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) {
      gemmWasm(w, a, b, out, m, k, n, transA, transB);
    } else {
      gemmTs(a, b, out, m, k, n, transA, transB);
    }
  };
  wasmKernels = { name: 'wasm', gemm, normalization: normalizationTs, pointwise: pointwiseKernels, fused: fusedKernels };
  return wasmKernels;
}

/** Why the WebAssembly kernels cannot run in this process, or undefined when they can. */
export function wasmKernelsUnavailableReason(): string | undefined {
  const w = wasmOrReason();
  return typeof w === 'string' ? w : undefined;
}

function checkName(name: unknown, where: string): KernelBackendName {
  if (name === 'wasm' || name === 'ts') return name;
  throw new TypeError(`${where}: kernel backend must be 'wasm' or 'ts', got ${JSON.stringify(name)}`);
}

function select(name: KernelBackendName, where: string): Kernels {
  if (name === 'ts') return tsKernels;
  const w = wasmOrReason();
  if (typeof w === 'string') throw new Error(`${where}: the WebAssembly kernels are unavailable: ${w}`);
  return w;
}

function initial(): Kernels {
  const env = process.env.GRADLAB_KERNELS;
  const chosen = env === undefined || env === '' ? undefined : select(checkName(env, 'GRADLAB_KERNELS'), 'GRADLAB_KERNELS');
  const threads = process.env.GRADLAB_THREADS;
  const kernels = chosen ?? (typeof wasmOrReason() === 'string' ? tsKernels : select('wasm', 'kernels'));
  if (threads !== undefined && threads !== '' && kernels.name === 'wasm') setThreads(Number(threads), 'GRADLAB_THREADS');
  return kernels;
}

/** The active kernels: GRADLAB_KERNELS if set, else WebAssembly where available, else TypeScript. */
export function kernels(): Kernels {
  if (active === undefined) active = initial();
  return active;
}

/** Name of the active kernel backend, 'wasm' or 'ts'. */
export function kernelBackend(): KernelBackendName {
  return kernels().name;
}

/** Switches every later kernel call to `name`; throws if 'wasm' cannot run here (and says why). */
export function setKernelBackend(name: KernelBackendName): void {
  active = select(checkName(name, 'setKernelBackend'), 'setKernelBackend');
}

function setThreads(threads: number, where: string): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new RangeError(`${where}: threads must be an integer in [1, ${MAX_THREADS}], got ${threads}`);
  }
  const w = loadWasmKernels();
  if (typeof w === 'string') {
    if (threads === 1) return;
    throw new Error(`${where}: threads need the WebAssembly kernels, which are unavailable: ${w}`);
  }
  resizePool(w, threads);
}

/** Threads the wasm kernels split large products over (1 = the calling thread only, the default). */
export function setKernelThreads(threads: number): void {
  kernels();
  setThreads(threads, 'setKernelThreads');
}

/** Number of threads the wasm kernels use, counting the calling thread. */
export function kernelThreads(): number {
  return poolThreads();
}
