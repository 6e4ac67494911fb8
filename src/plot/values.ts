/**
 * Reading and checking chart inputs: numbers from arrays or tensor-likes, labels that must be present.
 *
 * Every check throws an error naming the chart function, the rule and the offending value, so a
 * student can fix a plotting call from the message alone.
 */
import type { Grid, Numbers, TensorLike } from './types';

/** True for objects that look like tensors: a `.data` array-like and a `.shape` array. */
export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { data?: unknown; shape?: unknown };
  return Array.isArray(candidate.shape) && typeof candidate.data === 'object' && candidate.data !== null;
}

/** Formats a shape the way gradlab errors print shapes: `[2, 3]`, scalars as `[]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function shapeSize(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** A non-empty string or an error: `lineChart: title must be a non-empty string, got ""`. */
export function requireText(fn: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${fn}: ${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Copies a 1-D input into a plain array; tensor-likes must have one axis longer than 1 at most. */
export function toNumbers(fn: string, field: string, values: Numbers): number[] {
  if (isTensorLike(values)) {
    const longAxes = values.shape.filter((dim) => dim !== 1);
    if (longAxes.length > 1) {
      throw new RangeError(`${fn}: ${field} must be 1-D, got shape ${formatShape(values.shape)}`);
    }
    if (values.data.length !== shapeSize(values.shape)) {
      throw new RangeError(
        `${fn}: ${field} has ${values.data.length} values for shape ${formatShape(values.shape)}`,
      );
    }
    return plainNumbers(values.data);
  }
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new TypeError(`${fn}: ${field} must be an array of numbers or a 1-D tensor, got ${describeValue(values)}`);
  }
  if (values instanceof Float32Array || values instanceof Float64Array) return plainNumbers(values);
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') {
      throw new TypeError(`${fn}: ${field}[${i}] must be a number, got ${describeValue(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Copies numbers into a plain array. float32 values are rounded to the 7 significant digits they
 * hold, so that `0.1f` is stored in the figure as `0.1` and not `0.10000000149011612`.
 */
export function plainNumbers(values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length);
  if (values instanceof Float32Array) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      out[i] = Number.isFinite(v) ? Number(v.toPrecision(7)) : v;
    }
  } else {
    for (let i = 0; i < values.length; i++) out[i] = values[i] as number;
  }
  return out;
}

/** Copies a 2-D input into rows of numbers; every row must have the same length. */
export function toRows(fn: string, field: string, grid: Grid): number[][] {
  if (isTensorLike(grid)) {
    if (grid.shape.length !== 2) {
      throw new RangeError(`${fn}: ${field} must be 2-D [rows, cols], got shape ${formatShape(grid.shape)}`);
    }
    const [rows, cols] = grid.shape as [number, number];
    const flat = plainNumbers(grid.data);
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) out.push(flat.slice(r * cols, (r + 1) * cols));
    return out;
  }
  if (grid === null || typeof grid !== 'object' || typeof grid.length !== 'number') {
    throw new TypeError(`${fn}: ${field} must be rows of numbers or a 2-D tensor, got ${describeValue(grid)}`);
  }
  const out: number[][] = [];
  for (let r = 0; r < grid.length; r++) {
    const row = grid[r];
    if (row === undefined || row === null || typeof row !== 'object') {
      throw new TypeError(`${fn}: ${field}[${r}] must be an array of numbers, got ${describeValue(row)}`);
    }
    out.push(toNumbers(fn, `${field}[${r}]`, row));
  }
  const width = out.length > 0 ? (out[0] as number[]).length : 0;
  out.forEach((row, r) => {
    if (row.length !== width) {
      throw new RangeError(`${fn}: ${field} rows must have equal lengths, row 0 has ${width} and row ${r} has ${row.length}`);
    }
  });
  return out;
}

/** Throws unless every finite value is positive, for log axes; NaN and ±Infinity are left to the gaps. */
export function requirePositive(fn: string, field: string, values: readonly number[], axis: string): void {
  values.forEach((v, i) => {
    if (Number.isFinite(v) && v <= 0) {
      throw new RangeError(`${fn}: ${axis} needs positive values, ${field} has ${v} at index ${i}`);
    }
  });
}

/** Throws unless two runs of numbers have the same length. */
export function requireSameLength(fn: string, a: string, aLength: number, b: string, bLength: number): void {
  if (aLength !== bLength) {
    throw new RangeError(`${fn}: ${a} and ${b} must have the same length, got ${aLength} and ${bLength}`);
  }
}

/** Throws unless `names` are non-empty and distinct, so legends stay unambiguous. */
export function requireSeriesNames(fn: string, names: readonly unknown[]): string[] {
  const seen = new Set<string>();
  return names.map((name, i) => {
    const text = requireText(fn, `series[${i}].name`, name);
    if (seen.has(text)) throw new RangeError(`${fn}: series names must be distinct, "${text}" appears twice`);
    seen.add(text);
    return text;
  });
}

/** Throws unless `series` is a non-empty array. */
export function requireSeries<T>(fn: string, series: readonly T[] | undefined): readonly T[] {
  if (!Array.isArray(series) || series.length === 0) {
    throw new TypeError(`${fn}: series must be a non-empty array of {name, ...}, got ${describeValue(series)}`);
  }
  return series;
}

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object with keys {${Object.keys(value).slice(0, 5).join(', ')}}`;
  return JSON.stringify(value) ?? String(value);
}
