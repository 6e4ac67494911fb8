/**
 * Helper threads for the WebAssembly kernels: `threads - 1` workers that share the module's memory,
 * each with a control slot, so one large product can be split across cores without copying.
 */
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { controlSlot, kernelFile } from './module';
import type { WasmKernelModule } from './module';
import { CHUNKS, CLAIM, DONE, READY, SEQ, waitChange } from './task';

/** Most threads the control area below the arena has slots for (callers check the count). */
export const MAX_THREADS = 16;

interface Helper {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
}

const helpers: Helper[] = [];
let active = 1;

/** Number of threads the kernels use, counting the calling thread. */
export function poolThreads(): number {
  return active;
}

/**
 * Uses `threads` threads from now on. Helpers are started on first need and then kept, asleep on a
 * futex when idle, so switching back and forth costs nothing after the first start.
 */
export function resizePool(w: WasmKernelModule, threads: number): void {
  const file = kernelFile('worker.js');
  if (threads > 1 && !fs.existsSync(file)) {
    throw new Error(`setKernelThreads: ${file} is missing (run \`npm run build\`)`);
  }
  while (helpers.length < threads - 1) {
    const slot = helpers.length;
    const ctrl = controlSlot(w.memory, slot + 1);
    ctrl.fill(0);
    const worker = new Worker(file, { workerData: { module: w.module, memory: w.memory, slot } });
    worker.unref(); // helpers never keep a finished script alive
    helpers.push({ worker, ctrl });
  }
  active = threads;
}

/** How many of the active helpers have started and can take a job now (they start within ~100 ms). */
export function readyHelpers(): number {
  let ready = 0;
  while (ready < active - 1 && Atomics.load(helpers[ready].ctrl, READY) === 1) ready++;
  return ready;
}

/** Chunks of products each started helper has run so far (helper i at index i); for tests and diagnostics. */
export function helperChunks(): number[] {
  return helpers.map((h) => Atomics.load(h.ctrl, CHUNKS));
}

/** Wakes helper `i` for the job just written to the job slot; returns the ticket for `finishHelper`. */
export function postToHelper(i: number): number {
  const ctrl = helpers[i].ctrl;
  const seq = Atomics.load(ctrl, SEQ) + 1;
  Atomics.store(ctrl, CLAIM, seq);
  Atomics.store(ctrl, SEQ, seq);
  Atomics.notify(ctrl, SEQ);
  return seq;
}

/**
 * Called once every chunk has been taken: closes ticket `seq` of helper `i` if the helper has not
 * joined (it then never will), else blocks until the helper has finished its chunks. Throws if that
 * takes longer than `timeoutMs`.
 */
export function finishHelper(i: number, seq: number, timeoutMs: number): void {
  const ctrl = helpers[i].ctrl;
  if (Atomics.compareExchange(ctrl, CLAIM, seq, 0) === seq) return;
  // Wait on the value read in the test: reading DONE again for the wait could miss the last change.
  for (let done = Atomics.load(ctrl, DONE); done !== seq; done = Atomics.load(ctrl, DONE)) {
    if (!waitChange(ctrl, DONE, done, 20000, timeoutMs)) {
      throw new Error(`wasm kernels: helper thread ${i + 1} did not finish within ${timeoutMs} ms`);
    }
  }
}
