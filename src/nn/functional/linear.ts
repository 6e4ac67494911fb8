/** The affine map of a fully connected layer, with the weight stored [in, out] as the lectures write Z W. */
import { Tensor } from '../../autograd/tensor';
import { formatShape } from '../../tensor/shape';
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
  const y = matmul(x, weight);
  if (bias === null) return y;
  checkTensor(bias, 'linear', 'bias');
  if (bias.ndim !== 1 || bias.shape[0] !== outFeatures) {
    throw new RangeError(`linear: bias must have shape [${outFeatures}], got ${formatShape(bias.shape)}`);
  }
  return add(y, bias);
}
