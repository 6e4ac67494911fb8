/**
 * Sharding a class for CI matrices and batch systems: `--shard i/n` grades the i-th of n disjoint
 * parts. The part of a submission depends only on the names in the submissions folder: the top-level
 * names (student folders, and any misplaced file) are sorted and dealt round-robin, so every
 * submission falls in exactly one shard, the shards differ in size by at most one student, and the
 * split is the same on every machine and in every run. Each shard folder records the whole class it
 * saw (`shard.json`), so that the merge can name what is missing or graded twice.
 */
import { createHash } from 'crypto';
import { serializeNotebook, type Notebook } from '../notebook/nbformat';

/** The i-th (1-based) of `count` shards. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The record a shard output folder holds. */
export interface ShardManifest {
  /** `i/n` */
  readonly shard: string;
  readonly index: number;
  readonly count: number;
  /** A hash of the instructor's notebooks the shard was graded against. */
  readonly sources: string;
  /** Every submission of the class, as `entryLabel` gives it, in grading order. */
  readonly class: readonly string[];
  /** The submissions this shard graded. */
  readonly graded: readonly string[];
}

/** The file in a shard output folder that says which shard it is. */
export const SHARD_MANIFEST = 'shard.json';

/** Reads `i/n` (1 <= i <= n); throws naming the text otherwise. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!(index >= 1 && count >= 1 && index <= count)) throw new Error(`grade: --shard must be i/n with 1 <= i <= n (e.g. 2/4), got '${text}'`);
  return { index, count };
}

/** The folder-level name an entry belongs to: its student folder, or a misplaced file's own name. */
export function shardKey(entry: { readonly student: string; readonly notebook: string }): string {
  return entry.student !== '' ? entry.student : entry.notebook;
}

/** How a submission is named in manifests and messages: `student/notebook`. */
export function entryLabel(entry: { readonly student: string; readonly notebook: string }): string {
  if (entry.student === '') return entry.notebook;
  return `${entry.student}/${entry.notebook}`;
}

/** The entries of `shard`: the distinct keys, sorted, dealt round-robin (key r goes to shard r mod n + 1). */
export function entriesOfShard<T extends { readonly student: string; readonly notebook: string }>(entries: readonly T[], shard: Shard): T[] {
  const keys = [...new Set(entries.map(shardKey))].sort();
  const mine = new Set(keys.filter((_, rank) => rank % shard.count === shard.index - 1));
  return entries.filter((entry) => mine.has(shardKey(entry)));
}

/** A hash of the instructor's notebooks by name and content: shards graded against other sources do not merge. */
export function sourcesHash(sources: readonly { readonly name: string; readonly notebook: Notebook }[]): string {
  const hash = createHash('sha256');
  for (const source of [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(source.name).update('\0').update(serializeNotebook(source.notebook)).update('\0');
  }
  return hash.digest('hex');
}

/** The manifest of a shard that graded `graded` out of the class `all`. */
export function shardManifest(
  shard: Shard,
  all: readonly { readonly student: string; readonly notebook: string }[],
  graded: readonly { readonly student: string; readonly notebook: string }[],
  sources: readonly { readonly name: string; readonly notebook: Notebook }[],
): ShardManifest {
  return {
    shard: `${shard.index}/${shard.count}`,
    index: shard.index,
    count: shard.count,
    sources: sourcesHash(sources),
    class: all.map(entryLabel),
    graded: graded.map(entryLabel),
  };
}
