/**
 * The instructor's notebook as an assignment: checking that it is a well-formed source, and making
 * its student edition (solutions replaced by stubs, hidden tests removed, outputs cleared, nbgrader
 * checksums recorded, locked cells made read-only, as nbgrader's `generate_assignment` does).
 */
import { cellSource, isJsonObject, splitLines, type Cell, type JsonObject, type Notebook } from '../notebook/nbformat';
import { computeChecksum, needsChecksum } from './checksum';
import { cellKind, cellLabel, gradeIdOf, hasNbgrader, isGrade, isLocked, isSolution, normalizeNbgrader, rawNbgrader } from '../notebook/nbgrader';
import { findRegions, RegionError, removeHiddenTests, replaceRegions } from './regions';
import { CODE_STUB_COMMENT, codeStub, MARKDOWN_STUB, markdownStub } from './stub';
import { findTestCalls } from '../notebook/testCalls';
import { skipProblems } from './skipWhenGrading';

/** An instructor notebook that cannot be assigned; `problems` lists each one, naming the file and cell. */
export class AssignmentSourceError extends Error {
  override name = 'AssignmentSourceError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** The key under `notebook.metadata` where gradlab records what an assigned notebook held. */
export const ASSIGNMENT_METADATA_KEY = 'gradlab';

/** What the student edition records about itself in `metadata.gradlab`. */
export interface AssignmentRecord {
  /** The grade_ids of the locked cells, in order, so a deleted one can be named. */
  readonly locked_cells: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The problems of one cell: its metadata, its regions and, for test cells, its test(...) points. */
function cellProblems(cell: Cell, index: number, file: string): string[] {
  const where = `${file}: ${cellLabel(index, gradeIdOf(cell))}`;
  const problems: string[] = [];
  if (hasNbgrader(cell)) {
    try {
      normalizeNbgrader(rawNbgrader(cell), `${file}: ${cellLabel(index)}`);
    } catch (error) {
      problems.push(message(error));
    }
  } else if (cell.metadata['nbgrader'] !== undefined) problems.push(`${where}: metadata.nbgrader must be an object`);
  const source = cellSource(cell);
  let regions;
  try {
    regions = findRegions(source);
  } catch (error) {
    if (!(error instanceof RegionError)) throw error;
    return [...problems, `${where}: ${error.message}`];
  }
  if (regions.some((r) => r.kind === 'solution') && !isSolution(cell)) {
    problems.push(`${where}: has a BEGIN SOLUTION region but is not a solution cell (set nbgrader.solution)`);
  }
  if (regions.some((r) => r.kind === 'hidden-tests') && !(isGrade(cell) && cell.cell_type === 'code')) {
    problems.push(`${where}: has a BEGIN HIDDEN TESTS region but is not a test cell (a code cell with nbgrader.grade)`);
  }
  if (cellKind(cell) === 'tests' && problems.length === 0) problems.push(...testPointProblems(cell, where));
  return problems;
}

/** A test cell's test(...) calls must be literal, uniquely named, and add up to the cell's points. */
function testPointProblems(cell: Cell, where: string): string[] {
  const problems: string[] = [];
  const calls = findTestCalls(cellSource(cell));
  const names = new Set<string>();
  let sum = 0;
  for (const call of calls) {
    if (call.name === null) problems.push(`${where}: line ${call.line}: test(...) needs a plain string literal as its name so that its points can be checked`);
    else if (names.has(call.name)) problems.push(`${where}: line ${call.line}: the test name ${JSON.stringify(call.name)} is used twice`);
    else names.add(call.name);
    if (call.points === null) problems.push(`${where}: line ${call.line}: test(...) needs a number literal as its points so that they can be checked`);
    else sum += call.points;
  }
  const points = rawNbgrader(cell)['points'];
  if (problems.length === 0 && Math.abs(sum - Number(points)) > 1e-9) {
    problems.push(`${where}: its test(...) calls add up to ${sum} points (${calls.length} tests), but nbgrader.points is ${String(points)}`);
  }
  return problems;
}

/** Every problem that stops `notebook` (read from `file`) from being assigned; empty when it is fine. */
export function assignmentProblems(notebook: Notebook, file: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  notebook.cells.forEach((cell, index) => {
    problems.push(...cellProblems(cell, index, file));
    const id = gradeIdOf(cell);
    if (!hasNbgrader(cell) || id === '') return;
    const first = seen.get(id);
    if (first !== undefined) problems.push(`${file}: ${cellLabel(index, id)}: duplicate grade_id, already used by cell ${first + 1}`);
    else seen.set(id, index);
  });
  return [...problems, ...skipProblems(notebook, file)];
}

/** Throws AssignmentSourceError listing every problem of the source notebook. */
export function checkAssignmentSource(notebook: Notebook, file: string): void {
  const problems = assignmentProblems(notebook, file);
  if (problems.length > 0) throw new AssignmentSourceError(problems);
}

/** The student's source of one cell: solutions stubbed, hidden tests removed. */
function studentSource(cell: Cell): string {
  let source = cellSource(cell);
  if (isSolution(cell)) {
    const hasRegions = findRegions(source).some((r) => r.kind === 'solution');
    if (cell.cell_type === 'markdown') source = hasRegions ? replaceRegions(source, 'solution', markdownStub) : MARKDOWN_STUB;
    else if (!hasRegions) source = CODE_STUB_COMMENT;
    else source = replaceRegions(source, 'solution', (region, lines) => codeStub(region, lines, gradeIdOf(cell)));
  }
  return removeHiddenTests(source);
}

/** The student version of one cell (metadata copied, never shared with the source). */
function studentCell(cell: Cell): Cell {
  const metadata = JSON.parse(JSON.stringify(cell.metadata)) as JsonObject;
  const copy = { ...cell, metadata, source: splitLines(studentSource(cell)) } as Cell;
  if (copy.cell_type === 'code') {
    copy.outputs = [];
    copy.execution_count = null;
  }
  if (hasNbgrader(cell)) {
    const nbgrader: JsonObject = { ...normalizeNbgrader(rawNbgrader(cell), 'cell') };
    delete nbgrader['checksum'];
    delete nbgrader['cell_type'];
    if (!isGrade(cell)) delete nbgrader['points'];
    metadata['nbgrader'] = nbgrader;
    if (needsChecksum(copy)) {
      nbgrader['checksum'] = computeChecksum(copy);
      nbgrader['cell_type'] = copy.cell_type;
    }
    if (isLocked(copy)) {
      metadata['editable'] = false;
      metadata['deletable'] = false;
    }
  }
  return copy;
}

/**
 * The student edition of an instructor notebook: checked first (AssignmentSourceError naming every
 * problem), then solutions stubbed, hidden tests removed, outputs and execution counts cleared,
 * checksums recorded and locked cells made read-only. The kernelspec and other metadata are kept; the
 * result depends only on the input, so assigning twice gives identical files.
 */
export function studentEdition(notebook: Notebook, file: string): Notebook {
  checkAssignmentSource(notebook, file);
  const cells = notebook.cells.map(studentCell);
  const metadata = JSON.parse(JSON.stringify(notebook.metadata)) as JsonObject;
  const own = isJsonObject(metadata[ASSIGNMENT_METADATA_KEY]) ? (metadata[ASSIGNMENT_METADATA_KEY] as JsonObject) : {};
  const record: AssignmentRecord = { locked_cells: cells.filter(isLocked).map(gradeIdOf) };
  metadata[ASSIGNMENT_METADATA_KEY] = { ...own, ...record };
  return { ...notebook, metadata, cells };
}

/** The locked cells an assigned notebook recorded (`metadata.gradlab.locked_cells`), or null. */
export function recordedLockedCells(notebook: Notebook): string[] | null {
  const own = notebook.metadata[ASSIGNMENT_METADATA_KEY];
  if (!isJsonObject(own) || !Array.isArray(own['locked_cells'])) return null;
  return own['locked_cells'].filter((id): id is string => typeof id === 'string');
}
