/**
 * The graded copy of a submission: the student's notebook with every locked cell (test cells among
 * them) taken from the instructor's source by grade_id, put back at its source position when the
 * student deleted it, the hidden tests in (they are part of the source's test cells), the source's
 * kernelspec, and every output cleared. Answer cells keep the student's code under the source's
 * metadata; cells the student added run but carry no nbgrader metadata, so they can never pose as a
 * test cell.
 */
import { cellSource, isJsonObject, type Cell, type JsonObject, type Notebook } from '../notebook/nbformat';
import { gradeIdOf, isLocked, isSolution } from '../notebook/nbgrader';
import { removeHiddenTests } from './regions';

/** The graded copy and where its restored test cells are. */
export interface GradedCopy {
  readonly notebook: Notebook;
  /** grade_id of each locked cell restored from the source -> its index in `notebook.cells`. */
  readonly restored: ReadonlyMap<string, number>;
  /** What was put right, one line each: "restored edited cell f-tests", "re-inserted deleted cell setup". */
  readonly repairs: readonly string[];
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function cleared(cell: Cell): Cell {
  return cell.cell_type === 'code' ? { ...cell, outputs: [], execution_count: null } : cell;
}

function withoutNbgrader(cell: Cell): Cell {
  const metadata: JsonObject = { ...cell.metadata };
  delete metadata['nbgrader'];
  return { ...cell, metadata };
}

/** True when the student's cell is the source's as the student edition showed it (hidden tests out). */
function unedited(student: Cell, original: Cell): boolean {
  if (student.cell_type !== original.cell_type) return false;
  const shown = cellSource(original);
  if (cellSource(student) === shown) return true;
  try {
    return cellSource(student) === removeHiddenTests(shown);
  } catch {
    return false;
  }
}

/** Builds the graded copy of `submission` from the instructor's `source` (neither is changed). */
export function gradedCopy(source: Notebook, submission: Notebook): GradedCopy {
  const sourceCells = source.cells.map((cell) => clone(cell));
  const lockedIds = new Set(sourceCells.filter((cell) => isLocked(cell) && gradeIdOf(cell) !== '').map(gradeIdOf));
  const answers = new Map(sourceCells.filter((cell) => isSolution(cell) && gradeIdOf(cell) !== '').map((cell) => [gradeIdOf(cell), cell]));
  const repairs: string[] = [];
  const seen = new Set<string>();
  // The student's cells: locked ones are placeholders (by id) for the source's; the rest keep their code.
  const cells: (Cell | string)[] = [];
  for (const raw of submission.cells) {
    const cell = clone(raw);
    const id = gradeIdOf(cell);
    if (id !== '' && !seen.has(id) && lockedIds.has(id)) {
      seen.add(id);
      cells.push(id);
      continue;
    }
    const answer = id !== '' && !seen.has(id) ? answers.get(id) : undefined;
    if (answer !== undefined && answer.cell_type === cell.cell_type) {
      seen.add(id);
      cells.push(cleared({ ...cell, metadata: { ...cell.metadata, nbgrader: clone(answer.metadata['nbgrader']) } }));
      continue;
    }
    cells.push(cleared(withoutNbgrader(cell)));
  }
  // Deleted locked cells go back right after the nearest earlier source cell that is present, else
  // right before the nearest later one (so cells without a grade_id, like an intro, stay in front).
  const positionOf = (id: string): number => cells.findIndex((c) => (typeof c === 'string' ? c : gradeIdOf(c)) === id);
  const anchorPosition = (ids: readonly string[]): number => {
    for (const id of ids) {
      const position = id === '' || !seen.has(id) ? -1 : positionOf(id);
      if (position >= 0) return position;
    }
    return -1;
  };
  sourceCells.forEach((cell, sourceIndex) => {
    const id = gradeIdOf(cell);
    if (!lockedIds.has(id) || seen.has(id)) return;
    const before = anchorPosition(sourceCells.slice(0, sourceIndex).reverse().map(gradeIdOf));
    const after = anchorPosition(sourceCells.slice(sourceIndex + 1).map(gradeIdOf));
    cells.splice(before >= 0 ? before + 1 : after >= 0 ? after : cells.length, 0, id);
    seen.add(id);
    repairs.push(`re-inserted deleted cell ${id}`);
  });
  const byId = new Map(sourceCells.map((cell) => [gradeIdOf(cell), cell]));
  const restored = new Map<string, number>();
  const finalCells = cells.map((entry, index) => {
    if (typeof entry !== 'string') return entry;
    const original = byId.get(entry) as Cell;
    const student = submission.cells.find((c) => gradeIdOf(c) === entry);
    if (student !== undefined && !unedited(student, original)) repairs.push(`restored edited cell ${entry}`);
    restored.set(entry, index);
    return cleared(original);
  });
  const metadata = clone(submission.metadata);
  if (isJsonObject(source.metadata['kernelspec'])) metadata['kernelspec'] = clone(source.metadata['kernelspec']);
  else delete metadata['kernelspec'];
  if (isJsonObject(source.metadata['language_info'])) metadata['language_info'] = clone(source.metadata['language_info']);
  return {
    notebook: { nbformat: 4, nbformat_minor: source.nbformat_minor, metadata, cells: finalCells },
    restored,
    repairs: [...new Set(repairs)],
  };
}
