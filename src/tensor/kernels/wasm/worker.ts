/**
 * Entry point of a helper thread: instantiates gemm.wasm on the shared memory, then forever waits
 * for a job in its control slot, joins it, takes chunks until none is left, and reports done.
 */
import { workerData } from 'worker_threads';
import { controlSlot, instantiate } from './module';
import type { GemmExports, WasmMemory } from './module';
import { CHUNKS, CLAIM, DONE, READY, SEQ, readJob, runChunks, waitChange } from './task';

/** What the main thread passes to a helper; helper `slot` uses control slot slot + 1. */
interface HelperData {
  module: object;
  memory: WasmMemory;
  slot: number;
}

const data = workerData as HelperData;
const ctrl = controlSlot(data.memory, data.slot + 1);
const jobSlot = controlSlot(data.memory, 0);

function start(): GemmExports {
  try {
    const kernels = instantiate(data.module, data.memory);
    Atomics.store(ctrl, READY, 1);
    return kernels;
  } catch (err) {
    Atomics.store(ctrl, READY, -1);
    throw err;
  }
}

const kernels = start();
let seen = Atomics.load(ctrl, SEQ);
for (;;) {
  // 20,000 polls (~0.1-0.2 ms) keep the helper awake between the products of one training step.
  if (!waitChange(ctrl, SEQ, seen, 20000, 3600000)) continue;
  seen = Atomics.load(ctrl, SEQ);
  // Join the job, unless the main thread has already taken its last chunk and closed it.
  if (Atomics.compareExchange(ctrl, CLAIM, seen, -seen) !== seen) continue;
  try {
    Atomics.add(ctrl, CHUNKS, runChunks(kernels, jobSlot, readJob(jobSlot), data.slot + 1));
  } finally {
    Atomics.store(ctrl, DONE, seen);
    Atomics.notify(ctrl, DONE);
  }
}
