/** Mini-batches over a dataset: fixed batch size, optional seeded shuffling each epoch, optional drop-last. */
import type { Tensor } from '../autograd/tensor';
import { defaultGenerator, Generator } from '../tensor/random';
import { checkOptions } from '../util/options';
import { datasetLength, gatherRows, type Dataset } from './dataset';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Examples per batch (default 32). */
  batchSize?: number;
  /** Visit the examples in a new random order each epoch (default false: in order). */
  shuffle?: boolean;
  /** Skip the last batch when it would be smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Seed of the loader's own generator; without it (and without `generator`) the default generator is used. */
  seed?: number;
  /** The generator that draws each epoch's order. */
  generator?: Generator;
}

/** One mini-batch: rows of x and the matching rows of y. */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

/**
 * Iterates over `{x, y}` mini-batches; each `for...of` loop is one epoch. With `shuffle`, every epoch
 * starts by drawing `generator.permutation(N)`, so a loader made with the same seed yields the same
 * sequence of epochs.
 */
export class DataLoader implements Iterable<Batch> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator;
  private readonly n: number;

  constructor(dataset: Dataset, options: DataLoaderOptions = {}) {
    checkOptions('DataLoader', options, ['batchSize', 'shuffle', 'dropLast', 'seed', 'generator']);
    this.n = datasetLength(dataset, 'DataLoader');
    this.dataset = dataset;
    this.batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    if (options.generator !== undefined && options.seed !== undefined) {
      throw new Error('DataLoader: pass either seed or generator, not both');
    }
    this.generator = options.generator ?? (options.seed !== undefined ? new Generator(options.seed) : defaultGenerator());
  }

  /** The number of examples. */
  get numExamples(): number {
    return this.n;
  }

  /** The number of batches per epoch: floor(N / batchSize) with dropLast, else ceil(N / batchSize). */
  get length(): number {
    return this.dropLast ? Math.floor(this.n / this.batchSize) : Math.ceil(this.n / this.batchSize);
  }

  /** Starts an epoch: draws its order now (when shuffling), then yields the batches lazily. */
  [Symbol.iterator](): Iterator<Batch> {
    const order = this.shuffle ? this.generator.permutation(this.n) : identity(this.n);
    const batches = this.length;
    const { x, y } = this.dataset;
    const size = this.batchSize;
    const n = this.n;
    let b = 0;
    return {
      next: (): IteratorResult<Batch> => {
        if (b >= batches) return { done: true, value: undefined };
        const start = b * size;
        const end = Math.min(start + size, n);
        b++;
        return { done: false, value: { x: gatherRows(x, order, start, end), y: gatherRows(y, order, start, end) } };
      },
    };
  }
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
