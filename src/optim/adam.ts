/** Adam (PyTorch's bias-corrected rule), with weight decay added to the gradient and optional AMSGrad. */
import type { DataArray } from '../tensor/dtype';
import { checkFlag, checkHyper, Optimizer, type ParamsOrGroups, type ParamState } from './optimizer';

/** Options of `Adam` (defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0). */
export interface AdamOptions {
  readonly lr?: number;
  readonly betas?: readonly [number, number];
  /** Added to √v̂ (after the square root). */
  readonly eps?: number;
  /** Adam: adds weightDecay · p to the gradient. AdamW: decays p directly. */
  readonly weightDecay?: number;
  /** Use the running maximum of v (AMSGrad). */
  readonly amsgrad?: boolean;
  /** Decay p by (1 - lr·wd) instead of adding wd·p to the gradient, i.e. AdamW (default false; AdamW: true). */
  readonly decoupledWeightDecay?: boolean;
  /** Ascend instead of descend. */
  readonly maximize?: boolean;
}

/** Adam's hyperparameters of one parameter group, resolved. */
export interface AdamHyper {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

/** The option names of `Adam`. */
export const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'decoupledWeightDecay', 'maximize'];

function resolveAdam(o: Record<string, unknown>, where: string): AdamHyper {
  const betas = o.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`${where}: betas must be a pair [beta1, beta2], got ${JSON.stringify(betas)}`);
  return {
    lr: checkHyper(where, 'lr', o.lr ?? 1e-3, 0),
    betas: [checkHyper(where, 'betas[0]', betas[0], 0, 1, true), checkHyper(where, 'betas[1]', betas[1], 0, 1, true)],
    eps: checkHyper(where, 'eps', o.eps ?? 1e-8, 0),
    weightDecay: checkHyper(where, 'weightDecay', o.weightDecay ?? 0, 0),
    amsgrad: checkFlag(where, 'amsgrad', o.amsgrad),
    decoupledWeightDecay: checkFlag(where, 'decoupledWeightDecay', o.decoupledWeightDecay),
    maximize: checkFlag(where, 'maximize', o.maximize),
  };
}

/**
 * t = t + 1; g = ∇ + wd·p (or, decoupled, p = p·(1 - lr·wd) first); m = β1·m + (1 - β1)·g; v = β2·v + (1 - β2)·g²;
 * p = p - lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + eps). `params` is a list of tensors or of groups
 * `{params, ...options}` overriding these options.
 */
export class Adam extends Optimizer<AdamHyper> {
  constructor(params: ParamsOrGroups<AdamOptions>, options: AdamOptions = {}) {
    super(params, options, ADAM_OPTIONS, resolveAdam);
  }

  /** The default β1. */
  get beta1(): number {
    return this.defaults.betas[0];
  }

  /** The default β2. */
  get beta2(): number {
    return this.defaults.betas[1];
  }

  /** The default eps. */
  get eps(): number {
    return this.defaults.eps;
  }

  /** The default weight decay. */
  get weightDecay(): number {
    return this.defaults.weightDecay;
  }

  /** The default AMSGrad flag. */
  get amsgrad(): boolean {
    return this.defaults.amsgrad;
  }

  /** The default maximize flag. */
  get maximize(): boolean {
    return this.defaults.maximize;
  }

  /** True for AdamW: weight decay multiplies p by (1 - lr·wd) instead of entering the gradient. */
  get decoupledWeightDecay(): boolean {
    return this.defaults.decoupledWeightDecay;
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState, hyper: AdamHyper): void {
    const { lr, betas: [b1, b2], eps, weightDecay: wd } = hyper;
    const sign = hyper.maximize ? -1 : 1;
    if (hyper.decoupledWeightDecay && wd !== 0) {
      const keep = 1 - lr * wd;
      for (let i = 0; i < p.length; i++) p[i] *= keep;
    }
    const coupled = hyper.decoupledWeightDecay ? 0 : wd;
    const m = state.get('expAvg');
    const v = state.get('expAvgSq');
    const vMax = hyper.amsgrad ? state.get('maxExpAvgSq') : null;
    const stepSize = lr / (1 - Math.pow(b1, state.step));
    const correction2 = Math.sqrt(1 - Math.pow(b2, state.step));
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + coupled * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      let second = v[i];
      if (vMax !== null) {
        if (v[i] > vMax[i]) vMax[i] = v[i];
        second = vMax[i];
      }
      p[i] -= (stepSize * m[i]) / (Math.sqrt(second) / correction2 + eps);
    }
  }
}
