/** RMSprop (PyTorch's rule): divide the gradient by a running RMS of recent gradients. */
import type { DataArray } from '../tensor/dtype';
import { checkFlag, checkHyper, Optimizer, type ParamsOrGroups, type ParamState } from './optimizer';

/** Options of `RMSprop` (defaults: lr 0.01, alpha 0.99, eps 1e-8, others 0 / false). */
export interface RMSpropOptions {
  readonly lr?: number;
  /** Smoothing of the squared-gradient average. */
  readonly alpha?: number;
  /** Added to the RMS (after the square root). */
  readonly eps?: number;
  readonly weightDecay?: number;
  readonly momentum?: number;
  /** Divide by an estimate of the gradient's standard deviation instead of its RMS. */
  readonly centered?: boolean;
  /** Ascend instead of descend. */
  readonly maximize?: boolean;
}

/** RMSprop's hyperparameters of one parameter group, resolved. */
export interface RMSpropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

const RMSPROP_OPTIONS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'];

function resolveRMSprop(o: Record<string, unknown>, where: string): RMSpropHyper {
  return {
    lr: checkHyper(where, 'lr', o.lr ?? 0.01, 0),
    alpha: checkHyper(where, 'alpha', o.alpha ?? 0.99, 0, 1),
    eps: checkHyper(where, 'eps', o.eps ?? 1e-8, 0),
    weightDecay: checkHyper(where, 'weightDecay', o.weightDecay ?? 0, 0),
    momentum: checkHyper(where, 'momentum', o.momentum ?? 0, 0),
    centered: checkFlag(where, 'centered', o.centered),
    maximize: checkFlag(where, 'maximize', o.maximize),
  };
}

/**
 * g = ∇ + wd·p; s = α·s + (1 - α)·g²; d = √s + eps (centered: √(s - ḡ²) + eps with ḡ = α·ḡ + (1 - α)·g);
 * with momentum μ: b = μ·b + g/d and p = p - lr·b; else p = p - lr·g/d. `params` is a list of tensors
 * or of groups `{params, ...options}` overriding these options.
 */
export class RMSprop extends Optimizer<RMSpropHyper> {
  constructor(params: ParamsOrGroups<RMSpropOptions>, options: RMSpropOptions = {}) {
    super(params, options, RMSPROP_OPTIONS, resolveRMSprop);
  }

  /** The default smoothing constant. */
  get alpha(): number {
    return this.defaults.alpha;
  }

  /** The default eps. */
  get eps(): number {
    return this.defaults.eps;
  }

  /** The default weight decay. */
  get weightDecay(): number {
    return this.defaults.weightDecay;
  }

  /** The default momentum. */
  get momentum(): number {
    return this.defaults.momentum;
  }

  /** The default centered flag. */
  get centered(): boolean {
    return this.defaults.centered;
  }

  /** The default maximize flag. */
  get maximize(): boolean {
    return this.defaults.maximize;
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState, hyper: RMSpropHyper): void {
    const { lr, alpha, eps, weightDecay: wd, momentum: mu } = hyper;
    const sign = hyper.maximize ? -1 : 1;
    const sq = state.get('squareAvg');
    const avg = hyper.centered ? state.get('gradAvg') : null;
    const buf = mu > 0 ? state.get('momentum') : null;
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + wd * p[i];
      sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
      let d: number;
      if (avg !== null) {
        avg[i] = alpha * avg[i] + (1 - alpha) * g;
        d = Math.sqrt(sq[i] - avg[i] * avg[i]) + eps;
      } else d = Math.sqrt(sq[i]) + eps;
      if (buf !== null) {
        buf[i] = mu * buf[i] + g / d;
        p[i] -= lr * buf[i];
      } else p[i] -= (lr * g) / d;
    }
  }
}
