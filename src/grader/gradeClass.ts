/**
 * Grading a class: submissions laid out `<submissions>/<student>/<name>.ipynb` are matched to the
 * instructor's notebooks by file name and graded `jobs` at a time, each in its own kernel. Anything
 * else in the folder becomes an `invalid` row saying why. Results are written atomically:
 * `<out>/grades.csv` and, per graded submission, `<out>/<student>/<name>/` with the executed graded
 * notebook (for instructors: it holds the hidden tests), `results.json` in Gradescope's schema,
 * `junit.xml` and `feedback.html` (for the student). Invalid files get only their grades.csv row, and
 * lose whatever an earlier grading wrote for them.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { findNotebooks } from '../notebook/execute/runner';
import { parseNotebook, serializeNotebook, type Notebook } from '../notebook/nbformat';
import { checkAssignmentSource } from './assignment';
import { gradeSubmission, sourceMaxPoints, type GradeOptions, type SubmissionGrade } from './gradeSubmission';
import { cellKind, gradeIdOf } from '../notebook/nbgrader';
import { feedbackHtml } from './feedback';
import { entriesOfShard, SHARD_MANIFEST, shardManifest, type Shard } from './shard';

/** One instructor notebook, by file name. */
export interface SourceNotebook {
  readonly name: string;
  readonly file: string;
  readonly notebook: Notebook;
}

/** One row of grades.csv and its details. */
export interface GradeRow {
  readonly student: string;
  readonly notebook: string;
  readonly grade: SubmissionGrade;
}

/** Something found in the submissions folder: a file to grade against a source, or a reason it cannot be. */
type Entry = { student: string; notebook: string; file: string; source: SourceNotebook } | { student: string; notebook: string; reason: string };

/** Reads and checks the instructor's notebooks (files or folders); throws naming a bad or repeated one. */
export function loadSources(paths: readonly string[]): SourceNotebook[] {
  for (const path of paths) if (!existsSync(path)) throw new Error(`grade: the instructor notebook or folder ${path} does not exist`);
  const files = findNotebooks(paths);
  if (files.length === 0) throw new Error(`grade: no instructor notebooks (.ipynb) in ${paths.join(', ')}`);
  const byName = new Map<string, SourceNotebook>();
  for (const file of files) {
    const name = basename(file);
    const notebook = parseNotebook(readFileSync(file, 'utf8'), file);
    checkAssignmentSource(notebook, file);
    const earlier = byName.get(name);
    if (earlier !== undefined) throw new Error(`grade: two instructor notebooks are named ${name}: ${earlier.file} and ${file}`);
    byName.set(name, { name, file, notebook });
  }
  return [...byName.values()];
}

/** Everything in `<submissions>`: one entry per file (or misplaced folder), sorted by student and name. */
export function findSubmissions(dir: string, sources: readonly SourceNotebook[]): Entry[] {
  const byName = new Map(sources.map((s) => [s.name, s]));
  const entries: Entry[] = [];
  const visible = (folder: string): string[] => readdirSync(folder).filter((name) => !name.startsWith('.')).sort();
  for (const student of visible(dir)) {
    const folder = join(dir, student);
    if (!statSync(folder).isDirectory()) {
      entries.push({ student: '', notebook: student, reason: 'not in a student folder (expected <submissions>/<student>/<name>.ipynb)' });
      continue;
    }
    const names = visible(folder);
    if (names.length === 0) entries.push({ student, notebook: '', reason: 'the student folder is empty' });
    for (const name of names) {
      const file = join(folder, name);
      const source = byName.get(name);
      if (statSync(file).isDirectory()) entries.push({ student, notebook: name, reason: 'a folder where a notebook file should be' });
      else if (!name.endsWith('.ipynb')) entries.push({ student, notebook: name, reason: 'not a notebook file (.ipynb)' });
      else if (source === undefined) entries.push({ student, notebook: name, reason: `no instructor notebook named ${name} (known: ${[...byName.keys()].join(', ')})` });
      else entries.push({ student, notebook: name, file, source });
    }
  }
  return entries;
}

/** Writes `text` to `file` through a temporary file and a rename, so readers see all of it or nothing. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * Gradescope's visibility of a hidden test: `after_published`, so students see its name, score and
 * message once the instructor publishes the grades, and nothing of it before (its code never).
 */
export const HIDDEN_TEST_VISIBILITY = 'after_published';

/** Gradescope's results.json for one submission; hidden tests get HIDDEN_TEST_VISIBILITY. */
export function gradescopeResults(grade: SubmissionGrade): Record<string, unknown> {
  const tests = grade.cells.flatMap((cell) =>
    cell.tests.length === 0
      ? [{ name: cell.gradeId, score: cell.points, max_score: cell.maxPoints, output: cell.reason, visibility: 'visible' }]
      : cell.tests.map((test) => ({
          name: `${cell.gradeId}: ${test.name}`,
          score: test.score,
          max_score: test.maxScore,
          output: test.output,
          visibility: test.hidden === true ? HIDDEN_TEST_VISIBILITY : 'visible',
        })),
  );
  return { score: grade.points, max_score: grade.maxPoints, output: grade.notes.join('\n'), tests };
}

function xmlText(value: string): string {
  // XML 1.0 cannot hold most control characters, even escaped.
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML for one submission: a test case per test (per cell when it has none), failed unless it earned every point. */
export function junitXml(suite: string, grade: SubmissionGrade): string {
  const cases = grade.cells.flatMap((cell) =>
    (cell.tests.length === 0 ? [{ name: cell.gradeId, score: cell.points, maxScore: cell.maxPoints, output: cell.reason }] : cell.tests).map((test) => {
      const open = `  <testcase classname="${xmlText(cell.gradeId)}" name="${xmlText(test.name)}">`;
      const failure = test.score < test.maxScore ? `\n    <failure message="${xmlText(`${test.score}/${test.maxScore} points: ${test.output}`)}"/>\n  ` : '';
      return `${open}${failure}</testcase>`;
    }),
  );
  const failures = cases.filter((c) => c.includes('<failure')).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xmlText(suite)}" tests="${cases.length}" failures="${failures}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** grades.csv: the fixed columns, then one column per graded cell of the sources (in their order). */
export function gradesCsv(rows: readonly GradeRow[], sources: readonly SourceNotebook[]): string {
  const cellIds = [...new Set(sources.flatMap((s) => s.notebook.cells.filter((c) => cellKind(c) === 'tests').map(gradeIdOf)))];
  const header = ['student', 'notebook', 'points', 'max_points', 'status', 'notes', ...cellIds];
  const lines = rows.map((row) => {
    const byId = new Map(row.grade.cells.map((cell) => [cell.gradeId, cell.points]));
    const fixed = [row.student, row.notebook, row.grade.points, row.grade.maxPoints, row.grade.status, row.grade.notes.join('; ')];
    return [...fixed, ...cellIds.map((id) => byId.get(id) ?? '')].map(csvField).join(',');
  });
  return [header.join(','), ...lines].join('\n') + '\n';
}

/** Options for grading a class. */
export interface ClassOptions extends GradeOptions {
  /** Submissions graded at once, each on its own kernel. */
  readonly jobs: number;
  /** Skip submissions whose results exist for the same submission and source content. */
  readonly resume?: boolean;
  /** Grade only this shard of the class, and record it in `<out>/shard.json` (see shard.ts). */
  readonly shard?: Shard;
  readonly onDone?: (row: GradeRow, done: number, total: number) => void;
}

/** The student-facing report beside each submission's results. */
export const FEEDBACK_FILE = 'feedback.html';

/** The file, written last, that records a submission's grade and the content it was computed from. */
export const GRADE_RECORD = 'grade.json';

/** The submission's results in Gradescope's schema, and as JUnit XML. */
const RESULTS_FILE = 'results.json';
const JUNIT_FILE = 'junit.xml';

/**
 * Every file writeSubmission may write into a submission's folder, the grade record first: it is
 * written last and removed first, so an interrupted removal never leaves a record without its results.
 */
function submissionFiles(row: GradeRow): string[] {
  return [GRADE_RECORD, row.notebook, FEEDBACK_FILE, RESULTS_FILE, JUNIT_FILE];
}

function submissionDir(out: string, row: { student: string; notebook: string }): string {
  return join(out, row.student, basename(row.notebook, '.ipynb'));
}

/** What a grade depends on: the submission's bytes and the instructor's source. */
export function contentHash(source: Notebook, bytes: Buffer): string {
  return createHash('sha256').update(serializeNotebook(source)).update('\0').update(bytes).digest('hex');
}

/**
 * Writes one submission's results: the executed graded copy, results.json, junit.xml, feedback.html
 * and, last, the grade record with the content hash (so only complete results are ever resumed).
 */
function writeSubmission(out: string, row: GradeRow, hash: string | null, source: Notebook): void {
  const dir = submissionDir(out, row);
  if (row.grade.executed !== null) {
    writeAtomic(join(dir, row.notebook), serializeNotebook(row.grade.executed));
    writeAtomic(join(dir, FEEDBACK_FILE), feedbackHtml({ student: row.student, notebookName: row.notebook, source, grade: row.grade }));
  }
  writeAtomic(join(dir, RESULTS_FILE), JSON.stringify(gradescopeResults(row.grade), null, 2) + '\n');
  writeAtomic(join(dir, JUNIT_FILE), junitXml(`${row.student}/${row.notebook}`, row.grade));
  const { status, points, maxPoints, cells, notes } = row.grade;
  writeAtomic(join(dir, GRADE_RECORD), JSON.stringify({ sha256: hash, status, points, maxPoints, cells, notes }, null, 2) + '\n');
}

/**
 * Removes what an earlier grading wrote for this submission (the files writeSubmission writes, then
 * the folder if that left it empty), so that a file that is invalid now, or that the grader failed
 * on, leaves no results or feedback computed from other content. Nothing else is touched.
 */
function removeEarlierResults(out: string, row: GradeRow): void {
  const dir = submissionDir(out, row);
  if (!existsSync(dir)) return;
  for (const name of submissionFiles(row)) rmSync(join(dir, name), { force: true });
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

/** The recorded grade of a submission when it was computed from content with `hash`, else null. */
function recordedGrade(out: string, entry: { student: string; notebook: string }, hash: string): SubmissionGrade | null {
  try {
    const record = JSON.parse(readFileSync(join(submissionDir(out, entry), GRADE_RECORD), 'utf8')) as Partial<SubmissionGrade> & { sha256?: unknown };
    if (record.sha256 !== hash || record.status === undefined || record.cells === undefined || record.notes === undefined) return null;
    return { status: record.status, points: record.points ?? 0, maxPoints: record.maxPoints ?? 0, cells: record.cells, notes: record.notes, executed: null, execution: null, failure: null, seconds: 0 };
  } catch {
    return null;
  }
}

function invalidGrade(source: SourceNotebook | undefined, reason: string): SubmissionGrade {
  const maxPoints = source === undefined ? 0 : sourceMaxPoints(source.notebook);
  return { status: 'invalid', points: 0, maxPoints, cells: [], notes: [reason], executed: null, execution: null, failure: null, seconds: 0 };
}

/** Grades every submission in `submissionsDir` and writes the results under `out`; returns the rows. */
export async function gradeClass(sources: readonly SourceNotebook[], submissionsDir: string, out: string, options: ClassOptions): Promise<GradeRow[]> {
  if (!existsSync(submissionsDir) || !statSync(submissionsDir).isDirectory()) throw new Error(`grade: the submissions folder ${submissionsDir} does not exist`);
  const all = findSubmissions(submissionsDir, sources);
  const entries = options.shard === undefined ? all : entriesOfShard(all, options.shard);
  const rows: GradeRow[] = new Array<GradeRow>(entries.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const position = next++;
      const entry = entries[position] as Entry;
      let grade: SubmissionGrade;
      let hash: string | null = null;
      let resumed = false;
      if ('reason' in entry) grade = invalidGrade(undefined, entry.reason);
      else {
        const shown = `${entry.student}/${entry.notebook}`;
        try {
          const bytes = readFileSync(entry.file);
          hash = contentHash(entry.source.notebook, bytes);
          const recorded = options.resume === true ? recordedGrade(out, entry, hash) : null;
          resumed = recorded !== null;
          grade = recorded ?? (await gradeSubmission(entry.source.notebook, bytes, shown, options));
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          grade = { ...invalidGrade(entry.source, `the grader failed: ${why}`), failure: why };
        }
      }
      const row: GradeRow = { student: entry.student, notebook: entry.notebook, grade };
      // An invalid file gets its grades.csv row and nothing else: there is nothing to hand back, and
      // results an earlier grading wrote for it would describe other content.
      if ('source' in entry && grade.status !== 'invalid' && grade.failure === null) {
        if (!resumed) writeSubmission(out, row, hash, entry.source.notebook);
      } else removeEarlierResults(out, row);
      rows[position] = row;
      done += 1;
      options.onDone?.(row, done, entries.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, entries.length)) }, worker));
  writeAtomic(join(out, 'grades.csv'), gradesCsv(rows, sources));
  if (options.shard !== undefined) writeAtomic(join(out, SHARD_MANIFEST), JSON.stringify(shardManifest(options.shard, all, entries, sources), null, 2) + '\n');
  return rows;
}

/** The closing table: one line per row and the totals. */
export function summaryTable(rows: readonly GradeRow[]): string {
  const header = ['student', 'notebook', 'points', 'status', 'seconds'];
  const body = rows.map((r) => [r.student, r.notebook, `${r.grade.points}/${r.grade.maxPoints}`, r.grade.status, r.grade.seconds.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] ?? '').length)));
  const format = (line: readonly string[]): string => line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const count = (status: string): number => rows.filter((r) => r.grade.status === status).length;
  const flagged = count('flagged') > 0 ? `, ${count('flagged')} flagged` : '';
  return [format(header), ...body.map(format), `${count('graded')} graded${flagged}, ${count('invalid')} invalid, ${rows.length} in all`].join('\n') + '\n';
}

/** The folders a kernel must not see: the sources', the submissions and the results. */
export function foldersToHide(sources: readonly SourceNotebook[], submissionsDir: string, out: string): string[] {
  return [...new Set([...sources.map((s) => dirname(resolve(s.file))), resolve(submissionsDir), resolve(out)])];
}
