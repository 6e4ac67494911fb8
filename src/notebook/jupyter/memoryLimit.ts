/**
 * A memory cap for a kernel process, in two parts. V8's old space is limited to three quarters of
 * the cap (`--max-old-space-size` in NODE_OPTIONS); past it V8 aborts the process with "JavaScript
 * heap out of memory". The whole process is limited to the cap by its data limit (RLIMIT_DATA, set
 * with the shell's `ulimit -d` just before the kernel starts), which also counts what lives outside
 * V8's heap: Buffers, typed arrays, WebAssembly memory. Past it an allocation fails (a RangeError
 * such as "Array buffer allocation failed" in the cell) or, inside V8, aborts the process.
 */

/** The part of the cap V8's old space may use; the rest is for memory outside the heap. */
const HEAP_SHARE = 0.75;

/** Messages that mean a process ran out of memory (V8's fatal errors, failed allocations). */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Fatal process out of memory|Array buffer allocation failed|Unable to grow instance memory|Cannot allocate memory|std::bad_alloc/;

/** Throws a RangeError unless `megabytes` is a whole number of at least 64 (a smaller kernel cannot start). */
export function checkMemoryLimit(megabytes: number, where: string): void {
  if (!Number.isInteger(megabytes) || megabytes < 64) throw new RangeError(`${where}: the memory cap must be a whole number of MB >= 64, got ${megabytes}`);
}

/**
 * `argv` run under a data limit of `megabytes` (through /bin/sh's `ulimit -d`, then `exec`). The
 * shell's own `PWD` is dropped, so the kernel's environment stays exactly what it was given.
 */
export function memoryLimitedCommand(argv: readonly string[], megabytes: number): string[] {
  return ['/bin/sh', '-c', `ulimit -d ${megabytes * 1024} && unset PWD && exec "$@"`, 'gradlab-kernel', ...argv];
}

/** NODE_OPTIONS with V8's old-space limit for a cap of `megabytes` added. */
export function withHeapLimit(nodeOptions: string | undefined, megabytes: number): string {
  const limit = `--max-old-space-size=${Math.floor(megabytes * HEAP_SHARE)}`;
  return nodeOptions === undefined || nodeOptions.trim() === '' ? limit : `${nodeOptions} ${limit}`;
}

/** True when `text` (a kernel's last output, a cell's error) says memory ran out. */
export function isOutOfMemory(text: string): boolean {
  return OUT_OF_MEMORY.test(text);
}
