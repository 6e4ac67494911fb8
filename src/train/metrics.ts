/** Metrics computed on one batch of model outputs, for `fit` and for evaluation in notebooks. */
import type { Tensor } from '../autograd/tensor';
import { formatShape } from '../tensor/shape';
import { labelIndices, type Labels } from '../nn/functional/labels';

/** A metric on one batch: its mean over the batch's examples (fit averages it over the epoch, weighted by batch size). */
export type Metric = (output: Tensor, target: Tensor) => number;

/** The fraction of rows of `logits` [N, C] whose largest entry is at the true label (ties: the first). */
export function accuracy(logits: Tensor, labels: Labels): number {
  if (logits.ndim !== 2) throw new RangeError(`accuracy: logits must be [N, C], got shape ${formatShape(logits.shape)}`);
  const [n, c] = logits.shape;
  const idx = labelIndices(labels, 'accuracy', c, n);
  if (n === 0) return NaN;
  const d = logits.data;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (d[i * c + j] > d[i * c + best]) best = j;
    if (best === idx[i]) correct++;
  }
  return correct / n;
}
