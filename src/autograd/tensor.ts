/**
 * The Tensor: a contiguous row-major typed array with a shape, plus the autograd bookkeeping
 * (`requiresGrad`, `grad`, and the node that made it). Operations live in `ops/`; they are attached
 * as chainable methods in `ops/methods.ts`, so this file knows nothing about any particular op.
 */
import { allocate, dtypeOf, type DataArray, type DType } from '../tensor/dtype';
import { formatShape, sizeOf, type Shape } from '../tensor/shape';
import { formatTensor } from '../tensor/format';

/** How a tensor was computed: its op, its inputs, and the vector-Jacobian product back to them. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /**
   * Given dLoss/dOutput, returns dLoss/dInput for each input (null where an input needs none).
   * `gradIsFree`: nothing else holds `grad`, so the backward may write an input's gradient into it
   * (same shape and dtype) and return it.
   */
  readonly backward: (grad: Tensor, gradIsFree: boolean) => readonly (Tensor | null)[];
  /** True when backward returns new tensors that nothing else holds, so they may be kept and summed into in place. */
  readonly freshGrads?: boolean;
}

/** A nested JavaScript array of numbers, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/** An n-dimensional array of float32 or float64 numbers that can record operations for autograd. */
export class Tensor {
  /** The elements, row-major. Writing into it bypasses autograd (as `tensor.data` does in PyTorch). */
  readonly data: DataArray;
  /** The length of each axis. */
  readonly shape: Shape;
  /** Whether gradients flow to (and, for leaves, accumulate in) this tensor. */
  requiresGrad: boolean;
  /** The accumulated gradient of a leaf after `backward()`, or null. */
  grad: Tensor | null = null;
  /** The op that produced this tensor while recording, or null for leaves and released graphs. */
  gradNode: GradNode | null;
  /** Keeps `grad` on a non-leaf tensor after backward (like `retain_grad()`). */
  retainsGrad = false;

  constructor(data: DataArray, shape: Shape, requiresGrad = false, gradNode: GradNode | null = null) {
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: ${data.length} elements do not fit shape ${formatShape(shape)} (needs ${sizeOf(shape)})`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.requiresGrad = requiresGrad;
    this.gradNode = gradNode;
  }

  /** 'float32' or 'float64'. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for tensors made by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradNode === null;
  }

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (this.data.length !== 1) {
      throw new RangeError(`item: only a one-element tensor converts to a number, got shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /** The elements as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.data[offset];
      const n = this.shape[axis];
      let stride = 1;
      for (let i = axis + 1; i < this.shape.length; i++) stride *= this.shape[i];
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(build(axis + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** A new leaf sharing no graph with this one and not requiring grad (the data is shared, as in PyTorch). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false, null);
  }

  /** Sets `requiresGrad` in place and returns this tensor (like `requires_grad_()`). */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) {
      throw new Error('requiresGrad_: cannot turn off gradients of a non-leaf tensor; use detach()');
    }
    this.requiresGrad = flag;
    return this;
  }

  /** Keeps this non-leaf tensor's gradient after backward. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** Prints like PyTorch: `tensor([[1., 2.], [3., 4.]])`, summarised when large. */
  toString(): string {
    return formatTensor(this);
  }

  /** Node's console.log and tslab use this to print a tensor. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A new zero-filled tensor of the given shape and dtype (a leaf). */
export function emptyTensor(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}
