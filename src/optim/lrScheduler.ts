/**
 * The learning-rate schedule base. A schedule owns an epoch counter; construction sets the
 * optimizer's rate for epoch 0 and each `step()` moves to the next epoch (or batch, if you step per
 * batch). Rates are closed-form functions of the counter, so they never drift.
 */
import type { HasLearningRate } from './optimizer';

/** The base of StepLR, ExponentialLR, CosineAnnealingLR, LinearLR and CyclicLR. */
export abstract class LRScheduler {
  /** How many times `step()` has been called. */
  lastEpoch = 0;
  /** The optimizer's learning rate when the schedule was made. */
  readonly baseLr: number;

  constructor(readonly optimizer: HasLearningRate) {
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.lr !== 'number') {
      throw new TypeError(`${this.constructor.name}: the first argument must be an optimizer (something with a numeric lr)`);
    }
    this.baseLr = optimizer.lr;
  }

  /** The learning rate at epoch `epoch` (0 is the rate before the first step). */
  abstract lrAt(epoch: number): number;

  /** Sets the optimizer's rate for the current epoch; subclasses call it at the end of their constructor. */
  protected start(): void {
    this.optimizer.lr = this.lrAt(this.lastEpoch);
  }

  /** Advances one epoch (or batch) and sets the optimizer's learning rate. */
  step(): void {
    this.lastEpoch += 1;
    this.optimizer.lr = this.lrAt(this.lastEpoch);
  }

  /** The learning rate the schedule set last. */
  getLastLr(): number {
    return this.lrAt(this.lastEpoch);
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
