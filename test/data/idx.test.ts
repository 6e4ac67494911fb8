import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, idxMagic, parseIdx, readIdx, writeIdx } from '../../src/data/idx';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-idx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function images(count: number, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(count * rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (i * 37) % 256;
  return out;
}

describe('IDX files', () => {
  it('encodes the header as magic 0x00000803 then big-endian dimensions', () => {
    const bytes = encodeIdx([2, 3, 4], images(2, 3, 4));
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
    expect(bytes.length).toBe(16 + 24);
    expect(idxMagic('uint8', 1)).toBe(0x00000801);
  });

  it('round-trips uint8 images through a plain file', () => {
    const file = path.join(dir, 'train-images-idx3-ubyte');
    const data = images(5, 28, 28);
    writeIdx(file, [5, 28, 28], data);
    const read = readIdx(file, { type: 'uint8', ndim: 3 });
    expect(read.type).toBe('uint8');
    expect(read.dims).toEqual([5, 28, 28]);
    expect(read.data).toEqual(data);
  });

  it('reads a .gz file (gunzipped) to the same contents', () => {
    const file = path.join(dir, 'labels-idx1-ubyte.gz');
    const labels = Uint8Array.from([3, 1, 4, 1, 5, 9, 2, 6]);
    writeIdx(file, [8], labels);
    expect(fs.readFileSync(file)[0]).toBe(0x1f); // really gzipped
    const read = readIdx(file, { type: 'uint8', ndim: 1 });
    expect(Array.from(read.data)).toEqual([3, 1, 4, 1, 5, 9, 2, 6]);
  });

  it('round-trips big-endian int16, int32, float32 and float64 data', () => {
    const cases = [
      Int16Array.from([-2, 300, 32767]),
      Int32Array.from([-70000, 5, 2 ** 30]),
      Float32Array.from([1.5, -0.25, 3e10]),
      Float64Array.from([Math.PI, -1e-300, 7]),
    ];
    for (const data of cases) {
      const parsed = parseIdx(encodeIdx([3], data), 'mem');
      expect(parsed.data).toEqual(data);
    }
    // 0x0102 must be stored most significant byte first.
    expect(Array.from(encodeIdx([1], Int16Array.from([0x0102])).subarray(8))).toEqual([1, 2]);
  });

  it('names the file and both magic numbers when a labels file is given where images are expected', () => {
    const file = path.join(dir, 'wrong-magic-idx1-ubyte');
    writeIdx(file, [4], Uint8Array.from([1, 2, 3, 4]));
    expect(() => readIdx(file, { type: 'uint8', ndim: 3 })).toThrow(
      `readIdx: ${file} has magic number 0x00000801 (uint8, 1 dimension), expected 0x00000803 (uint8, 3 dimensions)`,
    );
  });

  it('rejects bytes whose magic number does not start with two zeros', () => {
    const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    expect(() => parseIdx(bytes, 'archive.zip')).toThrow(
      'readIdx: archive.zip is not an IDX file: magic number 0x504b0304 must start with two zero bytes',
    );
  });

  it('rejects an unknown type code', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]), 'x.idx')).toThrow(
      'readIdx: x.idx has unknown data type code 0x07 in magic number 0x00000701',
    );
  });

  it('reports a truncated data section with the header sizes and the bytes present', () => {
    const file = path.join(dir, 'truncated-idx3-ubyte');
    const full = encodeIdx([60, 28, 28], images(60, 28, 28));
    fs.writeFileSync(file, full.subarray(0, 16 + 1234));
    expect(() => readIdx(file)).toThrow(
      `readIdx: ${file} is truncated: header says 60x28x28 = 47040 bytes of data, file has 1234`,
    );
  });

  it('reports a header cut short and a too-short magic number', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 60, 0, 0]), 'short')).toThrow(
      'readIdx: short is truncated: its magic number announces 3 dimensions, so the header needs 16 bytes, file has 10',
    );
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'tiny')).toThrow('readIdx: tiny is truncated: 2 bytes');
  });

  it('reports trailing bytes (dimensions that do not match the data)', () => {
    const bytes = encodeIdx([2, 2], Uint8Array.from([1, 2, 3, 4]));
    const view = new DataView(bytes.buffer);
    view.setUint32(4, 1, false); // claim 1x2 while 4 bytes follow
    expect(() => parseIdx(bytes, 'dims')).toThrow('readIdx: dims has 2 bytes too many: header says 1x2 = 2 bytes of data, file has 4');
  });

  it('names the file when it is missing or not valid gzip', () => {
    const missing = path.join(dir, 'nope-idx1-ubyte');
    expect(() => readIdx(missing)).toThrow(`readIdx: cannot read ${missing}`);
    const badGz = path.join(dir, 'bad-idx1-ubyte.gz');
    fs.writeFileSync(badGz, zlib.gzipSync(encodeIdx([3], Uint8Array.from([1, 2, 3]))).subarray(0, 12));
    expect(() => readIdx(badGz)).toThrow(`readIdx: ${badGz} is not a valid gzip file`);
  });

  it('refuses to encode data that does not fill the dimensions', () => {
    expect(() => encodeIdx([2, 3], new Uint8Array(5))).toThrow('encodeIdx: dimensions [2, 3] hold 6 elements, data has 5');
  });
});
