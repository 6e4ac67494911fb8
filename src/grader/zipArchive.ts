/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record), enough for
 * Gradescope's autograder package: deflated files with Unix permissions (so `run_autograder` stays
 * executable), UTF-8 names, and a fixed timestamp, so the same files give byte-identical archives.
 */
import { crc32, deflateRawSync } from 'zlib';

/** One file of the archive. */
export interface ZipEntry {
  /** The path inside the archive, with `/` separators. */
  readonly name: string;
  readonly data: Buffer;
  /** Unix permission bits, e.g. 0o755 for a script. */
  readonly mode: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const REGULAR_FILE = 0o100000;

/** The fields a local and a central header share, from "version needed" to the name's length, at `at`. */
function writeFileFields(header: Buffer, at: number, sizes: { crc: number; compressed: number; size: number; name: number }): void {
  header.writeUInt16LE(VERSION, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(DEFLATE, at + 4);
  header.writeUInt16LE(0, at + 6); // time 00:00
  header.writeUInt16LE(DOS_DATE_1980_01_01, at + 8);
  header.writeUInt32LE(sizes.crc, at + 10);
  header.writeUInt32LE(sizes.compressed, at + 14);
  header.writeUInt32LE(sizes.size, at + 18);
  header.writeUInt16LE(sizes.name, at + 22);
}

/** The ZIP archive of `entries`, in the given order; throws naming a bad or repeated name. */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (entry.name === '' || entry.name.startsWith('/') || entry.name.split('/').includes('..')) throw new Error(`zip: bad entry name '${entry.name}'`);
    if (seen.has(entry.name)) throw new Error(`zip: the entry ${entry.name} is given twice`);
    seen.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const sizes = { crc, compressed: compressed.length, size: entry.data.length, name: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    writeFileFields(local, 4, sizes);
    local.writeUInt16LE(0, 28); // no extra field
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    writeFileFields(central, 6, sizes);
    // extra field, comment, disk number, internal attributes: all zero
    central.writeUInt32LE(((REGULAR_FILE | (entry.mode & 0o7777)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  if (entries.length > 0xffff || offset + directory.length > 0xffffffff) throw new Error('zip: too many or too large files for a ZIP without the ZIP64 extension');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
