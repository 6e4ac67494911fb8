/**
 * The learning-rate schedule base. A schedule owns an epoch counter; construction sets the
 * optimizer's rates for epoch 0 and each `step()` moves to the next epoch (or batch, if you step per
 * batch). Rates are closed-form functions of the counter, so they never drift. Each parameter group
 * keeps its own base rate and follows the schedule from it, as PyTorch's schedules do.
 */
import { checkOptions } from '../util/options';
import type { HasLearningRate } from './optimizer';

/** The base of StepLR, ExponentialLR, CosineAnnealingLR, LinearLR and CyclicLR. */
export abstract class LRScheduler {
  /** How many times `step()` has been called. */
  lastEpoch = 0;
  /** The optimizer's learning rate when the schedule was made (its first group's). */
  readonly baseLr: number;
  /** Each parameter group's learning rate when the schedule was made. */
  readonly baseLrs: readonly number[];

  /** Checks `options` against the schedule's `known` option names (unknown keys are errors). */
  constructor(readonly optimizer: HasLearningRate, options?: object, known: readonly string[] = []) {
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.lr !== 'number') {
      throw new TypeError(`${this.constructor.name}: the first argument must be an optimizer (something with a numeric lr)`);
    }
    checkOptions(this.constructor.name, options, known);
    this.baseLrs = this.targets().map((t) => t.lr);
    this.baseLr = this.baseLrs[0];
  }

  /** The learning rate at epoch `epoch` (0 is the rate before the first step) of a group whose base rate is `base`. */
  abstract lrAt(epoch: number, base?: number): number;

  private targets(): readonly { lr: number }[] {
    const groups = this.optimizer.paramGroups;
    return groups !== undefined && groups.length > 0 ? groups : [this.optimizer];
  }

  private apply(): void {
    const targets = this.targets();
    targets.forEach((t, i) => (t.lr = this.lrAt(this.lastEpoch, this.baseLrs[i] ?? this.baseLr)));
  }

  /** Sets the optimizer's rates for the current epoch; subclasses call it at the end of their constructor. */
  protected start(): void {
    this.apply();
  }

  /** Advances one epoch (or batch) and sets every group's learning rate. */
  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  /** The learning rate the schedule set last (the first group's). */
  getLastLr(): number {
    return this.lrAt(this.lastEpoch);
  }

  /** The learning rates the schedule set last, one per parameter group (PyTorch's `get_last_lr()`). */
  getLastLrs(): number[] {
    return this.baseLrs.map((base) => this.lrAt(this.lastEpoch, base));
  }
}

/** Checks a schedule option: a finite number in [min, max]. */
export function checkOption(op: string, name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${op}: ${name} must be a number ${range}, got ${String(value)}`);
  }
  return value;
}
