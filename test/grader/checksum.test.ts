import { execFileSync } from 'child_process';
import { describe, expect, it } from 'vitest';
import { computeChecksum, needsChecksum, pythonFloat } from '../../src/grader/checksum';
import type { Cell } from '../../src/notebook/nbformat';

// The reference is nbgrader's own algorithm (nbgrader/utils.py: is_grade, is_solution, is_locked,
// compute_checksum), restated in Python and run by python3 on the same cells.
const NBGRADER_REFERENCE = `
import hashlib, json, sys
def is_grade(cell): return cell["metadata"].get("nbgrader", {}).get("grade", False)
def is_solution(cell): return cell["metadata"].get("nbgrader", {}).get("solution", False)
def is_locked(cell):
    if "nbgrader" not in cell["metadata"]: return False
    elif is_solution(cell): return False
    elif is_grade(cell): return True
    else: return cell["metadata"]["nbgrader"].get("locked", False)
def compute_checksum(cell):
    m = hashlib.md5()
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    m.update(source.encode("utf-8"))
    m.update(cell["cell_type"].encode("utf-8"))
    m.update(str(is_grade(cell)).encode("utf-8"))
    m.update(str(is_solution(cell)).encode("utf-8"))
    m.update(str(is_locked(cell)).encode("utf-8"))
    m.update(cell["metadata"]["nbgrader"]["grade_id"].encode("utf-8"))
    if is_grade(cell):
        m.update(str(float(cell["metadata"]["nbgrader"]["points"])).encode("utf-8"))
    return m.hexdigest()
data = json.load(sys.stdin)
print(json.dumps({"checksums": [compute_checksum(c) for c in data["cells"]], "floats": [str(float(x)) for x in data["floats"]]}))
`;

function python(cells: Cell[], floats: number[]): { checksums: string[]; floats: string[] } {
  const out = execFileSync('python3', ['-c', NBGRADER_REFERENCE], { input: JSON.stringify({ cells, floats }), encoding: 'utf8' });
  return JSON.parse(out) as { checksums: string[]; floats: string[] };
}

function code(source: string | string[], nbgrader: Record<string, unknown>): Cell {
  return { cell_type: 'code', source, metadata: { nbgrader }, outputs: [], execution_count: null };
}

const CELLS: Cell[] = [
  code('test("a", 4, () => {});\n', { grade: true, solution: false, locked: true, grade_id: 'tests-int', points: 4 }),
  code(['test("b", 0.5, () => {});\n', '// √ and ✔ in UTF-8\n'], { grade: true, solution: false, locked: false, grade_id: 'tests-half', points: 0.5 }),
  code('function f(): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented: f");\n}', { grade: false, solution: true, locked: false, grade_id: 'answer' }),
  code('import { tensor } from "gradlab";', { grade: false, solution: false, locked: true, grade_id: 'setup' }),
  { cell_type: 'markdown', source: 'YOUR ANSWER HERE', metadata: { nbgrader: { grade: true, solution: true, locked: false, grade_id: 'essay', points: 2 } } },
  code('x', { grade: true, solution: false, locked: true, grade_id: 'tiny-points', points: 0.00001 }),
  code('y', { grade: true, solution: false, locked: true, grade_id: 'huge-points', points: 1e16 }),
];

describe("nbgrader's checksum", () => {
  it('spells floats as Python str(float(x)) does', () => {
    const values = [4, 0, 0.5, 1.25, 10, 123456.789, 0.0001, 0.00001, 1e-7, 1.5e-5, 1e15, 1e16, 2.5e17, 1 / 3, 100];
    expect(values.map(pythonFloat)).toEqual(python([], values).floats);
  });

  it('matches the Python reference on grade, solution, locked and markdown cells', () => {
    expect(CELLS.map(computeChecksum)).toEqual(python(CELLS, []).checksums);
  });

  it('changes when the source, the points or the locked flag change', () => {
    const base = computeChecksum(CELLS[0] as Cell);
    expect(computeChecksum(code('test("a", 4, () => {}); ', { grade: true, solution: false, locked: true, grade_id: 'tests-int', points: 4 }))).not.toBe(base);
    expect(computeChecksum(code('test("a", 4, () => {});\n', { grade: true, solution: false, locked: true, grade_id: 'tests-int', points: 5 }))).not.toBe(base);
    const setup = CELLS[3] as Cell;
    expect(computeChecksum(code('import { tensor } from "gradlab";', { grade: false, solution: false, locked: false, grade_id: 'setup' }))).not.toBe(computeChecksum(setup));
  });

  it('is recorded on grade, solution and locked cells only', () => {
    expect(CELLS.map(needsChecksum)).toEqual([true, true, true, true, true, true, true]);
    expect(needsChecksum(code('1', { grade: false, solution: false, locked: false, grade_id: 'free' }))).toBe(false);
    expect(needsChecksum({ cell_type: 'code', source: '1', metadata: {}, outputs: [], execution_count: null })).toBe(false);
  });
});
