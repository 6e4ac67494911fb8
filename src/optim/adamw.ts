/** AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch computes it. */
import { checkOptions } from '../util/options';
import { Adam, ADAM_OPTIONS, type AdamOptions } from './adam';
import type { ParamsOrGroups } from './optimizer';

/** Options of `AdamW`: Adam's (its weight decay is always decoupled). */
export type AdamWOptions = Omit<AdamOptions, 'decoupledWeightDecay'>;

const ADAMW_OPTIONS = ADAM_OPTIONS.filter((k) => k !== 'decoupledWeightDecay');

/**
 * p = p · (1 - lr·wd) first, then the Adam step on the plain gradient (defaults as Adam, but
 * weightDecay 0.01 as in PyTorch).
 */
export class AdamW extends Adam {
  constructor(params: ParamsOrGroups<AdamWOptions>, options: AdamWOptions = {}) {
    checkOptions('AdamW', options, ADAMW_OPTIONS);
    if (Array.isArray(params)) {
      params.forEach((g: unknown, i) => {
        if (g !== null && typeof g === 'object' && 'decoupledWeightDecay' in g) checkOptions(`AdamW: paramGroups[${i}]`, { decoupledWeightDecay: true }, ADAMW_OPTIONS);
      });
    }
    super(params, { ...options, weightDecay: options.weightDecay ?? 0.01, decoupledWeightDecay: true });
  }
}
