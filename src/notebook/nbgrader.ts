/**
 * nbgrader's cell metadata (schema version 3), typed: reading and checking it, its defaults, and the
 * kinds of cell it defines. One module serves the notebook builder, `assign`, `validate`, the runner's
 * test results and grading, so every part of gradlab reads a cell's role the same way nbgrader does.
 *
 * Metadata lives in `cell.metadata.nbgrader`:
 * `{grade, solution, locked, grade_id, points?, schema_version: 3, checksum?, cell_type?}`.
 */
import { isJsonObject, type Cell, type JsonObject } from './nbformat';

/** The nbgrader schema version gradlab writes and reads. */
export const SCHEMA_VERSION = 3;

/** A cell's nbgrader metadata with every flag explicit. */
export interface NbgraderCell {
  readonly grade: boolean;
  readonly solution: boolean;
  readonly locked: boolean;
  readonly grade_id: string;
  /** Points of a grade cell; absent on other cells. */
  readonly points?: number;
  readonly schema_version: number;
  /** nbgrader's checksum of the cell as assigned (see checksum.ts). */
  readonly checksum?: string;
  /** The cell type recorded with the checksum, so a changed type is noticed. */
  readonly cell_type?: Cell['cell_type'];
}

/**
 * The role of a cell, by nbgrader's rules:
 * - `answer`: a solution cell graded by tests elsewhere (solution, not grade);
 * - `tests`: an autograder test cell (grade, not solution); always locked;
 * - `manual-answer`: a solution graded by hand (solution and grade);
 * - `task`: a graded cell that is neither solution nor locked (a manually graded task);
 * - `readonly`: a locked cell that is neither solution nor grade;
 * - `plain`: no nbgrader metadata, or none of the flags.
 */
export type CellKind = 'answer' | 'tests' | 'manual-answer' | 'task' | 'readonly' | 'plain';

/** Cell metadata that breaks the schema; the message names the file, the cell and the key. */
export class NbgraderSchemaError extends Error {
  override name = 'NbgraderSchemaError';
}

/** How a cell is named in messages: `cell 12 (kaiming-normal)`, 1-based. */
export function cellLabel(index: number, gradeId?: string): string {
  return gradeId === undefined || gradeId === '' ? `cell ${index + 1}` : `cell ${index + 1} (${gradeId})`;
}

/** The raw `metadata.nbgrader` object of a cell, or an empty object when there is none. */
export function rawNbgrader(cell: Cell): JsonObject {
  const meta = cell.metadata['nbgrader'];
  return isJsonObject(meta) ? meta : {};
}

/** True when the cell carries an `nbgrader` metadata object. */
export function hasNbgrader(cell: Cell): boolean {
  return isJsonObject(cell.metadata['nbgrader']);
}

/** The grade_id of a cell, or '' when it has none. */
export function gradeIdOf(cell: Cell): string {
  const id = rawNbgrader(cell)['grade_id'];
  return typeof id === 'string' ? id : '';
}

function flag(meta: JsonObject, key: 'grade' | 'solution' | 'locked', where: string): boolean {
  const value = meta[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new NbgraderSchemaError(`${where}: nbgrader.${key} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Checks nbgrader metadata and returns it with explicit flags and `schema_version: 3` (the form the
 * builder writes). `where` names the place in errors: a missing grade_id, points that are not a
 * finite number >= 0, a grade cell without points, flags that are not booleans.
 */
export function normalizeNbgrader(meta: JsonObject, where: string): NbgraderCell {
  const grade = flag(meta, 'grade', where);
  const solution = flag(meta, 'solution', where);
  const locked = flag(meta, 'locked', where);
  const id = meta['grade_id'];
  if (typeof id !== 'string' || id.trim() === '') throw new NbgraderSchemaError(`${where}: nbgrader metadata needs a grade_id (a non-empty string)`);
  const version = meta['schema_version'];
  if (version !== undefined && version !== SCHEMA_VERSION) {
    throw new NbgraderSchemaError(`${where} (${id}): nbgrader schema_version ${JSON.stringify(version)} is not supported; gradlab reads version ${SCHEMA_VERSION}`);
  }
  const points = meta['points'];
  if (points !== undefined && !(typeof points === 'number' && Number.isFinite(points) && points >= 0)) {
    throw new NbgraderSchemaError(`${where} (${id}): nbgrader.points must be a number >= 0, got ${JSON.stringify(points)}`);
  }
  if (grade && points === undefined) throw new NbgraderSchemaError(`${where} (${id}): a grade cell needs points`);
  // The flags first, then the keys as given: the order the notebook builder has always written.
  const out: JsonObject = { grade, solution, locked, ...meta, schema_version: SCHEMA_VERSION };
  return out as unknown as NbgraderCell;
}

/** The cell's checked nbgrader metadata, or null for a cell without any; throws NbgraderSchemaError naming `where`. */
export function readNbgrader(cell: Cell, where: string): NbgraderCell | null {
  const meta = cell.metadata['nbgrader'];
  if (meta === undefined) return null;
  if (!isJsonObject(meta)) throw new NbgraderSchemaError(`${where}: metadata.nbgrader must be an object`);
  return normalizeNbgrader(meta, where);
}

/** nbgrader's `is_grade`. */
export function isGrade(cell: Cell): boolean {
  return rawNbgrader(cell)['grade'] === true;
}

/** nbgrader's `is_solution`. */
export function isSolution(cell: Cell): boolean {
  return rawNbgrader(cell)['solution'] === true;
}

/** nbgrader's `is_locked`: never a solution cell; always a grade cell; otherwise its `locked` flag. */
export function isLocked(cell: Cell): boolean {
  if (!hasNbgrader(cell) || isSolution(cell)) return false;
  if (isGrade(cell)) return true;
  return rawNbgrader(cell)['locked'] === true;
}

/** The role of a cell (see CellKind). */
export function cellKind(cell: Cell): CellKind {
  const grade = isGrade(cell);
  const solution = isSolution(cell);
  if (solution) return grade ? 'manual-answer' : 'answer';
  if (grade) return cell.cell_type === 'code' ? 'tests' : 'task';
  return isLocked(cell) ? 'readonly' : 'plain';
}

/** The points a grade cell is worth (0 for other cells). */
export function cellPoints(cell: Cell): number {
  const points = rawNbgrader(cell)['points'];
  return isGrade(cell) && typeof points === 'number' && Number.isFinite(points) ? points : 0;
}
