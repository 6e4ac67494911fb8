/**
 * The optimizer base: a list of leaf tensors, an adjustable learning rate, `zeroGrad()` and `step()`.
 * Updates write into `p.data` directly (outside the graph), as `torch.no_grad()` updates do.
 */
import { Tensor } from '../autograd/tensor';
import { allocate, type DataArray } from '../tensor/dtype';
import { formatShape, sameShape } from '../tensor/shape';

/** What a learning-rate schedule needs from an optimizer: a learning rate it can read and set. */
export interface HasLearningRate {
  lr: number;
}

/** Checks a hyperparameter: a finite number in [min, max] (max exclusive when `openMax`). */
export function checkHyper(op: string, name: string, value: unknown, min: number, max = Infinity, openMax = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (openMax ? value < max : value <= max);
  if (!ok) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}${openMax ? ')' : ']'}`;
    throw new RangeError(`${op}: ${name} must be a number ${range}, got ${String(value)}`);
  }
  return value as number;
}

/** One parameter's optimizer state: the number of steps taken and named arrays (momentum, averages, ...). */
export class ParamState {
  /** Steps applied to this parameter so far, including the current one during `update`. */
  step = 0;
  private readonly arrays = new Map<string, DataArray>();

  constructor(private readonly param: Tensor) {}

  /** True when the array `name` exists (e.g. SGD's momentum buffer after the first step). */
  has(name: string): boolean {
    return this.arrays.has(name);
  }

  /** The array `name`, created filled with `fill` (default 0) in the parameter's dtype on first use. */
  get(name: string, fill = 0): DataArray {
    let a = this.arrays.get(name);
    if (a === undefined) {
      a = allocate(this.param.dtype, this.param.size);
      if (fill !== 0) a.fill(fill);
      this.arrays.set(name, a);
    }
    return a;
  }
}

/** The base of SGD, Adam, AdamW, RMSprop and Adagrad. */
export abstract class Optimizer implements HasLearningRate {
  /** The tensors this optimizer updates, each once. */
  readonly params: readonly Tensor[];
  private rate: number;
  private readonly states = new Map<Tensor, ParamState>();

  constructor(params: Iterable<Tensor>, lr: number) {
    const name = this.constructor.name;
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${name}: params must be a list of tensors, e.g. model.parameters()`);
    }
    const list: Tensor[] = [];
    const seen = new Set<Tensor>();
    let i = 0;
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: params[${i}] is not a Tensor`);
      if (!p.isLeaf) {
        throw new TypeError(`${name}: params[${i}] was computed by '${p.gradNode?.op ?? '?'}'; optimize leaf tensors such as model.parameters()`);
      }
      if (!seen.has(p)) list.push(p);
      seen.add(p);
      i++;
    }
    if (list.length === 0) throw new RangeError(`${name}: got an empty list of parameters`);
    this.params = list;
    this.rate = checkHyper(name, 'lr', lr, 0);
  }

  /** The learning rate; set it to change the step size (schedules do). */
  get lr(): number {
    return this.rate;
  }

  set lr(value: number) {
    this.rate = checkHyper(this.constructor.name, 'lr', value, 0);
  }

  /** Clears every parameter's gradient (sets `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** Updates every parameter that has a gradient, once (parameters without a gradient are left alone). */
  step(): void {
    // Check every gradient first, so a bad one leaves all parameters untouched.
    for (const [i, p] of this.params.entries()) {
      if (p.grad !== null && !sameShape(p.grad.shape, p.shape)) {
        throw new RangeError(
          `${this.constructor.name}.step: params[${i}] has shape ${formatShape(p.shape)} but its grad has shape ${formatShape(p.grad.shape)}`,
        );
      }
    }
    for (const p of this.params) {
      if (p.grad === null) continue;
      let state = this.states.get(p);
      if (state === undefined) {
        state = new ParamState(p);
        this.states.set(p, state);
      }
      state.step += 1;
      this.update(p.data, p.grad.data, state);
    }
  }

  /** The state of parameter `p` (undefined before its first step). */
  stateOf(p: Tensor): ParamState | undefined {
    return this.states.get(p);
  }

  /** One parameter's update, in place on `p`, reading `grad` (never modified) and the parameter's `state`. */
  protected abstract update(p: DataArray, grad: DataArray, state: ParamState): void;
}
