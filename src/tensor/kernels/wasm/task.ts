/**
 * How the main thread and helper threads share one matrix product: the job's words in shared
 * memory, its split into chunks (blocks of rows or columns of C) that each thread claims one at a
 * time from a shared counter, and the helpers' control slots. A helper that wakes late just finds
 * fewer chunks left, so a descheduled helper never makes a product slower than on one thread.
 */
import type { GemmExports } from './module';

/** Int32 words per control slot (128 bytes, so two slots never share a cache line). */
export const SLOT_WORDS = 32;
/** Index, in a helper's slot, of the job counter the main thread bumps to post a job. */
export const SEQ = 0;
/** Index where the helper copies the counter once it has finished its chunks of that job. */
export const DONE = 1;
/** Index the helper sets to 1 once it runs, or to -1 if it failed to start. */
export const READY = 2;
/**
 * Index of the job's claim: posted open (= seq); the helper joins (-> -seq) before taking chunks,
 * or the main thread closes it (-> 0) after the last chunk is taken, so a late helper stays out.
 */
export const CLAIM = 3;
/** Index where the helper adds up the chunks it has run, so tests can see that it took part. */
export const CHUNKS = 4;

// Words of the job slot (slot 0 of the control area; helpers use slots 1, 2, ...).
const NEXT = 0;
const OP = 1;
const ARGS = 2;

/** What a job does: a dense product, or one skipping the zeros of op(A). */
export type TaskOp = 'dense' | 'sparseA';

/** C = op(A) · op(B) on a block; pointers are byte offsets into the shared memory. */
export interface GemmTask {
  op: TaskOp;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  /** Scratch of thread 0; thread t uses work + t * workBytes. */
  work: number;
}

/** A whole product and how it is cut: `chunks` blocks of rows (or columns) of C. */
export interface GemmJob {
  task: GemmTask;
  workBytes: number;
  chunks: number;
  byRows: boolean;
}

/** Writes the job into the job slot and resets its chunk counter (before any helper is posted). */
export function writeJob(slot: Int32Array, job: GemmJob): void {
  const t = job.task;
  const args = [
    t.a, t.lda, t.b, t.ldb, t.c, t.ldc, t.m, t.k, t.n, t.transA ? 1 : 0, t.transB ? 1 : 0, t.work,
    job.workBytes, job.chunks, job.byRows ? 1 : 0,
  ];
  slot[OP] = t.op === 'sparseA' ? 1 : 0;
  for (let i = 0; i < args.length; i++) slot[ARGS + i] = args[i];
  Atomics.store(slot, NEXT, 0);
}

/** Reads the job last written into the job slot. */
export function readJob(slot: Int32Array): GemmJob {
  const w = (i: number): number => slot[ARGS + i];
  const task: GemmTask = {
    op: slot[OP] === 1 ? 'sparseA' : 'dense', a: w(0), lda: w(1), b: w(2), ldb: w(3), c: w(4), ldc: w(5),
    m: w(6), k: w(7), n: w(8), transA: w(9) === 1, transB: w(10) === 1, work: w(11),
  };
  return { task, workBytes: w(12), chunks: w(13), byRows: w(14) === 1 };
}

/**
 * Chunk `i` of the job as a task of its own: rows of C in multiples of 4, or columns in multiples
 * of 8, the kernel's tile sizes. Empty chunks (tiny products) have m or n = 0.
 */
export function chunkTask(job: GemmJob, i: number, thread: number): GemmTask {
  const t = job.task;
  const extent = job.byRows ? t.m : t.n;
  const unit = job.byRows ? 4 : 8;
  const units = Math.ceil(extent / unit);
  const lo = Math.min(extent, Math.round((units * i) / job.chunks) * unit);
  const hi = Math.min(extent, Math.round((units * (i + 1)) / job.chunks) * unit);
  const work = t.work + thread * job.workBytes;
  if (job.byRows) {
    const a = t.transA ? t.a + lo * 4 : t.a + lo * t.lda * 4;
    return { ...t, a, c: t.c + lo * t.ldc * 4, m: hi - lo, work };
  }
  const b = t.transB ? t.b + lo * t.ldb * 4 : t.b + lo * 4;
  return { ...t, b, c: t.c + lo * 4, n: hi - lo, work };
}

/** Runs one task with the module's exports on the calling thread. */
export function runTask(e: GemmExports, t: GemmTask): void {
  if (t.m <= 0 || t.n <= 0) return;
  if (t.op === 'sparseA') {
    e.gemmSparseA(t.a, t.lda, t.b, t.ldb, t.c, t.ldc, t.m, t.k, t.n, t.transA ? 1 : 0, t.work);
  } else {
    e.gemm(t.a, t.lda, t.b, t.ldb, t.c, t.ldc, t.m, t.k, t.n, t.transA ? 1 : 0, t.transB ? 1 : 0, t.work);
  }
}

/** Takes chunks from the job's shared counter and runs them until none is left; returns how many it ran. */
export function runChunks(e: GemmExports, slot: Int32Array, job: GemmJob, thread: number): number {
  let ran = 0;
  for (let i = Atomics.add(slot, NEXT, 1); i < job.chunks; i = Atomics.add(slot, NEXT, 1)) {
    runTask(e, chunkTask(job, i, thread));
    ran++;
  }
  return ran;
}

/**
 * Waits until ctrl[index] differs from `value`: spins first (a step's next product usually follows
 * within microseconds), then sleeps on the word. Returns false if `timeoutMs` passed first.
 */
export function waitChange(ctrl: Int32Array, index: number, value: number, spins: number, timeoutMs: number): boolean {
  for (let i = 0; i < spins; i++) if (Atomics.load(ctrl, index) !== value) return true;
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(ctrl, index) === value) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(ctrl, index, value, Math.min(left, 1000));
  }
  return true;
}
