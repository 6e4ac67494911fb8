/**
 * Cells skipped when grading: the static reading of the names cells share, the check that refuses a
 * source whose skipped cell defines something a kept cell reads (naming both and the name), the
 * choice of cells in a graded copy, the lecture notebooks' marks, and a real-kernel grading run in
 * which a marked cell does not run unless a student's answer needs it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssignmentSourceError, studentEdition } from '../../src/grader/assignment';
import { cellNames } from '../../src/grader/cellNames';
import { gradeClass, loadSources, type GradeRow } from '../../src/grader/gradeClass';
import { chooseBwrap } from '../../src/grader/sandbox';
import { gradingSkips, skipProblems, skipWarnings } from '../../src/grader/skipWhenGrading';
import { findKernelSpec } from '../../src/notebook/jupyter/kernelSpec';
import { cellSource, parseNotebook, serializeNotebook, splitLines, type Cell, type Notebook } from '../../src/notebook/nbformat';
import { cellKind } from '../../src/notebook/nbgrader';
import { code, indexOf, instructorNotebook, setSource } from '../helpers/gradingFixture';
import { PROJECT_ROOT, scratchDir } from '../helpers/project';

const SKIP = { gradlab: { skip_when_grading: true } };

function demo(source: string): Cell {
  return { cell_type: 'code', source: splitLines(source), metadata: JSON.parse(JSON.stringify(SKIP)) as Cell['metadata'], outputs: [], execution_count: null };
}

function notebookOf(cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

const sorted = (names: ReadonlySet<string>): string[] => [...names].sort();

describe('the names cells share', () => {
  it('reads top-level declarations, outside names read, and outside names assigned', () => {
    const [first, second] = cellNames([
      'import { a, b as c } from "gradlab";\nconst { x, y: [z] } = source;\nlet count = 0;\nfunction f(p: number) { const local = p; return local + shared + obj.field; }\nclass K {}\ntype T = Outside;',
      'count += 1; total++; ({ left, right: renamed } = pair);\nconst o = { short, key: 1 };\nfor (item of items) {}\nconst typed: Fig | null = null;',
    ]);
    expect(sorted(first?.declares ?? new Set())).toEqual(['K', 'T', 'a', 'c', 'count', 'f', 'x', 'z']);
    expect(sorted(first?.uses ?? new Set())).toEqual(['Outside', 'obj', 'shared', 'source']);
    expect(sorted(first?.assigns ?? new Set())).toEqual([]);
    expect(sorted(second?.declares ?? new Set())).toEqual(['o', 'typed']);
    expect(sorted(second?.assigns ?? new Set())).toEqual(['count', 'item', 'left', 'renamed', 'total']);
    expect(sorted(second?.uses ?? new Set())).toEqual(['Fig', 'count', 'item', 'items', 'left', 'pair', 'renamed', 'short', 'total']);
  });

  it('does not count a parameter, a local or a property that shares a name with another cell\'s declaration', () => {
    const [names] = cellNames(['function g(mc: number) { return mc; }\nconst h = () => { const mc = 1; return mc + point.mc; };\nconst literal = { mc: 2 };\nlabel: for (;;) { break label; }']);
    expect(sorted(names?.uses ?? new Set())).toEqual(['point']);
  });
});

describe('checking a source\'s skipped cells', () => {
  const setup = code('import { test } from "gradlab";', { grade_id: 'setup', locked: true });
  const tests = (body: string): Cell => code(`test("t", 1, () => { ${body} });`, { grade_id: 'tests', grade: true, locked: true, points: 1 });

  it('accepts skipped cells whose names only other skipped cells read', () => {
    const nb = notebookOf([setup, demo('const mc = [1, 2];'), demo('console.log(mc.length);'), tests('if (1 + 1 !== 2) throw new Error("no");')]);
    expect(skipProblems(nb, 'nb.ipynb')).toEqual([]);
  });

  it('names the skipped cell, the name and the first kept cell that reads it', () => {
    const nb = notebookOf([setup, demo('const mc = [1, 2];\nconst unused = 3;'), tests('if (mc.length !== 2) throw new Error("no");')]);
    expect(skipProblems(nb, 'nb.ipynb')).toEqual([
      'nb.ipynb: cell 2 is skipped when grading but defines mc, which cell 3 (tests) uses; that cell runs when grading (mark it too, or unmark this one)',
    ]);
  });

  it('follows names through kept cells that are not tests', () => {
    const nb = notebookOf([setup, demo('const mc = [1, 2];'), code('const n = mc.length;'), tests('if (n !== 2) throw new Error("no");')]);
    expect(skipProblems(nb, 'nb.ipynb')).toEqual([
      'nb.ipynb: cell 2 is skipped when grading but defines mc, which cell 3 uses; that cell runs when grading (mark it too, or unmark this one)',
    ]);
  });

  it('goes by the cell that last defined or assigned a name before it is read', () => {
    const redeclared = notebookOf([setup, code('const x = 1;'), demo('const x = 2;'), tests('if (x !== 2) throw new Error("no");')]);
    expect(skipProblems(redeclared, 'nb.ipynb')).toHaveLength(1);
    const shadowedAgain = notebookOf([setup, demo('const x = 2;'), code('const x = 1;'), tests('if (x !== 1) throw new Error("no");')]);
    expect(skipProblems(shadowedAgain, 'nb.ipynb')).toEqual([]);
    const assigned = notebookOf([setup, code('let count = 0;'), demo('count += 1;'), tests('if (count !== 1) throw new Error("no");')]);
    expect(skipProblems(assigned, 'nb.ipynb')).toEqual([
      'nb.ipynb: cell 3 is skipped when grading but defines count, which cell 4 (tests) uses; that cell runs when grading (mark it too, or unmark this one)',
    ]);
    const typeOnly = notebookOf([setup, demo('interface Row { n: number }'), code('const rows: Row[] = [];')]);
    expect(skipProblems(typeOnly, 'nb.ipynb')).toHaveLength(1);
  });

  it('refuses marks on test, solution and markdown cells and marks that are not booleans', () => {
    const marked = (cell: Cell, mark: unknown): Cell => ({ ...cell, metadata: { ...cell.metadata, gradlab: { skip_when_grading: mark } } } as Cell);
    const nb = notebookOf([
      setup,
      marked(code('const y = 1;', { grade_id: 'answer', solution: true }), true),
      marked(tests(''), true),
      marked({ cell_type: 'markdown', source: 'text', metadata: {} }, true),
      marked(code('const z = 1;'), 'yes'),
      marked(code('const w = 1;'), false),
    ]);
    expect(skipProblems(nb, 'nb.ipynb')).toEqual([
      'nb.ipynb: cell 2 (answer): a solution cell cannot be skipped when grading (metadata.gradlab.skip_when_grading)',
      'nb.ipynb: cell 3 (tests): a test cell cannot be skipped when grading (metadata.gradlab.skip_when_grading)',
      'nb.ipynb: cell 4: only code cells can be skipped when grading (metadata.gradlab.skip_when_grading)',
      'nb.ipynb: cell 5: metadata.gradlab.skip_when_grading must be true or false, got "yes"',
    ]);
  });

  it('makes assign refuse the source', () => {
    const nb = notebookOf([setup, demo('const mc = 1;'), tests('if (mc !== 1) throw new Error("no");')]);
    expect(() => studentEdition(nb, 'nb.ipynb')).toThrow(AssignmentSourceError);
    expect(() => studentEdition(nb, 'nb.ipynb')).toThrow('cell 2 is skipped when grading but defines mc, which cell 3 (tests) uses');
  });
});

/** The fixture's instructor notebook with a demonstration after the setup that grading skips. */
function withDemo(): Notebook {
  const nb = instructorNotebook();
  nb.cells.splice(2, 0, demo('const DEMO_FACTOR = 2;\nconsole.log("demo ran");'), demo('console.log(`factor ${DEMO_FACTOR}`);'));
  return nb;
}

/** The student edition of `withDemo()` with both answers right; `double` written with `doubleBody`. */
function submission(doubleBody = 'return x + x;'): Notebook {
  const nb = studentEdition(withDemo(), 'two.ipynb');
  setSource(nb, 'double', `function double(x: number): number {\n  ${doubleBody}\n}`);
  setSource(nb, 'square', 'function square(x: number): number {\n  return x ** 2;\n}');
  return nb;
}

describe('the cells a graded copy skips', () => {
  it('skips the source\'s marked cells that the submission holds unchanged', () => {
    expect([...gradingSkips(withDemo(), submission()).skipped]).toEqual([2, 3]);
  });

  it('runs a marked cell the student edited, and ignores a mark the student added', () => {
    const edited = submission();
    edited.cells[3] = demo('console.log("changed");');
    const added = submission();
    added.cells.splice(4, 0, demo('console.log("mine");'));
    expect([...gradingSkips(withDemo(), edited).skipped]).toEqual([2]);
    expect([...gradingSkips(withDemo(), added).skipped]).toEqual([2, 3]);
  });

  it('runs the marked cells a student\'s answer needs, saying so', () => {
    const uses = submission('return DEMO_FACTOR * x;');
    expect(gradingSkips(withDemo(), uses)).toEqual({ skipped: new Set([3]), notes: ['ran cell 3 though it is skipped when grading: cell 5 uses its DEMO_FACTOR'] });
    expect(skipWarnings(uses)).toEqual(['cell 5 (double) uses DEMO_FACTOR from cell 3, a demonstration that grading skips; grading runs cell 3 for it']);
    expect(skipWarnings(submission())).toEqual([]);
  });
});

describe('the lecture notebooks', () => {
  for (const name of ['01-initialization', '02-normalization', '03-weight-decay', '04-dropout']) {
    it(`${name} marks demonstration cells only, and none that a kept cell needs`, () => {
      const file = path.join(PROJECT_ROOT, 'notebooks', `${name}.ipynb`);
      const nb = parseNotebook(fs.readFileSync(file, 'utf8'), file);
      expect(skipProblems(nb, file)).toEqual([]);
      const { skipped } = gradingSkips(nb, studentEdition(nb, file));
      const code = nb.cells.filter((c) => c.cell_type === 'code');
      expect(skipped.size).toBeGreaterThan(code.length / 2);
      for (const index of skipped) expect(cellKind(nb.cells[index] as Cell)).toBe('plain');
      expect(nb.cells.filter((c) => cellKind(c) === 'tests' || cellKind(c) === 'answer' || cellSource(c).includes('import {')).every((c) => !skipped.has(nb.cells.indexOf(c)))).toBe(true);
    });
  }
});

describe('grading with skipped cells on the real kernel', () => {
  let base = '';
  let rows: GradeRow[] = [];

  beforeAll(async () => {
    base = scratchDir('grade-skips');
    const sourceDir = path.join(base, 'source');
    const submissions = path.join(base, 'submissions');
    fs.mkdirSync(sourceDir, { recursive: true });
    fs.writeFileSync(path.join(sourceDir, 'two.ipynb'), serializeNotebook(withDemo()));
    for (const [student, nb] of [['plain', submission()], ['reuses', submission('return DEMO_FACTOR * x;')]] as [string, Notebook][]) {
      fs.mkdirSync(path.join(submissions, student), { recursive: true });
      fs.writeFileSync(path.join(submissions, student, 'two.ipynb'), serializeNotebook(nb));
    }
    const sources = loadSources([sourceDir]);
    rows = await gradeClass(sources, submissions, path.join(base, 'out'), {
      jobs: 2,
      timeoutSeconds: 60,
      spec: findKernelSpec('tslab', PROJECT_ROOT),
      sandbox: { projectRoot: PROJECT_ROOT, bwrap: chooseBwrap().bwrap, hidden: [sourceDir, submissions] },
    });
  }, 300_000);

  afterAll(() => {
    if (base !== '') fs.rmSync(base, { recursive: true, force: true });
  });

  const printed = (row: GradeRow | undefined, index: number): string => {
    const cell = row?.grade.executed?.cells[index];
    return cell?.cell_type === 'code' ? JSON.stringify(cell.outputs) : 'not a code cell';
  };

  it('does not run the marked cells, and the grade is whole', () => {
    const plain = rows.find((r) => r.student === 'plain');
    expect(plain?.grade).toMatchObject({ status: 'graded', points: 4, maxPoints: 4, notes: [] });
    // The graded copy's cell 0 is the grading guard, so the source's cell i is the copy's i + 1.
    expect(plain?.grade.execution?.cells.map((c) => c.index)).toEqual([0, 2, 5, 6, 7, 8]);
    expect([printed(plain, 3), printed(plain, 4)]).toEqual(['[]', '[]']);
  });

  it('runs a marked cell that the student\'s answer needs, with a note, and the grade is whole', () => {
    const reuses = rows.find((r) => r.student === 'reuses');
    expect(reuses?.grade).toMatchObject({ status: 'graded', points: 4, maxPoints: 4 });
    // Cell numbers are the graded copy's (the executed notebook's), whose cell 1 is the grading guard.
    expect(reuses?.grade.notes).toEqual(['ran cell 4 though it is skipped when grading: cell 6 uses its DEMO_FACTOR']);
    expect(printed(reuses, 3)).toContain('demo ran');
    expect(printed(reuses, 4)).toBe('[]');
    expect(indexOf(reuses?.grade.executed ?? withDemo(), 'double')).toBe(5);
  });
});
