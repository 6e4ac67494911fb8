/** Loss modules: `CrossEntropyLoss` and `MSELoss`, over the functional losses. */
import type { Tensor } from '../autograd/tensor';
import { crossEntropy, mseLoss, type CrossEntropyOptions, type LossOptions, type Reduction } from './functional/losses';
import type { Labels } from './functional/labels';
import { Module } from './module';
import { checkOptions } from '../util/options';

/** Softmax cross-entropy of logits [N, C] against integer labels (see `crossEntropy`). */
export class CrossEntropyLoss extends Module<[Tensor, Labels]> {
  readonly labelSmoothing: number;
  readonly reduction: Reduction;

  constructor(options: CrossEntropyOptions = {}) {
    super();
    checkOptions('CrossEntropyLoss', options, ['labelSmoothing', 'reduction']);
    this.labelSmoothing = options.labelSmoothing ?? 0;
    this.reduction = options.reduction ?? 'mean';
  }

  forward(logits: Tensor, labels: Labels): Tensor {
    return crossEntropy(logits, labels, { labelSmoothing: this.labelSmoothing, reduction: this.reduction });
  }

  override extraRepr(): string {
    return `labelSmoothing=${this.labelSmoothing}, reduction='${this.reduction}'`;
  }
}

/** Mean squared error between an output and a target of the same shape (see `mseLoss`). */
export class MSELoss extends Module<[Tensor, Tensor]> {
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    super();
    checkOptions('MSELoss', options, ['reduction']);
    this.reduction = options.reduction ?? 'mean';
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }

  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}
