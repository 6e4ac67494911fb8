/** RMSprop (PyTorch's rule): divide the gradient by a running RMS of recent gradients. */
import type { Tensor } from '../autograd/tensor';
import type { DataArray } from '../tensor/dtype';
import { checkHyper, Optimizer, type ParamState } from './optimizer';

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

/**
 * g = ∇ + wd·p; s = α·s + (1 - α)·g²; d = √s + eps (centered: √(s - ḡ²) + eps with ḡ = α·ḡ + (1 - α)·g);
 * with momentum μ: b = μ·b + g/d and p = p - lr·b; else p = p - lr·g/d.
 */
export class RMSprop extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly maximize: boolean;

  constructor(params: Iterable<Tensor>, options: RMSpropOptions = {}) {
    super(params, options.lr ?? 0.01);
    this.alpha = checkHyper('RMSprop', 'alpha', options.alpha ?? 0.99, 0, 1);
    this.eps = checkHyper('RMSprop', 'eps', options.eps ?? 1e-8, 0);
    this.weightDecay = checkHyper('RMSprop', 'weightDecay', options.weightDecay ?? 0, 0);
    this.momentum = checkHyper('RMSprop', 'momentum', options.momentum ?? 0, 0);
    this.centered = options.centered ?? false;
    this.maximize = options.maximize ?? false;
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState): void {
    const { lr, alpha, eps, weightDecay: wd, momentum: mu } = this;
    const sign = this.maximize ? -1 : 1;
    const sq = state.get('squareAvg');
    const avg = this.centered ? state.get('gradAvg') : null;
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
