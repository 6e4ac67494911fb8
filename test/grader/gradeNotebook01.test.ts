/**
 * End to end on lecture notebook 01 through the built command: the instructor's notebook (solutions
 * in) gets every point, its student edition none, on the real tslab kernel.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { studentEdition } from '../../src/grader/assignment';
import { sourceMaxPoints } from '../../src/grader/gradeSubmission';
import { parseNotebook, serializeNotebook } from '../../src/notebook/nbformat';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

const NAME = '01-initialization.ipynb';
const SOURCE = path.join(PROJECT_ROOT, 'notebooks', NAME);

describe('npm run grade on notebook 01', () => {
  const base = scratchDir('grade-nb01');
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('gives the solutions full points and the blank student edition none', () => {
    requireBuild();
    const source = parseNotebook(fs.readFileSync(SOURCE, 'utf8'), SOURCE);
    const max = sourceMaxPoints(source);
    expect(max).toBeGreaterThan(0);
    const submissions = path.join(base, 'submissions');
    for (const [student, nb] of [['solved', source], ['blank', studentEdition(source, SOURCE)]] as const) {
      fs.mkdirSync(path.join(submissions, student), { recursive: true });
      fs.writeFileSync(path.join(submissions, student, NAME), serializeNotebook(nb));
    }
    const out = path.join(base, 'out');
    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'grade.js'), '--source', SOURCE, '--submissions', submissions, '--out', out, '--jobs', '2'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, INIT_CWD: PROJECT_ROOT },
    });
    expect(run.status, run.stderr).toBe(0);
    const csv = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').split('\n');
    const solved = csv.find((line) => line.startsWith('solved,')) ?? '';
    const blank = csv.find((line) => line.startsWith('blank,')) ?? '';
    expect(solved.split(',').slice(2, 5)).toEqual([String(max), String(max), 'graded']);
    expect(blank.split(',').slice(2, 5)).toEqual(['0', String(max), 'graded']);
    expect(run.stdout).toContain('2 graded, 0 invalid, 2 in all');
    process.stderr.write(`notebook 01 grading output:\n${run.stdout}\n`);
  }, 1_200_000);
});
