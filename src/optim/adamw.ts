/** AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch computes it. */
import type { Tensor } from '../autograd/tensor';
import { Adam, type AdamOptions } from './adam';

/** Options of `AdamW`: Adam's (its weight decay is always decoupled). */
export type AdamWOptions = Omit<AdamOptions, 'decoupledWeightDecay'>;

/**
 * p = p · (1 - lr·wd) first, then the Adam step on the plain gradient (defaults as Adam, but
 * weightDecay 0.01 as in PyTorch).
 */
export class AdamW extends Adam {
  constructor(params: Iterable<Tensor>, options: AdamWOptions = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 0.01, decoupledWeightDecay: true });
  }
}
