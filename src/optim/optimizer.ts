/**
 * The optimizer base: parameter groups (each a list of leaf tensors with its own hyperparameters, as
 * PyTorch's `param_groups`), `zeroGrad()` and `step()`. Updates write into `p.data` directly (outside
 * the graph), as `torch.no_grad()` updates do.
 */
import { Tensor } from '../autograd/tensor';
import { allocate, type DataArray } from '../tensor/dtype';
import { formatShape, sameShape } from '../tensor/shape';
import { checkOptions } from '../util/options';

/**
 * What a learning-rate schedule needs from an optimizer: a learning rate it can read and set and,
 * when the optimizer has them, the parameter groups whose rates it scales one by one.
 */
export interface HasLearningRate {
  lr: number;
  readonly paramGroups?: readonly { lr: number }[];
}

/**
 * One parameter group as given to an optimizer: its tensors and any options that override the
 * optimizer's defaults for them, e.g. `{ params: biases, weightDecay: 0 }`.
 */
export type ParamGroupSpec<O> = { readonly params: Iterable<Tensor> } & Partial<O>;

/** What an optimizer optimizes: a list of tensors (one group), or a list of parameter groups. */
export type ParamsOrGroups<O> = Iterable<Tensor> | readonly ParamGroupSpec<O>[];

/**
 * One parameter group as an optimizer holds it: its tensors and every hyperparameter resolved
 * (group options over defaults). Fields may be changed between steps (`group.lr = 0.01`); they are
 * checked again at every step.
 */
export type ParamGroup<H> = H & { readonly params: readonly Tensor[] };

/** Hyperparameters every optimizer has. */
export interface BaseHyper {
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

/** Checks a flag option: true, false or absent (false). */
export function checkFlag(op: string, name: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`${op}: ${name} must be true or false, got ${JSON.stringify(value)}`);
  return value === true;
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

/** Turns one options object (defaults merged with a group's overrides) into checked hyperparameters. */
export type ResolveHyper<H> = (options: Record<string, unknown>, where: string) => H;

function isTensorList(items: unknown[]): boolean {
  return items.length === 0 || items[0] instanceof Tensor;
}

/** The base of SGD, Adam, AdamW, RMSprop and Adagrad. */
export abstract class Optimizer<H extends BaseHyper = BaseHyper> implements HasLearningRate {
  /** The tensors this optimizer updates, each once, in group order. */
  readonly params: readonly Tensor[];
  /** The parameter groups, each with its tensors and resolved hyperparameters (PyTorch's `param_groups`). */
  readonly paramGroups: ParamGroup<H>[];
  /** The hyperparameters a group gets unless it overrides them (PyTorch's `defaults`). */
  readonly defaults: Readonly<H>;
  private readonly states = new Map<Tensor, ParamState>();
  private readonly resolve: ResolveHyper<H>;

  /**
   * `params` is a list of tensors or a list of groups `{params, ...overrides}`; `options` are the
   * defaults, checked against `known` (unknown keys are errors); `resolve` checks one group's values.
   */
  constructor(params: ParamsOrGroups<object>, options: object | undefined, known: readonly string[], resolve: ResolveHyper<H>) {
    const name = this.constructor.name;
    checkOptions(name, options, known);
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${name}: params must be a list of tensors, e.g. model.parameters(), or a list of groups [{params, ...options}]`);
    }
    const items = Array.from(params as Iterable<unknown>);
    const defaultsIn = { ...(options ?? {}) } as Record<string, unknown>;
    this.resolve = resolve;
    this.defaults = resolve(defaultsIn, name);
    const specs: { params: unknown; overrides: Record<string, unknown>; where: string }[] = isTensorList(items)
      ? [{ params: items, overrides: {}, where: name }]
      : items.map((g, i) => {
          if (g === null || typeof g !== 'object' || g instanceof Tensor || !('params' in g)) {
            throw new TypeError(`${name}: params[${i}] must be a group {params, ...options} like the others, got ${g instanceof Tensor ? 'a Tensor' : typeof g}`);
          }
          const { params: groupParams, ...overrides } = g as Record<string, unknown>;
          checkOptions(`${name}: paramGroups[${i}]`, overrides, known);
          return { params: groupParams, overrides, where: `${name}: paramGroups[${i}]` };
        });
    const seen = new Map<Tensor, number>();
    const all: Tensor[] = [];
    this.paramGroups = specs.map((spec, gi) => {
      const list = this.groupTensors(spec.params, spec.where, gi, seen);
      all.push(...list);
      return { ...resolve({ ...defaultsIn, ...spec.overrides }, spec.where), params: list };
    });
    if (all.length === 0) throw new RangeError(`${name}: got an empty list of parameters`);
    this.params = all;
  }

  private groupTensors(params: unknown, where: string, group: number, seen: Map<Tensor, number>): Tensor[] {
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${where}: params must be a list of tensors`);
    }
    const list: Tensor[] = [];
    let i = 0;
    for (const p of params as Iterable<unknown>) {
      if (!(p instanceof Tensor)) throw new TypeError(`${where}: params[${i}] is not a Tensor`);
      if (!p.isLeaf) {
        throw new TypeError(`${where}: params[${i}] was computed by '${p.gradNode?.op ?? '?'}'; optimize leaf tensors such as model.parameters()`);
      }
      const other = seen.get(p);
      if (other !== undefined && other !== group) {
        throw new RangeError(`${where}: params[${i}] is already in paramGroups[${other}]; a tensor may be in one group only`);
      }
      if (other === undefined) list.push(p);
      seen.set(p, group);
      i++;
    }
    return list;
  }

  /** The first group's learning rate; setting it sets every group's rate. */
  get lr(): number {
    return this.paramGroups[0].lr;
  }

  set lr(value: number) {
    const lr = checkHyper(this.constructor.name, 'lr', value, 0);
    for (const group of this.paramGroups) group.lr = lr;
  }

  /** Clears every parameter's gradient (sets `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** Updates every parameter that has a gradient, once (parameters without a gradient are left alone). */
  step(): void {
    const name = this.constructor.name;
    // Check every gradient and every group first, so a bad one leaves all parameters untouched.
    for (const [i, p] of this.params.entries()) {
      if (p.grad !== null && !sameShape(p.grad.shape, p.shape)) {
        throw new RangeError(`${name}.step: params[${i}] has shape ${formatShape(p.shape)} but its grad has shape ${formatShape(p.grad.shape)}`);
      }
    }
    const hypers = this.paramGroups.map((group, i) => {
      const { params: _params, ...values } = group;
      return this.resolve(values, this.paramGroups.length === 1 ? name : `${name}: paramGroups[${i}]`);
    });
    this.paramGroups.forEach((group, gi) => {
      for (const p of group.params) {
        if (p.grad === null) continue;
        let state = this.states.get(p);
        if (state === undefined) {
          state = new ParamState(p);
          this.states.set(p, state);
        }
        state.step += 1;
        this.update(p.data, p.grad.data, state, hypers[gi]);
      }
    });
  }

  /** The state of parameter `p` (undefined before its first step). */
  stateOf(p: Tensor): ParamState | undefined {
    return this.states.get(p);
  }

  /** One parameter's update, in place on `p`, reading `grad` (never modified), its `state` and its group's hyperparameters. */
  protected abstract update(p: DataArray, grad: DataArray, state: ParamState, hyper: H): void;
}
