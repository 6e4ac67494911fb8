/** Adam (PyTorch's bias-corrected rule), with weight decay added to the gradient and optional AMSGrad. */
import type { Tensor } from '../autograd/tensor';
import type { DataArray } from '../tensor/dtype';
import { checkHyper, Optimizer, type ParamState } from './optimizer';

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

/**
 * t = t + 1; g = ∇ + wd·p (or, decoupled, p = p·(1 - lr·wd) first); m = β1·m + (1 - β1)·g; v = β2·v + (1 - β2)·g²;
 * p = p - lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + eps).
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  /** True for AdamW: weight decay multiplies p by (1 - lr·wd) instead of entering the gradient. */
  readonly decoupledWeightDecay: boolean;

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, options.lr ?? 1e-3);
    const name = this.constructor.name;
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`${name}: betas must be a pair [beta1, beta2], got ${JSON.stringify(betas)}`);
    this.beta1 = checkHyper(name, 'betas[0]', betas[0], 0, 1, true);
    this.beta2 = checkHyper(name, 'betas[1]', betas[1], 0, 1, true);
    this.eps = checkHyper(name, 'eps', options.eps ?? 1e-8, 0);
    this.weightDecay = checkHyper(name, 'weightDecay', options.weightDecay ?? 0, 0);
    this.amsgrad = options.amsgrad ?? false;
    this.decoupledWeightDecay = options.decoupledWeightDecay ?? false;
    this.maximize = options.maximize ?? false;
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState): void {
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const sign = this.maximize ? -1 : 1;
    if (this.decoupledWeightDecay && wd !== 0) {
      const keep = 1 - lr * wd;
      for (let i = 0; i < p.length; i++) p[i] *= keep;
    }
    const coupled = this.decoupledWeightDecay ? 0 : wd;
    const m = state.get('expAvg');
    const v = state.get('expAvgSq');
    const vMax = this.amsgrad ? state.get('maxExpAvgSq') : null;
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
