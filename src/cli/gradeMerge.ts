/**
 * `npm run grade -- merge <shard folder> [...] --out <folder>`
 *
 * Combines the output folders of `npm run grade -- ... --shard i/n` into one grades.csv and one
 * folder of per-submission results (see grader/merge.ts). Exits 0 when merged, 1 naming every
 * missing or duplicated shard or submission, or an unreadable shard folder (nothing is written
 * then), 2 for bad arguments.
 */
import { resolve } from 'path';
import { mergeShards } from '../grader/merge';
import { parseOrExitCode, readOptions } from './commandLine';

/** Parsed command-line options. */
export interface MergeArgs {
  readonly shards: string[];
  readonly out: string;
  readonly help: boolean;
}

/** The usage text. */
export const MERGE_USAGE = `usage: npm run grade -- merge <shard folder> [...] --out <folder>

Merges the output folders of \`npm run grade -- ... --shard i/n\` (one per shard) into
<out>/grades.csv and <out>/<student>/<name>/, checking that every shard is there once
and every submission was graded in exactly one shard. Merging again gives the same files.

options:
  --out DIR     where the merged results go (not one of the shard folders)
  -h, --help    show this help
`;

/** Parses the arguments after `merge`; throws an Error naming the bad option. */
export function parseMergeArgs(argv: readonly string[]): MergeArgs {
  const read = readOptions(argv, { values: ['--out'], switches: [] }, 'grade merge');
  const help = read.switches.has('--help');
  const out = read.values.get('--out')?.at(-1) ?? '';
  if (!help && read.positionals.length === 0) throw new Error('grade merge: name the shard folders to merge');
  if (!help && out === '') throw new Error('grade merge: missing --out');
  return { shards: [...read.positionals], out, help };
}

/** Runs `grade merge`; resolves to the exit code. */
export async function mergeMain(argv: readonly string[]): Promise<number> {
  const args = parseOrExitCode(argv, parseMergeArgs, MERGE_USAGE);
  if (typeof args === 'number') return args;
  // npm runs scripts in the project folder; INIT_CWD is where the instructor typed the command.
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  try {
    const report = mergeShards(args.shards.map((dir) => resolve(cwd, dir)), resolve(cwd, args.out));
    process.stdout.write(`merged ${report.shards} shards: ${report.rows} submissions in ${resolve(cwd, args.out, 'grades.csv')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
