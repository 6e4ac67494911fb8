/** Integer class labels: accepted as a float tensor of whole numbers, an Int32Array or a number[]; and one-hot encoding. */
import { Tensor } from '../../autograd/tensor';
import { allocate, DEFAULT_DTYPE, type DType } from '../../tensor/dtype';
import { formatShape } from '../../tensor/shape';

/** Class indices 0..C-1, one per example: a 1-D float tensor holding integers, an Int32Array or a number[]. */
export type Labels = Tensor | Int32Array | readonly number[];

/** The labels as integers, checked: 1-D, whole numbers in [0, numClasses) (when given), and `count` of them (when given). */
export function labelIndices(labels: Labels, op: string, numClasses?: number, count?: number): Int32Array {
  let values: ArrayLike<number>;
  if (labels instanceof Tensor) {
    if (labels.ndim !== 1) throw new RangeError(`${op}: labels must be 1-D (one class index per example), got shape ${formatShape(labels.shape)}`);
    values = labels.data;
  } else if (labels instanceof Int32Array || Array.isArray(labels)) {
    values = labels as ArrayLike<number>;
  } else {
    throw new TypeError(`${op}: labels must be a Tensor, an Int32Array or an array of numbers, got ${typeof labels}`);
  }
  if (count !== undefined && values.length !== count) {
    throw new RangeError(`${op}: got ${values.length} labels for ${count} examples`);
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || (numClasses !== undefined && v >= numClasses)) {
      const range = numClasses === undefined ? 'a non-negative integer' : `an integer in [0, ${numClasses - 1}]`;
      throw new RangeError(`${op}: label ${v} at position ${i} is not ${range}`);
    }
    out[i] = v;
  }
  return out;
}

/** [N, numClasses] (dtype: given, else the labels tensor's, else float32) with a 1 at (i, labels[i]) and 0 elsewhere (no gradient). */
export function oneHot(labels: Labels, numClasses: number, dtype?: DType): Tensor {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  const idx = labelIndices(labels, 'oneHot', numClasses);
  const data = allocate(dtype ?? (labels instanceof Tensor ? labels.dtype : DEFAULT_DTYPE), idx.length * numClasses);
  for (let i = 0; i < idx.length; i++) data[i * numClasses + idx[i]] = 1;
  return new Tensor(data, [idx.length, numClasses]);
}
