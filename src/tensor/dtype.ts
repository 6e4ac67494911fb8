/** The element types a tensor can hold: float32 (the default, as in PyTorch) and float64. */
export type DType = 'float32' | 'float64';

/** The typed array behind a tensor of either dtype. */
export type DataArray = Float32Array | Float64Array;

/** The default dtype of new tensors. */
export const DEFAULT_DTYPE: DType = 'float32';

/** A zero-filled typed array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): DataArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOf(data: DataArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** Checks that `value` names a supported dtype. */
export function checkDType(value: unknown, where: string): DType {
  if (value === 'float32' || value === 'float64') return value;
  throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${JSON.stringify(value)}`);
}
