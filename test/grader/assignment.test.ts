import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { AssignmentSourceError, recordedLockedCells, studentEdition } from '../../src/grader/assignment';
import { computeChecksum } from '../../src/grader/checksum';
import { writeRelease } from '../../src/grader/release';
import { cellSource, serializeNotebook, type Cell, type Notebook } from '../../src/notebook/nbformat';
import { PROJECT_ROOT, requireBuild } from '../helpers/project';
import { tslabDiagnostics } from '../helpers/tslab';

function code(source: string, nbgrader?: Record<string, unknown>, extra: Partial<Cell> = {}): Cell {
  return { cell_type: 'code', source, metadata: nbgrader === undefined ? {} : { nbgrader }, outputs: [], execution_count: null, ...extra } as Cell;
}

const SETUP = 'import { Tensor, tensor, test } from "gradlab";';
const SOLUTION = [
  'function double(x: Tensor): Tensor {',
  '  // BEGIN SOLUTION',
  '  return x.mul(2); // distinctive-solution-line',
  '  // END SOLUTION',
  '}',
  'class Scaler {',
  '  scale(x: number): number {',
  '    // BEGIN SOLUTION',
  '    return 3 * x;',
  '    // END SOLUTION',
  '  }',
  '}',
  'const halve = (x: number): number => {',
  '  // BEGIN SOLUTION',
  '  return x / 2;',
  '  // END SOLUTION',
  '};',
].join('\n');
const TESTS = [
  '// Tests double.',
  'test("double([1]) = [2]", 1, () => { if (double(tensor([1])).item() !== 2) throw new Error("wrong"); });',
  '// BEGIN HIDDEN TESTS',
  'test("double([3]) = [6] (hidden-test-line)", 2, () => { if (double(tensor([3])).item() !== 6) throw new Error("wrong"); });',
  '// END HIDDEN TESTS',
].join('\n');

function source(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: [
      { cell_type: 'markdown', source: 'Write your code between `BEGIN SOLUTION` and `END SOLUTION`.', metadata: {} },
      code(SETUP, { grade_id: 'setup', locked: true }, { outputs: [{ output_type: 'stream', name: 'stdout', text: 'old output\n' }], execution_count: 3 }),
      code(SOLUTION, { grade_id: 'double', solution: true }),
      code(TESTS, { grade_id: 'double-tests', grade: true, locked: true, points: 3 }),
      code('const answer = 42; // a whole-cell solution', { grade_id: 'free-answer', solution: true }),
      { cell_type: 'markdown', source: 'Because\n<!-- BEGIN SOLUTION -->\nthe variance doubles.\n<!-- END SOLUTION -->', metadata: { nbgrader: { grade_id: 'essay', solution: true, grade: true, points: 1 } } },
    ],
  };
}

function problemsOf(notebook: Notebook): string[] {
  try {
    studentEdition(notebook, 'lecture.ipynb');
  } catch (error) {
    if (error instanceof AssignmentSourceError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the source to be rejected');
}

/** A copy of the source with one cell changed. */
function withCell(index: number, change: (cell: Cell) => Cell): Notebook {
  const nb = source();
  nb.cells[index] = change(nb.cells[index] as Cell);
  return nb;
}

describe('the student edition of a notebook', () => {
  const original = source();
  const student = studentEdition(original, 'lecture.ipynb');
  const text = (i: number): string => cellSource(student.cells[i] as Cell);

  it('replaces each solution region by a stub naming its function, indented like the region', () => {
    expect(text(2)).toBe([
      'function double(x: Tensor): Tensor {',
      '  // YOUR CODE HERE',
      '  throw new Error("not implemented: double");',
      '}',
      'class Scaler {',
      '  scale(x: number): number {',
      '    // YOUR CODE HERE',
      '    throw new Error("not implemented: scale");',
      '  }',
      '}',
      'const halve = (x: number): number => {',
      '  // YOUR CODE HERE',
      '  throw new Error("not implemented: halve");',
      '};',
    ].join('\n'));
    expect(text(4)).toBe('// YOUR CODE HERE');
    expect(text(5)).toBe('Because\nYOUR ANSWER HERE');
    expect(text(0)).toBe(cellSource(original.cells[0] as Cell));
  });

  it('removes hidden tests and keeps the visible ones', () => {
    expect(text(3)).toBe(TESTS.split('\n').slice(0, 2).join('\n'));
    expect(JSON.stringify(student)).not.toContain('hidden-test-line');
    expect(JSON.stringify(student)).not.toContain('distinctive-solution-line');
  });

  it('clears outputs and execution counts, keeps the kernelspec and leaves the source untouched', () => {
    for (const cell of student.cells) if (cell.cell_type === 'code') expect([cell.outputs, cell.execution_count]).toEqual([[], null]);
    expect(student.metadata['kernelspec']).toEqual(original.metadata['kernelspec']);
    expect(serializeNotebook(original)).toBe(serializeNotebook(source()));
  });

  it("records nbgrader's checksums and cell types, and locks read-only and test cells", () => {
    const meta = (i: number) => (student.cells[i] as Cell).metadata;
    for (const i of [1, 2, 3, 5]) {
      const nbgrader = meta(i)['nbgrader'] as Record<string, unknown>;
      expect(nbgrader['checksum'], `cell ${i}`).toBe(computeChecksum(student.cells[i] as Cell));
      expect(nbgrader['cell_type']).toBe((student.cells[i] as Cell).cell_type);
      expect(nbgrader['schema_version']).toBe(3);
    }
    expect([meta(1)['editable'], meta(1)['deletable'], meta(3)['editable'], meta(3)['deletable']]).toEqual([false, false, false, false]);
    expect([meta(2)['editable'], meta(2)['deletable']]).toEqual([undefined, undefined]);
    expect(recordedLockedCells(student)).toEqual(['setup', 'double-tests']);
  });

  it("gives stubs that type-check under tslab's TypeScript 5.0", () => {
    expect(tslabDiagnostics(`${SETUP}\n${text(2)}\nconsole.log(double, Scaler, halve);\n`)).toEqual([]);
    // The same check catches a stub that would not compile.
    expect(tslabDiagnostics(`${SETUP}\nfunction f(): Tensor {\n  // YOUR CODE HERE\n}\n`).join('\n')).toMatch(/must return a value/);
  }, 60_000);
});

describe('a source that cannot be assigned', () => {
  const cases: [string, Notebook, RegExp][] = [
    ['an unclosed region', withCell(2, (c) => ({ ...c, source: 'function f() {\n  // BEGIN SOLUTION\n  return 1;\n}' })), /^lecture\.ipynb: cell 3 \(double\): line 2: BEGIN SOLUTION is never closed by END SOLUTION$/],
    ['a nested region', withCell(3, (c) => ({ ...c, source: '// BEGIN HIDDEN TESTS\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n// END HIDDEN TESTS' })), /^lecture\.ipynb: cell 4 \(double-tests\): line 2: BEGIN HIDDEN TESTS inside the BEGIN HIDDEN TESTS region opened on line 1/],
    ['a solution region outside a solution cell', withCell(1, (c) => ({ ...c, source: `${SETUP}\n// BEGIN SOLUTION\nconst x = 1;\n// END SOLUTION` })), /^lecture\.ipynb: cell 2 \(setup\): has a BEGIN SOLUTION region but is not a solution cell/],
    ['hidden tests outside a test cell', withCell(2, (c) => ({ ...c, source: `${SOLUTION}\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS` })), /^lecture\.ipynb: cell 3 \(double\): has a BEGIN HIDDEN TESTS region but is not a test cell/],
    ['a duplicate grade_id', withCell(4, (c) => ({ ...c, metadata: { nbgrader: { grade_id: 'double', solution: true } } })), /^lecture\.ipynb: cell 5 \(double\): duplicate grade_id, already used by cell 3$/],
    ['a missing grade_id', withCell(4, (c) => ({ ...c, metadata: { nbgrader: { solution: true } } })), /^lecture\.ipynb: cell 5: nbgrader metadata needs a grade_id/],
    ['a grade cell without points', withCell(3, (c) => ({ ...c, metadata: { nbgrader: { grade_id: 'double-tests', grade: true, locked: true } } })), /^lecture\.ipynb: cell 4 \(double-tests\): a grade cell needs points$/],
    ['test points that do not add up', withCell(3, (c) => ({ ...c, metadata: { nbgrader: { grade_id: 'double-tests', grade: true, locked: true, points: 4 } } })), /^lecture\.ipynb: cell 4 \(double-tests\): its test\(\.\.\.\) calls add up to 3 points \(2 tests\), but nbgrader\.points is 4$/],
    ['test points that are not literals', withCell(3, (c) => ({ ...c, source: 'const p = 3;\ntest("t", p, () => {});' })), /^lecture\.ipynb: cell 4 \(double-tests\): line 2: test\(\.\.\.\) needs a number literal as its points/],
  ];
  for (const [what, notebook, expected] of cases) {
    it(`names the file and cell: ${what}`, () => {
      const problems = problemsOf(notebook);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(expected);
    });
  }

  it('writes nothing, not even the files of the good notebooks', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-assign-'));
    try {
      fs.writeFileSync(path.join(dir, 'good.ipynb'), serializeNotebook(source()));
      fs.writeFileSync(path.join(dir, 'bad.ipynb'), serializeNotebook(cases[0]?.[1] ?? source()));
      const out = path.join(dir, 'release');
      expect(() => writeRelease([path.join(dir, 'good.ipynb'), path.join(dir, 'bad.ipynb')], out, { packageRoot: PROJECT_ROOT, pack: false, cwd: dir })).toThrow(
        /bad\.ipynb: cell 3 \(double\): line 2: BEGIN SOLUTION is never closed/,
      );
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run assign', () => {
  it('gives byte-identical files when run twice, and never touches the sources', () => {
    requireBuild();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-assign-'));
    const notebooks = fs.readdirSync(path.join(PROJECT_ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
    const before = notebooks.map((f) => fs.readFileSync(path.join(PROJECT_ROOT, 'notebooks', f), 'utf8'));
    try {
      const run = (out: string): Map<string, string> => {
        execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'assign.js'), '--no-pack', '--out', out], { cwd: PROJECT_ROOT, stdio: 'pipe' });
        const files = fs.readdirSync(path.join(out, 'notebooks')).sort();
        return new Map(files.map((f) => [f, fs.readFileSync(path.join(out, 'notebooks', f), 'utf8')]));
      };
      const first = run(path.join(dir, 'a'));
      const second = run(path.join(dir, 'a'));
      const third = run(path.join(dir, 'b'));
      expect([...first.keys()]).toEqual(notebooks.sort());
      expect(second).toEqual(first);
      expect(third).toEqual(first);
      expect(notebooks.map((f) => fs.readFileSync(path.join(PROJECT_ROOT, 'notebooks', f), 'utf8'))).toEqual(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to write a student edition over its source', () => {
    requireBuild();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-assign-'));
    try {
      fs.mkdirSync(path.join(dir, 'notebooks'));
      const file = path.join(dir, 'notebooks', 'lecture.ipynb');
      fs.writeFileSync(file, serializeNotebook(source()));
      expect(() => writeRelease([file], dir, { packageRoot: PROJECT_ROOT, pack: false })).toThrow(/is a source notebook; choose another --out folder/);
      expect(fs.readFileSync(file, 'utf8')).toBe(serializeNotebook(source()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
