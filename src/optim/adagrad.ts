/** Adagrad (PyTorch's rule): per-coordinate step sizes shrinking with the sum of squared gradients. */
import type { DataArray } from '../tensor/dtype';
import { checkFlag, checkHyper, Optimizer, type ParamsOrGroups, type ParamState } from './optimizer';

/** Options of `Adagrad` (defaults: lr 0.01, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10). */
export interface AdagradOptions {
  readonly lr?: number;
  /** The step size at step t is lr / (1 + (t - 1)·lrDecay). */
  readonly lrDecay?: number;
  readonly weightDecay?: number;
  /** The starting value of the sum of squared gradients. */
  readonly initialAccumulatorValue?: number;
  readonly eps?: number;
  /** Ascend instead of descend. */
  readonly maximize?: boolean;
}

/** Adagrad's hyperparameters of one parameter group, resolved. */
export interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

const ADAGRAD_OPTIONS = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'];

function resolveAdagrad(o: Record<string, unknown>, where: string): AdagradHyper {
  return {
    lr: checkHyper(where, 'lr', o.lr ?? 0.01, 0),
    lrDecay: checkHyper(where, 'lrDecay', o.lrDecay ?? 0, 0),
    weightDecay: checkHyper(where, 'weightDecay', o.weightDecay ?? 0, 0),
    initialAccumulatorValue: checkHyper(where, 'initialAccumulatorValue', o.initialAccumulatorValue ?? 0, 0),
    eps: checkHyper(where, 'eps', o.eps ?? 1e-10, 0),
    maximize: checkFlag(where, 'maximize', o.maximize),
  };
}

/**
 * g = ∇ + wd·p; s = s + g²; p = p - lr/(1 + (t - 1)·lrDecay) · g / (√s + eps). `params` is a list of
 * tensors or of groups `{params, ...options}` overriding these options.
 */
export class Adagrad extends Optimizer<AdagradHyper> {
  constructor(params: ParamsOrGroups<AdagradOptions>, options: AdagradOptions = {}) {
    super(params, options, ADAGRAD_OPTIONS, resolveAdagrad);
  }

  /** The default learning-rate decay. */
  get lrDecay(): number {
    return this.defaults.lrDecay;
  }

  /** The default weight decay. */
  get weightDecay(): number {
    return this.defaults.weightDecay;
  }

  /** The default starting value of the sum of squares. */
  get initialAccumulatorValue(): number {
    return this.defaults.initialAccumulatorValue;
  }

  /** The default eps. */
  get eps(): number {
    return this.defaults.eps;
  }

  /** The default maximize flag. */
  get maximize(): boolean {
    return this.defaults.maximize;
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState, hyper: AdagradHyper): void {
    const { weightDecay: wd, eps } = hyper;
    const sign = hyper.maximize ? -1 : 1;
    const clr = hyper.lr / (1 + (state.step - 1) * hyper.lrDecay);
    const sum = state.get('sum', hyper.initialAccumulatorValue);
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + wd * p[i];
      sum[i] += g * g;
      p[i] -= (clr * g) / (Math.sqrt(sum[i]) + eps);
    }
  }
}
