/**
 * What a conformance kind implements: given a case, compute the library's values for the case's
 * outputs and grads. The registry maps kind names to implementations; unknown kinds and options fail.
 */
import { Tensor } from '../autograd/tensor';
import { tensor } from '../ops/creation';
import type { DType } from '../tensor/dtype';
import type { ConformanceCase } from './suite';

/** The library's results, keyed like the case's `outputs` and `grads`. */
export interface KindResult {
  readonly outputs: Readonly<Record<string, Tensor>>;
  readonly grads: Readonly<Record<string, Tensor | null>>;
}

/** Runs one case of a kind. */
export type KindRunner = (c: CaseContext) => KindResult;

/** A case uses something the library does not support: a failure, never a skip. */
export class UnsupportedError extends Error {}

/** One case with the dtype it runs in, and typed access to its inputs and params. */
export class CaseContext {
  constructor(
    readonly spec: ConformanceCase,
    readonly dtype: DType,
  ) {}

  /** The case's kind name. */
  get kind(): string {
    return this.spec.kind;
  }

  /** True when the case has an input of this name. */
  has(name: string): boolean {
    return this.spec.inputs[name] !== undefined;
  }

  /** The named input as a tensor of the run's dtype (optionally requiring grad). */
  input(name: string, requiresGrad = false): Tensor {
    const arr = this.spec.inputs[name];
    if (arr === undefined) throw new Error(`input '${name}' is missing`);
    return tensor(arr.data, { shape: arr.shape, dtype: this.dtype, requiresGrad });
  }

  /** Fails the case unless every param key is one this kind understands. */
  checkParams(known: readonly string[]): void {
    for (const key of Object.keys(this.spec.params)) {
      if (!known.includes(key)) throw new UnsupportedError(`kind '${this.kind}' does not support option '${key}'`);
    }
  }

  /** A param, or undefined when absent. */
  param(key: string): unknown {
    return this.spec.params[key];
  }

  /** A number param (with a default when absent). */
  number(key: string, fallback?: number): number {
    const v = this.spec.params[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number') throw new Error(`param '${key}' must be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A boolean param (with a default when absent). */
  boolean(key: string, fallback = false): boolean {
    const v = this.spec.params[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw new Error(`param '${key}' must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A string param. */
  string(key: string): string {
    const v = this.spec.params[key];
    if (typeof v !== 'string') throw new Error(`param '${key}' must be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A list-of-numbers param (shapes, axes, betas). */
  numbers(key: string): number[] {
    const v = this.spec.params[key];
    if (!Array.isArray(v) || !v.every((d) => typeof d === 'number')) {
      throw new Error(`param '${key}' must be a list of numbers, got ${JSON.stringify(v)}`);
    }
    return v as number[];
  }
}
