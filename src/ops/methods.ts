/**
 * Chainable methods: `x.add(y).relu().sum()` calls the same functions as `sum(relu(add(x, y)))`.
 * They are attached to Tensor's prototype here, so the Tensor class itself stays free of op code.
 */
import { backward, type BackwardOptions } from '../autograd/backward';
import { Tensor } from '../autograd/tensor';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import * as ew from './elementwise';
import { matmul } from './matmul';
import * as mv from './movement';
import * as rd from './reduce';
import type { TensorLike } from './util';

declare module '../autograd/tensor' {
  interface Tensor {
    /** Backpropagates from this tensor (a one-element tensor, or pass the upstream gradient). */
    backward(gradient?: Tensor, options?: BackwardOptions): void;
    /** Sets `grad` to null. */
    zeroGrad(): void;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    pow(exponent: number): Tensor;
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    eq(other: TensorLike): Tensor;
    matmul(other: Tensor): Tensor;
    sum(axis?: rd.Axis, keepdim?: boolean): Tensor;
    mean(axis?: rd.Axis, keepdim?: boolean): Tensor;
    max(axis?: rd.Axis, keepdim?: boolean): Tensor;
    min(axis?: rd.Axis, keepdim?: boolean): Tensor;
    var(axis?: rd.Axis, options?: rd.VarianceOptions): Tensor;
    logsumexp(axis?: rd.Axis, keepdim?: boolean): Tensor;
    argmax(axis?: number, keepdim?: boolean): Tensor;
    argmin(axis?: number, keepdim?: boolean): Tensor;
    reshape(shape: Shape): Tensor;
    view(shape: Shape): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(axis?: number): Tensor;
    unsqueeze(axis: number): Tensor;
    permute(axes: readonly number[]): Tensor;
    transpose(dim0?: number, dim1?: number): Tensor;
    /** The matrix transpose (last two axes swapped). */
    readonly T: Tensor;
    broadcastTo(shape: Shape): Tensor;
    expand(shape: Shape): Tensor;
    astype(dtype: DType): Tensor;
    clone(): Tensor;
    narrow(axis: number, start: number, length: number): Tensor;
    slice(axis: number, start?: number, end?: number, step?: number): Tensor;
    indexSelect(axis: number, indices: ArrayLike<number> | Tensor): Tensor;
  }
}

const proto = Tensor.prototype;
proto.backward = function (this: Tensor, gradient?: Tensor, options?: BackwardOptions) { backward(this, gradient, options); };
proto.zeroGrad = function (this: Tensor) { this.grad = null; };
proto.neg = function (this: Tensor) { return ew.neg(this); };
proto.exp = function (this: Tensor) { return ew.exp(this); };
proto.log = function (this: Tensor) { return ew.log(this); };
proto.sqrt = function (this: Tensor) { return ew.sqrt(this); };
proto.abs = function (this: Tensor) { return ew.abs(this); };
proto.tanh = function (this: Tensor) { return ew.tanh(this); };
proto.sigmoid = function (this: Tensor) { return ew.sigmoid(this); };
proto.relu = function (this: Tensor) { return ew.relu(this); };
proto.pow = function (this: Tensor, e: number) { return ew.pow(this, e); };
proto.add = function (this: Tensor, o: TensorLike) { return ew.add(this, o); };
proto.sub = function (this: Tensor, o: TensorLike) { return ew.sub(this, o); };
proto.mul = function (this: Tensor, o: TensorLike) { return ew.mul(this, o); };
proto.div = function (this: Tensor, o: TensorLike) { return ew.div(this, o); };
proto.maximum = function (this: Tensor, o: TensorLike) { return ew.maximum(this, o); };
proto.minimum = function (this: Tensor, o: TensorLike) { return ew.minimum(this, o); };
proto.gt = function (this: Tensor, o: TensorLike) { return ew.gt(this, o); };
proto.lt = function (this: Tensor, o: TensorLike) { return ew.lt(this, o); };
proto.ge = function (this: Tensor, o: TensorLike) { return ew.ge(this, o); };
proto.le = function (this: Tensor, o: TensorLike) { return ew.le(this, o); };
proto.eq = function (this: Tensor, o: TensorLike) { return ew.eq(this, o); };
proto.matmul = function (this: Tensor, o: Tensor) { return matmul(this, o); };
proto.sum = function (this: Tensor, a?: rd.Axis, k?: boolean) { return rd.sum(this, a, k); };
proto.mean = function (this: Tensor, a?: rd.Axis, k?: boolean) { return rd.mean(this, a, k); };
proto.max = function (this: Tensor, a?: rd.Axis, k?: boolean) { return rd.max(this, a, k); };
proto.min = function (this: Tensor, a?: rd.Axis, k?: boolean) { return rd.min(this, a, k); };
proto.var = function (this: Tensor, a?: rd.Axis, o?: rd.VarianceOptions) { return rd.variance(this, a, o); };
proto.logsumexp = function (this: Tensor, a?: rd.Axis, k?: boolean) { return rd.logsumexp(this, a, k); };
proto.argmax = function (this: Tensor, a?: number, k?: boolean) { return rd.argmax(this, a, k); };
proto.argmin = function (this: Tensor, a?: number, k?: boolean) { return rd.argmin(this, a, k); };
proto.reshape = function (this: Tensor, s: Shape) { return mv.reshape(this, s); };
proto.view = function (this: Tensor, s: Shape) { return mv.reshape(this, s); };
proto.flatten = function (this: Tensor, s?: number, e?: number) { return mv.flatten(this, s, e); };
proto.squeeze = function (this: Tensor, a?: number) { return mv.squeeze(this, a); };
proto.unsqueeze = function (this: Tensor, a: number) { return mv.unsqueeze(this, a); };
proto.permute = function (this: Tensor, axes: readonly number[]) { return mv.permute(this, axes); };
proto.transpose = function (this: Tensor, d0?: number, d1?: number) { return mv.transpose(this, d0, d1); };
Object.defineProperty(proto, 'T', { get(this: Tensor) { return mv.transpose(this); }, configurable: true });
proto.broadcastTo = function (this: Tensor, s: Shape) { return mv.broadcastTo(this, s); };
proto.expand = function (this: Tensor, s: Shape) { return mv.broadcastTo(this, s); };
proto.astype = function (this: Tensor, d: DType) { return mv.astype(this, d); };
proto.clone = function (this: Tensor) { return mv.clone(this); };
proto.narrow = function (this: Tensor, a: number, s: number, l: number) { return mv.narrow(this, a, s, l); };
proto.slice = function (this: Tensor, a: number, s?: number, e?: number, st?: number) { return mv.slice(this, a, s, e, st); };
proto.indexSelect = function (this: Tensor, a: number, i: ArrayLike<number> | Tensor) { return mv.indexSelect(this, a, i); };
