import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { main, parseGradeArgs } from '../../src/cli/grade';
import { findSubmissions, gradescopeResults, gradesCsv, junitXml, type GradeRow, type SourceNotebook } from '../../src/grader/gradeClass';
import { gradedCopy } from '../../src/grader/gradedCopy';
import { sourceMaxPoints, type SubmissionGrade } from '../../src/grader/gradeSubmission';
import { bwrapCommand, kernelEnvironment } from '../../src/grader/sandbox';
import { scoreTestCells } from '../../src/grader/scoring';
import { scanStudentCells } from '../../src/grader/tamperScan';
import type { CellRun } from '../../src/notebook/execute/executor';
import { cellSource, type Cell, type Notebook } from '../../src/notebook/nbformat';
import { TEST_RESULT_MIME } from '../../src/testing/notebookTest';
import { blankSubmission, code, correctSubmission, DOUBLE_TESTS, indexOf, instructorNotebook, SQUARE_TESTS, sourceOf } from '../helpers/gradingFixture';
import { scratchDir } from '../helpers/project';

function result(name: string, points: number, passed = true): Cell['metadata'] {
  return { output_type: 'display_data', data: { [TEST_RESULT_MIME]: { name, points: passed ? points : 0, maxPoints: points, passed, message: passed ? '' : 'failed' } }, metadata: {} };
}

function withOutputs(nb: Notebook, index: number, outputs: unknown[]): void {
  const cell = nb.cells[index];
  if (cell?.cell_type !== 'code') throw new Error('not a code cell');
  cell.outputs = outputs as never;
}

const ok = (index: number): CellRun => ({ index, status: 'ok', expectedError: false, message: '', seconds: 0 });

describe('the graded copy', () => {
  it('restores edited test cells with their hidden tests, and keeps the answers', () => {
    const submission = correctSubmission();
    const tests = submission.cells.find((c) => cellSource(c).includes('square(3)')) as Cell;
    tests.source = 'test("square(3) = 9", 1, () => {});\ntest("free points", 10, () => {});';
    const { notebook, restored, repairs } = gradedCopy(instructorNotebook(), submission);
    expect(sourceOf(notebook, 'square-tests')).toBe(SQUARE_TESTS);
    expect(sourceOf(notebook, 'double-tests')).toBe(DOUBLE_TESTS);
    expect(sourceOf(notebook, 'double')).toBe('function double(x: number): number {\n  return x + x;\n}');
    expect(repairs).toEqual(['restored edited cell square-tests']);
    expect(restored.get('square-tests')).toBe(indexOf(notebook, 'square-tests'));
  });

  it('has nothing to repair in an untouched student edition (its hidden tests were removed, not edited)', () => {
    expect(gradedCopy(instructorNotebook(), blankSubmission()).repairs).toEqual([]);
  });

  it('re-inserts deleted locked cells at their source position', () => {
    const submission = correctSubmission();
    submission.cells.splice(indexOf(submission, 'double-tests'), 1);
    submission.cells.splice(indexOf(submission, 'setup'), 1);
    const { notebook, repairs } = gradedCopy(instructorNotebook(), submission);
    expect(notebook.cells.map((c) => (c.metadata['nbgrader'] as { grade_id?: string } | undefined)?.grade_id ?? c.cell_type)).toEqual([
      'markdown', 'setup', 'double', 'double-tests', 'square', 'square-tests',
    ]);
    expect(repairs).toEqual(['re-inserted deleted cell setup', 're-inserted deleted cell double-tests']);
  });

  it('restores the kernelspec, clears outputs, and strips grading metadata from cells the student added or copied', () => {
    const submission = correctSubmission();
    submission.metadata['kernelspec'] = { name: 'python3', display_name: 'Python 3', language: 'python' };
    withOutputs(submission, indexOf(submission, 'double'), [result('double(2) = 4', 1)]);
    const copied = JSON.parse(JSON.stringify(submission.cells[indexOf(submission, 'double-tests')])) as Cell;
    copied.source = 'test("double(2) = 4", 1, () => {});';
    submission.cells.push(copied, code('test("double(-3) = -6", 1, () => {});', { grade_id: 'bonus-tests', grade: true, locked: true, points: 5 }));
    const { notebook, restored } = gradedCopy(instructorNotebook(), submission);
    expect(notebook.metadata['kernelspec']).toEqual({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
    expect(notebook.cells.every((c) => c.cell_type !== 'code' || (c.outputs.length === 0 && c.execution_count === null))).toBe(true);
    const added = notebook.cells.slice(-2);
    expect(added.map((c) => c.metadata['nbgrader'])).toEqual([undefined, undefined]);
    expect([...restored.keys()].sort()).toEqual(['double-tests', 'setup', 'square-tests']);
  });
});

describe('scoring', () => {
  const source = instructorNotebook();

  it('counts only results of restored test cells, for names the source defines, capped at the source points', () => {
    const { notebook, restored } = gradedCopy(source, correctSubmission());
    const doubleTests = indexOf(notebook, 'double-tests');
    const squareTests = indexOf(notebook, 'square-tests');
    withOutputs(notebook, doubleTests, [result('double(2) = 4', 1), result('double(-3) = -6', 1, false), result('made up', 7), result('double(2) = 4', 1)]);
    withOutputs(notebook, squareTests, [result('square(3) = 9', 50), result('square(-2) = 4', 1)]);
    // A forged result shown by a student cell earns nothing.
    withOutputs(notebook, indexOf(notebook, 'double'), [result('double(-3) = -6', 1)]);
    const runs = notebook.cells.map((_, i) => ok(i));
    const cells = scoreTestCells(source, notebook, restored, runs);
    expect(cells.map((c) => [c.gradeId, c.points, c.maxPoints])).toEqual([['double-tests', 1, 2], ['square-tests', 2, 2]]);
    expect(cells[0]?.tests.map((t) => [t.name, t.score, t.maxScore, t.hidden])).toEqual([['double(2) = 4', 1, 1, false], ['double(-3) = -6', 0, 1, true]]);
    expect(cells[1]?.tests.map((t) => t.hidden)).toEqual([false, false]);
    expect(cells[1]?.tests.map((t) => t.score)).toEqual([1, 1]);
  });

  it('gives 0 and the reason to a test cell without a result', () => {
    const { notebook, restored } = gradedCopy(source, correctSubmission());
    const doubleTests = indexOf(notebook, 'double-tests');
    const squareTests = indexOf(notebook, 'square-tests');
    const runs: CellRun[] = [
      { index: doubleTests, status: 'timeout', expectedError: false, message: 'timed out after 5 s', seconds: 5 },
      ok(squareTests),
    ];
    const cells = scoreTestCells(source, notebook, restored, runs);
    expect(cells.map((c) => [c.points, c.reason])).toEqual([
      [0, `did not run: cell ${doubleTests + 1} timed out (timed out after 5 s)`],
      [0, 'no result'],
    ]);
    expect(cells[1]?.tests.map((t) => t.output)).toEqual(['no result', 'no result']);
  });

  it('takes the maximum points from the source', () => {
    expect(sourceMaxPoints(source)).toBe(4);
  });
});

describe('class results', () => {
  const sources: SourceNotebook[] = [{ name: 'two.ipynb', file: '/x/two.ipynb', notebook: instructorNotebook() }];
  const grade: SubmissionGrade = {
    status: 'graded',
    points: 3,
    maxPoints: 4,
    cells: [
      { gradeId: 'double-tests', cellIndex: 3, points: 1, maxPoints: 2, reason: '', tests: [
        { name: 'double(2) = 4', score: 1, maxScore: 1, passed: true, hidden: false, output: '' },
        { name: 'double(-3) = -6', score: 0, maxScore: 1, passed: false, hidden: true, output: 'double(-3) is wrong' },
      ] },
      { gradeId: 'square-tests', cellIndex: 5, points: 2, maxPoints: 2, reason: '', tests: [] },
    ],
    notes: ['restored edited cell square-tests', 'a "quoted", note'],
    executed: null,
    execution: null,
    failure: null,
    seconds: 1,
  };

  it('writes grades.csv with the fixed columns, then one per graded cell, quoting where needed', () => {
    const rows: GradeRow[] = [{ student: 'ada', notebook: 'two.ipynb', grade }];
    expect(gradesCsv(rows, sources)).toBe(
      'student,notebook,points,max_points,status,notes,double-tests,square-tests\n' +
        'ada,two.ipynb,3,4,graded,"restored edited cell square-tests; a ""quoted"", note",1,2\n',
    );
  });

  it('writes results.json in Gradescope\'s schema, hidden tests by name and outcome, shown once grades are published', () => {
    expect(gradescopeResults(grade)).toEqual({
      score: 3,
      max_score: 4,
      output: 'restored edited cell square-tests\na "quoted", note',
      tests: [
        { name: 'double-tests: double(2) = 4', score: 1, max_score: 1, output: '', visibility: 'visible' },
        { name: 'double-tests: double(-3) = -6', score: 0, max_score: 1, output: 'double(-3) is wrong', visibility: 'after_published' },
        { name: 'square-tests', score: 2, max_score: 2, output: '', visibility: 'visible' },
      ],
    });
  });

  it('finds submissions and says why the rest cannot be graded', () => {
    const dir = scratchDir('grade-find');
    try {
      fs.mkdirSync(path.join(dir, 'ada'));
      fs.writeFileSync(path.join(dir, 'ada', 'two.ipynb'), '{}');
      fs.writeFileSync(path.join(dir, 'ada', 'notes.txt'), 'hi');
      fs.writeFileSync(path.join(dir, 'ada', 'three.ipynb'), '{}');
      fs.mkdirSync(path.join(dir, 'bob', 'two.ipynb'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'cy'));
      fs.writeFileSync(path.join(dir, 'loose.ipynb'), '{}');
      const found = findSubmissions(dir, sources).map((e) => ('reason' in e ? [e.student, e.notebook, e.reason] : [e.student, e.notebook, 'graded']));
      expect(found).toEqual([
        ['ada', 'notes.txt', 'not a notebook file (.ipynb)'],
        ['ada', 'three.ipynb', 'no instructor notebook named three.ipynb (known: two.ipynb)'],
        ['ada', 'two.ipynb', 'graded'],
        ['bob', 'two.ipynb', 'a folder where a notebook file should be'],
        ['cy', '', 'the student folder is empty'],
        ['', 'loose.ipynb', 'not in a student folder (expected <submissions>/<student>/<name>.ipynb)'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('grade options and the sandbox', () => {
  it('parses the command line and names what is wrong', () => {
    expect(parseGradeArgs(['--source', 'nb', '--submissions=subs', '--out', 'out', '--jobs', '3', '--timeout', '20'])).toMatchObject({
      sources: ['nb'], submissions: 'subs', out: 'out', jobs: 3, timeoutSeconds: 20, resume: false,
    });
    expect(parseGradeArgs(['--source', 'a.ipynb', '--source', 'b.ipynb', '--submissions', 's', '--out', 'o', '--resume'])).toMatchObject({ sources: ['a.ipynb', 'b.ipynb'], resume: true });
    expect(() => parseGradeArgs(['--source', 'nb'])).toThrow('grade: missing --submissions, --out');
    expect(() => parseGradeArgs(['--source', 'nb', '--submissions', 's', '--out', 'o', '--jobs', '0'])).toThrow("grade: --jobs must be an integer >= 1, got '0'");
    expect(() => parseGradeArgs(['--sources', 'nb'])).toThrow('grade: unknown option --sources');
    expect(parseGradeArgs(['--source', 'nb', '--submissions', 's', '--out', 'o'])).toMatchObject({ budgetSeconds: 600, memoryMb: 2048 });
    expect(parseGradeArgs(['--source', 'nb', '--submissions', 's', '--out', 'o', '--budget', '90', '--memory=1024'])).toMatchObject({ budgetSeconds: 90, memoryMb: 1024 });
    expect(parseGradeArgs(['--source', 'nb', '--submissions', 's', '--out', 'o', '--budget', '0', '--memory', '0'])).toMatchObject({ budgetSeconds: 0, memoryMb: 0 });
    expect(() => parseGradeArgs(['--source', 'nb', '--submissions', 's', '--out', 'o', '--memory', '32'])).toThrow('grade: --memory: the memory cap must be a whole number of MB >= 64, got 32');
    expect(() => parseGradeArgs(['--source', 'nb', '--submissions', 's', '--out', 'o', '--budget', 'soon'])).toThrow("grade: --budget must be a number >= 0, got 'soon'");
  });

  it('exits 2 naming a missing source or submissions folder, before grading anything', async () => {
    const dir = scratchDir('grade-args');
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await main(['--source', path.join(dir, 'none'), '--submissions', dir, '--out', path.join(dir, 'out')])).toBe(2);
      expect(await main(['--source', dir, '--submissions', path.join(dir, 'subs'), '--out', path.join(dir, 'out')])).toBe(2);
    } finally {
      process.stderr.write = write;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(errors).toEqual([
      `grade: the instructor notebook or folder ${path.join(dir, 'none')} does not exist\n`,
      `grade: the submissions folder ${path.join(dir, 'subs')} does not exist\n`,
    ]);
  });

  it('passes only allowlisted variables to kernels', () => {
    const env = kernelEnvironment({ PATH: '/usr/bin', INIT_CWD: '/home/me/course', GITHUB_TOKEN: 'secret', LANG: 'C.UTF-8' }, '/tmp/w');
    expect(env).toEqual({ PATH: '/usr/bin', LANG: 'C.UTF-8', HOME: '/tmp/w', TMPDIR: '/tmp/w' });
  });

  it('hides the given folders but never the project or the work folder', () => {
    const dirs = { workDir: '/tmp/gradlab-grade-1', runtimeDir: '/tmp/gradlab-kernel-1', projectRoot: path.resolve('.'), hidden: [path.resolve('notebooks'), path.resolve('..'), '/tmp/subs'] };
    const command = bwrapCommand('/usr/bin/bwrap', ['node', 'k.js'], dirs);
    expect(command.slice(0, 3)).toEqual(['/usr/bin/bwrap', '--ro-bind', '/']);
    expect(command.filter((_, i) => command[i - 1] === '--tmpfs')).toEqual(['/tmp', path.resolve('notebooks')]);
    expect(command).toContain('--unshare-net');
    expect(command.join(' ')).toContain('--cap-drop ALL node k.js');
  });

  it('binds a project that lives under /tmp back over the fresh /tmp, and still hides folders inside it', () => {
    const root = fs.mkdtempSync(path.join('/tmp', 'gradlab-project-'));
    try {
      fs.mkdirSync(path.join(root, 'notebooks'));
      const dirs = { workDir: '/tmp/gradlab-grade-1', runtimeDir: '/tmp/gradlab-kernel-1', projectRoot: root, hidden: [path.join(root, 'notebooks'), '/tmp/subs'] };
      const command = bwrapCommand('/usr/bin/bwrap', ['node', 'k.js'], dirs);
      const tmpfs = command.indexOf('/tmp');
      const bound = command.findIndex((arg, i) => arg === root && command[i - 1] === '--ro-bind');
      const hidden = command.findIndex((arg, i) => arg === path.join(root, 'notebooks') && command[i - 1] === '--tmpfs');
      expect([tmpfs, bound, hidden].every((i) => i > 0)).toBe(true);
      expect(tmpfs < bound && bound < hidden).toBe(true);
      expect(command.filter((_, i) => command[i - 1] === '--tmpfs')).toEqual(['/tmp', path.join(root, 'notebooks')]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the tampering scan', () => {
  const nb = (sources: string[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: sources.map((s) => code(s)) });

  it('names each reach for the grading machinery by cell and line', () => {
    const found = scanStudentCells(nb([
      'const a = 1;\nconst mime = "application/vnd.gradlab.test+json";',
      'delete require.cache[require.resolve("gradlab")];',
      'const t = require("tslab");',
      'JSON.stringify = () => "{}";\nArray.prototype.map = null as any;',
      'process.stdout.write("✔ passed");',
      'let test = 1;',
      'const jupyter = require("tslab/dist/jupyter");',
      '(globalThis as any).__tslab__.exports.test = null;',
      'const x = 1;\nconst Math = { abs: (v: number) => 0 };',
    ]), new Set());
    expect(found.map((f) => [f.cellIndex, f.line, f.what])).toEqual([
      [0, 2, 'the test-result MIME type'],
      [1, 1, 'require.cache'],
      [2, 1, "tslab's display internals"],
      [3, 1, 'reassigning a built-in'],
      [3, 2, 'patching a prototype'],
      [4, 1, 'writing to process.stdout'],
      [5, 1, 'rebinding test'],
      [6, 1, "tslab's display internals"],
      [7, 1, "tslab's display internals"],
      [8, 2, 'shadowing a built-in'],
    ]);
  });

  it('ignores comments, comparisons, ordinary code and restored cells', () => {
    const clean = nb([
      '// JSON.stringify = nothing\nconst ok = x === 1 && JSON.stringify({ a: 1 }) !== "";\n/* require.cache */',
      'const testLoss = losses.map((l) => l * 2);\ntest("x", 1, () => {});\nconst MathScore = 1, arrayOfErrors = [];\nfunction Numbers() {}',
      'process.stdout.write("restored cells are the source\'s");',
    ]);
    expect(scanStudentCells(clean, new Set([2]))).toEqual([]);
  });
});

describe('junit.xml', () => {
  it('has a test case per test, failed unless it earned every point, with the text escaped', () => {
    const grade: SubmissionGrade = {
      status: 'graded', points: 1, maxPoints: 3, notes: [], executed: null, execution: null, failure: null, seconds: 1,
      cells: [
        { gradeId: 'f-tests', cellIndex: 2, points: 1, maxPoints: 2, reason: '', tests: [
          { name: 'f(1) < 2', score: 1, maxScore: 1, passed: true, hidden: false, output: '' },
          { name: 'f & g', score: 0, maxScore: 1, passed: false, hidden: false, output: 'expected "1"\u0007' },
        ] },
        { gradeId: 'g-tests', cellIndex: 4, points: 0, maxPoints: 1, reason: 'no result', tests: [] },
      ],
    };
    expect(junitXml('ada/two.ipynb', grade)).toBe([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuite name="ada/two.ipynb" tests="3" failures="2">',
      '  <testcase classname="f-tests" name="f(1) &lt; 2"></testcase>',
      '  <testcase classname="f-tests" name="f &amp; g">',
      '    <failure message="0/1 points: expected &quot;1&quot;"/>',
      '  </testcase>',
      '  <testcase classname="g-tests" name="g-tests">',
      '    <failure message="0/1 points: no result"/>',
      '  </testcase>',
      '</testsuite>',
      '',
    ].join('\n'));
  });
});
