import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { MNIST_IDX_NAMES, findMnistIdxFiles, readMnistIdx } from '../../src/index';
import { writeIdx } from '../../src/data/idx';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-mnist-idx-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** A data folder whose mnist/ holds the named official files (empty contents: only names matter here). */
function dataDirWith(name: string, files: string[]): string {
  const dataDir = path.join(tmpRoot, name);
  fs.mkdirSync(path.join(dataDir, 'mnist'), { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(dataDir, 'mnist', f), '');
  return dataDir;
}

const { trainImages, trainLabels, testImages, testLabels } = MNIST_IDX_NAMES;

describe('findMnistIdxFiles', () => {
  it('gives null when the folder holds none of the four files (or does not exist)', () => {
    expect(findMnistIdxFiles(dataDirWith('none', ['README.md']))).toBeNull();
    expect(findMnistIdxFiles(path.join(tmpRoot, 'missing'))).toBeNull();
  });

  it('finds the four files, plain or .gz, preferring the plain file when both are there', () => {
    const dataDir = dataDirWith('mixed', [trainImages, `${trainImages}.gz`, `${trainLabels}.gz`, testImages, `${testLabels}.gz`]);
    const dir = path.join(dataDir, 'mnist');
    expect(findMnistIdxFiles(dataDir)).toEqual({
      trainImages: path.join(dir, trainImages),
      trainLabels: path.join(dir, `${trainLabels}.gz`),
      testImages: path.join(dir, testImages),
      testLabels: path.join(dir, `${testLabels}.gz`),
    });
  });

  it('names every missing file when only some are there', () => {
    const dataDir = dataDirWith('some', [trainImages, `${testImages}.gz`]);
    expect(() => findMnistIdxFiles(dataDir)).toThrow(
      /holds only some of the official MNIST files; missing train-labels-idx1-ubyte, t10k-labels-idx1-ubyte \(plain or \.gz\)/,
    );
  });
});

describe('readMnistIdx', () => {
  const dir = path.join(tmpRoot, 'pair');
  fs.mkdirSync(dir, { recursive: true });

  it('reads an images/labels pair into bytes with the count and the image size', () => {
    const images = path.join(dir, 'images');
    const labels = path.join(dir, 'labels.gz');
    writeIdx(images, [3, 2, 2], Uint8Array.from([0, 1, 2, 3, 10, 11, 12, 13, 250, 251, 252, 255]));
    writeIdx(labels, [3], Uint8Array.from([7, 0, 9]), { gzip: true });
    const bytes = readMnistIdx(images, labels);
    expect({ count: bytes.count, rows: bytes.rows, cols: bytes.cols }).toEqual({ count: 3, rows: 2, cols: 2 });
    expect(Array.from(bytes.images)).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 250, 251, 252, 255]);
    expect(Array.from(bytes.labels)).toEqual([7, 0, 9]);
  });

  it('names both files when they disagree on the number of examples', () => {
    const images = path.join(dir, 'images4');
    const labels = path.join(dir, 'labels3');
    writeIdx(images, [4, 1, 1], new Uint8Array(4));
    writeIdx(labels, [3], new Uint8Array(3));
    expect(() => readMnistIdx(images, labels)).toThrow(/images4 holds 4 images but .*labels3 holds 3 labels/);
  });

  it('names the file when images and labels are swapped', () => {
    const images = path.join(dir, 'images2');
    const labels = path.join(dir, 'labels2');
    writeIdx(images, [2, 1, 1], new Uint8Array(2));
    writeIdx(labels, [2], new Uint8Array(2));
    expect(() => readMnistIdx(labels, images)).toThrow(
      /labels2 has magic number 0x00000801 \(uint8, 1 dimension\), expected 0x00000803 \(uint8, 3 dimensions\)/,
    );
  });
});
