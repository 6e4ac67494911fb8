/**
 * `Module`: the base of every layer and model. A module finds its parameters and submodules by
 * walking its own fields (a `Parameter`, a `Module`, or an array of them), in the order the fields
 * were defined, so a model is written as plain fields:
 *
 * ```ts
 * class MLP extends Module {
 *   readonly layers = [new Linear(784, 100), new ReLU(), new Linear(100, 10)];
 *   forward(x: Tensor): Tensor { return this.layers.reduce((h, layer) => layer.call(h), x); }
 * }
 * new MLP().namedParameters().map(([name]) => name); // ['layers.0.weight', 'layers.0.bias', ...]
 * ```
 *
 * Buffers (state that is saved but not trained, such as BatchNorm's running statistics) are tensor
 * fields named with `registerBuffer`.
 */
import { Tensor } from '../autograd/tensor';
import { allocate, type DType } from '../tensor/dtype';
import { formatShape, sameShape } from '../tensor/shape';
import { Parameter } from './parameter';
import { checkOptions } from '../util/options';

/** One tensor of a state dict: plain JSON (shape, dtype and row-major values). */
export interface TensorState {
  shape: number[];
  dtype: DType;
  data: number[];
}

/** A module's parameters and buffers by dotted name, as plain JSON-serialisable data (for checkpoints). */
export type StateDict = Record<string, TensorState>;

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Fail on missing or unexpected keys (default true). Shapes must always match. */
  readonly strict?: boolean;
}

/** Any module, whatever its forward signature. */
export type AnyModule = Module<never, unknown>;

/**
 * The base class of layers and models. `forward` computes the output; `call` is the same call, named
 * for reading (`model.call(x)`). `In` is the tuple of forward's arguments, `Out` its result.
 */
export abstract class Module<In extends readonly unknown[] = [Tensor], Out = Tensor> {
  /** Training mode (true) or evaluation mode (false); changes Dropout and BatchNorm. */
  training = true;
  private readonly bufferNames: string[] = [];

  /** The computation of this module. */
  abstract forward(...inputs: In): Out;

  /** Runs `forward` (the notebook-friendly call: `model.call(x)`). */
  call(...inputs: In): Out {
    return this.forward(...inputs);
  }

  /** Declares the tensor field `name` a buffer: saved in `stateDict`, not returned by `parameters()`. */
  protected registerBuffer(name: string): void {
    const value = this.field(name);
    if (!(value instanceof Tensor)) {
      throw new TypeError(`${this.constructor.name}.registerBuffer: field '${name}' must hold a Tensor, got ${describe(value)}`);
    }
    if (value instanceof Parameter) {
      throw new TypeError(`${this.constructor.name}.registerBuffer: field '${name}' is a Parameter; buffers are plain tensors`);
    }
    if (!this.bufferNames.includes(name)) this.bufferNames.push(name);
  }

  private field(name: string): unknown {
    return (this as unknown as Record<string, unknown>)[name];
  }

  /**
   * This module's direct members in field-definition order: parameters and submodules, with arrays
   * of them named `field.0`, `field.1`, ... Containers may override it (Sequential names layers `0`, `1`).
   */
  protected namedMembers(): [string, Parameter | AnyModule][] {
    const out: [string, Parameter | AnyModule][] = [];
    for (const key of Object.keys(this)) {
      const value = this.field(key);
      if (value instanceof Parameter || value instanceof Module) out.push([key, value as Parameter | AnyModule]);
      else if (Array.isArray(value)) {
        value.forEach((item: unknown, i) => {
          if (item instanceof Parameter || item instanceof Module) out.push([`${key}.${i}`, item as Parameter | AnyModule]);
        });
      }
    }
    return out;
  }

  /** Direct submodules with their names, in definition order. */
  namedChildren(): [string, AnyModule][] {
    return this.namedMembers().filter((e): e is [string, AnyModule] => e[1] instanceof Module);
  }

  /**
   * Every parameter with its dotted name (`layers.0.weight`), depth first in field-definition order
   * (a field defined before a submodule comes before that submodule's parameters); a shared one appears once.
   */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seenParams = new Set<Parameter>();
    const seenModules = new Set<AnyModule>();
    // An explicit stack of [prefix, member] keeps the depth-first order without recursion.
    const stack: [string, Parameter | AnyModule][] = [['', this as unknown as AnyModule]];
    while (stack.length > 0) {
      const top = stack.pop();
      if (top === undefined) break;
      const [name, member] = top;
      if (member instanceof Parameter) {
        if (!seenParams.has(member)) out.push([name, member]);
        seenParams.add(member);
        continue;
      }
      if (seenModules.has(member)) continue;
      seenModules.add(member);
      const members = member.namedMembers();
      const prefix = name === '' ? '' : `${name}.`;
      for (let i = members.length - 1; i >= 0; i--) stack.push([prefix + members[i][0], members[i][1]]);
    }
    return out;
  }

  /** Every parameter once, in definition order (what an optimizer takes). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name (e.g. `bn.runningMean`). */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    this.walk('', (prefix, m) => {
      for (const name of m.bufferNames) {
        const t = m.field(name);
        if (t instanceof Tensor) out.push([prefix + name, t]);
      }
    });
    return out;
  }

  /** This module and every submodule, parents before children. */
  modules(): AnyModule[] {
    const out: AnyModule[] = [];
    this.walk('', (_prefix, m) => out.push(m));
    return out;
  }

  /** Every submodule with its dotted name ('' for this module itself). */
  namedModules(): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    this.walk('', (prefix, m) => out.push([prefix.replace(/\.$/, ''), m]));
    return out;
  }

  private walk(prefix: string, visit: (prefix: string, m: AnyModule) => void): void {
    // Pre-order over the module tree; a module reachable twice is visited once.
    const seen = new Set<AnyModule>();
    const stack: [string, AnyModule][] = [[prefix, this as unknown as AnyModule]];
    while (stack.length > 0) {
      const top = stack.pop();
      if (top === undefined) break;
      const [p, m] = top;
      if (seen.has(m)) continue;
      seen.add(m);
      visit(p, m);
      const children = m.namedChildren();
      for (let i = children.length - 1; i >= 0; i--) stack.push([`${p}${children[i][0]}.`, children[i][1]]);
    }
  }

  /** Sets training mode (default) or evaluation mode on this module and all submodules; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: Dropout becomes the identity, BatchNorm uses its running statistics; returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter (sets `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** The number of parameter elements (only those requiring grad when `trainableOnly`). */
  numParameters(trainableOnly = false): number {
    let n = 0;
    for (const p of this.parameters()) if (!trainableOnly || p.requiresGrad) n += p.size;
    return n;
  }

  /** Parameters and buffers by dotted name, copied into plain JSON (`JSON.stringify` works on it). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of [...this.namedParameters(), ...this.namedBuffers()]) {
      out[name] = { shape: t.shape.slice(), dtype: t.dtype, data: Array.from(t.data) };
    }
    return out;
  }

  /**
   * Copies a state dict's values into this module's parameters and buffers, in place (optimizers
   * keep working). Throws naming missing/unexpected keys (when strict) and mismatched shapes.
   */
  loadStateDict(state: StateDict, options: LoadStateDictOptions = {}): void {
    const where = `${this.constructor.name}.loadStateDict`;
    if (typeof state !== 'object' || state === null) throw new TypeError(`${where}: state must be an object, got ${describe(state)}`);
    checkOptions(where, options, ['strict']);
    const targets = [...this.namedParameters(), ...this.namedBuffers()];
    const expected = new Set(targets.map(([name]) => name));
    const missing = targets.filter(([name]) => !Object.prototype.hasOwnProperty.call(state, name)).map(([name]) => name);
    const unexpected = Object.keys(state).filter((name) => !expected.has(name));
    if ((options.strict ?? true) && (missing.length > 0 || unexpected.length > 0)) {
      const parts: string[] = [];
      if (missing.length > 0) parts.push(`missing keys [${missing.join(', ')}]`);
      if (unexpected.length > 0) parts.push(`unexpected keys [${unexpected.join(', ')}]`);
      throw new Error(`${where}: ${parts.join('; ')}`);
    }
    for (const [name, t] of targets) {
      if (!Object.prototype.hasOwnProperty.call(state, name)) continue;
      const entry: unknown = state[name];
      if (!isTensorState(entry)) {
        throw new TypeError(`${where}: '${name}' must be {shape, dtype, data} with arrays of numbers, as stateDict() writes it, got ${describe(entry)}`);
      }
      if (!sameShape(entry.shape, t.shape)) {
        throw new RangeError(`${where}: '${name}' has shape ${formatShape(t.shape)} but the state holds ${formatShape(entry.shape)}`);
      }
      if (entry.data.length !== t.size) {
        throw new RangeError(`${where}: '${name}' needs ${t.size} values, the state holds ${entry.data.length}`);
      }
    }
    for (const [name, t] of targets) {
      if (!Object.prototype.hasOwnProperty.call(state, name)) continue;
      const values = allocate(t.dtype, t.size);
      state[name].data.forEach((v: number | null, i) => (values[i] = v === null ? NaN : v));
      t.data.set(values);
    }
  }

  /** The text inside the parentheses of this module's summary line, e.g. `784 → 100, bias=true`. */
  extraRepr(): string {
    return '';
  }

  /** A PyTorch-style tree of submodules with parameter counts, then the totals (when there are parameters). */
  summary(): string {
    const total = this.numParameters();
    const trainable = this.numParameters(true);
    const tree = this.reprLines('').join('\n');
    return total === 0 ? tree : `${tree}\nTotal: ${formatCount(total)} parameters (${formatCount(trainable)} trainable)`;
  }

  private reprLines(indent: string): string[] {
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    const children = this.namedChildren();
    const count = this.numParameters();
    if (children.length === 0) return [`${head})${count > 0 ? `  # ${formatCount(count)} params` : ''}`];
    const lines = [`${head}${this.extraRepr() === '' ? '' : ','}`];
    for (const [name, child] of children) {
      const sub = (child as Module<never, unknown>).reprLines(`${indent}  `);
      lines.push(`${indent}  (${name}): ${sub[0]}`, ...sub.slice(1));
    }
    lines.push(`${indent})${count > 0 ? `  # ${formatCount(count)} params` : ''}`);
    return lines;
  }

  /** The summary (so `console.log(model)` and notebooks print the tree). */
  toString(): string {
    return this.summary();
  }

  /** Node's console.log and tslab print a module as its summary. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.summary();
  }
}

function isTensorState(value: unknown): value is TensorState {
  if (typeof value !== 'object' || value === null) return false;
  const { shape, data } = value as Partial<Record<keyof TensorState, unknown>>;
  // JSON.stringify writes NaN and ±Infinity as null; they are read back as NaN.
  return Array.isArray(shape) && shape.every((d) => typeof d === 'number') && Array.isArray(data) && data.every((v) => typeof v === 'number' || v === null);
}

function formatCount(n: number): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
