/** Early stopping: stop when a monitored metric has not improved for `patience` epochs, and keep the best weights. */
import { checkOptions } from '../util/options';

/** Anything whose state can be saved and restored, e.g. a Module. */
export interface Checkpointable<S> {
  stateDict(): S;
  loadStateDict(state: S): void;
}

/** Options of `EarlyStopping`. */
export interface EarlyStoppingOptions {
  /** Stop after this many epochs in a row without improvement (default 5). */
  readonly patience?: number;
  /** An improvement must beat the best value by more than this (default 0). */
  readonly minDelta?: number;
  /** 'min' for losses (default), 'max' for accuracies. */
  readonly mode?: 'min' | 'max';
}

/**
 * Call `step(value, model)` once per epoch with the validation metric: it returns true when training
 * should stop. On every improvement it saves `model.stateDict()`; `restoreBest(model)` loads it back.
 *
 * ```ts
 * const stopper = new EarlyStopping({ patience: 3 });
 * for (let epoch = 0; epoch < 100; epoch++) { ...; if (stopper.step(valLoss, model)) break; }
 * stopper.restoreBest(model);
 * ```
 */
export class EarlyStopping<S = unknown> {
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  /** The best value seen (null before the first step). */
  best: number | null = null;
  /** The epoch (1-based count of `step` calls) of the best value, 0 before the first step. */
  bestEpoch = 0;
  /** Epochs since the last improvement. */
  waited = 0;
  /** Number of `step` calls so far. */
  epoch = 0;
  /** True once `step` has returned true. */
  stopped = false;
  private bestState: S | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptions('EarlyStopping', options, ['patience', 'minDelta', 'mode']);
    this.patience = options.patience ?? 5;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new RangeError(`EarlyStopping: patience must be an integer >= 0, got ${this.patience}`);
    this.minDelta = options.minDelta ?? 0;
    if (!(this.minDelta >= 0)) throw new RangeError(`EarlyStopping: minDelta must be >= 0, got ${this.minDelta}`);
    this.mode = options.mode ?? 'min';
    if (this.mode !== 'min' && this.mode !== 'max') throw new RangeError(`EarlyStopping: mode must be 'min' or 'max', got ${JSON.stringify(this.mode)}`);
  }

  /** True when `value` beats the best by more than minDelta (in the direction of `mode`); NaN never improves. */
  isImprovement(value: number): boolean {
    if (Number.isNaN(value)) return false;
    if (this.best === null) return true;
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  /** Records one epoch's metric (saving the model's state on improvement); returns true when training should stop. */
  step(value: number, model?: Checkpointable<S>): boolean {
    if (typeof value !== 'number') throw new TypeError(`EarlyStopping.step: value must be a number, got ${typeof value}`);
    this.epoch += 1;
    if (this.isImprovement(value)) {
      this.best = value;
      this.bestEpoch = this.epoch;
      this.waited = 0;
      if (model !== undefined) this.bestState = model.stateDict();
    } else {
      this.waited += 1;
    }
    if (this.waited > 0 && this.waited >= this.patience) this.stopped = true;
    return this.stopped;
  }

  /** The saved state of the best epoch (null if no model was passed to `step`). */
  get bestStateDict(): S | null {
    return this.bestState;
  }

  /** Loads the best epoch's state into `model`; throws if none was saved. */
  restoreBest(model: Checkpointable<S>): void {
    if (this.bestState === null) throw new Error('EarlyStopping.restoreBest: no state saved yet; pass the model to step(value, model)');
    model.loadStateDict(this.bestState);
  }
}
