/**
 * Grading a class on the real tslab kernel: a correct, a blank and hostile submissions (edited and
 * deleted test cells, forged results, an endless loop, process.exit(), unbounded allocation, an
 * attack on the files, attacks on the test helper and on gradlab's modules, a malformed file), an
 * honest submission graded alone and among the hostile ones, and a submission that outruns its time
 * budget.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeClass, loadSources, foldersToHide, type ClassOptions, type GradeRow } from '../../src/grader/gradeClass';
import { chooseBwrap } from '../../src/grader/sandbox';
import { findKernelSpec } from '../../src/notebook/jupyter/kernelSpec';
import { cellSource, serializeNotebook, splitLines, type Notebook } from '../../src/notebook/nbformat';
import { blankSubmission, code, correctSubmission, indexOf, instructorNotebook, setSource } from '../helpers/gradingFixture';
import { PROJECT_ROOT, scratchDir } from '../helpers/project';

const NAME = 'two.ipynb';

function write(dir: string, student: string, content: Notebook | string): void {
  fs.mkdirSync(path.join(dir, student), { recursive: true });
  fs.writeFileSync(path.join(dir, student, NAME), typeof content === 'string' ? content : serializeNotebook(content));
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return out;
}

function row(rows: readonly GradeRow[], student: string): GradeRow {
  const found = rows.find((r) => r.student === student);
  if (found === undefined) throw new Error(`no row for ${student}`);
  return found;
}

/** Which tests passed when they ran, cell by cell (withheld points do not change this). */
function outcomes(r: GradeRow): boolean[][] {
  return r.grade.cells.map((c) => c.tests.map((t) => t.passed));
}

/** The student edition with double answered and square left blank: 2 of 4 points, honestly. */
function halfDone(): Notebook {
  const nb = blankSubmission();
  setSource(nb, 'double', 'function double(x: number): number {\n  return x + x;\n}');
  return nb;
}

/** Code that, without the grading guard, made every later test pass (checked once against an unguarded run). */
const ATTACKS = {
  rebindTest: [
    'import { test as realTest } from "gradlab";',
    'function test(name: string, points: number, fn: () => void): void {',
    '  realTest(name, points, () => {});',
    '}',
  ].join('\n'),
  rebindInTslabState: [
    'const realTest = require("gradlab").test;',
    '(globalThis as any)["__tslab" + "__"].exports.test = (name: string, points: number) => realTest(name, points, () => {});',
  ].join('\n'),
  patchGradlabModule: [
    'const display = require("gradlab/dist/display/" + "kernel");',
    'const send = display["display" + "Bundle"];',
    'display["display" + "Bundle"] = (bundle: any, options: any) => {',
    '  for (const key of Object.keys(bundle)) if (key.endsWith("test+json")) bundle[key] = { ...bundle[key], passed: true, points: bundle[key].maxPoints };',
    '  return send(bundle, options);',
    '};',
  ].join('\n'),
  swapThroughRequireCache: [
    'const real = require("gradlab");',
    'require.cache[require.resolve("gradlab")]!.exports = { ...real, test: (name: string, points: number, fn: () => void) => real.test(name, points, () => {}) };',
  ].join('\n'),
};

function cellPoints(r: GradeRow): Record<string, number> {
  return Object.fromEntries(r.grade.cells.map((c) => [c.gradeId, c.points]));
}

describe('grading a class on the real kernel', () => {
  let base = '';
  let sourceDir = '';
  let submissions = '';
  let out = '';
  let rows: GradeRow[] = [];
  let before: Record<string, string> = {};
  let options: ClassOptions;

  beforeAll(async () => {
    base = scratchDir('grade-class');
    sourceDir = path.join(base, 'source');
    submissions = path.join(base, 'submissions');
    out = path.join(base, 'out');
    fs.mkdirSync(sourceDir, { recursive: true });
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(sourceDir, NAME), serializeNotebook(instructorNotebook()));
    write(submissions, 'correct', correctSubmission());
    write(submissions, 'blank', blankSubmission());

    const edited = blankSubmission();
    setSource(edited, 'double-tests', 'test("double(2) = 4", 1, () => {});\ntest("double(-3) = -6", 1, () => {});');
    write(submissions, 'edited', edited);

    const deleted = correctSubmission();
    deleted.cells.splice(indexOf(deleted, 'square-tests'), 1);
    deleted.cells.splice(indexOf(deleted, 'double-tests'), 1);
    write(submissions, 'deleted', deleted);

    const forged = blankSubmission();
    forged.cells.push(code('test("double(2) = 4", 1, () => {});\ntest("double(-3) = -6", 1, () => {});\ntest("square(3) = 9", 1, () => {});\ntest("square(-2) = 4", 1, () => {});'));
    write(submissions, 'forged', forged);

    const looping = correctSubmission();
    setSource(looping, 'double', 'function double(x: number): number {\n  return x + x;\n}\nwhile (true) {}');
    write(submissions, 'looping', looping);

    const exiting = correctSubmission();
    exiting.cells.splice(indexOf(exiting, 'double-tests'), 0, code('for (let i = 0; i < 20; i++) console.log("x".repeat(1_000_000));'), code('process.exit(3);'));
    write(submissions, 'exiting', exiting);

    const attacking = correctSubmission();
    const target = path.join(submissions, 'correct', NAME);
    attacking.cells.splice(1, 0, code([
      'const fs = require("fs");',
      `for (const f of [${JSON.stringify(target)}, ${JSON.stringify(path.join(sourceDir, NAME))}]) {`,
      '  try { fs.writeFileSync(f, "overwritten"); console.log("wrote " + f); } catch (e) { console.log("write refused: " + (e as Error).message); }',
      '}',
      `console.log("can read source: " + fs.existsSync(${JSON.stringify(path.join(sourceDir, NAME))}));`,
    ].join('\n')));
    write(submissions, 'attacking', attacking);

    // Past the memory cap: double() fills the JS heap (V8 aborts the kernel), square() and a cell of
    // the student's fill typed arrays outside the heap (the allocation fails with a RangeError).
    const hogging = correctSubmission();
    setSource(hogging, 'double', 'function double(x: number): number {\n  const keep: number[][] = [];\n  while (true) keep.push(new Array(1_000_000).fill(x));\n}');
    setSource(hogging, 'square', 'function square(x: number): number {\n  const keep: Float64Array[] = [];\n  while (true) keep.push(new Float64Array(8 << 20).fill(x));\n}');
    hogging.cells.splice(indexOf(hogging, 'square-tests'), 0, code('const held: Float64Array[] = [];\nwhile (true) held.push(new Float64Array(8 << 20).fill(1));'));
    write(submissions, 'hogging', hogging);

    const patching = correctSubmission();
    patching.cells.splice(indexOf(patching, 'square'), 0, code('const proto = Number.prototype;\nObject.defineProperty(proto, "twice", { value: 2 });'));
    write(submissions, 'patching', patching);

    const rebinding = halfDone();
    rebinding.cells.splice(indexOf(rebinding, 'double-tests'), 0, code(ATTACKS.rebindTest), code(ATTACKS.rebindInTslabState));
    write(submissions, 'rebinding', rebinding);

    const moduleFreezing = halfDone();
    moduleFreezing.cells.unshift(code(ATTACKS.patchGradlabModule));
    write(submissions, 'modulepatching', moduleFreezing);

    const cacheSwapping = halfDone();
    cacheSwapping.cells.unshift(code(ATTACKS.swapThroughRequireCache));
    write(submissions, 'cacheswapping', cacheSwapping);

    write(submissions, 'malformed', '{"cells": [');
    write(submissions, 'empty', '');
    write(submissions, 'latin1', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]).toString('latin1'));
    fs.writeFileSync(path.join(submissions, 'latin1', NAME), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    write(submissions, 'othercourse', { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [code('1 + 1', { grade_id: 'q1', solution: true })] });
    before = { ...snapshot(sourceDir), ...snapshot(submissions) };

    options = {
      jobs: 2,
      timeoutSeconds: 20,
      memoryLimitMb: 512,
      spec: findKernelSpec('tslab', PROJECT_ROOT),
      sandbox: { projectRoot: PROJECT_ROOT, bwrap: chooseBwrap().bwrap, hidden: foldersToHide(loadSources([sourceDir]), submissions, out) },
    };
    rows = await gradeClass(loadSources([sourceDir]), submissions, out, options);
  }, 900_000);

  afterAll(() => {
    if (base !== '') fs.rmSync(base, { recursive: true, force: true });
  });

  it('gives a correct submission full points and a blank one none', () => {
    expect(row(rows, 'correct').grade).toMatchObject({ status: 'graded', points: 4, maxPoints: 4 });
    expect(cellPoints(row(rows, 'correct'))).toEqual({ 'double-tests': 2, 'square-tests': 2 });
    expect(row(rows, 'blank').grade).toMatchObject({ status: 'graded', points: 0, maxPoints: 4 });
    const blankTests = row(rows, 'blank').grade.cells.flatMap((c) => c.tests.map((t) => t.output));
    expect(blankTests).toContain('not implemented: double');
  });

  it('runs the original test cells, hidden tests included, whatever the student did to them', () => {
    expect(row(rows, 'edited').grade.points).toBe(0);
    expect(row(rows, 'edited').grade.notes).toContain('restored edited cell double-tests');
    expect(row(rows, 'deleted').grade.points).toBe(4);
    expect(row(rows, 'deleted').grade.notes).toEqual(expect.arrayContaining(['re-inserted deleted cell double-tests', 're-inserted deleted cell square-tests']));
    const hidden = row(rows, 'correct').grade.cells[0]?.tests.map((t) => [t.name, t.score]);
    expect(hidden).toEqual([['double(2) = 4', 1], ['double(-3) = -6', 1]]);
  });

  it('gives nothing for results displayed by a student cell', () => {
    expect(row(rows, 'forged').grade.points).toBe(0);
  });

  it('times out an endless loop and grades the rest', () => {
    const looping = row(rows, 'looping').grade;
    expect(looping.execution?.cells.filter((c) => c.status === 'timeout').map((c) => c.message)).toEqual(['timed out after 20 s; interrupted (SIGINT)']);
    expect(looping.execution?.restarts).toBe(0);
    expect(cellPoints(row(rows, 'looping'))).toEqual({ 'double-tests': 0, 'square-tests': 2 });
  });

  it('caps 20 MB of output, restarts a kernel killed by process.exit(), replays the earlier cells and loses no points', () => {
    const exiting = row(rows, 'exiting').grade;
    expect(fs.statSync(path.join(out, 'exiting', 'two', NAME)).size).toBeLessThan(2_000_000);
    expect(exiting.execution?.cells.some((c) => c.status === 'died')).toBe(true);
    expect(exiting.execution?.replaySeconds).toBeGreaterThan(0);
    expect(exiting.points).toBe(4);
    // The note says what happened, not how long it took, so grades.csv is the same on any machine.
    expect(exiting.notes.filter((n) => n.startsWith('replayed'))).toEqual([expect.stringMatching(/^replayed \d+ earlier cells$/)]);
  });

  it('fails a cell that allocates past the memory cap, restarts the kernel and grades the rest', () => {
    const hogging = row(rows, 'hogging').grade;
    const [doubleTests, squareTests] = hogging.cells;
    expect(doubleTests?.points).toBe(0);
    expect(doubleTests?.reason).toMatch(/^did not run: the kernel died in cell \d+ \(kernel died while running this cell \(out of memory, /);
    // A cell ending in a failed allocation restarts the kernel too, so what it holds is freed.
    const held = hogging.execution?.cells.find((c) => c.index === indexOf(hogging.executed ?? blankSubmission(), 'square-tests') - 1);
    expect(held?.message).toMatch(/^out of memory: RangeError: Array buffer allocation failed; kernel restarted; \d+ earlier cells that succeeded were run again$/);
    expect(hogging.execution?.restarts).toBe(2);
    // After the restarts, with the earlier cells replayed, the last test cell ran; its failed
    // allocations are its own results.
    expect(squareTests?.tests.map((t) => [t.score, t.output])).toEqual([
      [0, expect.stringContaining('Array buffer allocation failed')],
      [0, expect.stringContaining('Array buffer allocation failed')],
    ]);
    expect(hogging.status).toBe('graded');
  });

  it('keeps the sources and every other submission byte-identical, and hides them from the kernel', () => {
    expect({ ...snapshot(sourceDir), ...snapshot(submissions) }).toEqual(before);
    expect(row(rows, 'attacking').grade.points).toBe(4);
    const attackCell = row(rows, 'attacking').grade.executed?.cells.find((c) => cellSource(c).includes('write refused'));
    const printed = JSON.stringify(attackCell?.cell_type === 'code' ? attackCell.outputs : null);
    expect(printed).toContain('write refused');
    expect(printed).not.toContain('wrote ');
    if (chooseBwrap().bwrap !== null) expect(printed).toContain('can read source: false');
  });

  it('flags code that patches built-ins and withholds the points of the test cells after it', () => {
    const patching = row(rows, 'patching').grade;
    expect(patching.status).toBe('flagged');
    expect(cellPoints(row(rows, 'patching'))).toEqual({ 'double-tests': 2, 'square-tests': 0 });
    const flaggedCell = patching.executed?.cells.findIndex((c) => c.source.includes('const proto = Number.prototype;\n')) ?? -1;
    expect(patching.notes).toContain(`flagged: cell ${flaggedCell + 1} line 2: patching a prototype`);
    for (const student of ['correct', 'blank', 'edited', 'deleted', 'forged', 'looping', 'exiting', 'hogging', 'attacking']) expect(row(rows, student).grade.status).toBe('graded');
  });

  it('binds test and freezes gradlab before student code runs: rebinding test or patching gradlab changes no outcome', () => {
    const honest = [[true, true], [false, false]];
    const patched = row(rows, 'modulepatching').grade;
    expect(patched).toMatchObject({ status: 'graded', points: 2 });
    expect(outcomes(row(rows, 'modulepatching'))).toEqual(honest);
    const rebinding = row(rows, 'rebinding').grade;
    expect(outcomes(row(rows, 'rebinding'))).toEqual(honest);
    expect(rebinding.status).toBe('flagged');
    expect(rebinding.notes.filter((n) => n.startsWith('flagged:')).map((n) => n.replace(/cell \d+ /, ''))).toEqual(['flagged: line 2: rebinding test']);
    const swapping = row(rows, 'cacheswapping').grade;
    expect(outcomes(row(rows, 'cacheswapping'))).toEqual(honest);
    expect(swapping.status).toBe('flagged');
    expect(swapping.notes.filter((n) => n.startsWith('flagged:'))).toEqual(['flagged: cell 2 line 2: require.cache']);
    // The attacks ran without an error of their own: the guard made them ineffective, not broken.
    for (const graded of [patched, rebinding, swapping]) expect(graded.execution?.cells.filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('reports malformed and empty files as invalid with the reason, and writes nothing for them but their grades.csv row', () => {
    for (const student of ['malformed', 'empty', 'latin1', 'othercourse']) expect(fs.existsSync(path.join(out, student))).toBe(false);
    expect(row(rows, 'malformed').grade).toMatchObject({ status: 'invalid', points: 0, maxPoints: 4 });
    expect(row(rows, 'malformed').grade.notes[0]).toMatch(/^not a notebook: /);
    expect(row(rows, 'empty').grade.notes).toEqual(['empty file']);
    expect(row(rows, 'latin1').grade).toMatchObject({ status: 'invalid', notes: ['not UTF-8 text'] });
    expect(row(rows, 'othercourse').grade).toMatchObject({ status: 'invalid', notes: ['not a submission of this assignment: none of its cells has a grade_id of the source'] });
  });

  it('writes grades.csv and each submission\'s results.json and executed notebook', () => {
    const csv = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('student,notebook,points,max_points,status,notes,double-tests,square-tests');
    expect(csv).toContain('correct,two.ipynb,4,4,graded,,2,2');
    expect(csv).toContain('empty,two.ipynb,0,4,invalid,empty file,,');
    const results = JSON.parse(fs.readFileSync(path.join(out, 'correct', 'two', 'results.json'), 'utf8')) as { score: number; tests: unknown[] };
    expect(results.score).toBe(4);
    expect(results.tests).toHaveLength(4);
    expect(fs.readFileSync(path.join(out, 'correct', 'two', 'junit.xml'), 'utf8')).toContain('<testsuite name="correct/two.ipynb" tests="4" failures="0">');
    expect(fs.existsSync(path.join(out, 'correct', 'two', NAME))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'correct', 'two')).sort()).toEqual(['feedback.html', 'grade.json', 'junit.xml', 'results.json', NAME].sort());
    const hidden = (results.tests as { name: string; visibility: string }[]).filter((t) => t.visibility !== 'visible');
    expect(hidden).toEqual([expect.objectContaining({ name: 'double-tests: double(-3) = -6', score: 1, visibility: 'after_published' })]);
  });

  it('writes feedback.html with the student\'s code and each outcome, and neither hidden tests nor solutions anywhere a student gets', () => {
    const files = ['feedback.html', 'results.json', 'junit.xml'].map((f) => fs.readFileSync(path.join(out, 'blank', 'two', f), 'utf8'));
    const feedback = files[0] ?? '';
    const text = feedback.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    for (const secret of ['double(-3) !== -6', 'BEGIN HIDDEN TESTS', 'return 2 * x', 'return x * x']) {
      for (const file of [text, ...files]) expect(file).not.toContain(secret);
    }
    expect(text).toContain('throw new Error("not implemented: double")');
    expect(text).toMatch(/✘ double\(-3\) = -6hidden test 0\/1not implemented: double/);
    expect(text).toMatch(/✘ square\(3\) = 9 0\/1not implemented: square/);
    expect(text).toContain('two.ipynb: 0/4 points');
    // The executed graded notebook, for instructors, does hold the hidden test.
    expect(fs.readFileSync(path.join(out, 'blank', 'two', NAME), 'utf8')).toContain('double(-3) !== -6');
  });

  it('resumes: keeps complete results of unchanged submissions and grades changed ones again', async () => {
    const csvBefore = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8');
    write(submissions, 'blank', correctSubmission());
    const again = await gradeClass(loadSources([sourceDir]), submissions, out, { ...options, resume: true });
    const regraded = again.filter((r) => r.grade.execution !== null).map((r) => r.student);
    expect(regraded).toEqual(['blank']);
    expect(row(again, 'blank').grade.points).toBe(4);
    expect(row(again, 'patching').grade).toMatchObject({ status: 'flagged', points: 2 });
    const csvAfter = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8');
    expect(csvAfter).toBe(csvBefore.replace('blank,two.ipynb,0,4,graded,,0,0', 'blank,two.ipynb,4,4,graded,,2,2'));
  }, 300_000);

  it('grades an honest submission the same alone as among hostile ones', async () => {
    const alone = path.join(base, 'alone');
    write(alone, 'correct', correctSubmission());
    const aloneOut = path.join(base, 'alone-out');
    const [single] = await gradeClass(loadSources([sourceDir]), alone, aloneOut, { ...options, jobs: 1 });
    expect(single?.grade.points).toBe(row(rows, 'correct').grade.points);
    expect(single?.grade.cells.map((c) => c.tests)).toEqual(row(rows, 'correct').grade.cells.map((c) => c.tests));
  }, 300_000);
});

describe('a time budget per submission on the real kernel', () => {
  it('stops a submission whose budget is spent, gives its remaining test cells 0 with the reason, and grades the next one in full', async () => {
    const base = scratchDir('grade-budget');
    try {
      const sourceDir = path.join(base, 'source');
      const submissions = path.join(base, 'submissions');
      fs.mkdirSync(sourceDir, { recursive: true });
      fs.writeFileSync(path.join(sourceDir, NAME), serializeNotebook(instructorNotebook()));
      const slow = correctSubmission();
      slow.cells.splice(indexOf(slow, 'double-tests') + 1, 0, code('while (true) {}'));
      write(submissions, 'a-slow', slow);
      write(submissions, 'b-correct', correctSubmission());
      const sources = loadSources([sourceDir]);
      const out = path.join(base, 'out');
      // One at a time, the slow one first: a budget shared by the class would leave nothing for the next.
      const rows = await gradeClass(sources, submissions, out, {
        jobs: 1,
        timeoutSeconds: 60,
        budgetSeconds: 10,
        spec: findKernelSpec('tslab', PROJECT_ROOT),
        sandbox: { projectRoot: PROJECT_ROOT, bwrap: chooseBwrap().bwrap, hidden: foldersToHide(sources, submissions, out) },
      });
      const slowGrade = row(rows, 'a-slow').grade;
      expect(cellPoints(row(rows, 'a-slow'))).toEqual({ 'double-tests': 2, 'square-tests': 0 });
      expect(slowGrade.cells[1]?.reason).toBe('did not run: submission time budget of 10 s exhausted');
      expect(slowGrade.cells[1]?.tests.map((t) => t.output)).toEqual(['did not run: submission time budget of 10 s exhausted', 'did not run: submission time budget of 10 s exhausted']);
      const loop = slowGrade.execution?.cells.find((c) => c.status === 'timeout');
      expect(loop?.message).toBe('submission time budget of 10 s exhausted');
      expect(slowGrade.seconds).toBeLessThan(60);
      expect(row(rows, 'b-correct').grade).toMatchObject({ status: 'graded', points: 4 });
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }, 300_000);
});
