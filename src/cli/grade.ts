/**
 * `npm run grade -- --source <notebooks|folder> --submissions <folder> --out <folder> [--jobs N] [--timeout S] [--budget S] [--memory MB] [--resume] [--shard i/n]`
 * `npm run grade -- merge <shard folders> --out <folder>` (see gradeMerge.ts)
 * `npm run grade -- gradescope --source <notebook> --out autograder.zip` (see gradescope.ts)
 *
 * Grades every `<submissions>/<student>/<name>.ipynb` against the instructor's notebook of the same
 * name (see grader/gradeClass.ts), prints a summary table, and exits 0 when every submission was
 * graded or found invalid; 1 only when the grader itself failed (a kernel that would not start).
 */
import { existsSync, mkdirSync, statSync } from 'fs';
import { availableParallelism, totalmem } from 'os';
import { resolve } from 'path';
import { foldersToHide, gradeClass, loadSources, summaryTable } from '../grader/gradeClass';
import { chooseBwrap } from '../grader/sandbox';
import { parseShard, type Shard } from '../grader/shard';
import { DEFAULT_KERNEL, findKernelSpec } from '../notebook/jupyter/kernelSpec';
import { checkMemoryLimit } from '../notebook/jupyter/memoryLimit';
import { numberOption, parseOrExitCode, runCommand } from './commandLine';
import { mergeMain } from './gradeMerge';
import { gradescopeMain, gradescopeRunMain } from './gradescope';
import { projectLayout } from './projectLayout';

/** Time per submission when --budget is not given: several times what a course notebook needs. */
export const DEFAULT_BUDGET_SECONDS = 600;
/** Memory per kernel when --memory is not given: about eight times what a tslab kernel starts with. */
export const DEFAULT_MEMORY_MB = 2048;

/** Parsed command-line options. */
export interface GradeArgs {
  readonly sources: string[];
  readonly submissions: string;
  readonly out: string;
  readonly jobs: number;
  readonly timeoutSeconds: number;
  /** Time per submission in seconds; 0: none. */
  readonly budgetSeconds: number;
  /** Memory cap per kernel in MB; 0: none. */
  readonly memoryMb: number;
  readonly resume: boolean;
  readonly shard: Shard | null;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run grade -- --source <notebooks or folder> --submissions <folder> --out <folder> [options]
       npm run grade -- merge <shard folder> [...] --out <folder>
       npm run grade -- gradescope --source <notebook> --out autograder.zip

Grades <submissions>/<student>/<name>.ipynb against the instructor's <name>.ipynb: the
read-only and test cells are put back from the source (hidden tests included), each
submission runs in a fresh sandboxed kernel, and only the restored test cells count.
Writes <out>/grades.csv and <out>/<student>/<name>/ (feedback.html for the student;
results.json, junit.xml; the executed notebook, which holds the hidden tests, for instructors).

options:
  --source PATH       an instructor notebook or a folder of them (repeatable)
  --submissions DIR   the folder of student folders
  --out DIR           where the results go
  --jobs N            submissions graded at once (default: the number of cores)
  --timeout SECONDS   time limit per cell (default: 300)
  --budget SECONDS    time limit per submission, restarts included; once spent, the
                      cells left do not run (default: 600; 0: none)
  --memory MB         memory cap per kernel, JS heap and Buffers alike; a cell that
                      goes past it fails (default: 2048; 0: none)
  --resume            keep the results of submissions graded before (same file, same source)
  --shard I/N         grade only the I-th of N parts of the class (split by student folder
                      name; merge the N output folders with \`npm run grade -- merge\`)
  -h, --help          show this help

Kernels run inside bubblewrap (/usr/bin/bwrap, or the binary GRADLAB_BWRAP names) when it
can create its namespaces here; otherwise the grader warns once and runs them in a fresh
folder with a filtered environment. Cells marked {"gradlab": {"skip_when_grading": true}}
in the instructor's notebook are not run.
`;

function memoryOption(text: string): number {
  const value = numberOption('grade', '--memory', text, true, 0);
  if (value !== 0) checkMemoryLimit(value, 'grade: --memory');
  return value;
}

/** Parses command-line arguments; throws an Error naming the bad option. */
export function parseGradeArgs(argv: readonly string[]): GradeArgs {
  const sources: string[] = [];
  let submissions = '';
  let out = '';
  let jobs = Math.max(1, availableParallelism());
  let timeoutSeconds = 300;
  let budgetSeconds = DEFAULT_BUDGET_SECONDS;
  let memoryMb = DEFAULT_MEMORY_MB;
  let help = false;
  let resume = false;
  let shard: Shard | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const text = inline ?? argv[++i];
      if (text === undefined || text === '') throw new Error(`grade: ${flag} needs a value`);
      return text;
    };
    if (flag === '--source') sources.push(value());
    else if (flag === '--submissions') submissions = value();
    else if (flag === '--out') out = value();
    else if (flag === '--jobs') jobs = numberOption('grade', '--jobs', value(), true, 1);
    else if (flag === '--timeout') timeoutSeconds = numberOption('grade', '--timeout', value(), false, 0);
    else if (flag === '--budget') budgetSeconds = numberOption('grade', '--budget', value(), false, 0);
    else if (flag === '--memory') memoryMb = memoryOption(value());
    else if (flag === '--resume' && inline === undefined) resume = true;
    else if (flag === '--shard') shard = parseShard(value());
    else if (flag === '-h' || flag === '--help') help = true;
    else throw new Error(`grade: unknown option ${arg}`);
  }
  if (!help) {
    const missing = [sources.length === 0 ? '--source' : '', submissions === '' ? '--submissions' : '', out === '' ? '--out' : ''].filter((m) => m !== '');
    if (missing.length > 0) throw new Error(`grade: missing ${missing.join(', ')}`);
  }
  return { sources, submissions, out, jobs, timeoutSeconds, budgetSeconds, memoryMb, resume, shard, help };
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'merge') return mergeMain(argv.slice(1));
  if (argv[0] === 'gradescope') return gradescopeMain(argv.slice(1));
  if (argv[0] === 'gradescope-run') return gradescopeRunMain(argv.slice(1));
  const args = parseOrExitCode(argv, parseGradeArgs, USAGE);
  if (typeof args === 'number') return args;
  const { projectRoot } = projectLayout();
  // npm runs scripts in the project folder; INIT_CWD is where the instructor typed the command.
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  const submissions = resolve(cwd, args.submissions);
  const out = resolve(cwd, args.out);
  let sources;
  try {
    if (!existsSync(submissions) || !statSync(submissions).isDirectory()) throw new Error(`grade: the submissions folder ${submissions} does not exist`);
    sources = loadSources(args.sources.map((s) => resolve(cwd, s)));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  mkdirSync(out, { recursive: true });
  const { bwrap, warning } = chooseBwrap();
  if (warning !== null) process.stderr.write(`grade: warning: ${warning}\n`);
  if (args.memoryMb * args.jobs > totalmem() / 2 ** 20) {
    process.stderr.write(`grade: warning: ${args.jobs} kernels of up to ${args.memoryMb} MB each may need more than this machine's ${Math.round(totalmem() / 2 ** 20)} MB; lower --jobs or --memory\n`);
  }
  const rows = await gradeClass(sources, submissions, out, {
    jobs: args.jobs,
    resume: args.resume,
    ...(args.shard === null ? {} : { shard: args.shard }),
    timeoutSeconds: args.timeoutSeconds,
    budgetSeconds: args.budgetSeconds,
    memoryLimitMb: args.memoryMb === 0 ? undefined : args.memoryMb,
    spec: findKernelSpec(DEFAULT_KERNEL, projectRoot),
    sandbox: { projectRoot, bwrap, hidden: foldersToHide(sources, submissions, out) },
    onDone: (row, done, total) => process.stderr.write(`[${done}/${total}] ${row.student}/${row.notebook}: ${row.grade.points}/${row.grade.maxPoints} (${row.grade.status})\n`),
  });
  process.stdout.write(summaryTable(rows));
  const failures = rows.filter((r) => r.grade.failure !== null);
  for (const row of failures) process.stderr.write(`grade: could not grade ${row.student}/${row.notebook}: ${row.grade.failure ?? ''}\n`);
  return failures.length === 0 ? 0 : 1;
}

if (require.main === module) runCommand('grade', main);
