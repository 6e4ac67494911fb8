/**
 * Runs conformance cases and compares the library's values with the references, element by element:
 * |actual - expected| <= atol + rtol·|expected| (float64: 1e-8 + 1e-6; float32: 1e-5 + 1e-3); NaN and
 * infinities must match exactly.
 */
import { noGrad } from '../autograd/gradMode';
import type { DType } from '../tensor/dtype';
import { formatShape, sameShape } from '../tensor/shape';
import { CaseContext, UnsupportedError, type KindResult } from './kind';
import { kinds } from './registry';
import type { ConformanceCase, StoredArray } from './suite';

/** The outcome of one case. */
export interface CaseOutcome {
  readonly name: string;
  readonly kind: string;
  readonly passed: boolean;
  /** Largest absolute difference over every compared element (NaN when nothing could be compared). */
  readonly maxError: number;
  /** Why it failed (empty when passed). */
  readonly problems: readonly string[];
}

/** Per-dtype tolerances of the suite format. */
export const TOLERANCES: Readonly<Record<DType, { atol: number; rtol: number }>> = {
  float64: { atol: 1e-8, rtol: 1e-6 },
  float32: { atol: 1e-5, rtol: 1e-3 },
};

function compare(label: string, actual: { data: ArrayLike<number>; shape: readonly number[] } | null | undefined, expected: StoredArray, dtype: DType): { problems: string[]; maxError: number } {
  if (actual === null || actual === undefined) return { problems: [`${label}: no value computed`], maxError: NaN };
  // Scalars may come back as [] or [1]; compare by element count when one side is a scalar.
  const shapesOk = sameShape(actual.shape, expected.shape) || (actual.data.length === 1 && expected.data.length === 1);
  if (!shapesOk) {
    return { problems: [`${label}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`], maxError: NaN };
  }
  const { atol, rtol } = TOLERANCES[dtype];
  let maxError = 0;
  let bad = 0;
  let first = '';
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    const same = a === e || (Number.isNaN(a) && Number.isNaN(e));
    const err = same ? 0 : Math.abs(a - e);
    if (!(err <= maxError) || Number.isNaN(err)) maxError = Number.isNaN(err) ? Infinity : Math.max(maxError, err);
    // An infinity matches only itself: its relative tolerance would be infinite and accept anything.
    if (!same && !(Number.isFinite(a) && Number.isFinite(e) && err <= atol + rtol * Math.abs(e))) {
      if (bad === 0) first = `element ${i}: got ${a}, expected ${e}`;
      bad++;
    }
  }
  return { problems: bad === 0 ? [] : [`${label}: ${bad} element(s) off, first at ${first}`], maxError };
}

/** Runs one case in `dtype` and compares every output and gradient it lists. */
export function runCase(spec: ConformanceCase, dtype: DType = 'float64'): CaseOutcome {
  const base = { name: spec.name, kind: spec.kind };
  const runner = Object.prototype.hasOwnProperty.call(kinds, spec.kind) ? kinds[spec.kind] : undefined;
  if (runner === undefined) return { ...base, passed: false, maxError: NaN, problems: [`unknown kind '${spec.kind}'`] };
  let result: KindResult;
  try {
    result = runner(new CaseContext(spec, dtype));
  } catch (e) {
    const why = e instanceof UnsupportedError ? `unsupported: ${e.message}` : `error: ${(e as Error).message}`;
    return { ...base, passed: false, maxError: NaN, problems: [why] };
  }
  const problems: string[] = [];
  let maxError = 0;
  noGrad(() => {
    for (const [name, expected] of Object.entries(spec.outputs)) {
      const r = compare(`outputs.${name}`, result.outputs[name], expected, dtype);
      problems.push(...r.problems);
      maxError = Math.max(maxError, Number.isNaN(r.maxError) ? 0 : r.maxError);
    }
    for (const [name, expected] of Object.entries(spec.grads)) {
      const r = compare(`grads.${name}`, result.grads[name], expected, dtype);
      problems.push(...r.problems);
      maxError = Math.max(maxError, Number.isNaN(r.maxError) ? 0 : r.maxError);
    }
  });
  if (Object.keys(spec.outputs).length + Object.keys(spec.grads).length === 0) problems.push('the case lists no outputs or grads to compare');
  return { ...base, passed: problems.length === 0, maxError, problems };
}
