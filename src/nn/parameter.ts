/** A `Parameter` is a leaf tensor that a `Module` owns and trains: modules find them by walking their fields. */
import { Tensor } from '../autograd/tensor';

/** A trainable leaf tensor (requiresGrad true) that `Module.parameters()` collects. */
export class Parameter extends Tensor {
  /** Wraps `value`'s data (shared, not copied) as a trainable leaf. */
  constructor(value: Tensor, requiresGrad = true) {
    super(value.data, value.shape, requiresGrad, null);
  }
}
