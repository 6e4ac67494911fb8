/** Shape arithmetic shared by kernels and ops: sizes, strides, broadcasting and axis checks. */

/** A tensor's shape: the length of each axis, outermost first; `[]` is a scalar. */
export type Shape = readonly number[];

/** Formats a shape the way error messages print it: `[2, 3]`, `[]` for a scalar. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** The number of elements of a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Throws unless every dimension is a non-negative integer. */
export function checkShape(shape: Shape, op: string): void {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: shape must hold non-negative integers, got ${formatShape(shape)}`);
    }
  }
}

/** True when two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting: align trailing axes; each pair must be equal or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast ` +
          `(axis ${i - n} has ${da} vs ${db}; sizes must match or be 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Turns a possibly negative axis into 0..ndim-1, or throws naming the op. A scalar (ndim 0) accepts
 * axis 0 and -1, as in PyTorch, and both give 0.
 */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(axis) || axis < -n || axis >= n) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor with ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + n : axis;
}

/**
 * Normalizes a list of axes (or all axes when undefined/null), sorted and without repeats. A scalar
 * has no axis to reduce, so for ndim 0 the result is always [] (after checking the axes given).
 */
export function normalizeAxes(axes: number | readonly number[] | null | undefined, ndim: number, op: string): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new TypeError(`${op}: axis must be a number, a list of numbers, or null for all axes, got ${JSON.stringify(axes)}`);
  }
  const list: readonly number[] = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(a, ndim, op));
  const unique = Array.from(new Set(out)).sort((x, y) => x - y);
  if (unique.length !== out.length) throw new RangeError(`${op}: axis ${JSON.stringify(list)} repeats an axis`);
  return ndim === 0 ? [] : unique;
}

/** The shape left after reducing `axes`, keeping them as size 1 when `keepdim`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}
