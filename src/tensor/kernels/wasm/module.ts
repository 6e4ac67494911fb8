/**
 * Loads the WebAssembly SIMD kernels (gemm.wasm, built from ./assembly by `npm run build:wasm` and
 * shipped in dist/) synchronously, so notebook cells and plain scripts need no `await`, and owns the
 * module's one shared linear memory. Memory grows only, so a training loop reuses the same bytes.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The functions gemm.wasm exports; pointers are byte offsets into its memory. */
export interface GemmExports {
  workBytes(m: number, k: number): number;
  gemm(
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    m: number, k: number, n: number, transA: number, transB: number, work: number,
  ): void;
  gemmSparseA(
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    m: number, k: number, n: number, transA: number, work: number,
  ): void;
  paddedColumns(n: number): number;
  compactRows(c: number, ldc: number, m: number, n: number): void;
  countZeros(x: number, count: number): number;
  allFinite(x: number, count: number): number;
}

/** The slice of the WebAssembly JavaScript API used here (TypeScript's ES2022 lib does not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (desc: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/** The compiled module, its memory and exports, ready to run on this thread. */
export interface WasmKernelModule {
  readonly module: object;
  readonly memory: WasmMemory;
  readonly exports: GemmExports;
}

/** Bytes below this offset hold the threads' control words; operands and scratch live above it. */
export const ARENA_BASE = 65536;
/** Byte offset of the control slots shared with helper threads: the job's, then one per helper. */
export const CONTROL_BASE = 4096;
/** Bytes per control slot. */
const SLOT_BYTES = 128;
const PAGE = 65536;
const INITIAL_PAGES = 32;
/** 2 GiB: pointers stay positive 32-bit integers, which the control words hold. */
const MAXIMUM_PAGES = 32768;

/** Where gemm.wasm and worker.js live: beside this file in dist/, or in dist/ when run from src/. */
export function kernelFile(name: string): string {
  const beside = path.join(__dirname, name);
  if (fs.existsSync(beside)) return beside;
  return path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'tensor', 'kernels', 'wasm', name);
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Instantiates a compiled module on the given memory (main thread or helper thread). */
export function instantiate(module: object, memory: WasmMemory): GemmExports {
  const api = wasmApi();
  if (api === undefined) throw new Error('wasm kernels: this JavaScript engine has no WebAssembly');
  return new api.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
}

let loaded: WasmKernelModule | string | undefined;

/** The kernels module, or the reason it cannot run here (no SIMD, no shared memory, file missing). */
export function loadWasmKernels(): WasmKernelModule | string {
  if (loaded !== undefined) return loaded;
  loaded = tryLoad();
  return loaded;
}

function tryLoad(): WasmKernelModule | string {
  const api = wasmApi();
  if (api === undefined) return 'this JavaScript engine has no WebAssembly';
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is unavailable';
  const file = kernelFile('gemm.wasm');
  if (!fs.existsSync(file)) return `${file} is missing (run \`npm run build:wasm\`)`;
  const bytes = new Uint8Array(fs.readFileSync(file));
  if (!api.validate(bytes)) return 'this engine lacks WebAssembly SIMD or threads';
  try {
    const module = new api.Module(bytes);
    const memory = new api.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    return { module, memory, exports: instantiate(module, memory) };
  } catch (err) {
    return `gemm.wasm failed to load: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Control slot `index` (0: the current job; 1, 2, ...: the helpers) as 32 Int32 words. */
export function controlSlot(memory: WasmMemory, index: number): Int32Array {
  return new Int32Array(memory.buffer, CONTROL_BASE + index * SLOT_BYTES, SLOT_BYTES / 4);
}

/** Grows `memory` so that it holds at least `bytes` bytes; throws past the 2 GiB maximum. */
export function ensureBytes(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return;
  if (bytes > MAXIMUM_PAGES * PAGE) {
    throw new RangeError(`wasm kernels: operands need ${bytes} bytes, above the 2 GiB limit`);
  }
  // Grow at least by half again, so a slowly rising need does not grow on every call.
  const target = Math.min(MAXIMUM_PAGES * PAGE, Math.max(bytes, Math.floor(have * 1.5)));
  memory.grow(Math.ceil((target - have) / PAGE));
}
