/**
 * GitHub Classroom: the workflow a student release carries (`.github/workflows/classroom.yml`), and
 * the result its notebook step hands to Classroom's autograding reporter.
 *
 * On every push the workflow installs the student project and runs `npm run validate -- --classroom
 * notebooks`: each notebook runs in a fresh kernel with the tests the student can see (the hidden
 * tests stay with the instructor), and the result is written as the step output `result`, base64 of
 * `{version: 1, status, max_score, tests: [{name, status, score, message, test_code, filename,
 * line_no, duration}]}`, which the reporter reads from `<RUNNER-ID>_RESULTS`, adds up, and reports
 * to Classroom as `Points X/Y`. The points possible come from the test cells' own `test(name,
 * points, ...)` calls, so a notebook that stops early still counts every test it should have run;
 * a test cell whose nbgrader checksum no longer matches (edited by the student) earns nothing here.
 */
import { readFileSync } from 'fs';
import { cellSource, parseNotebook, type Notebook } from '../notebook/nbformat';
import { cellKind, cellLabel, gradeIdOf } from '../notebook/nbgrader';
import { findTestCalls } from '../notebook/testCalls';
import { recordedLockedCells } from './assignment';
import { computeChecksum, recordedChecksum } from './checksum';
import type { ValidationReport } from './validate';

/** One test as the reporter reads it. */
export interface ClassroomTest {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly score: number;
  readonly message: string;
  readonly test_code: string;
  readonly filename: string;
  readonly line_no: number;
  readonly duration: number;
}

/** One runner's result as the reporter reads it. */
export interface ClassroomResult {
  readonly version: 1;
  readonly status: 'pass' | 'fail' | 'error';
  readonly max_score: number;
  readonly tests: readonly ClassroomTest[];
}

/** The id of the workflow step that runs the notebooks; the reporter reads `NOTEBOOKS_RESULTS`. */
export const CLASSROOM_RUNNER = 'notebooks';

/** The command the workflow runs for the notebooks (in the student project). */
export const CLASSROOM_COMMAND = `npm run validate -- --classroom ${CLASSROOM_RUNNER}`;

/** The tests of one validated notebook (`shown` is its path as the student names it). */
export function notebookTests(notebook: Notebook, report: ValidationReport, shown: string): { tests: ClassroomTest[]; maxScore: number } {
  const base = { test_code: `npm run validate -- ${shown}`, filename: shown, line_no: 0, duration: Math.round(report.seconds) };
  if (report.failure !== null) {
    return { tests: [{ ...base, name: `${shown}: could not run`, status: 'error', score: 0, message: report.failure }], maxScore: possiblePoints(notebook) };
  }
  const studentEdition = recordedLockedCells(notebook) !== null;
  const tests: ClassroomTest[] = [];
  let maxScore = 0;
  notebook.cells.forEach((cell, index) => {
    if (cellKind(cell) !== 'tests') return;
    const label = cellLabel(index, gradeIdOf(cell));
    const recorded = recordedChecksum(cell);
    const edited = recorded === null ? studentEdition : recorded !== computeChecksum(cell);
    const results = report.exercises.find((e) => e.cellIndex === index)?.tests ?? [];
    for (const call of findTestCalls(cellSource(cell))) {
      if (call.name === null) continue;
      const points = call.points ?? 0;
      maxScore += points;
      const result = results.find((r) => r.name === call.name);
      const name = `${shown}: ${call.name}`;
      if (edited) tests.push({ ...base, name, status: 'fail', score: 0, message: `${label} was edited (its checksum changed): its tests count only as written in the assignment` });
      else if (result === undefined) tests.push({ ...base, name, status: 'fail', score: 0, message: `no result: ${label} did not report this test` });
      else tests.push({ ...base, name, status: result.passed ? 'pass' : 'fail', score: result.passed ? Math.min(points, result.points) : 0, message: result.message });
    }
  });
  const present = new Set(notebook.cells.map(gradeIdOf));
  for (const id of recordedLockedCells(notebook) ?? []) {
    if (!present.has(id)) tests.push({ ...base, name: `${shown}: ${id}`, status: 'fail', score: 0, message: `the read-only cell ${id} was deleted; put it back (the assignment's copy) to run its tests` });
  }
  return { tests, maxScore };
}

function possiblePoints(notebook: Notebook): number {
  return notebook.cells
    .filter((cell) => cellKind(cell) === 'tests')
    .flatMap((cell) => findTestCalls(cellSource(cell)))
    .reduce((sum, call) => sum + (call.name === null ? 0 : (call.points ?? 0)), 0);
}

/** The reporter's result for validated notebooks: `files[i]` (shown as `shown[i]`) with `reports[i]`. */
export function classroomResult(notebooks: readonly { readonly file: string; readonly shown: string; readonly report: ValidationReport }[]): ClassroomResult {
  const parts = notebooks.map(({ file, shown, report }) => {
    let notebook: Notebook;
    try {
      notebook = parseNotebook(readFileSync(file, 'utf8'), file);
    } catch {
      const failure = report.failure ?? 'not a notebook';
      return { tests: [{ name: `${shown}: could not run`, status: 'error' as const, score: 0, message: failure, test_code: `npm run validate -- ${shown}`, filename: shown, line_no: 0, duration: 0 }], maxScore: 0 };
    }
    return notebookTests(notebook, report, shown);
  });
  const tests = parts.flatMap((p) => p.tests);
  const status = tests.some((t) => t.status === 'error') ? 'error' : tests.every((t) => t.status === 'pass') ? 'pass' : 'fail';
  return { version: 1, status, max_score: parts.reduce((sum, p) => sum + p.maxScore, 0), tests };
}

/** The result as the reporter's environment variable holds it: base64 of its JSON. */
export function encodeClassroomResult(result: ClassroomResult): string {
  return Buffer.from(JSON.stringify(result), 'utf8').toString('base64');
}

/** The points the reporter adds up from `results` (each runner's decoded result): `Points X/Y`. */
export function reporterPoints(results: readonly ClassroomResult[]): { points: number; maxPoints: number } {
  let points = 0;
  let maxPoints = 0;
  for (const result of results) {
    if (!result.max_score) continue; // the reporter skips runners without points
    maxPoints += result.max_score;
    for (const test of result.tests) points += test.score;
  }
  return { points, maxPoints };
}

/**
 * The workflow of a Classroom assignment repository. Classroom's reporter requires the workflow's
 * name `Autograding Tests` and its one job `run-autograding-tests`.
 */
export function classroomWorkflow(): string {
  return `# GitHub Classroom autograding: on every push, run the notebooks with the tests you can see
# and report the points to the Classroom dashboard. The hidden tests run when the instructor grades.
name: Autograding Tests
on:
  - push
  - repository_dispatch
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 30
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Node.js
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install
        run: npm install
      - name: Notebook tests
        id: ${CLASSROOM_RUNNER}
        run: ${CLASSROOM_COMMAND}
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          ${CLASSROOM_RUNNER.toUpperCase()}_RESULTS: "\${{ steps.${CLASSROOM_RUNNER}.outputs.result }}"
        with:
          runners: ${CLASSROOM_RUNNER}
`;
}
