/**
 * A submission that was graded once and is invalid now (re-uploaded broken, or replaced by another
 * course's notebook) must not keep the results and feedback computed from its earlier content. No
 * kernel starts: invalid files are never run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeClass, loadSources } from '../../src/grader/gradeClass';
import { findKernelSpec } from '../../src/notebook/jupyter/kernelSpec';
import { serializeNotebook } from '../../src/notebook/nbformat';
import { instructorNotebook } from '../helpers/gradingFixture';
import { PROJECT_ROOT, scratchDir } from '../helpers/project';

const NAME = 'two.ipynb';
const RESULT_FILES = ['grade.json', NAME, 'feedback.html', 'results.json', 'junit.xml'];

describe('a submission that is invalid now', () => {
  const base = scratchDir('earlier-results');
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  function earlierResults(out: string, student: string, extra: string[] = []): string {
    const dir = path.join(out, student, 'two');
    fs.mkdirSync(dir, { recursive: true });
    for (const name of [...RESULT_FILES, ...extra]) fs.writeFileSync(path.join(dir, name), `from the earlier grading: ${name}`);
    return dir;
  }

  it('loses the results an earlier grading wrote for it, and nothing else', async () => {
    const sourceDir = path.join(base, 'source');
    const submissions = path.join(base, 'submissions');
    const out = path.join(base, 'out');
    fs.mkdirSync(sourceDir, { recursive: true });
    fs.writeFileSync(path.join(sourceDir, NAME), serializeNotebook(instructorNotebook()));
    for (const student of ['broken', 'emptied']) fs.mkdirSync(path.join(submissions, student), { recursive: true });
    fs.writeFileSync(path.join(submissions, 'broken', NAME), '{"cells": [');
    fs.writeFileSync(path.join(submissions, 'emptied', NAME), '');

    const broken = earlierResults(out, 'broken');
    const emptied = earlierResults(out, 'emptied', ['notes-by-the-instructor.txt']);
    const untouched = earlierResults(out, 'absent');

    const rows = await gradeClass(loadSources([sourceDir]), submissions, out, {
      jobs: 1,
      timeoutSeconds: 20,
      spec: findKernelSpec('tslab', PROJECT_ROOT),
      sandbox: { projectRoot: PROJECT_ROOT, hidden: [sourceDir, submissions, out], bwrap: null },
    });

    expect(rows.map((r) => [r.student, r.grade.status])).toEqual([
      ['broken', 'invalid'],
      ['emptied', 'invalid'],
    ]);
    // Every file the grader writes is gone, and the folder with it when nothing else was in it.
    expect(fs.existsSync(broken)).toBe(false);
    expect(fs.existsSync(path.join(out, 'broken'))).toBe(true);
    // A file the grader did not write stays, with its folder.
    expect(fs.readdirSync(emptied)).toEqual(['notes-by-the-instructor.txt']);
    // A student who submitted nothing this time keeps the earlier results.
    expect(fs.readdirSync(untouched).sort()).toEqual([...RESULT_FILES].sort());
    expect(fs.readFileSync(path.join(out, 'grades.csv'), 'utf8')).toMatch(/^broken,two\.ipynb,0,4,invalid,/m);
  });
});
