import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { studentEdition } from '../../src/grader/assignment';
import { formatValidation, gradlabResolvesFrom, lockedCellWarnings, visibleTestsOnly, type ValidationReport } from '../../src/grader/validate';
import { cellSource, type Cell, type Notebook } from '../../src/notebook/nbformat';
import { PROJECT_ROOT } from '../helpers/project';

function code(source: string, nbgrader: Record<string, unknown>): Cell {
  return { cell_type: 'code', source, metadata: { nbgrader }, outputs: [], execution_count: null };
}

function assigned(): Notebook {
  return studentEdition(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        code('import { test } from "gradlab";', { grade_id: 'setup', locked: true }),
        code('function f(): number {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}', { grade_id: 'f', solution: true }),
        code('test("f() = 1", 1, () => {});\n// BEGIN HIDDEN TESTS\ntest("hidden", 1, () => {});\n// END HIDDEN TESTS', { grade_id: 'f-tests', grade: true, locked: true, points: 2 }),
      ],
    },
    'lecture.ipynb',
  );
}

describe('validate: read-only cells', () => {
  it('has nothing to say about an untouched student edition, or about edited answers', () => {
    const nb = assigned();
    (nb.cells[1] as Cell).source = 'function f(): number { return 1; }';
    expect(lockedCellWarnings(nb)).toEqual([]);
  });

  it('names an edited, a retyped and a deleted read-only cell', () => {
    const edited = assigned();
    (edited.cells[2] as Cell).source = 'test("f() = 1", 1, () => {}); // changed';
    expect(lockedCellWarnings(edited)).toEqual(['cell 3 (f-tests) is read-only but was edited (its checksum changed); grading uses the original']);
    const retyped = assigned();
    retyped.cells[0] = { cell_type: 'markdown', source: cellSource(retyped.cells[0] as Cell), metadata: (retyped.cells[0] as Cell).metadata };
    expect(lockedCellWarnings(retyped)).toEqual(['cell 1 (setup) is read-only but was changed from code to markdown; grading uses the original']);
    const deleted = assigned();
    deleted.cells.splice(2, 1);
    expect(lockedCellWarnings(deleted)).toEqual(['the read-only cell f-tests was deleted; grading puts the original back']);
  });
});

describe('validate: what runs and where', () => {
  it('runs the visible tests only', () => {
    const instructor = assigned();
    (instructor.cells[2] as Cell).source = 'test("a", 1, () => {});\n// BEGIN HIDDEN TESTS\ntest("b", 1, () => {});\n// END HIDDEN TESTS\n';
    expect(cellSource(visibleTestsOnly(instructor).cells[2] as Cell)).toBe('test("a", 1, () => {});\n');
  });

  it('runs a notebook in its own folder only where "gradlab" resolves', () => {
    expect(gradlabResolvesFrom(path.join(PROJECT_ROOT, 'notebooks'))).toBe(true);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-validate-'));
    try {
      expect(gradlabResolvesFrom(outside)).toBe(false);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('prints each exercise with its points, the failing messages and the totals', () => {
    const report: ValidationReport = {
      file: 'lecture.ipynb',
      warnings: ['cell 1 (setup) is read-only but was edited (its checksum changed); grading uses the original'],
      exercises: [
        {
          cellIndex: 2,
          gradeId: 'f-tests',
          points: 1,
          possible: 2,
          cellPoints: 3,
          tests: [
            { name: 'f() = 1', points: 1, maxPoints: 1, passed: true, message: '', cellIndex: 2 },
            { name: 'f(2) = 2', points: 0, maxPoints: 1, passed: false, message: 'not implemented: f', cellIndex: 2 },
          ],
        },
      ],
      cellErrors: [],
      failure: null,
      seconds: 1.25,
    };
    expect(formatValidation(report, 'lecture.ipynb')).toBe(
      [
        'lecture.ipynb (1.3 s)',
        'warning: cell 1 (setup) is read-only but was edited (its checksum changed); grading uses the original',
        'cell 3 (f-tests): 1/2 points (the cell is worth 3 with the tests run at grading)',
        '  ✔ f() = 1 (1/1 points)',
        '  ✘ f(2) = 2 (0/1 points): not implemented: f',
        '1/2 points from the visible tests; 1 of 2 tests passed',
        '',
      ].join('\n'),
    );
  });
});
