/**
 * `npm run assign -- [notebooks or folders ...] [--out release] [--no-pack]`
 *
 * Writes the student edition of the lecture notebooks (default: every notebook in `notebooks/`) into
 * a release folder that is a student project of its own (see grader/release.ts). A source that cannot
 * be assigned is named with each problem, and nothing is written.
 */
import { join, resolve } from 'path';
import { AssignmentSourceError } from '../grader/assignment';
import { writeRelease } from '../grader/release';
import { findNotebooks } from '../notebook/execute/runner';

/** Parsed command-line options. */
export interface AssignArgs {
  readonly paths: string[];
  readonly outDir: string;
  readonly pack: boolean;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run assign -- [notebooks or folders ...] [options]

Writes the student edition of instructor notebooks (default: notebooks/) into a
release folder: the notebooks, gradlab packed as a tarball, a package.json and a
README, so that \`npm install && npm start\` works wherever the folder is copied.

options:
  --out DIR    the release folder (default: release)
  --no-pack    write only the student notebooks (into DIR/notebooks)
  -h, --help   show this help
`;

/** Parses command-line arguments; throws an Error naming the bad option. */
export function parseAssignArgs(argv: readonly string[], projectRoot: string): AssignArgs {
  const paths: string[] = [];
  let outDir = join(projectRoot, 'release');
  let pack = true;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--out') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new Error('assign: --out needs a folder');
      outDir = resolve(next);
      i += 1;
    } else if (arg.startsWith('--out=')) outDir = resolve(arg.slice('--out='.length));
    else if (arg === '--no-pack') pack = false;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg.startsWith('-')) throw new Error(`assign: unknown option ${arg}`);
    else paths.push(arg);
  }
  if (paths.length === 0) paths.push(join(projectRoot, 'notebooks'));
  return { paths, outDir, pack, help };
}

/** Runs the command; resolves to the exit code. */
export function main(argv: readonly string[]): number {
  const projectRoot = resolve(__dirname, '..', '..');
  let args: AssignArgs;
  let files: string[];
  try {
    args = parseAssignArgs(argv, projectRoot);
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    files = findNotebooks(args.paths).filter((file) => !file.startsWith(args.outDir + '/'));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(`assign: no .ipynb files in ${args.paths.join(', ')}\n`);
    return 2;
  }
  try {
    const report = writeRelease(files, args.outDir, { packageRoot: projectRoot, pack: args.pack });
    for (const file of report.notebooks) process.stdout.write(`wrote ${file}\n`);
    if (report.tarball !== null) process.stdout.write(`packed ${report.tarball}\n`);
    process.stdout.write(`The student edition is in ${args.outDir}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AssignmentSourceError) {
      process.stderr.write(`assign: nothing written; fix these problems in the sources:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
    } else process.stderr.write(`assign: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
