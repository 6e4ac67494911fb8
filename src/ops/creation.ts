/** Creating tensors: from JavaScript data, filled, ranges, identity, and seeded random draws. */
import { Tensor, type NestedArray } from '../autograd/tensor';
import { allocate, checkDType, DEFAULT_DTYPE, type DataArray, type DType } from '../tensor/dtype';
import { checkShape, formatShape, sizeOf, type Shape } from '../tensor/shape';
import { defaultGenerator, type Generator } from '../tensor/random';

/** Options shared by creation functions. */
export interface CreateOptions {
  readonly dtype?: DType;
  readonly requiresGrad?: boolean;
}

/** Options of `tensor()`: a flat array may be given with its `shape`. */
export interface TensorOptions extends CreateOptions {
  readonly shape?: Shape;
}

/** Options of random creation functions. */
export interface RandomOptions extends CreateOptions {
  readonly generator?: Generator;
}

/** Anything `tensor()` accepts as data. */
export type TensorData = NestedArray | ArrayLike<number>;

function make(data: DataArray, shape: Shape, options: CreateOptions): Tensor {
  return new Tensor(data, shape, options.requiresGrad === true);
}

function dtypeFrom(op: string, options: CreateOptions, fallback: DType = DEFAULT_DTYPE): DType {
  return options.dtype === undefined ? fallback : checkDType(options.dtype, op);
}

/** The shape read along the first entries (data[0][0]...), then checked against every entry. */
function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  checkNested(data, shape, [], 0);
  return shape;
}

function checkNested(data: unknown, shape: readonly number[], path: number[], depth: number): void {
  const at = (): string => `[${path.join(', ')}]`;
  if (typeof data !== 'number' && !Array.isArray(data)) {
    throw new TypeError(`tensor: expected numbers or nested arrays, got ${typeof data} at index ${at()}`);
  }
  if (depth === shape.length) {
    if (typeof data !== 'number') throw new RangeError(`tensor: ragged nested array: expected a number at index ${at()}, got a list`);
    return;
  }
  if (!Array.isArray(data)) throw new RangeError(`tensor: ragged nested array: expected a list at index ${at()}, got a number`);
  if (data.length !== shape[depth]) {
    throw new RangeError(`tensor: ragged nested array: expected length ${shape[depth]} at index ${at()}, got ${data.length}`);
  }
  data.forEach((d: unknown, i) => checkNested(d, shape, [...path, i], depth + 1));
}

function flatten(data: NestedArray, out: number[]): void {
  if (typeof data === 'number') out.push(data);
  else for (const d of data) flatten(d, out);
}

function isNumberArrayLike(data: unknown): data is ArrayLike<number> {
  return ArrayBuffer.isView(data) && !(data instanceof DataView);
}

/** A new tensor holding a copy of `data` (a number, nested arrays, or a flat typed/plain array with `shape`). */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  let flat: ArrayLike<number>;
  let shape: number[];
  let fallback: DType = DEFAULT_DTYPE;
  if (isNumberArrayLike(data)) {
    flat = data;
    if (data instanceof Float64Array) fallback = 'float64';
    shape = options.shape === undefined ? [data.length] : options.shape.slice();
  } else if (typeof data === 'number') {
    flat = [data];
    shape = options.shape === undefined ? [] : options.shape.slice();
  } else {
    shape = inferShape(data as NestedArray);
    const values: number[] = [];
    flatten(data as NestedArray, values);
    flat = values;
    if (options.shape !== undefined) shape = options.shape.slice();
  }
  checkShape(shape, 'tensor');
  if (sizeOf(shape) !== flat.length) {
    throw new RangeError(`tensor: ${flat.length} values do not fit shape ${formatShape(shape)} (needs ${sizeOf(shape)})`);
  }
  const out = allocate(dtypeFrom('tensor', options, fallback), flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw new TypeError(`tensor: element ${i} is ${typeof v}, expected a number`);
    out[i] = v;
  }
  return make(out, shape, options);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

function filled(op: string, shape: Shape, value: number, options: CreateOptions): Tensor {
  checkShape(shape, op);
  const data = allocate(dtypeFrom(op, options), sizeOf(shape));
  if (value !== 0) data.fill(value);
  return make(data, shape, options);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}

/** Zeros with the shape and dtype of `t`. */
export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return filled('zerosLike', t.shape, 0, { dtype: t.dtype, ...options });
}

/** Ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return filled('onesLike', t.shape, 1, { dtype: t.dtype, ...options });
}

/** Values start, start+step, ... below end (like `torch.arange(start, end, step)`); `arange(n)` is 0..n-1. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = allocate(dtypeFrom('arange', options), n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return make(data, [n], options);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = allocate(dtypeFrom('linspace', options), steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = i === steps - 1 && steps > 1 ? end : start + i * delta;
  return make(data, [steps], options);
}

/** The n x m identity matrix (m defaults to n). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  checkShape([n, m], 'eye');
  const data = allocate(dtypeFrom('eye', options), n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return make(data, [n, m], options);
}

function randomTensor(op: string, shape: Shape, options: RandomOptions, draw: (g: Generator) => number): Tensor {
  checkShape(shape, op);
  const g = options.generator ?? defaultGenerator();
  const data = allocate(dtypeFrom(op, options), sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return make(data, shape, options);
}

/** The largest float32 below 1; a draw just under 1 would otherwise round up to 1 in float32. */
const FLOAT32_BELOW_ONE = 1 - 2 ** -24;

/** Uniform draws in [0, 1) (also after rounding to float32). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const top = dtypeFrom('rand', options) === 'float32' ? FLOAT32_BELOW_ONE : 1;
  return randomTensor('rand', shape, options, (g) => Math.min(g.uniform(), top));
}

/** Standard normal draws. */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  return randomTensor('randn', shape, options, (g) => g.normal());
}

/** Uniform integers in [low, high), stored as floats. */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new RangeError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  return randomTensor('randint', shape, options, (g) => g.integer(low, high));
}

/** 1 with probability p, else 0. */
export function bernoulli(shape: Shape, p: number, options: RandomOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: p must be in [0, 1], got ${p}`);
  return randomTensor('bernoulli', shape, options, (g) => (g.uniform() < p ? 1 : 0));
}
