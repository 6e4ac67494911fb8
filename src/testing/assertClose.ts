/**
 * `assertClose`: compares a tensor (or numbers) with what it should be and, when they differ, throws
 * an error that shows where and by how much, so a student can debug from the message alone.
 */
import { Tensor } from '../autograd/tensor';
import { formatShape, sameShape, type Shape } from '../tensor/shape';

/** Tolerances: an element passes when |actual - expected| <= atol + rtol * |expected| (infinities must match exactly). */
export interface CloseOptions {
  readonly atol?: number;
  readonly rtol?: number;
  /** Treat NaN in the same place on both sides as equal (default false, as in `torch.testing`). */
  readonly equalNan?: boolean;
  /** Words that start the error message, e.g. the name of what is checked. */
  readonly message?: string;
}

/** A value to compare: a tensor, a number, or (nested) arrays of numbers. */
export type Comparable = Tensor | number | ArrayLike<number> | readonly Comparable[];

function toFlat(value: Comparable, what: string): { data: ArrayLike<number>; shape: Shape } {
  if (value instanceof Tensor) return { data: value.data, shape: value.shape };
  if (typeof value === 'number') return { data: [value], shape: [] };
  if (ArrayBuffer.isView(value)) return { data: value as ArrayLike<number>, shape: [(value as ArrayLike<number>).length] };
  if (Array.isArray(value)) {
    const shape: number[] = [];
    let level: unknown = value;
    while (Array.isArray(level)) {
      shape.push(level.length);
      level = level[0];
    }
    const flat: number[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'number') flat.push(v);
      else throw new TypeError(`assertClose: ${what} holds a ${typeof v}, expected numbers`);
    };
    walk(value);
    return { data: flat, shape };
  }
  throw new TypeError(`assertClose: ${what} must be a Tensor, a number or an array of numbers, got ${typeof value}`);
}

function indexOf(flat: number, shape: Shape): string {
  const idx: number[] = [];
  let rest = flat;
  for (let i = shape.length - 1; i >= 0; i--) {
    idx.unshift(rest % shape[i]);
    rest = Math.floor(rest / shape[i]);
  }
  return `[${idx.join(', ')}]`;
}

/** Throws unless `actual` matches `expected` elementwise within tolerance (defaults atol 1e-5, rtol 1e-4). */
export function assertClose(actual: Comparable, expected: Comparable, options: CloseOptions = {}): void {
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-4;
  const prefix = options.message === undefined ? 'assertClose' : options.message;
  const a = toFlat(actual, 'actual');
  const e = toFlat(expected, 'expected');
  if (a.data.length !== e.data.length || (a.shape.length > 0 && e.shape.length > 0 && !sameShape(a.shape, e.shape))) {
    throw new Error(`${prefix}: shape mismatch, actual ${formatShape(a.shape)} vs expected ${formatShape(e.shape)}`);
  }
  const bad: number[] = [];
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i];
    const y = e.data[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (!(options.equalNan === true && Number.isNaN(x) && Number.isNaN(y))) {
        bad.push(i);
        // The first NaN mismatch is reported as the largest difference.
        if (!Number.isNaN(worst)) {
          worst = NaN;
          worstAt = i;
        }
      }
      continue;
    }
    if (x === y) continue; // also equal infinities
    const diff = Math.abs(x - y);
    // An infinity matches only the same infinity: with an infinite expected value the relative
    // tolerance would be infinite too and let any number pass.
    const infinite = !Number.isFinite(x) || !Number.isFinite(y);
    if (infinite || !(diff <= atol + rtol * Math.abs(y))) {
      bad.push(i);
      if (!Number.isNaN(worst) && (diff > worst || worstAt === -1)) {
        worst = diff;
        worstAt = i;
      }
    }
  }
  if (bad.length === 0) return;
  const shape = a.shape.length ? a.shape : e.shape;
  const lines = bad.slice(0, 5).map((i) => `  at ${indexOf(i, shape)}: actual ${a.data[i]}, expected ${e.data[i]}, diff ${Math.abs(a.data[i] - e.data[i]).toExponential(3)}`);
  if (bad.length > 5) lines.push(`  ... and ${bad.length - 5} more`);
  throw new Error(
    `${prefix}: ${bad.length} of ${a.data.length} element(s) differ (atol=${atol}, rtol=${rtol}); ` +
      `largest difference ${Number.isNaN(worst) ? 'NaN' : worst.toExponential(3)} at ${indexOf(worstAt, shape)}\n${lines.join('\n')}`,
  );
}
