/** The affine map of a fully connected layer, with the weight stored [in, out] as the lectures write Z W. */
import { fromOp } from '../../autograd/record';
import { Tensor } from '../../autograd/tensor';
import { allocate } from '../../tensor/dtype';
import { formatShape } from '../../tensor/shape';
import { kernels } from '../../tensor/kernels/backend';
import { gemm } from '../../tensor/kernels/matmul';
import { add } from '../../ops/elementwise';
import { matmul } from '../../ops/matmul';
import { checkTensor } from '../../ops/util';

/**
 * y = x W + b with x [..., in], W [in, out], b [out]. (PyTorch's `F.linear` takes W as [out, in] and
 * computes x Wᵀ + b; here W is already the matrix the lectures multiply by.)
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor(x, 'linear');
  checkTensor(weight, 'linear', 'weight');
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be [in, out], got shape ${formatShape(weight.shape)}`);
  const [inFeatures, outFeatures] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new RangeError(
      `linear: input must have ${inFeatures} features in its last axis to match weight ${formatShape(weight.shape)}, got shape ${formatShape(x.shape)}`,
    );
  }
  if (x.dtype !== weight.dtype) {
    throw new TypeError(
      `linear: input is ${x.dtype} but weight is ${weight.dtype}; convert the input with .astype('${weight.dtype}') or make the layer with { dtype: '${x.dtype}' }`,
    );
  }
  if (bias === null) return matmul(x, weight);
  checkTensor(bias, 'linear', 'bias');
  if (bias.ndim !== 1 || bias.shape[0] !== outFeatures) {
    throw new RangeError(`linear: bias must have shape [${outFeatures}], got ${formatShape(bias.shape)}`);
  }
  // The fused op covers the layer's usual case; the composition covers batched inputs (and reports a bias of another dtype).
  if (x.ndim !== 2 || bias.dtype !== x.dtype) return add(matmul(x, weight), bias);
  return affine(x, weight, bias);
}

/**
 * x W + b for x [m, k] as one op, like PyTorch's addmm: the bias is added into the product in place,
 * and its gradient is the column sums of g. The products are matmul's (dx = g Wᵀ, dW = xᵀ g), so the
 * results are those of add(matmul(x, W), b), bit for bit (the tests check it).
 */
function affine(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const [m, k] = x.shape;
  const n = weight.shape[1];
  const xd = x.data;
  const wd = weight.data;
  const out = allocate(x.dtype, m * n);
  gemm(xd, wd, out, m, k, n, false, false);
  kernels().fused.addRowVector(out, bias.data, m);
  return fromOp('linear', out, [m, n], [x, weight, bias], (g) => {
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    let gb: Tensor | null = null;
    if (x.requiresGrad) {
      gx = new Tensor(allocate(x.dtype, m * k), x.shape);
      gemm(g.data, wd, gx.data, m, n, k, false, true);
    }
    if (weight.requiresGrad) {
      gw = new Tensor(allocate(x.dtype, k * n), weight.shape);
      gemm(xd, g.data, gw.data, k, m, n, true, false);
    }
    if (bias.requiresGrad) {
      gb = new Tensor(allocate(x.dtype, n), bias.shape);
      kernels().fused.columnSums(g.data, m, gb.data);
    }
    return [gx, gw, gb];
  }, true);
}
