/**
 * `npm run grade -- gradescope --source <notebook> --out autograder.zip [--timeout S] [--hidden-visibility V] [--node-version vX.Y.Z]`
 * builds Gradescope's autograder package (see grader/gradescope.ts).
 *
 * `grade gradescope-run --root DIR --notebook NAME [...]` is what the package's `run_autograder`
 * calls for each submission: it grades `<root>/submission/` and writes `<root>/results/results.json`.
 */
import { writeFileSync } from 'fs';
import { basename, join, resolve } from 'path';
import { loadSources } from '../grader/gradeClass';
import { autograderZip, GRADESCOPE_VISIBILITIES, INSTRUCTOR_FOLDER, runAutograder, type GradescopeVisibility } from '../grader/gradescope';
import { chooseBwrap } from '../grader/sandbox';
import { DEFAULT_KERNEL, findKernelSpec } from '../notebook/jupyter/kernelSpec';
import { numberOption, parseOrExitCode, readOptions } from './commandLine';
import { projectLayout } from './projectLayout';

/** Parsed options of `grade gradescope`. */
export interface GradescopeArgs {
  readonly source: string;
  readonly out: string;
  readonly timeoutSeconds: number;
  readonly hiddenVisibility: GradescopeVisibility;
  readonly nodeVersion: string;
  readonly help: boolean;
}

/** The usage text of `grade gradescope`. */
export const GRADESCOPE_USAGE = `usage: npm run grade -- gradescope --source <notebook> --out autograder.zip [options]

Builds Gradescope's autograder package for one instructor notebook: setup.sh (bubblewrap,
Node.js and gradlab on Gradescope's Ubuntu image) and run_autograder (grades the submitted
notebook with the hidden tests and writes results.json). Upload the zip as the assignment's
autograder; students submit their notebook.

options:
  --source FILE               the instructor notebook
  --out FILE                  the zip to write (default: autograder.zip)
  --timeout SECONDS           time limit per cell (default: 300)
  --hidden-visibility V       when students see the hidden tests' results: after_published
                              (default), after_due_date, hidden (never) or visible
  --node-version vX.Y.Z       the Node.js that setup.sh installs (default: this one, ${process.version})
  -h, --help                  show this help
`;

function visibilityOption(command: string, text: string): GradescopeVisibility {
  const found = GRADESCOPE_VISIBILITIES.find((v) => v === text);
  if (found === undefined) throw new Error(`${command}: --hidden-visibility must be one of ${GRADESCOPE_VISIBILITIES.join(', ')}, got '${text}'`);
  return found;
}

/** Parses the arguments after `gradescope`. */
export function parseGradescopeArgs(argv: readonly string[]): GradescopeArgs {
  const command = 'grade gradescope';
  const read = readOptions(argv, { values: ['--source', '--out', '--timeout', '--hidden-visibility', '--node-version'], switches: [] }, command);
  if (read.positionals.length > 0) throw new Error(`${command}: unexpected argument ${read.positionals[0] ?? ''}`);
  const last = (flag: string): string | undefined => read.values.get(flag)?.at(-1);
  const help = read.switches.has('--help');
  const source = last('--source') ?? '';
  if (!help && source === '') throw new Error(`${command}: missing --source (the instructor notebook)`);
  const timeout = last('--timeout');
  const visibility = last('--hidden-visibility');
  return {
    source,
    out: last('--out') ?? 'autograder.zip',
    timeoutSeconds: timeout === undefined ? 300 : numberOption(command, '--timeout', timeout, false, 0),
    hiddenVisibility: visibility === undefined ? 'after_published' : visibilityOption(command, visibility),
    nodeVersion: last('--node-version') ?? process.version,
    help,
  };
}

/** Runs `grade gradescope`; resolves to the exit code. */
export async function gradescopeMain(argv: readonly string[]): Promise<number> {
  const args = parseOrExitCode(argv, parseGradescopeArgs, GRADESCOPE_USAGE);
  if (typeof args === 'number') return args;
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  try {
    const sources = loadSources([resolve(cwd, args.source)]);
    const [source] = sources;
    if (source === undefined || sources.length > 1) throw new Error(`grade gradescope: --source must be one notebook, got ${sources.length} in ${args.source}`);
    const zip = autograderZip(source, { packageRoot: projectLayout().packageRoot, timeoutSeconds: args.timeoutSeconds, hiddenVisibility: args.hiddenVisibility, nodeVersion: args.nodeVersion });
    const out = resolve(cwd, args.out);
    writeFileSync(out, zip);
    process.stdout.write(`wrote ${out} (${(zip.length / 1e6).toFixed(1)} MB): Gradescope's autograder for ${source.name}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

/** Parsed options of `grade gradescope-run`. */
export interface GradescopeRunArgs {
  readonly root: string;
  readonly notebook: string;
  readonly timeoutSeconds: number;
  readonly hiddenVisibility: GradescopeVisibility;
  readonly help: boolean;
}

/** The usage text of `grade gradescope-run`. */
export const GRADESCOPE_RUN_USAGE = `usage: node node_modules/gradlab/dist/cli/grade.js gradescope-run --root DIR --notebook NAME [options]

Run by the autograder package's run_autograder: grades the notebook in DIR/submission/
against DIR/source/${INSTRUCTOR_FOLDER}/NAME and writes DIR/results/results.json.

options:
  --root DIR                  Gradescope's /autograder folder (default: /autograder)
  --notebook NAME             the instructor notebook's file name
  --timeout SECONDS           time limit per cell (default: 300)
  --hidden-visibility V       after_published (default), after_due_date, hidden or visible
  -h, --help                  show this help
`;

/** Parses the arguments after `gradescope-run`. */
export function parseGradescopeRunArgs(argv: readonly string[]): GradescopeRunArgs {
  const command = 'grade gradescope-run';
  const read = readOptions(argv, { values: ['--root', '--notebook', '--timeout', '--hidden-visibility'], switches: [] }, command);
  if (read.positionals.length > 0) throw new Error(`${command}: unexpected argument ${read.positionals[0] ?? ''}`);
  const last = (flag: string): string | undefined => read.values.get(flag)?.at(-1);
  const help = read.switches.has('--help');
  const notebook = last('--notebook') ?? '';
  if (!help && (notebook === '' || basename(notebook) !== notebook)) throw new Error(`${command}: --notebook must name the instructor notebook's file, got '${notebook}'`);
  const timeout = last('--timeout');
  const visibility = last('--hidden-visibility');
  return {
    root: last('--root') ?? '/autograder',
    notebook,
    timeoutSeconds: timeout === undefined ? 300 : numberOption(command, '--timeout', timeout, false, 0),
    hiddenVisibility: visibility === undefined ? 'after_published' : visibilityOption(command, visibility),
    help,
  };
}

/** Runs `grade gradescope-run`; resolves to 0 when results.json was written, 1 when the grader failed. */
export async function gradescopeRunMain(argv: readonly string[]): Promise<number> {
  const args = parseOrExitCode(argv, parseGradescopeRunArgs, GRADESCOPE_RUN_USAGE);
  if (typeof args === 'number') return args;
  const root = resolve(args.root);
  const { projectRoot } = projectLayout();
  const [source] = loadSources([join(root, 'source', INSTRUCTOR_FOLDER, args.notebook)]);
  if (source === undefined) throw new Error(`grade gradescope-run: no instructor notebook ${args.notebook}`);
  const { bwrap, warning } = chooseBwrap();
  // Gradescope's container is the outer sandbox; where bubblewrap cannot work inside it, grading goes on without it.
  if (warning !== null) process.stdout.write(`gradescope-run: warning: ${warning}\n`);
  const run = await runAutograder(source.notebook, {
    root,
    notebook: args.notebook,
    hiddenVisibility: args.hiddenVisibility,
    timeoutSeconds: args.timeoutSeconds,
    spec: findKernelSpec(DEFAULT_KERNEL, projectRoot),
    projectRoot,
    bwrap,
  });
  process.stdout.write(`gradescope-run: ${run.message}\n`);
  return run.results === null ? 1 : 0;
}
