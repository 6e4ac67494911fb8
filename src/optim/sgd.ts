/** Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay (PyTorch's rule). */
import type { Tensor } from '../autograd/tensor';
import type { DataArray } from '../tensor/dtype';
import { checkHyper, Optimizer, type ParamState } from './optimizer';

/** Options of `SGD` (PyTorch's defaults: all 0 / false). */
export interface SGDOptions {
  readonly lr: number;
  readonly momentum?: number;
  /** Scales the new gradient in the momentum buffer by (1 - dampening), from the second step on. */
  readonly dampening?: number;
  /** Adds weightDecay · p to the gradient (L2 regularization). */
  readonly weightDecay?: number;
  readonly nesterov?: boolean;
  /** Ascend instead of descend. */
  readonly maximize?: boolean;
}

/**
 * g = ∇ + wd·p; with momentum μ: b = g on the first step, then b = μ·b + (1 - dampening)·g, and
 * g = g + μ·b (Nesterov) or g = b; finally p = p - lr·g.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    super(params, options?.lr);
    this.momentum = checkHyper('SGD', 'momentum', options.momentum ?? 0, 0);
    this.dampening = checkHyper('SGD', 'dampening', options.dampening ?? 0, 0, 1);
    this.weightDecay = checkHyper('SGD', 'weightDecay', options.weightDecay ?? 0, 0);
    this.nesterov = options.nesterov ?? false;
    this.maximize = options.maximize ?? false;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new RangeError(`SGD: nesterov needs momentum > 0 and dampening = 0, got momentum=${this.momentum}, dampening=${this.dampening}`);
    }
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState): void {
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = this;
    const sign = this.maximize ? -1 : 1;
    if (mu === 0) {
      for (let i = 0; i < p.length; i++) p[i] -= lr * (sign * grad[i] + wd * p[i]);
      return;
    }
    const first = !state.has('momentum');
    const buf = state.get('momentum');
    // The first step stores g undamped; after that b = μb + (1 - dampening)g. Separate loops keep
    // the per-element work free of branches.
    const keep = first ? 0 : mu;
    const scale = first ? 1 : 1 - dampening;
    if (nesterov) {
      for (let i = 0; i < p.length; i++) {
        const g = sign * grad[i] + wd * p[i];
        const b = keep * buf[i] + scale * g;
        buf[i] = b;
        p[i] -= lr * (g + mu * b);
      }
    } else {
      for (let i = 0; i < p.length; i++) {
        const b = keep * buf[i] + scale * (sign * grad[i] + wd * p[i]);
        buf[i] = b;
        p[i] -= lr * b;
      }
    }
  }
}
