/**
 * Merging shard output folders (written by `grade --shard i/n`) into one: a single grades.csv with
 * the rows in the order one unsharded run writes them, and every per-submission folder. Before
 * anything is written the shards are checked against each other: all n shards present once, graded
 * against the same instructor notebooks and the same class, and every submission of the class graded
 * in exactly one shard; each problem is named. Merging the same shards again gives the same files.
 */
import { cpSync, existsSync, readFileSync, rmSync, statSync } from 'fs';
import { basename, join, resolve } from 'path';
import { writeAtomic } from './gradeClass';
import { entryLabel, SHARD_MANIFEST, type ShardManifest } from './shard';

/** One record of a CSV file: its fields and its text as written (without the line end). */
export interface CsvRecord {
  readonly fields: readonly string[];
  readonly raw: string;
}

/** Splits CSV text (RFC 4180 quoting, `\n` line ends) into records; a trailing line end ends the last one. */
export function csvRecords(text: string, where: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n') {
      fields.push(field);
      records.push({ fields, raw: text.slice(start, i) });
      fields = [];
      field = '';
      start = i + 1;
    } else field += ch;
  }
  if (quoted) throw new Error(`merge: ${where} ends inside a quoted field`);
  if (start < text.length) {
    fields.push(field);
    records.push({ fields, raw: text.slice(start) });
  }
  return records;
}

/** One shard output folder, read and checked on its own. */
export interface ShardFolder {
  readonly dir: string;
  readonly manifest: ShardManifest;
  readonly header: string;
  readonly rows: readonly { readonly student: string; readonly notebook: string; readonly raw: string }[];
}

/** Merge problems: each line names a shard folder or a submission. */
export class MergeError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`merge: the shards do not add up to one class:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function readShardFolder(dir: string): ShardFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`merge: the shard folder ${dir} does not exist`);
  const manifestFile = join(dir, SHARD_MANIFEST);
  if (!existsSync(manifestFile)) throw new Error(`merge: ${dir} is not a shard output folder (no ${SHARD_MANIFEST}; it is written by \`npm run grade -- ... --shard i/n\`)`);
  let manifest: ShardManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ShardManifest;
  } catch (error) {
    throw new Error(`merge: ${manifestFile} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof manifest !== 'object' || manifest === null || !Number.isInteger(manifest.index) || !Number.isInteger(manifest.count) || !Array.isArray(manifest.class) || !Array.isArray(manifest.graded)) {
    throw new Error(`merge: ${manifestFile} is not a shard manifest`);
  }
  const csvFile = join(dir, 'grades.csv');
  if (!existsSync(csvFile)) throw new Error(`merge: ${dir} has no grades.csv (the shard did not finish)`);
  const [header, ...records] = csvRecords(readFileSync(csvFile, 'utf8'), csvFile);
  if (header === undefined) throw new Error(`merge: ${csvFile} is empty`);
  const rows = records.map((record) => ({ student: record.fields[0] ?? '', notebook: record.fields[1] ?? '', raw: record.raw }));
  return { dir, manifest, header: header.raw, rows };
}

/** The order of one unsharded run: by the name in the submissions folder, then the file in the student's folder. */
function gradingOrder(a: { student: string; notebook: string }, b: { student: string; notebook: string }): number {
  const key = (row: { student: string; notebook: string }): [string, string] => (row.student === '' ? [row.notebook, ''] : [row.student, row.notebook]);
  const [a1, a2] = key(a);
  const [b1, b2] = key(b);
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  return a2 < b2 ? -1 : a2 > b2 ? 1 : 0;
}

/** Everything that keeps `shards` from being one class, one line each (empty when they merge). */
export function mergeProblems(shards: readonly ShardFolder[]): string[] {
  const problems: string[] = [];
  const first = shards[0];
  if (first === undefined) return ['no shard folders given'];
  const count = first.manifest.count;
  for (const shard of shards.slice(1)) {
    if (shard.manifest.count !== count) problems.push(`${shard.dir} is shard ${shard.manifest.shard} but ${first.dir} is shard ${first.manifest.shard}: the shard counts differ`);
    if (shard.manifest.sources !== first.manifest.sources) problems.push(`${shard.dir} was graded against other instructor notebooks than ${first.dir}`);
    if (shard.header !== first.header) problems.push(`${shard.dir}/grades.csv has other columns than ${first.dir}/grades.csv`);
    if (JSON.stringify(shard.manifest.class) !== JSON.stringify(first.manifest.class)) {
      const seen = new Set(first.manifest.class);
      const other = new Set(shard.manifest.class);
      const differ = [...shard.manifest.class.filter((e) => !seen.has(e)), ...first.manifest.class.filter((e) => !other.has(e))];
      problems.push(`${shard.dir} saw another class than ${first.dir} (${shard.manifest.class.length} against ${first.manifest.class.length} submissions; differing: ${differ.slice(0, 10).join(', ') || 'the order'}): grade every shard from the same submissions folder`);
    }
  }
  for (let index = 1; index <= count; index += 1) {
    const holders = shards.filter((s) => s.manifest.index === index);
    if (holders.length === 0) problems.push(`shard ${index}/${count} is missing`);
    if (holders.length > 1) problems.push(`shard ${index}/${count} is given twice: ${holders.map((s) => s.dir).join(', ')}`);
  }
  const gradedIn = new Map<string, string[]>();
  for (const shard of shards) {
    const listed = new Set(shard.manifest.graded);
    for (const row of shard.rows) {
      const label = entryLabel(row);
      if (!listed.has(label)) problems.push(`${shard.dir}/grades.csv has a row for ${label} that its ${SHARD_MANIFEST} does not list`);
      gradedIn.set(label, [...(gradedIn.get(label) ?? []), shard.dir]);
    }
  }
  const everyone = new Set(shards.flatMap((s) => s.manifest.class));
  for (const label of everyone) if (!gradedIn.has(label)) problems.push(`${label} was graded in no shard`);
  for (const [label, dirs] of gradedIn) {
    if (dirs.length > 1) problems.push(`${label} was graded in more than one shard: ${dirs.join(', ')}`);
    if (!everyone.has(label)) problems.push(`${label} was graded in ${dirs.join(', ')} but is not in the class the shards saw`);
  }
  return problems;
}

/** What a merge wrote. */
export interface MergeReport {
  readonly rows: number;
  readonly shards: number;
}

/**
 * Merges the shard output folders `dirs` into `out`: `<out>/grades.csv` and `<out>/<student>/<name>/`
 * for every submission. Throws a MergeError naming every problem (and writes nothing) when the shards
 * do not make up one class.
 */
export function mergeShards(dirs: readonly string[], out: string): MergeReport {
  const outDir = resolve(out);
  for (const dir of dirs) if (resolve(dir) === outDir) throw new Error(`merge: --out ${out} is one of the shard folders; merge into a new folder`);
  const shards = dirs.map((dir) => readShardFolder(dir));
  const problems = mergeProblems(shards);
  if (problems.length > 0) throw new MergeError(problems);
  const rows = shards.flatMap((shard) => shard.rows.map((row) => ({ ...row, dir: shard.dir }))).sort(gradingOrder);
  for (const row of rows) {
    if (row.student === '' || row.notebook === '') continue;
    const relative = join(row.student, basename(row.notebook, '.ipynb'));
    const from = join(row.dir, relative);
    const to = join(outDir, relative);
    rmSync(to, { recursive: true, force: true });
    // A submission the grader itself failed on has a row but no results folder.
    if (existsSync(from)) cpSync(from, to, { recursive: true });
  }
  const header = shards[0]?.header ?? '';
  writeAtomic(join(outDir, 'grades.csv'), [header, ...rows.map((row) => row.raw)].join('\n') + '\n');
  return { rows: rows.length, shards: shards.length };
}
