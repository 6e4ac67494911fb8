/** Learning-rate schedules with PyTorch's formulas, as functions of the epoch counter e. */
import type { HasLearningRate } from './optimizer';
import { checkOption, LRScheduler } from './lrScheduler';

/** Options of `StepLR`. */
export interface StepLROptions {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Factor per decay (default 0.1). */
  readonly gamma?: number;
}

/** lr = base · gamma^floor(e / stepSize). */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: HasLearningRate, options: StepLROptions) {
    super(optimizer, options, ['stepSize', 'gamma']);
    this.stepSize = checkOption('StepLR', 'stepSize', options?.stepSize, 1);
    if (!Number.isInteger(this.stepSize)) throw new RangeError(`StepLR: stepSize must be an integer, got ${this.stepSize}`);
    this.gamma = checkOption('StepLR', 'gamma', options.gamma ?? 0.1, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.baseLr): number {
    return base * Math.pow(this.gamma, Math.floor(epoch / this.stepSize));
  }
}

/** Options of `ExponentialLR`. */
export interface ExponentialLROptions {
  /** Factor per epoch. */
  readonly gamma: number;
}

/** lr = base · gamma^e. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: HasLearningRate, options: ExponentialLROptions) {
    super(optimizer, options, ['gamma']);
    this.gamma = checkOption('ExponentialLR', 'gamma', options?.gamma, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.baseLr): number {
    return base * Math.pow(this.gamma, epoch);
  }
}

/** Options of `CosineAnnealingLR`. */
export interface CosineAnnealingLROptions {
  /** Epochs of the half cosine from base down to etaMin. */
  readonly tMax: number;
  /** The smallest rate (default 0). */
  readonly etaMin?: number;
}

/**
 * lr = etaMin + (base - etaMin) · (1 + cos(π e / tMax)) / 2: down to etaMin at e = tMax, then back up
 * (the cosine continues, as PyTorch's does without restarts).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: HasLearningRate, options: CosineAnnealingLROptions) {
    super(optimizer, options, ['tMax', 'etaMin']);
    this.tMax = checkOption('CosineAnnealingLR', 'tMax', options?.tMax, 1);
    this.etaMin = checkOption('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.baseLr): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

/** Options of `LinearLR`. */
export interface LinearLROptions {
  /** Factor at epoch 0 (default 1/3). */
  readonly startFactor?: number;
  /** Factor from epoch totalIters on (default 1). */
  readonly endFactor?: number;
  /** Epochs of the linear ramp (default 5). */
  readonly totalIters?: number;
}

/** Linear warm-up: lr = base · (s + (f - s) · min(e, totalIters) / totalIters) from startFactor s to endFactor f. */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: HasLearningRate, options: LinearLROptions = {}) {
    super(optimizer, options, ['startFactor', 'endFactor', 'totalIters']);
    this.startFactor = checkOption('LinearLR', 'startFactor', options.startFactor ?? 1 / 3, 0, 1);
    if (this.startFactor === 0) throw new RangeError('LinearLR: startFactor must be > 0 (as in PyTorch), got 0');
    this.endFactor = checkOption('LinearLR', 'endFactor', options.endFactor ?? 1, 0, 1);
    this.totalIters = checkOption('LinearLR', 'totalIters', options.totalIters ?? 5, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.baseLr): number {
    const progress = this.totalIters === 0 ? 1 : Math.min(epoch, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * progress);
  }
}

/** How CyclicLR scales each cycle's amplitude. */
export type CyclicMode = 'triangular' | 'triangular2' | 'expRange';

/** Options of `CyclicLR`. */
export interface CyclicLROptions {
  /** The low end of the cycle (default: the optimizer's current rate). */
  readonly baseLr?: number;
  /** The high end of the cycle. */
  readonly maxLr: number;
  /** Steps from low to high (default 2000). */
  readonly stepSizeUp?: number;
  /** Steps from high back to low (default: stepSizeUp). */
  readonly stepSizeDown?: number;
  /** triangular: constant amplitude (default); triangular2: halved each cycle; expRange: · gamma^e. */
  readonly mode?: CyclicMode;
  /** The factor of expRange (default 1). */
  readonly gamma?: number;
}

/**
 * Cyclical learning rate (Smith 2017), PyTorch's formula: with T = up + down, cycle c = floor(1 + e/T),
 * x = 1 + e/T - c, h = x/r if x <= r else (x - 1)/(r - 1) with r = up/T;
 * lr = baseLr + (maxLr - baseLr) · h · scale. PyTorch steps it once per batch: call `step()` per batch.
 * Unlike PyTorch's default, momentum is not cycled. Every parameter group follows the same cycle (as
 * PyTorch's with a single baseLr and maxLr).
 */
export class CyclicLR extends LRScheduler {
  readonly minLr: number;
  readonly maxLr: number;
  readonly stepSizeUp: number;
  readonly stepSizeDown: number;
  readonly mode: CyclicMode;
  readonly gamma: number;

  constructor(optimizer: HasLearningRate, options: CyclicLROptions) {
    // maxLr has no default, so the options object is required (PyTorch's max_lr is required too).
    if (typeof options !== 'object' || options === null) throw new TypeError(`CyclicLR: options with maxLr are required, got ${String(options)}`);
    super(optimizer, options, ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma']);
    this.minLr = checkOption('CyclicLR', 'baseLr', options?.baseLr ?? this.baseLr, 0);
    this.maxLr = checkOption('CyclicLR', 'maxLr', options.maxLr, 0);
    this.stepSizeUp = checkOption('CyclicLR', 'stepSizeUp', options.stepSizeUp ?? 2000, 1);
    this.stepSizeDown = checkOption('CyclicLR', 'stepSizeDown', options.stepSizeDown ?? this.stepSizeUp, 0);
    this.mode = options.mode ?? 'triangular';
    if (!['triangular', 'triangular2', 'expRange'].includes(this.mode)) {
      throw new RangeError(`CyclicLR: mode must be 'triangular', 'triangular2' or 'expRange', got ${JSON.stringify(this.mode)}`);
    }
    this.gamma = checkOption('CyclicLR', 'gamma', options.gamma ?? 1, 0);
    this.start();
  }

  lrAt(epoch: number): number {
    const total = this.stepSizeUp + this.stepSizeDown;
    const ratio = this.stepSizeUp / total;
    const cycle = Math.floor(1 + epoch / total);
    const x = 1 + epoch / total - cycle;
    const height = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    const scale = this.mode === 'triangular' ? 1 : this.mode === 'triangular2' ? 1 / Math.pow(2, cycle - 1) : Math.pow(this.gamma, epoch);
    return this.minLr + (this.maxLr - this.minLr) * height * scale;
  }
}
