/**
 * A small instructor notebook with two exercises (fast to grade), its student edition, and
 * submissions made from them, for the grading tests.
 */
import { studentEdition } from '../../src/grader/assignment';
import { cellSource, splitLines, type Cell, type Notebook } from '../../src/notebook/nbformat';

export function code(source: string, nbgrader?: Record<string, unknown>): Cell {
  return { cell_type: 'code', source: splitLines(source), metadata: nbgrader === undefined ? {} : { nbgrader }, outputs: [], execution_count: null };
}

export const DOUBLE_TESTS = [
  'test("double(2) = 4", 1, () => { if (double(2) !== 4) throw new Error(`double(2) = ${double(2)}`); });',
  '// BEGIN HIDDEN TESTS',
  'test("double(-3) = -6", 1, () => { if (double(-3) !== -6) throw new Error("double(-3) is wrong"); });',
  '// END HIDDEN TESTS',
].join('\n');

export const SQUARE_TESTS = [
  'test("square(3) = 9", 1, () => { if (square(3) !== 9) throw new Error("square(3) is wrong"); });',
  'test("square(-2) = 4", 1, () => { if (square(-2) !== 4) throw new Error("square(-2) is wrong"); });',
].join('\n');

/** The instructor's notebook: two answers with their tests, 4 points in all (one hidden test). */
export function instructorNotebook(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: [
      { cell_type: 'markdown', source: '# Two exercises', metadata: {} },
      code('import { test } from "gradlab";', { grade_id: 'setup', locked: true }),
      code('function double(x: number): number {\n  // BEGIN SOLUTION\n  return 2 * x;\n  // END SOLUTION\n}', { grade_id: 'double', solution: true }),
      code(DOUBLE_TESTS, { grade_id: 'double-tests', grade: true, locked: true, points: 2 }),
      code('function square(x: number): number {\n  // BEGIN SOLUTION\n  return x * x;\n  // END SOLUTION\n}', { grade_id: 'square', solution: true }),
      code(SQUARE_TESTS, { grade_id: 'square-tests', grade: true, locked: true, points: 2 }),
    ],
  };
}

/** The student edition of the instructor notebook (a blank submission). */
export function blankSubmission(): Notebook {
  return studentEdition(instructorNotebook(), 'two.ipynb');
}

/** The student edition with both answers written correctly. */
export function correctSubmission(): Notebook {
  const nb = blankSubmission();
  setSource(nb, 'double', 'function double(x: number): number {\n  return x + x;\n}');
  setSource(nb, 'square', 'function square(x: number): number {\n  return x ** 2;\n}');
  return nb;
}

/** The cell with `gradeId` (throws when there is none). */
export function cellById(nb: Notebook, gradeId: string): Cell {
  const cell = nb.cells.find((c) => (c.metadata['nbgrader'] as { grade_id?: string } | undefined)?.grade_id === gradeId);
  if (cell === undefined) throw new Error(`no cell ${gradeId}`);
  return cell;
}

export function setSource(nb: Notebook, gradeId: string, source: string): void {
  cellById(nb, gradeId).source = splitLines(source);
}

export function indexOf(nb: Notebook, gradeId: string): number {
  return nb.cells.indexOf(cellById(nb, gradeId));
}

export function sourceOf(nb: Notebook, gradeId: string): string {
  return cellSource(cellById(nb, gradeId));
}
