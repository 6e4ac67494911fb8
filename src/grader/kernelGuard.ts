/**
 * The grading guard, run inside a submission's kernel by the first cell of the graded copy, before
 * any student code: it freezes gradlab's modules (their export objects, the classes and functions
 * they export and those classes' prototypes), pins their `require.cache` entries and `exports`
 * (and tslab's display module's, which carries test results), and publishes gradlab's exports as a
 * global property that can be neither reassigned nor deleted. Restored test cells take `test` and
 * the other gradlab names they use from that property (see guardedCopy.ts), so a student cell that
 * rebinds `test` or patches gradlab, directly or through `require.cache`, changes nothing the tests
 * call.
 */
import { dirname, sep } from 'path';
import * as gradlab from '../index';
import { inKernel } from '../display/kernel';

/** The global property holding gradlab's frozen exports while a submission is graded. */
export const GUARD_GLOBAL = '__gradlabGrading';

/** Makes `target[key]` non-configurable (and non-writable when it is a data property). */
function pin(target: object, key: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor === undefined || descriptor.configurable !== true) return;
  const pinned: PropertyDescriptor =
    'value' in descriptor
      ? { value: descriptor.value as unknown, writable: false, enumerable: descriptor.enumerable, configurable: false }
      : { get: descriptor.get, set: descriptor.set, enumerable: descriptor.enumerable, configurable: false };
  Object.defineProperty(target, key, pinned);
}

/** Freezes an exported value: a function or class with its prototype, or a plain object (typed arrays cannot be frozen). */
function freezeExport(value: unknown): void {
  if (typeof value === 'function') {
    Object.freeze(value);
    const prototype: unknown = (value as { prototype?: unknown }).prototype;
    if (typeof prototype === 'object' && prototype !== null) Object.freeze(prototype);
  } else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
  }
}

/**
 * Installs the guard in this process (a kernel about to run a submission). Throws when it was
 * installed already: the graded copy runs it once per kernel, first.
 */
export function installGradingGuard(): void {
  if (Object.prototype.hasOwnProperty.call(globalThis, GUARD_GLOBAL)) throw new Error(`grading guard: ${GUARD_GLOBAL} is already defined`);
  inKernel(); // finds tslab's display module now, before student code could swap it
  const dist = dirname(require.resolve('../index'));
  const cache = require.cache;
  for (const file of Object.keys(cache)) {
    const entry = cache[file];
    if (entry === undefined) continue;
    const ours = file.startsWith(dist + sep);
    if (!ours && !/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    if (ours) {
      const exported = entry.exports as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(exported)) freezeExport(exported[key]);
      Object.freeze(exported);
    }
    pin(entry, 'exports');
    pin(cache, file);
  }
  Object.defineProperty(globalThis, GUARD_GLOBAL, { value: gradlab, writable: false, enumerable: false, configurable: false });
}
