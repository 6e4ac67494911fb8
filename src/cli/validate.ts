/**
 * `npm run validate -- <notebook.ipynb> [...] [--timeout SECONDS]`
 *
 * The student's self-check: runs each notebook in a fresh kernel with the visible tests, prints each
 * exercise with its points and the failing tests' messages, warns about edited read-only cells, and
 * exits 1 when any exercise test fails (see grader/validate.ts).
 */
import { relative, resolve } from 'path';
import { formatValidation, validateNotebook, validationPassed } from '../grader/validate';
import { parseOrExitCode, runCommand } from './commandLine';
import { projectLayout } from './projectLayout';

/** Parsed command-line options. */
export interface ValidateArgs {
  readonly files: string[];
  readonly timeoutSeconds: number;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run validate -- <notebook.ipynb> [...] [options]

Runs a notebook in a fresh kernel with the tests you can see, prints each exercise
with its points, warns when a read-only cell was changed, and exits 1 when a test fails.

options:
  --timeout SECONDS  time limit per cell (default: 300)
  -h, --help         show this help
`;

/** Parses command-line arguments; throws an Error naming the bad option. */
export function parseValidateArgs(argv: readonly string[]): ValidateArgs {
  const files: string[] = [];
  let timeoutSeconds = 300;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const text = arg === '--timeout' ? (argv[++i] ?? '') : arg.slice('--timeout='.length);
      timeoutSeconds = Number(text);
      if (text === '' || !(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0)) throw new Error(`validate: --timeout must be a number of seconds >= 0, got '${text}'`);
    } else if (arg === '-h' || arg === '--help') help = true;
    else if (arg.startsWith('-')) throw new Error(`validate: unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0 && !help) throw new Error('validate: name the notebook to check, e.g. npm run validate -- workspace/01-initialization.ipynb');
  return { files, timeoutSeconds, help };
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseOrExitCode(argv, parseValidateArgs, USAGE);
  if (typeof args === 'number') return args;
  const { projectRoot } = projectLayout();
  // npm runs scripts in the project folder; INIT_CWD is where the student typed the command.
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  let allPassed = true;
  for (const file of args.files) {
    const full = resolve(cwd, file);
    const shown = relative(cwd, full).startsWith('..') ? full : relative(cwd, full);
    process.stderr.write(`validating ${shown} ...\n`);
    const report = await validateNotebook(full, { projectRoot, timeoutSeconds: args.timeoutSeconds });
    process.stdout.write(formatValidation(report, shown));
    if (!validationPassed(report)) allPassed = false;
  }
  return allPassed ? 0 : 1;
}

if (require.main === module) runCommand('validate', main);
