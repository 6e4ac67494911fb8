/**
 * Cells skipped when grading: a notebook author marks a demonstration cell that no exercise depends
 * on (a Monte Carlo table, a training run, a chart) with `{"gradlab": {"skip_when_grading": true}}`,
 * and the grader does not run it in the graded copy. Skipping must not change a grade, so a skipped
 * cell may define nothing that a cell which still runs reads: every name a kept cell uses must come
 * from a kept cell (or from outside the notebook), judged by which cell last declared or assigned it
 * before that point. Sources that break the rule are refused by `assign` and `grade`; in a graded
 * copy, where the student's own cells may use anything, a skipped cell that a kept cell needs is run
 * after all, with a note.
 *
 * What the check cannot see: changes a skipped cell makes through methods or shared state rather
 * than names (`model.train()`, `array.push(...)`, draws from the default random generator, a
 * `manualSeed` call). Authors mark only cells free of such effects on what the graded cells read.
 */
import { cellSource, isJsonObject, type Cell, type Notebook } from '../notebook/nbformat';
import { cellKind, cellLabel, gradeIdOf } from '../notebook/nbgrader';
import { cellNames } from './cellNames';

/** The cell metadata key, under `metadata.gradlab`, that marks a cell skipped when grading. */
export const SKIP_WHEN_GRADING = 'skip_when_grading';

/** The raw `metadata.gradlab.skip_when_grading` of a cell (undefined when absent). */
function rawFlag(cell: Cell): unknown {
  const own = cell.metadata['gradlab'];
  return isJsonObject(own) ? own[SKIP_WHEN_GRADING] : undefined;
}

/** True when the cell is marked skipped when grading. */
export function skipsWhenGrading(cell: Cell): boolean {
  return rawFlag(cell) === true;
}

/** A code cell of a kind that may be skipped: neither a test cell nor a student's answer. */
function skippable(cell: Cell): boolean {
  return cell.cell_type === 'code' && (cellKind(cell) === 'plain' || cellKind(cell) === 'readonly');
}

/** A skipped cell whose name a kept cell reads. */
export interface SkipDependency {
  /** Index (in `notebook.cells`) of the skipped cell that last defined the name. */
  readonly skipped: number;
  /** Index of the first kept cell that reads the name from it. */
  readonly user: number;
  readonly name: string;
}

/**
 * For the code cells of `notebook` with the cells at `skipped` left out: each (skipped cell, name)
 * that a kept cell reads, with the first such reader.
 */
export function skipDependencies(notebook: Notebook, skipped: ReadonlySet<number>): SkipDependency[] {
  const code = notebook.cells.flatMap((cell, index) => (cell.cell_type === 'code' && cellSource(cell).trim() !== '' ? [{ cell, index }] : []));
  const names = cellNames(code.map(({ cell }) => cellSource(cell)));
  const definedBy = new Map<string, number>();
  const found = new Map<string, SkipDependency>();
  code.forEach(({ index }, position) => {
    const cell = names[position];
    if (cell === undefined) return;
    if (!skipped.has(index)) {
      for (const name of cell.uses) {
        const definer = definedBy.get(name);
        const key = `${String(definer)}\0${name}`;
        if (definer !== undefined && skipped.has(definer) && !found.has(key)) found.set(key, { skipped: definer, user: index, name });
      }
    }
    for (const name of [...cell.declares, ...cell.assigns]) definedBy.set(name, index);
  });
  return [...found.values()].sort((a, b) => a.skipped - b.skipped || a.user - b.user);
}

/** Why the instructor's `notebook` (read from `file`) marks cells wrongly, one line each, naming the cell and the name. */
export function skipProblems(notebook: Notebook, file: string): string[] {
  const problems: string[] = [];
  const skipped = new Set<number>();
  notebook.cells.forEach((cell, index) => {
    const flag = rawFlag(cell);
    if (flag === undefined) return;
    const where = `${file}: ${cellLabel(index, gradeIdOf(cell))}`;
    if (typeof flag !== 'boolean') problems.push(`${where}: metadata.gradlab.${SKIP_WHEN_GRADING} must be true or false, got ${JSON.stringify(flag)}`);
    else if (!flag) return;
    else if (cell.cell_type !== 'code') problems.push(`${where}: only code cells can be skipped when grading (metadata.gradlab.${SKIP_WHEN_GRADING})`);
    else if (!skippable(cell)) problems.push(`${where}: a ${cellKind(cell) === 'tests' ? 'test' : 'solution'} cell cannot be skipped when grading (metadata.gradlab.${SKIP_WHEN_GRADING})`);
    else skipped.add(index);
  });
  for (const d of skipDependencies(notebook, skipped)) {
    const user = notebook.cells[d.user];
    problems.push(
      `${file}: ${cellLabel(d.skipped, gradeIdOf(notebook.cells[d.skipped] as Cell))} is skipped when grading but defines ${d.name}, ` +
        `which ${cellLabel(d.user, user === undefined ? '' : gradeIdOf(user))} uses; that cell runs when grading (mark it too, or unmark this one)`,
    );
  }
  return problems;
}

/**
 * For a student's notebook (`validate`): each marked cell whose names a kept cell reads, typically
 * the student's own code reaching for a demonstration's result. Grading runs such a cell after all,
 * so the grade is unchanged; the warning says why grading takes longer.
 */
export function skipWarnings(notebook: Notebook): string[] {
  const marked = new Set<number>();
  notebook.cells.forEach((cell, index) => {
    if (skippable(cell) && skipsWhenGrading(cell)) marked.add(index);
  });
  if (marked.size === 0) return [];
  return skipDependencies(notebook, marked).map((d) => {
    const user = notebook.cells[d.user];
    return `${cellLabel(d.user, user === undefined ? '' : gradeIdOf(user))} uses ${d.name} from cell ${d.skipped + 1}, a demonstration that grading skips; grading runs cell ${d.skipped + 1} for it`;
  });
}

/** Which cells of a graded copy are skipped, and why a marked cell runs after all. */
export interface GradingSkips {
  readonly skipped: ReadonlySet<number>;
  /** One line per marked cell that runs because a kept cell needs it. */
  readonly notes: readonly string[];
}

/**
 * The cells of the graded copy `graded` to leave out: those whose code is exactly that of a cell the
 * instructor's `source` marks (a cell the student changed runs; a mark the student added is ignored),
 * less every marked cell whose names a kept cell (the student's own cells included) reads, directly
 * or through another cell that has to run.
 */
export function gradingSkips(source: Notebook, graded: Notebook): GradingSkips {
  const marked = new Set(source.cells.filter((cell) => skippable(cell) && skipsWhenGrading(cell)).map(cellSource));
  const skipped = new Set<number>();
  graded.cells.forEach((cell, index) => {
    if (skippable(cell) && marked.has(cellSource(cell))) skipped.add(index);
  });
  const notes: string[] = [];
  if (skipped.size === 0) return { skipped, notes };
  for (;;) {
    const needed = skipDependencies(graded, skipped);
    if (needed.length === 0) break;
    for (const d of needed) {
      if (!skipped.delete(d.skipped)) continue;
      notes.push(`ran cell ${d.skipped + 1} though it is skipped when grading: cell ${d.user + 1} uses its ${d.name}`);
    }
  }
  return { skipped, notes };
}
