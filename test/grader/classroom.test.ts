/**
 * GitHub Classroom: the workflow a release carries (its YAML parses and has the names Classroom's
 * reporter requires), and the command it runs, run as written in a student project on a correct and
 * a blank notebook through the real kernel, producing the result the reporter reads.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseValidateArgs } from '../../src/cli/validate';
import { classroomResult, classroomWorkflow, notebookTests, reporterPoints, type ClassroomResult } from '../../src/grader/classroom';
import { releasePackageJson } from '../../src/grader/release';
import type { ValidationReport } from '../../src/grader/validate';
import { serializeNotebook } from '../../src/notebook/nbformat';
import { blankSubmission, correctSubmission, indexOf, setSource } from '../helpers/gradingFixture';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

interface Step {
  readonly name: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly name: string;
  readonly jobs: Record<string, { steps: Step[] }>;
}

const workflow = parse(classroomWorkflow()) as Workflow;
const steps = workflow.jobs['run-autograding-tests']?.steps ?? [];
const notebookStep = steps.find((s) => s.name === 'Notebook tests');

/** The reporter's reading of a runner's environment variable: base64 JSON. */
function decode(encoded: string): ClassroomResult {
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as ClassroomResult;
}

describe('the Classroom workflow', () => {
  it('parses, with the workflow and job names the reporter requires, and hands the notebook step\'s result to it', () => {
    expect(workflow.name).toBe('Autograding Tests');
    expect(Object.keys(workflow.jobs)).toEqual(['run-autograding-tests']);
    expect(steps.find((s) => s.name === 'Install')?.run).toBe('npm install');
    const id = notebookStep?.id ?? '';
    expect(id).toMatch(/^[a-zA-Z0-9]+$/);
    const reporter = steps.at(-1);
    expect(reporter?.uses).toBe('classroom-resources/autograding-grading-reporter@v1');
    expect(reporter?.with).toEqual({ runners: id });
    expect(reporter?.env).toEqual({ [`${id.toUpperCase()}_RESULTS`]: `\${{ steps.${id}.outputs.result }}` });
    const [npm, run, script, dashes, ...args] = (notebookStep?.run ?? '').split(' ');
    expect([npm, run, script, dashes]).toEqual(['npm', 'run', 'validate', '--']);
    expect(parseValidateArgs(args)).toMatchObject({ files: ['notebooks'], classroom: true });
  });

  it('gives nothing for a test cell the student edited, and counts the tests of a notebook that stopped early', () => {
    const edited = blankSubmission();
    setSource(edited, 'square-tests', 'test("square(3) = 9", 1, () => {});\ntest("square(-2) = 4", 1, () => {});');
    const squareCell = indexOf(edited, 'square-tests');
    const passed = (name: string) => ({ name, points: 1, maxPoints: 1, passed: true, message: '', cellIndex: squareCell });
    const report: ValidationReport = {
      file: 'two.ipynb', warnings: [], cellErrors: [], failure: null, seconds: 1,
      exercises: [{ cellIndex: squareCell, gradeId: 'square-tests', points: 2, possible: 2, cellPoints: 2, tests: [passed('square(3) = 9'), passed('square(-2) = 4')] }],
    };
    const { tests, maxScore } = notebookTests(edited, report, 'notebooks/two.ipynb');
    expect(maxScore).toBe(3);
    expect(tests.map((t) => [t.name, t.status, t.score])).toEqual([
      ['notebooks/two.ipynb: double(2) = 4', 'fail', 0],
      ['notebooks/two.ipynb: square(3) = 9', 'fail', 0],
      ['notebooks/two.ipynb: square(-2) = 4', 'fail', 0],
    ]);
    expect(tests[0]?.message).toBe('no result: cell 4 (double-tests) did not report this test');
    expect(tests[1]?.message).toBe('cell 6 (square-tests) was edited (its checksum changed): its tests count only as written in the assignment');
  });
});

describe('the Classroom command on a student project', () => {
  let project = '';
  const results: Record<string, { status: number | null; out: string; result: ClassroomResult }> = {};

  function runCommand(label: string, notebook: string): void {
    fs.writeFileSync(path.join(project, 'notebooks', 'two.ipynb'), notebook);
    const output = path.join(project, `github-output-${label}`);
    fs.writeFileSync(output, 'earlier=1\n');
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: output };
    delete env['INIT_CWD'];
    const run = spawnSync('bash', ['-c', notebookStep?.run ?? 'false'], { cwd: project, env, encoding: 'utf8', timeout: 300_000 });
    const lines = fs.readFileSync(output, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('earlier=1');
    expect(lines[1]).toMatch(/^result=[A-Za-z0-9+/=]+$/);
    results[label] = { status: run.status, out: `${run.stdout}\n${run.stderr}`, result: decode((lines[1] ?? '').slice('result='.length)) };
  }

  beforeAll(() => {
    requireBuild();
    // A student project as `npm run assign` makes it: its package.json scripts, gradlab installed.
    project = scratchDir('classroom');
    fs.writeFileSync(path.join(project, 'package.json'), releasePackageJson('gradlab-0.1.0.tgz', { name: 'gradlab', version: '0.1.0' }));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(project, 'node_modules'));
    fs.mkdirSync(path.join(project, 'notebooks'));
    runCommand('correct', serializeNotebook(correctSubmission()));
    runCommand('blank', serializeNotebook(blankSubmission()));
  }, 600_000);

  afterAll(() => {
    if (project !== '') fs.rmSync(project, { recursive: true, force: true });
  });

  it('reports every visible test of a correct notebook as passed: Points 3/3, and the step succeeds', () => {
    const { status, out, result } = results['correct'] ?? { status: null, out: '', result: classroomResult([]) };
    expect(status, out).toBe(0);
    expect(result).toMatchObject({ version: 1, status: 'pass', max_score: 3 });
    expect(result.tests.map((t) => [t.name, t.status, t.score, t.filename])).toEqual([
      ['notebooks/two.ipynb: double(2) = 4', 'pass', 1, 'notebooks/two.ipynb'],
      ['notebooks/two.ipynb: square(3) = 9', 'pass', 1, 'notebooks/two.ipynb'],
      ['notebooks/two.ipynb: square(-2) = 4', 'pass', 1, 'notebooks/two.ipynb'],
    ]);
    expect(reporterPoints([result])).toEqual({ points: 3, maxPoints: 3 });
    expect(out).toContain('GitHub Classroom: 3/3 points (pass)');
  });

  it('reports a blank notebook\'s tests as failed with the reason: Points 0/3, status fail (the reporter fails the job)', () => {
    const { status, out, result } = results['blank'] ?? { status: null, out: '', result: classroomResult([]) };
    expect(status, out).toBe(0);
    expect(result).toMatchObject({ version: 1, status: 'fail', max_score: 3 });
    expect(result.tests.map((t) => [t.status, t.score, t.message])).toEqual([
      ['fail', 0, 'not implemented: double'],
      ['fail', 0, 'not implemented: square'],
      ['fail', 0, 'not implemented: square'],
    ]);
    expect(reporterPoints([result])).toEqual({ points: 0, maxPoints: 3 });
    expect(out).toContain('0/3 points from the visible tests');
  });
});
