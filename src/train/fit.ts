/**
 * `fit`: the training loop of the lectures, packaged for notebooks. Each epoch trains on every batch
 * of the training loader (forward, loss, backward, step), then evaluates on the validation loader in
 * eval mode without recording a graph, logs a line, calls `onEpoch` (which can draw live curves), and
 * yields to the event loop so the notebook front end can redraw. Randomness comes only from the
 * loaders' and modules' generators, so the same seeds give the same history (timings aside).
 *
 * ```ts
 * const history = await fit(model, {
 *   epochs: 10, trainLoader, valLoader, optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
 *   onEpoch: (log) => chart.update(lossCurves(history)),
 * });
 * ```
 */
import { performance } from 'perf_hooks';
import { noGrad } from '../autograd/gradMode';
import type { Tensor } from '../autograd/tensor';
import type { Batch } from '../data/dataLoader';
import { crossEntropy } from '../nn/functional/losses';
import { Module, type StateDict } from '../nn/module';
import { clipGradNorm } from '../optim/clipGradNorm';
import type { EarlyStopping } from '../optim/earlyStopping';
import type { LRScheduler } from '../optim/lrScheduler';
import type { Optimizer } from '../optim/optimizer';
import { checkOptions } from '../util/options';
import { accuracy, type Metric } from './metrics';

/** A loss: (model output, batch targets) -> a one-element tensor to minimize. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** One epoch's results, as passed to `onEpoch`. */
export interface EpochLog {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** The number of epochs asked for. */
  readonly epochs: number;
  /** Mean training loss and metrics over the epoch's batches (weighted by batch size), e.g. {loss, accuracy}. */
  readonly train: Readonly<Record<string, number>>;
  /** The same on the validation loader after the epoch, or null without one. */
  readonly val: Readonly<Record<string, number>> | null;
  /** The learning rate at the start of the epoch (the first parameter group's, when there are several). */
  readonly lr: number;
  /** Wall-clock seconds of the epoch (training and validation). */
  readonly seconds: number;
}

/** Everything `fit` measured, one entry per epoch: ready to plot (`history.train.loss`, `history.val.accuracy`). */
export interface History {
  epoch: number[];
  train: Record<string, number[]>;
  val: Record<string, number[]>;
  /** The first parameter group's learning rate at the start of each epoch (`optimizer.lr`). */
  lr: number[];
  seconds: number[];
  /** The epoch whose weights early stopping kept (null without early stopping). */
  bestEpoch: number | null;
  /** True when early stopping or `onEpoch` ended training before `epochs`. */
  stopped: boolean;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Number of passes over the training loader. */
  readonly epochs: number;
  /** Training batches `{x, y}`, e.g. a shuffling `DataLoader` (iterated once per epoch). */
  readonly trainLoader: Iterable<Batch>;
  /** Validation batches, evaluated after every epoch (optional). */
  readonly valLoader?: Iterable<Batch>;
  readonly optimizer: Optimizer;
  /** The loss (default `crossEntropy`), a function or a loss module such as `new CrossEntropyLoss()`. */
  readonly loss?: LossFn | Module<[Tensor, Tensor]>;
  /** Named batch metrics (default: `{accuracy}` when the loss is the default cross-entropy, else none). */
  readonly metrics?: Readonly<Record<string, Metric>>;
  /** A learning-rate schedule, stepped after every epoch (or every batch with `scheduleEvery: 'batch'`). */
  readonly scheduler?: LRScheduler;
  readonly scheduleEvery?: 'epoch' | 'batch';
  /** Clip the global gradient norm to this value before each step (optional). */
  readonly clipGradNorm?: number;
  /** Stops when the monitored value stops improving, then restores the best weights. */
  readonly earlyStopping?: EarlyStopping<StateDict>;
  /** What early stopping watches, e.g. 'val.loss' (default; 'train.loss' without a validation loader) or 'val.accuracy'. */
  readonly monitor?: string;
  /** Restore the best weights when early stopping is used (default true). */
  readonly restoreBest?: boolean;
  /** Called after each epoch (awaited if it returns a Promise); return false to stop training. */
  readonly onEpoch?: (log: EpochLog, history: History) => void | boolean | Promise<void | boolean>;
  /** Print a line per epoch (default true); in a terminal a progress line updates during the epoch. */
  readonly verbose?: boolean;
  /** Where the epoch lines go (default: standard output). */
  readonly print?: (line: string) => void;
}

interface Totals {
  count: number;
  sums: Record<string, number>;
}

function addBatch(totals: Totals, n: number, values: Record<string, number>): void {
  totals.count += n;
  for (const [k, v] of Object.entries(values)) totals.sums[k] = (totals.sums[k] ?? 0) + v * n;
}

function means(totals: Totals): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(totals.sums)) out[k] = totals.count === 0 ? NaN : v / totals.count;
  return out;
}

function formatValue(key: string, v: number): string {
  return key === 'accuracy' ? `${(100 * v).toFixed(2)}%` : v.toFixed(4);
}

function formatValues(values: Readonly<Record<string, number>>): string {
  return Object.entries(values).map(([k, v]) => `${k} ${formatValue(k, v)}`).join('  ');
}

/** The epoch line `fit` prints, e.g. `epoch  3/10  loss 0.2345  accuracy 93.12%  | val loss ...  | lr 0.1  1.23 s`. */
export function formatEpochLog(log: EpochLog): string {
  const width = String(log.epochs).length;
  const parts = [`epoch ${String(log.epoch).padStart(width)}/${log.epochs}`, formatValues(log.train)];
  if (log.val !== null) parts.push(`| val ${formatValues(log.val)}`);
  parts.push(`| lr ${Number(log.lr.toPrecision(4))}  ${log.seconds.toFixed(2)} s`);
  return parts.join('  ');
}

function lossOf(loss: FitOptions['loss']): LossFn {
  if (loss === undefined) return (output, target) => crossEntropy(output, target);
  if (loss instanceof Module) return (output, target) => loss.forward(output, target);
  if (typeof loss === 'function') return loss;
  throw new TypeError('fit: loss must be a function (output, target) => Tensor or a loss module');
}

function batchSizeOf(batch: Batch, where: string): number {
  if (batch === null || typeof batch !== 'object' || batch.x === undefined || batch.y === undefined) {
    throw new TypeError(`fit: ${where} must yield batches {x, y}`);
  }
  return batch.x.ndim === 0 ? 1 : batch.x.shape[0];
}

function evaluate(model: Module, loader: Iterable<Batch>, loss: LossFn, metrics: Readonly<Record<string, Metric>>): Record<string, number> {
  const totals: Totals = { count: 0, sums: {} };
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => {
      for (const batch of loader) {
        const n = batchSizeOf(batch, 'valLoader');
        const out = model.forward(batch.x);
        const values: Record<string, number> = { loss: loss(out, batch.y).item() };
        for (const [name, metric] of Object.entries(metrics)) values[name] = metric(out, batch.y);
        addBatch(totals, n, values);
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return means(totals);
}

const FIT_OPTIONS = [
  'epochs', 'trainLoader', 'valLoader', 'optimizer', 'loss', 'metrics', 'scheduler', 'scheduleEvery', 'clipGradNorm',
  'earlyStopping', 'monitor', 'restoreBest', 'onEpoch', 'verbose', 'print',
];

function checkFitOptions(model: Module, options: FitOptions): void {
  if (!(model instanceof Module)) throw new TypeError('fit: the first argument must be a Module');
  if (options === null || typeof options !== 'object') throw new TypeError('fit: options must be an object {epochs, trainLoader, optimizer, ...}');
  checkOptions('fit', options, FIT_OPTIONS);
  if (!Number.isInteger(options.epochs) || options.epochs < 0) throw new RangeError(`fit: epochs must be an integer >= 0, got ${String(options.epochs)}`);
  if (options.trainLoader === undefined || typeof options.trainLoader[Symbol.iterator] !== 'function') {
    throw new TypeError('fit: trainLoader must be iterable over batches {x, y}, e.g. a DataLoader');
  }
  if (options.optimizer === undefined || typeof options.optimizer.step !== 'function') throw new TypeError('fit: optimizer is required, e.g. new SGD(model.parameters(), {lr: 0.1})');
  const every = options.scheduleEvery ?? 'epoch';
  if (every !== 'epoch' && every !== 'batch') throw new RangeError(`fit: scheduleEvery must be 'epoch' or 'batch', got ${JSON.stringify(every)}`);
}

/** Trains `model` (see the file comment) and resolves to the per-epoch history. */
export async function fit(model: Module, options: FitOptions): Promise<History> {
  checkFitOptions(model, options);
  const { epochs, trainLoader, valLoader, optimizer, scheduler, earlyStopping } = options;
  const loss = lossOf(options.loss);
  const metrics = options.metrics ?? (options.loss === undefined ? { accuracy } : {});
  const verbose = options.verbose ?? true;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const live = verbose && options.print === undefined && process.stdout.isTTY === true;
  const monitor = options.monitor ?? (valLoader !== undefined ? 'val.loss' : 'train.loss');
  if (earlyStopping !== undefined) {
    // Checked before training, so that a typo does not cost an epoch.
    const logged = ['loss', ...Object.keys(metrics)];
    const names = [...logged.map((k) => `train.${k}`), ...(valLoader === undefined ? [] : logged.map((k) => `val.${k}`))];
    if (!names.includes(monitor)) throw new RangeError(`fit: cannot monitor '${monitor}'; it is not among the logged values (${names.join(', ')})`);
  }
  const history: History = { epoch: [], train: {}, val: {}, lr: [], seconds: [], bestEpoch: null, stopped: false };
  const batchesPerEpoch = (trainLoader as { length?: unknown }).length;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    const lr = optimizer.lr;
    const totals: Totals = { count: 0, sums: {} };
    model.train();
    let b = 0;
    let lastDraw = 0;
    for (const batch of trainLoader) {
      const n = batchSizeOf(batch, 'trainLoader');
      optimizer.zeroGrad();
      const out = model.forward(batch.x);
      const l = loss(out, batch.y);
      if (l.size !== 1) throw new RangeError(`fit: the loss must be a single number, got shape [${l.shape.join(', ')}] (use a mean reduction)`);
      l.backward();
      if (options.clipGradNorm !== undefined) clipGradNorm(optimizer.params, options.clipGradNorm);
      optimizer.step();
      if (scheduler !== undefined && options.scheduleEvery === 'batch') scheduler.step();
      const values: Record<string, number> = { loss: l.item() };
      noGrad(() => {
        for (const [name, metric] of Object.entries(metrics)) values[name] = metric(out, batch.y);
      });
      addBatch(totals, n, values);
      b++;
      if (live && performance.now() - lastDraw > 100) {
        lastDraw = performance.now();
        const of = typeof batchesPerEpoch === 'number' ? `/${batchesPerEpoch}` : '';
        process.stdout.write(`\repoch ${epoch}/${epochs}  batch ${b}${of}  loss ${(totals.sums.loss / totals.count).toFixed(4)}\x1b[K`);
      }
    }
    const train = means(totals);
    const val = valLoader === undefined ? null : evaluate(model, valLoader, loss, metrics);
    if (scheduler !== undefined && options.scheduleEvery !== 'batch') scheduler.step();
    const log: EpochLog = { epoch, epochs, train, val, lr, seconds: (performance.now() - start) / 1000 };
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(train)) (history.train[k] ??= []).push(v);
    if (val !== null) for (const [k, v] of Object.entries(val)) (history.val[k] ??= []).push(v);
    history.lr.push(lr);
    history.seconds.push(log.seconds);
    if (verbose) {
      if (live) process.stdout.write('\r\x1b[K');
      print(formatEpochLog(log));
    }
    let stop = false;
    if (earlyStopping !== undefined) {
      const [split, key] = monitor.split('.');
      const source = split === 'val' ? val : split === 'train' ? train : null;
      const value = source === null ? undefined : source[key];
      if (value === undefined) throw new RangeError(`fit: cannot monitor '${monitor}'; it is not among the logged values (${Object.keys(train).map((k) => `train.${k}`).join(', ')}${val === null ? '' : ', ' + Object.keys(val).map((k) => `val.${k}`).join(', ')})`);
      stop = earlyStopping.step(value, model);
      history.bestEpoch = earlyStopping.bestEpoch;
    }
    if (options.onEpoch !== undefined && (await options.onEpoch(log, history)) === false) stop = true;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stop) {
      history.stopped = epoch < epochs;
      break;
    }
  }
  if (earlyStopping !== undefined && (options.restoreBest ?? true) && earlyStopping.bestStateDict !== null) {
    earlyStopping.restoreBest(model);
  }
  return history;
}
