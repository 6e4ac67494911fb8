/**
 * `npm run validate -- <notebook.ipynb or folder> [...] [--timeout SECONDS] [--classroom]`
 *
 * The student's self-check: runs each notebook in a fresh kernel with the visible tests, prints each
 * exercise with its points and the failing tests' messages, warns about edited read-only cells, and
 * exits 1 when any exercise test fails (see grader/validate.ts). With `--classroom` it also hands the
 * points to GitHub Classroom's autograding reporter (see grader/classroom.ts) and exits 0 once the
 * result is written: the reporter fails the workflow when a test fails.
 */
import { appendFileSync } from 'fs';
import { relative, resolve } from 'path';
import { classroomResult, encodeClassroomResult, reporterPoints } from '../grader/classroom';
import { formatValidation, validateNotebook, validationPassed } from '../grader/validate';
import { findNotebooks } from '../notebook/execute/runner';
import { parseOrExitCode, runCommand } from './commandLine';
import { projectLayout } from './projectLayout';

/** Parsed command-line options. */
export interface ValidateArgs {
  readonly files: string[];
  readonly timeoutSeconds: number;
  readonly classroom: boolean;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run validate -- <notebook.ipynb or folder> [...] [options]

Runs a notebook in a fresh kernel with the tests you can see, prints each exercise
with its points, warns when a read-only cell was changed, and exits 1 when a test fails.

options:
  --timeout SECONDS  time limit per cell (default: 300)
  --classroom        also write the points for GitHub Classroom's autograding reporter
                     (the step output \`result\` in $GITHUB_OUTPUT, else printed) and exit 0
  -h, --help         show this help
`;

/** Parses command-line arguments; throws an Error naming the bad option. */
export function parseValidateArgs(argv: readonly string[]): ValidateArgs {
  const files: string[] = [];
  let timeoutSeconds = 300;
  let help = false;
  let classroom = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const text = arg === '--timeout' ? (argv[++i] ?? '') : arg.slice('--timeout='.length);
      timeoutSeconds = Number(text);
      if (text === '' || !(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0)) throw new Error(`validate: --timeout must be a number of seconds >= 0, got '${text}'`);
    } else if (arg === '--classroom') classroom = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg.startsWith('-')) throw new Error(`validate: unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0 && !help) throw new Error('validate: name the notebook to check, e.g. npm run validate -- workspace/01-initialization.ipynb');
  return { files, timeoutSeconds, classroom, help };
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseOrExitCode(argv, parseValidateArgs, USAGE);
  if (typeof args === 'number') return args;
  const { projectRoot } = projectLayout();
  // npm runs scripts in the project folder; INIT_CWD is where the student typed the command.
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  let files: string[];
  try {
    files = findNotebooks(args.files.map((file) => resolve(cwd, file)));
    if (files.length === 0) throw new Error(`no notebooks (.ipynb) in ${args.files.join(', ')}`);
  } catch (error) {
    process.stderr.write(`validate: ${error instanceof Error ? error.message.replace(/^notebooks: /, '') : String(error)}\n`);
    return 2;
  }
  let allPassed = true;
  const validated = [];
  for (const full of files) {
    const shown = relative(cwd, full).startsWith('..') ? full : relative(cwd, full);
    process.stderr.write(`validating ${shown} ...\n`);
    const report = await validateNotebook(full, { projectRoot, timeoutSeconds: args.timeoutSeconds });
    process.stdout.write(formatValidation(report, shown));
    if (!validationPassed(report)) allPassed = false;
    validated.push({ file: full, shown, report });
  }
  if (!args.classroom) return allPassed ? 0 : 1;
  const result = classroomResult(validated);
  const { points, maxPoints } = reporterPoints([result]);
  const output = process.env['GITHUB_OUTPUT'];
  if (output !== undefined && output !== '') appendFileSync(output, `result=${encodeClassroomResult(result)}\n`);
  else process.stdout.write(`result=${encodeClassroomResult(result)}\n`);
  process.stdout.write(`GitHub Classroom: ${points}/${maxPoints} points (${result.status})\n`);
  return 0;
}

if (require.main === module) runCommand('validate', main);
