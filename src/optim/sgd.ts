/** Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay (PyTorch's rule). */
import type { DataArray } from '../tensor/dtype';
import { checkFlag, checkHyper, Optimizer, type ParamsOrGroups, type ParamState } from './optimizer';

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

/** SGD's hyperparameters of one parameter group, resolved. */
export interface SGDHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'];

function resolveSGD(o: Record<string, unknown>, where: string): SGDHyper {
  const h: SGDHyper = {
    lr: checkHyper(where, 'lr', o.lr, 0),
    momentum: checkHyper(where, 'momentum', o.momentum ?? 0, 0),
    dampening: checkHyper(where, 'dampening', o.dampening ?? 0, 0, 1),
    weightDecay: checkHyper(where, 'weightDecay', o.weightDecay ?? 0, 0),
    nesterov: checkFlag(where, 'nesterov', o.nesterov),
    maximize: checkFlag(where, 'maximize', o.maximize),
  };
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw new RangeError(`${where}: nesterov needs momentum > 0 and dampening = 0, got momentum=${h.momentum}, dampening=${h.dampening}`);
  }
  return h;
}

/**
 * g = ∇ + wd·p; with momentum μ: b = g on the first step, then b = μ·b + (1 - dampening)·g, and
 * g = g + μ·b (Nesterov) or g = b; finally p = p - lr·g. `params` is a list of tensors or of groups
 * `{params, ...options}` overriding these options.
 */
export class SGD extends Optimizer<SGDHyper> {
  constructor(params: ParamsOrGroups<SGDOptions>, options: SGDOptions) {
    super(params, options, SGD_OPTIONS, resolveSGD);
  }

  /** The default momentum (a group may override it). */
  get momentum(): number {
    return this.defaults.momentum;
  }

  /** The default dampening. */
  get dampening(): number {
    return this.defaults.dampening;
  }

  /** The default weight decay. */
  get weightDecay(): number {
    return this.defaults.weightDecay;
  }

  /** The default Nesterov flag. */
  get nesterov(): boolean {
    return this.defaults.nesterov;
  }

  /** The default maximize flag. */
  get maximize(): boolean {
    return this.defaults.maximize;
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState, hyper: SGDHyper): void {
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = hyper;
    const sign = hyper.maximize ? -1 : 1;
    if (mu === 0) {
      // Plain SGD, the lectures' optimizer, reads only the gradient (as PyTorch, which adds no 0 · p).
      if (wd === 0) for (let i = 0; i < p.length; i++) p[i] -= lr * (sign * grad[i]);
      else for (let i = 0; i < p.length; i++) p[i] -= lr * (sign * grad[i] + wd * p[i]);
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
