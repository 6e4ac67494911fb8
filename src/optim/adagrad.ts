/** Adagrad (PyTorch's rule): per-coordinate step sizes shrinking with the sum of squared gradients. */
import type { Tensor } from '../autograd/tensor';
import type { DataArray } from '../tensor/dtype';
import { checkHyper, Optimizer, type ParamState } from './optimizer';

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

/** g = ∇ + wd·p; s = s + g²; p = p - lr/(1 + (t - 1)·lrDecay) · g / (√s + eps). */
export class Adagrad extends Optimizer {
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly initialAccumulatorValue: number;
  readonly eps: number;
  readonly maximize: boolean;

  constructor(params: Iterable<Tensor>, options: AdagradOptions = {}) {
    super(params, options.lr ?? 0.01);
    this.lrDecay = checkHyper('Adagrad', 'lrDecay', options.lrDecay ?? 0, 0);
    this.weightDecay = checkHyper('Adagrad', 'weightDecay', options.weightDecay ?? 0, 0);
    this.initialAccumulatorValue = checkHyper('Adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0, 0);
    this.eps = checkHyper('Adagrad', 'eps', options.eps ?? 1e-10, 0);
    this.maximize = options.maximize ?? false;
  }

  protected update(p: DataArray, grad: DataArray, state: ParamState): void {
    const { weightDecay: wd, eps } = this;
    const sign = this.maximize ? -1 : 1;
    const clr = this.lr / (1 + (state.step - 1) * this.lrDecay);
    const sum = state.get('sum', this.initialAccumulatorValue);
    for (let i = 0; i < p.length; i++) {
      const g = sign * grad[i] + wd * p[i];
      sum[i] += g * g;
      p[i] -= (clr * g) / (Math.sqrt(sum[i]) + eps);
    }
  }
}
