/**
 * Float32 matrix multiply on the WebAssembly SIMD kernels: copies the operands into the module's
 * grow-only arena (one memcpy each), runs the packed 4x8 kernel (or the zero-skipping one when op(A)
 * is mostly zeros and B is finite, which is exact), split across helper threads when it is large, and
 * copies the product out (the dense kernel's C has padded rows and columns, moved together first).
 */
import { ARENA_BASE, controlSlot, ensureBytes } from './module';
import type { WasmKernelModule } from './module';
import { finishHelper, postToHelper, readyHelpers } from './pool';
import { runChunks, runTask, writeJob } from './task';
import type { GemmJob, GemmTask } from './task';

/**
 * Fraction of zeros in op(A) from which skipping them beats the dense kernel, by the number n of
 * columns: gathering the nonzeros costs m·k whatever n, and the zero-skipping kernel loads a row of B
 * for every product where the dense tile reuses it four times, so a narrow product (a 10-class output
 * layer) is faster dense even at 90% zeros (measured: 2x slower skipping 81% zeros at n = 10).
 */
function sparseThreshold(n: number): number {
  if (n >= 64) return 0.6;
  if (n >= 40) return 0.75;
  return Infinity;
}
/** Multiply-adds (m·k·n) from which a product is split across threads: below, waking costs more. */
const SPLIT_MIN_MACS = 1 << 19;

let heap: Float32Array | undefined;

function view(w: WasmKernelModule): Float32Array {
  const buffer = w.memory.buffer;
  if (heap === undefined || heap.buffer !== buffer || heap.byteLength !== buffer.byteLength) {
    heap = new Float32Array(buffer);
  }
  return heap;
}

const align = (bytes: number): number => (bytes + 63) & ~63;

/** out[m, n] = op(a) @ op(b) in float32 on WebAssembly SIMD; out is overwritten. */
export function gemmWasm(
  w: WasmKernelModule,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, 0, m * n);
    return;
  }
  const e = w.exports;
  const offA = ARENA_BASE;
  const offB = align(offA + m * k * 4);
  // The dense kernel writes whole 4x8 (or 4x4) tiles, so C gets padded rows and columns here.
  const paddedN = e.paddedColumns(n);
  const offC = align(offB + k * n * 4);
  const offW = align(offC + ((m + 3) & ~3) * paddedN * 4);
  const workBytes = align(e.workBytes(m, k));
  const threads = m * k * n >= SPLIT_MIN_MACS ? readyHelpers() + 1 : 1;
  ensureBytes(w.memory, offW + threads * workBytes);
  const h = view(w);
  h.set(a.subarray(0, m * k), offA >> 2);
  h.set(b.subarray(0, k * n), offB >> 2);

  const threshold = sparseThreshold(n);
  const sparse =
    !transB && threshold < 1 && e.countZeros(offA, m * k) >= threshold * m * k && e.allFinite(offB, k * n) === 1;
  const task: GemmTask = {
    op: sparse ? 'sparseA' : 'dense', a: offA, lda: transA ? m : k, b: offB, ldb: transB ? k : n, c: offC,
    ldc: sparse ? n : paddedN, m, k, n, transA, transB, work: offW,
  };
  if (threads === 1) {
    runTask(e, task);
  } else {
    // Two chunks per thread: a helper that wakes late finds fewer left, the caller takes the rest.
    const job: GemmJob = { task, workBytes, chunks: 2 * threads, byRows: sparse || m >= n };
    const slot = controlSlot(w.memory, 0);
    writeJob(slot, job);
    const tickets: number[] = [];
    for (let i = 0; i < threads - 1; i++) tickets.push(postToHelper(i));
    const start = Date.now();
    runChunks(e, slot, job, 0);
    const timeout = 10000 + 10 * (Date.now() - start);
    for (let i = 0; i < tickets.length; i++) finishHelper(i, tickets[i], timeout);
  }
  if (task.ldc !== n) e.compactRows(offC, task.ldc, m, n);
  out.set(h.subarray(offC >> 2, (offC >> 2) + m * n));
}
