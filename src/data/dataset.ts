/** A dataset as a pair of tensors whose first axes index the same examples, and fast row gathering. */
import { Tensor } from '../autograd/tensor';
import { allocate } from '../tensor/dtype';
import { formatShape } from '../tensor/shape';

/** Inputs `x` ([N, ...]) and targets `y` ([N, ...]): example i is (x[i], y[i]). */
export interface Dataset {
  x: Tensor;
  y: Tensor;
}

/** The number of examples N, after checking that `x` and `y` agree on it. */
export function datasetLength(ds: Dataset, where = 'Dataset'): number {
  if (ds.x.ndim === 0 || ds.y.ndim === 0) {
    throw new RangeError(
      `${where}: x and y need a first axis indexing the examples, got x ${formatShape(ds.x.shape)} and y ${formatShape(ds.y.shape)}`,
    );
  }
  if (ds.x.shape[0] !== ds.y.shape[0]) {
    throw new RangeError(
      `${where}: x and y must have the same number of examples (first axis), got x ${formatShape(ds.x.shape)} and y ${formatShape(ds.y.shape)}`,
    );
  }
  return ds.x.shape[0];
}

/**
 * The rows `indices[start..end)` of `t` along its first axis, as a new tensor (not recorded by
 * autograd): out[i] = t[indices[start + i]]. Rows are copied with `TypedArray.set`.
 */
export function gatherRows(t: Tensor, indices: ArrayLike<number>, start = 0, end = indices.length): Tensor {
  if (t.ndim === 0) throw new RangeError('gatherRows: a scalar tensor has no rows, got shape []');
  const n = t.shape[0];
  const rowSize = n === 0 ? 0 : t.size / n;
  const count = Math.max(0, end - start);
  const out = allocate(t.dtype, count * rowSize);
  const src = t.data;
  for (let i = 0; i < count; i++) {
    const row = indices[start + i];
    if (!(row >= 0 && row < n) || !Number.isInteger(row)) {
      throw new RangeError(`gatherRows: index ${row} is out of range for ${n} rows (shape ${formatShape(t.shape)})`);
    }
    if (rowSize === 1) out[i] = src[row];
    else out.set(src.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  }
  return new Tensor(out, [count, ...t.shape.slice(1)]);
}

/** The examples at `indices`, in that order, as a new dataset. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  datasetLength(ds, 'subset');
  return { x: gatherRows(ds.x, indices), y: gatherRows(ds.y, indices) };
}
