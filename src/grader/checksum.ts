/**
 * nbgrader's cell checksum, computed exactly as nbgrader computes it so that its tools and gradlab
 * agree on which cells were changed: the md5 hex digest of, in order, the source, the cell type,
 * `str(is_grade)`, `str(is_solution)`, `str(is_locked)` (Python's `True`/`False`), the grade_id and,
 * for grade cells only, `str(float(points))` (Python's float spelling: `4.0`, `0.5`, `1e-05`).
 */
import { createHash } from 'crypto';
import { cellSource, type Cell } from '../notebook/nbformat';
import { gradeIdOf, isGrade, isLocked, isSolution, rawNbgrader } from '../notebook/nbgrader';

/** Python's `str(bool)`. */
function pythonBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/**
 * Python's `str(float(x))`: the shortest digits that round-trip (as JavaScript also finds), written in
 * fixed notation for exponents -4..15 (with `.0` on whole numbers) and as `d.ddde+XX` otherwise.
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const rest = digits.slice(1);
    const exp = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${digits[0] ?? '0'}${rest === '' ? '' : `.${rest}`}e${exp}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** nbgrader's checksum of a cell (see the module comment); the cell must carry nbgrader metadata. */
export function computeChecksum(cell: Cell): string {
  const hash = createHash('md5');
  hash.update(cellSource(cell), 'utf8');
  hash.update(cell.cell_type, 'utf8');
  hash.update(pythonBool(isGrade(cell)), 'utf8');
  hash.update(pythonBool(isSolution(cell)), 'utf8');
  hash.update(pythonBool(isLocked(cell)), 'utf8');
  hash.update(gradeIdOf(cell), 'utf8');
  if (isGrade(cell)) {
    const points = rawNbgrader(cell)['points'];
    hash.update(pythonFloat(typeof points === 'number' ? points : Number(points)), 'utf8');
  }
  return hash.digest('hex');
}

/** True for the cells nbgrader records a checksum on: grade, solution and locked cells. */
export function needsChecksum(cell: Cell): boolean {
  return isGrade(cell) || isSolution(cell) || isLocked(cell);
}

/** The checksum recorded in a cell's metadata, or null. */
export function recordedChecksum(cell: Cell): string | null {
  const value = rawNbgrader(cell)['checksum'];
  return typeof value === 'string' && value !== '' ? value : null;
}
