/**
 * Gradescope's autograder: the package (`autograder.zip`) and what runs in it.
 *
 * The zip, unpacked by Gradescope into `/autograder/source/`, holds `setup.sh` (run once as root on
 * Gradescope's Ubuntu image: bubblewrap from apt, Node from nodejs.org, checked against its published
 * SHA-256, then this package from the bundled tarball), `run_autograder` (run for every submission),
 * `package.json`, this gradlab's build packed with `npm pack`, and the instructor's notebook in
 * `instructor/` (a folder the kernel cannot see when bubblewrap works). `run_autograder` grades the
 * notebook in `/autograder/submission/` and writes `/autograder/results/results.json` in Gradescope's
 * schema; the hidden tests (those between the hidden-test markers) get the chosen visibility. Both
 * scripts take the root from `GRADLAB_AUTOGRADER_ROOT` (default `/autograder`), so the package can be
 * tried on any machine.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join, relative } from 'path';
import { cellSource, serializeNotebook, type Notebook } from '../notebook/nbformat';
import { cellKind, gradeIdOf } from '../notebook/nbgrader';
import { findTestCalls } from '../notebook/testCalls';
import { gradescopeResults, writeAtomic, type SourceNotebook } from './gradeClass';
import { gradeSubmission, sourceMaxPoints, type GradeOptions, type SubmissionGrade } from './gradeSubmission';
import { removeHiddenTests } from './regions';
import { packGradlab } from './release';
import { zipArchive, type ZipEntry } from './zipArchive';

/** Who sees a test's result on Gradescope. */
export type GradescopeVisibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

/** The visibilities Gradescope accepts. */
export const GRADESCOPE_VISIBILITIES: readonly GradescopeVisibility[] = ['visible', 'hidden', 'after_due_date', 'after_published'];

/** The environment variable that replaces `/autograder` as the scripts' root. */
export const ROOT_VARIABLE = 'GRADLAB_AUTOGRADER_ROOT';

/** The folder of the package that holds the instructor's notebook. */
export const INSTRUCTOR_FOLDER = 'instructor';

/** The names `gradeId: test name` (as results.json names tests) of the tests only the hidden-test regions define. */
export function hiddenTestNames(source: Notebook): Set<string> {
  const hidden = new Set<string>();
  for (const cell of source.cells) {
    if (cellKind(cell) !== 'tests') continue;
    const text = cellSource(cell);
    const visible = new Set(findTestCalls(removeHiddenTests(text)).map((call) => call.name));
    for (const call of findTestCalls(text)) if (call.name !== null && !visible.has(call.name)) hidden.add(`${gradeIdOf(cell)}: ${call.name}`);
  }
  return hidden;
}

/** One test of Gradescope's results.json. */
interface GradescopeTest {
  readonly name: string;
  readonly score: number;
  readonly max_score: number;
  readonly output: string;
  readonly visibility: string;
}

/** Gradescope's results.json for a submission of `source`: hidden tests get `hiddenVisibility`, every test a pass/fail status. */
export function autograderResults(source: Notebook, grade: SubmissionGrade, hiddenVisibility: GradescopeVisibility): Record<string, unknown> {
  // Gradescope's schema has no top-level max_score (its maximum is the assignment's).
  const { max_score: _maxScore, ...base } = gradescopeResults(grade);
  const hidden = hiddenTestNames(source);
  const tests = (base['tests'] as GradescopeTest[]).map((test) => ({
    ...test,
    status: test.score >= test.max_score ? 'passed' : 'failed',
    visibility: hidden.has(test.name) ? hiddenVisibility : test.visibility,
  }));
  const status = grade.status === 'graded' ? '' : `${grade.status}: `;
  const output = `${status}${grade.points}/${grade.maxPoints} points${grade.notes.length > 0 ? `\n${grade.notes.join('\n')}` : ''}`;
  return { ...base, output, execution_time: Math.round(grade.seconds), stdout_visibility: 'hidden', tests };
}

/** `text` quoted for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** setup.sh: bubblewrap, Node `nodeVersion` (from nodejs.org, checksum checked), then the package's dependencies. */
export function setupScript(nodeVersion: string): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu): it installs
# bubblewrap (the grading sandbox), Node.js ${nodeVersion} and gradlab with its dependencies.
set -euo pipefail
root="\${${ROOT_VARIABLE}:-/autograder}"
node_version=${shellQuote(nodeVersion)}

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends bubblewrap ca-certificates curl

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "setup.sh: no Node.js build for $(uname -m)" >&2; exit 1 ;;
esac
archive="node-$node_version-linux-$arch.tar.gz"
download="$(mktemp -d)"
curl -fsSL "https://nodejs.org/dist/$node_version/$archive" -o "$download/$archive"
curl -fsSL "https://nodejs.org/dist/$node_version/SHASUMS256.txt" -o "$download/SHASUMS256.txt"
(cd "$download" && grep " $archive\\$" SHASUMS256.txt | sha256sum -c -)
tar -xzf "$download/$archive" -C /usr/local --strip-components=1 --no-same-owner
rm -rf "$download"

cd "$root/source"
# gradlab comes from the bundled tarball; its dependencies need no install scripts.
npm install --omit=dev --ignore-scripts --no-audit --no-fund
node node_modules/gradlab/dist/cli/grade.js --help > /dev/null
`;
}

/** run_autograder: grades the submission against `notebook` and writes results/results.json. */
export function runAutograderScript(notebook: string, timeoutSeconds: number, hiddenVisibility: GradescopeVisibility): string {
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission: it grades the notebook in submission/ against the
# instructor's ${INSTRUCTOR_FOLDER}/${notebook} (hidden tests included) and writes results/results.json.
# ${ROOT_VARIABLE} replaces /autograder, to try the package on another machine.
set -euo pipefail
root="\${${ROOT_VARIABLE}:-/autograder}"
cd "$root/source"
exec node node_modules/gradlab/dist/cli/grade.js gradescope-run --root "$root" --notebook ${shellQuote(notebook)} --timeout ${timeoutSeconds} --hidden-visibility ${hiddenVisibility}
`;
}

/** The package.json of the autograder: gradlab from the bundled tarball. */
export function autograderPackageJson(tarball: string): string {
  const content = { name: 'gradlab-autograder', version: '1.0.0', private: true, dependencies: { gradlab: `file:${tarball}` } };
  return JSON.stringify(content, null, 2) + '\n';
}

/** Options for building the package. */
export interface AutograderPackageOptions {
  /** The gradlab folder whose build is packed. */
  readonly packageRoot: string;
  readonly timeoutSeconds: number;
  readonly hiddenVisibility: GradescopeVisibility;
  /** The Node.js version setup.sh installs, e.g. `v20.20.2`. */
  readonly nodeVersion: string;
}

/** The files of autograder.zip for the instructor's `source`, in archive order. */
export function autograderEntries(source: SourceNotebook, options: AutograderPackageOptions): ZipEntry[] {
  if (!/^v\d+\.\d+\.\d+$/.test(options.nodeVersion)) throw new Error(`gradescope: the Node.js version must look like v20.19.0, got '${options.nodeVersion}'`);
  const stage = mkdtempSync(join(tmpdir(), 'gradlab-autograder-'));
  try {
    const tarball = packGradlab(options.packageRoot, stage);
    const text = (value: string, mode = 0o644): { data: Buffer; mode: number } => ({ data: Buffer.from(value, 'utf8'), mode });
    return [
      { name: 'setup.sh', ...text(setupScript(options.nodeVersion), 0o755) },
      { name: 'run_autograder', ...text(runAutograderScript(source.name, options.timeoutSeconds, options.hiddenVisibility), 0o755) },
      { name: 'package.json', ...text(autograderPackageJson(tarball)) },
      { name: tarball, data: readFileSync(join(stage, tarball)), mode: 0o644 },
      { name: `${INSTRUCTOR_FOLDER}/${source.name}`, ...text(serializeNotebook(source.notebook)) },
    ];
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** autograder.zip for the instructor's `source`. */
export function autograderZip(source: SourceNotebook, options: AutograderPackageOptions): Buffer {
  return zipArchive(autograderEntries(source, options));
}

/** The notebook files under `dir` (checkpoints and hidden folders skipped), nearest first. */
function notebooksUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ipynb')) found.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.sort((a, b) => a.split('/').length - b.split('/').length);
}

/** The submitted notebook: the one named like the instructor's, else the only one; or why there is none. */
export function findSubmittedNotebook(submissionDir: string, name: string): { file: string } | { reason: string } {
  const notebooks = notebooksUnder(submissionDir);
  const named = notebooks.find((file) => basename(file) === name);
  if (named !== undefined) return { file: named };
  if (notebooks.length === 1 && notebooks[0] !== undefined) return { file: notebooks[0] };
  if (notebooks.length === 0) return { reason: `no notebook was submitted: upload ${name}` };
  return { reason: `${notebooks.length} notebooks were submitted (${notebooks.map((f) => relative(submissionDir, f)).join(', ')}) and none is named ${name}: upload ${name} alone or under that name` };
}

/** What one autograder run produced. */
export interface AutograderRun {
  /** null when the grader itself failed (no results.json is written then, so Gradescope reports an autograder error). */
  readonly results: Record<string, unknown> | null;
  readonly message: string;
}

/** Options for one run inside the package. */
export interface AutograderRunOptions extends Omit<GradeOptions, 'sandbox'> {
  /** The `/autograder` folder. */
  readonly root: string;
  /** The instructor notebook's file name in `source/instructor/`. */
  readonly notebook: string;
  readonly hiddenVisibility: GradescopeVisibility;
  /** The project whose node_modules the kernel uses (where gradlab is installed). */
  readonly projectRoot: string;
  readonly bwrap: string | null;
}

/** Grades `<root>/submission/` and writes `<root>/results/results.json` (written last, over anything already there). */
export async function runAutograder(source: Notebook, options: AutograderRunOptions): Promise<AutograderRun> {
  const submissionDir = join(options.root, 'submission');
  const resultsDir = join(options.root, 'results');
  const found = findSubmittedNotebook(submissionDir, options.notebook);
  let grade: SubmissionGrade;
  if ('reason' in found) {
    grade = { status: 'invalid', points: 0, maxPoints: sourceMaxPoints(source), cells: [], notes: [found.reason], executed: null, execution: null, failure: null, seconds: 0 };
  } else {
    const hidden = [join(options.root, 'source', INSTRUCTOR_FOLDER), submissionDir, resultsDir];
    grade = await gradeSubmission(source, readFileSync(found.file), relative(submissionDir, found.file), {
      ...options,
      sandbox: { projectRoot: options.projectRoot, bwrap: options.bwrap, hidden },
    });
  }
  if (grade.failure !== null) return { results: null, message: `the grader failed: ${grade.failure}` };
  const results = autograderResults(source, grade, options.hiddenVisibility);
  writeAtomic(join(resultsDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  return { results, message: `${grade.points}/${grade.maxPoints} points (${grade.status})` };
}
