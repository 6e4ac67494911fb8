/**
 * The IDX file format of the MNIST distribution: a 4-byte magic number (two zero bytes, a data-type
 * code, the number of dimensions), each dimension as a big-endian uint32, then the data in row-major
 * order, big-endian. Files ending in `.gz` (or starting with the gzip signature) are gunzipped first.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** The element types IDX can hold, by their names in gradlab. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds an IDX file's data. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its element type, its dimensions (outermost first) and its data. */
export interface IdxArray {
  type: IdxType;
  dims: number[];
  data: IdxData;
}

/** What a caller requires of an IDX file; a mismatch is reported as a wrong magic number. */
export interface IdxExpectation {
  type?: IdxType;
  ndim?: number;
}

const TYPE_CODES: Record<IdxType, number> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

const TYPE_BYTES: Record<IdxType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

function typeOfCode(code: number): IdxType | null {
  for (const t of Object.keys(TYPE_CODES) as IdxType[]) if (TYPE_CODES[t] === code) return t;
  return null;
}

function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

function describeMagic(type: IdxType, ndim: number): string {
  return `${type}, ${ndim} dimension${ndim === 1 ? '' : 's'}`;
}

/** The IDX magic number for an element type and a number of dimensions (uint8, 3 -> 0x00000803). */
export function idxMagic(type: IdxType, ndim: number): number {
  return (TYPE_CODES[type] << 8) | ndim;
}

/** A path as error messages print it: relative to the working directory when it lies below it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Parses the bytes of an (already gunzipped) IDX file; `name` is the file name used in errors. */
export function parseIdx(bytes: Uint8Array, name: string, expect: IdxExpectation = {}): IdxArray {
  const where = `readIdx: ${name}`;
  if (bytes.length < 4) {
    throw new Error(`${where} is truncated: ${bytes.length} bytes, an IDX magic number needs 4`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${where} is not an IDX file: magic number ${hex32(magic)} must start with two zero bytes`);
  }
  const type = typeOfCode(bytes[2]);
  const ndim = bytes[3];
  if (type === null) {
    throw new Error(
      `${where} has unknown data type code 0x${bytes[2].toString(16).padStart(2, '0')} in magic number ` +
        `${hex32(magic)} (known: 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64)`,
    );
  }
  const wantType = expect.type ?? type;
  const wantNdim = expect.ndim ?? ndim;
  if (wantType !== type || wantNdim !== ndim) {
    throw new Error(
      `${where} has magic number ${hex32(magic)} (${describeMagic(type, ndim)}), ` +
        `expected ${hex32(idxMagic(wantType, wantNdim))} (${describeMagic(wantType, wantNdim)})`,
    );
  }
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new Error(
      `${where} is truncated: its magic number announces ${ndim} dimensions, so the header needs ` +
        `${headerBytes} bytes, file has ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const itemBytes = TYPE_BYTES[type];
  const dataBytes = count * itemBytes;
  const have = bytes.length - headerBytes;
  const formula = `${dims.join('x') || '1'}${itemBytes > 1 ? ` x ${itemBytes}` : ''} = ${dataBytes} bytes of data`;
  if (have < dataBytes) throw new Error(`${where} is truncated: header says ${formula}, file has ${have}`);
  if (have > dataBytes) {
    throw new Error(`${where} has ${have - dataBytes} bytes too many: header says ${formula}, file has ${have}`);
  }
  return { type, dims, data: decode(view, headerBytes, count, type) };
}

function decode(view: DataView, offset: number, count: number, type: IdxType): IdxData {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads an IDX file (gunzipping `.gz` or gzip-signed files) and checks its magic number and sizes. */
export function readIdx(file: string, expect: IdxExpectation = {}): IdxArray {
  const name = displayPath(file);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`readIdx: cannot read ${name}: ${(e as Error).message}`);
  }
  if (file.endsWith('.gz') || isGzip(bytes)) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      throw new Error(`readIdx: ${name} is not a valid gzip file: ${(e as Error).message}`);
    }
  }
  return parseIdx(bytes, name, expect);
}

function typeOfData(data: IdxData): IdxType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

/** Encodes `data` with dimensions `dims` as IDX bytes; the element type follows the typed array. */
export function encodeIdx(dims: readonly number[], data: IdxData): Uint8Array {
  const type = typeOfData(data);
  let count = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new RangeError(`encodeIdx: dimensions must be integers in [0, 2^32), got [${dims.join(', ')}]`);
    }
    count *= d;
  }
  if (dims.length > 255) throw new RangeError(`encodeIdx: at most 255 dimensions, got ${dims.length}`);
  if (count !== data.length) {
    throw new RangeError(`encodeIdx: dimensions [${dims.join(', ')}] hold ${count} elements, data has ${data.length}`);
  }
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * TYPE_BYTES[type]);
  const view = new DataView(out.buffer);
  view.setUint32(0, idxMagic(type, dims.length), false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  if (type === 'uint8' || type === 'int8') {
    out.set(new Uint8Array(data.buffer, data.byteOffset, count), header);
    return out;
  }
  for (let i = 0; i < count; i++) {
    const at = header + i * TYPE_BYTES[type];
    const v = data[i];
    if (type === 'int16') view.setInt16(at, v, false);
    else if (type === 'int32') view.setInt32(at, v, false);
    else if (type === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}

/** Writes an IDX file; gzipped when `gzip` is true or the name ends in `.gz`. */
export function writeIdx(file: string, dims: readonly number[], data: IdxData, options: { gzip?: boolean } = {}): void {
  const bytes = encodeIdx(dims, data);
  const gzip = options.gzip ?? file.endsWith('.gz');
  fs.writeFileSync(file, gzip ? zlib.gzipSync(bytes) : bytes);
}
