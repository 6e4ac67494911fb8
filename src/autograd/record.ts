/** How ops record themselves: a result tensor that remembers its inputs and backward when grad is on. */
import type { DataArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { isGradEnabled } from './gradMode';
import { Tensor, type GradNode } from './tensor';

/**
 * Wraps an op's output. The graph is recorded only when grad mode is on and some input requires
 * grad; otherwise the result is a plain leaf and `backward` is never kept alive. `freshGrads`: the
 * backward returns new tensors only (never its incoming gradient or a view of it).
 */
export function fromOp(
  op: string,
  data: DataArray,
  shape: Shape,
  inputs: readonly Tensor[],
  backward: GradNode['backward'],
  freshGrads = false,
): Tensor {
  let needsGrad = false;
  if (isGradEnabled()) for (const t of inputs) if (t.requiresGrad) needsGrad = true;
  return new Tensor(data, shape, needsGrad, needsGrad ? { op, inputs, backward, freshGrads } : null);
}
