/**
 * Sharding and merging without a kernel: the split (every submission in exactly one shard, balanced,
 * independent of the order the folder lists them), the merge's checks (each missing or duplicated
 * shard or submission named) and its output (the unsharded order, byte-identical when repeated).
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGradeArgs } from '../../src/cli/grade';
import { parseMergeArgs } from '../../src/cli/gradeMerge';
import { gradesCsv, type GradeRow, type SourceNotebook } from '../../src/grader/gradeClass';
import type { SubmissionGrade } from '../../src/grader/gradeSubmission';
import { csvRecords, MergeError, mergeShards } from '../../src/grader/merge';
import { entriesOfShard, entryLabel, parseShard, SHARD_MANIFEST, shardManifest, type Shard } from '../../src/grader/shard';
import { instructorNotebook } from '../helpers/gradingFixture';
import { scratchDir } from '../helpers/project';

const SOURCES: SourceNotebook[] = [{ name: 'two.ipynb', file: 'two.ipynb', notebook: instructorNotebook() }];

function grade(points: number, notes: string[] = []): SubmissionGrade {
  const cells = [
    { gradeId: 'double-tests', cellIndex: 3, points: Math.min(points, 2), maxPoints: 2, tests: [], reason: '' },
    { gradeId: 'square-tests', cellIndex: 5, points: Math.max(0, points - 2), maxPoints: 2, tests: [], reason: '' },
  ];
  return { status: 'graded', points, maxPoints: 4, cells, notes, executed: null, execution: null, failure: null, seconds: 1 };
}

/** A class as findSubmissions lists it (sorted by folder, then file): student folders, an empty folder and a misplaced file. */
const CLASS: { student: string; notebook: string }[] = [
  ...['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus'].map((student) => ({ student, notebook: 'two.ipynb' })),
  { student: 'hal', notebook: '' },
  { student: 'ivy', notebook: 'other.ipynb' },
  { student: 'ivy', notebook: 'two.ipynb' },
  { student: '', notebook: 'stray.txt' },
];

function rowOf(entry: { student: string; notebook: string }, index: number): GradeRow {
  const notes = entry.student === 'cy' ? ['restored edited cell, "double-tests"', 'second line\nwith a line break'] : [];
  return { student: entry.student, notebook: entry.notebook, grade: grade(index % 5, notes) };
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** Writes shard `shard` of CLASS as `grade --shard` would: grades.csv, shard.json and result folders. */
function writeShard(base: string, shard: Shard, entries = CLASS, graded = entriesOfShard(entries, shard)): string {
  const dir = path.join(base, `shard-${shard.index}`);
  fs.mkdirSync(dir, { recursive: true });
  const rows = graded.map((entry) => rowOf(entry, CLASS.findIndex((e) => entryLabel(e) === entryLabel(entry))));
  fs.writeFileSync(path.join(dir, 'grades.csv'), gradesCsv(rows, SOURCES));
  fs.writeFileSync(path.join(dir, SHARD_MANIFEST), JSON.stringify(shardManifest(shard, entries, graded, SOURCES)));
  for (const row of rows) {
    if (row.student === '' || row.notebook === '') continue;
    const folder = path.join(dir, row.student, path.basename(row.notebook, '.ipynb'));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'results.json'), JSON.stringify({ score: row.grade.points }));
  }
  return dir;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function mergeProblemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof MergeError) return error.problems;
    throw error;
  }
  throw new Error('the merge did not fail');
}

describe('--shard i/n', () => {
  it('reads i/n and names a bad one', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseGradeArgs(['--source', 's', '--submissions', 'x', '--out', 'o', '--shard', '1/1']).shard).toEqual({ index: 1, count: 1 });
    expect(parseGradeArgs(['--source', 's', '--submissions', 'x', '--out', 'o']).shard).toBeNull();
    for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '1.5/4', '-1/4']) {
      expect(() => parseShard(bad)).toThrow(`grade: --shard must be i/n with 1 <= i <= n (e.g. 2/4), got '${bad}'`);
    }
  });

  it('puts every submission in exactly one shard, a student\'s notebooks together, sizes within one student', () => {
    for (const count of [1, 2, 3, 4, 11, 20]) {
      const shards = Array.from({ length: count }, (_, i) => entriesOfShard(CLASS, { index: i + 1, count }));
      expect(shards.flat().map(entryLabel).sort()).toEqual(CLASS.map(entryLabel).sort());
      const keysPerShard = shards.map((s) => new Set(s.map((e) => e.student || e.notebook)).size);
      expect(Math.max(...keysPerShard) - Math.min(...keysPerShard)).toBeLessThanOrEqual(1);
      const ivy = shards.filter((s) => s.some((e) => e.student === 'ivy'));
      expect(ivy).toHaveLength(1);
      expect(ivy[0]?.filter((e) => e.student === 'ivy')).toHaveLength(2);
    }
  });

  it('depends only on the names, not on the order they are listed in', () => {
    const shuffled = [...CLASS].reverse();
    for (let index = 1; index <= 3; index += 1) {
      const a = entriesOfShard(CLASS, { index, count: 3 }).map(entryLabel).sort();
      const b = entriesOfShard(shuffled, { index, count: 3 }).map(entryLabel).sort();
      expect(b).toEqual(a);
    }
    // sorted names dealt round-robin: ada, dee, gus, stray.txt -> shard 1 of 3
    expect(entriesOfShard(CLASS, { index: 1, count: 3 }).map(entryLabel)).toEqual(['ada/two.ipynb', 'dee/two.ipynb', 'gus/two.ipynb', 'stray.txt']);
  });
});

describe('grade merge', () => {
  it('reads back the CSV that grades.csv is written in, quotes and line breaks included', () => {
    const rows = CLASS.map(rowOf);
    const text = gradesCsv(rows, SOURCES);
    const records = csvRecords(text, 'grades.csv');
    expect(records).toHaveLength(rows.length + 1);
    expect(records.map((r) => r.raw).join('\n') + '\n').toBe(text);
    const cy = records.find((r) => r.fields[0] === 'cy');
    expect(cy?.fields[5]).toBe('restored edited cell, "double-tests"; second line\nwith a line break');
    expect(() => csvRecords('a,"b\n', 'x.csv')).toThrow('merge: x.csv ends inside a quoted field');
  });

  it('merges n shards into the grades.csv of one unsharded run, with every result folder, and again to the same bytes', () => {
    const base = scratchDir('merge');
    dirs.push(base);
    const shards = [3, 1, 2].map((index) => writeShard(base, { index, count: 3 }));
    const out = path.join(base, 'merged');
    expect(mergeShards(shards, out)).toEqual({ rows: CLASS.length, shards: 3 });
    expect(fs.readFileSync(path.join(out, 'grades.csv'), 'utf8')).toBe(gradesCsv(CLASS.map(rowOf), SOURCES));
    expect(Object.keys(tree(out)).filter((f) => f.endsWith('results.json')).sort()).toEqual(
      ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'ivy'].map((s) => `${s}/two/results.json`).concat(['ivy/other/results.json']).sort(),
    );
    const first = tree(out);
    fs.writeFileSync(path.join(out, 'ada', 'two', 'results.json'), 'stale');
    mergeShards(shards, out);
    expect(tree(out)).toEqual(first);
  });

  it('names a missing shard, a shard given twice, and the submissions graded in none or in two', () => {
    const base = scratchDir('merge');
    dirs.push(base);
    const one = writeShard(base, { index: 1, count: 3 });
    const two = writeShard(base, { index: 2, count: 3 });
    const out = path.join(base, 'merged');
    const missing = mergeProblemsOf(() => mergeShards([one, two], out));
    expect(missing).toContain('shard 3/3 is missing');
    expect(missing).toContain('cy/two.ipynb was graded in no shard');
    expect(fs.existsSync(out)).toBe(false);

    const copy = path.join(base, 'copy-of-1');
    fs.cpSync(one, copy, { recursive: true });
    const three = writeShard(base, { index: 3, count: 3 });
    const twice = mergeProblemsOf(() => mergeShards([one, two, three, copy], out));
    expect(twice).toContain(`shard 1/3 is given twice: ${one}, ${copy}`);
    expect(twice).toContain(`ada/two.ipynb was graded in more than one shard: ${one}, ${copy}`);
  });

  it('refuses shards of different sizes or classes, naming the folders', () => {
    const base = scratchDir('merge');
    dirs.push(base);
    const a = writeShard(path.join(base, 'a'), { index: 1, count: 2 });
    const b = writeShard(path.join(base, 'b'), { index: 2, count: 2 }, [...CLASS, { student: 'zed', notebook: 'two.ipynb' }]);
    const c = writeShard(path.join(base, 'c'), { index: 2, count: 3 });
    const problems = mergeProblemsOf(() => mergeShards([a, b, c], path.join(base, 'out')));
    expect(problems).toContain(`${c} is shard 2/3 but ${a} is shard 1/2: the shard counts differ`);
    expect(problems.find((p) => p.startsWith(`${b} saw another class than ${a}`))).toContain('differing: zed/two.ipynb');
  });

  it('says what is wrong with a folder that is not a shard, and never merges into a shard folder', () => {
    const base = scratchDir('merge');
    dirs.push(base);
    const one = writeShard(base, { index: 1, count: 1 });
    expect(() => mergeShards([base], path.join(base, 'out'))).toThrow(`merge: ${base} is not a shard output folder (no shard.json`);
    expect(() => mergeShards([path.join(base, 'nowhere')], path.join(base, 'out'))).toThrow('does not exist');
    expect(() => mergeShards([one], one)).toThrow(`merge: --out ${one} is one of the shard folders`);
    fs.writeFileSync(path.join(one, SHARD_MANIFEST), '{"shard": ');
    expect(() => mergeShards([one], path.join(base, 'out'))).toThrow(`merge: ${path.join(one, SHARD_MANIFEST)} is not valid JSON`);
    fs.writeFileSync(path.join(one, SHARD_MANIFEST), '[]');
    expect(() => mergeShards([one], path.join(base, 'out'))).toThrow(`merge: ${path.join(one, SHARD_MANIFEST)} is not a shard manifest`);
    fs.writeFileSync(path.join(one, SHARD_MANIFEST), JSON.stringify(shardManifest({ index: 1, count: 1 }, CLASS, CLASS, SOURCES)));
    fs.rmSync(path.join(one, 'grades.csv'));
    expect(() => mergeShards([one], path.join(base, 'out'))).toThrow('has no grades.csv (the shard did not finish)');
  });

  it('reads its command line', () => {
    expect(parseMergeArgs(['a', 'b', '--out', 'o'])).toEqual({ shards: ['a', 'b'], out: 'o', help: false });
    expect(parseMergeArgs(['--out=o', 'a'])).toEqual({ shards: ['a'], out: 'o', help: false });
    expect(() => parseMergeArgs(['a'])).toThrow('grade merge: missing --out');
    expect(() => parseMergeArgs(['--out', 'o'])).toThrow('grade merge: name the shard folders to merge');
    expect(() => parseMergeArgs(['a', '--out', 'o', '--jobs', '2'])).toThrow('grade merge: unknown option --jobs');
  });
});
