import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeChecksum } from '../../src/grader/checksum';
import { cellKind, isLocked, isSolution } from '../../src/notebook/nbgrader';
import { findRegions, regionBodies } from '../../src/grader/regions';
import { assignNotebooks } from '../../src/grader/assignFiles';
import { validateNotebook, type ValidationReport } from '../../src/grader/validate';
import { cellSource, parseNotebook, serializeNotebook, splitLines, type Cell, type Notebook } from '../../src/notebook/nbformat';
import { PROJECT_ROOT, requireBuild } from '../helpers/project';

// The student edition of every lecture notebook in notebooks/: what it must not contain, and how it
// runs on the real tslab kernel from a folder outside the project (as `npm run validate` runs a
// student's notebook wherever it is): blank, every exercise test fails with "not implemented" and
// 0 points while every other cell succeeds; with the solutions filled back in, every visible test passes
// (checked through the command line on one notebook).
const NOTEBOOKS = fs
  .readdirSync(path.join(PROJECT_ROOT, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb'))
  .sort();

let dir = '';
const instructor = new Map<string, Notebook>();
const student = new Map<string, Notebook>();

beforeAll(() => {
  requireBuild();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-student-'));
  const assigned = assignNotebooks(NOTEBOOKS.map((f) => path.join(PROJECT_ROOT, 'notebooks', f)));
  for (const a of assigned) {
    fs.writeFileSync(path.join(dir, a.name), a.text);
    student.set(a.name, parseNotebook(a.text, a.name));
    instructor.set(a.name, parseNotebook(fs.readFileSync(a.source, 'utf8'), a.source));
  }
});

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

/** Lines of the regions of `kind` that appear nowhere else in the instructor notebook: only a leak would put them in the student's. */
function distinctiveLines(nb: Notebook, kind: 'solution' | 'hidden-tests'): string[] {
  const inRegions = nb.cells.flatMap((cell) => regionBodies(cellSource(cell), kind).flat()).map((l) => l.trim());
  const outside = nb.cells.map((cell) => {
    const source = cellSource(cell);
    const regions = findRegions(source).filter((r) => r.kind === kind);
    return source.split('\n').filter((_line, i) => !regions.some((r) => i >= r.begin && i <= r.end)).join('\n');
  }).join('\n');
  return [...new Set(inRegions)].filter((line) => line.length >= 12 && !outside.includes(line));
}

describe.each(NOTEBOOKS)('the student edition of %s', (name) => {
  const nb = (): Notebook => student.get(name) as Notebook;
  const source = (): Notebook => instructor.get(name) as Notebook;

  it('contains no solution code, no hidden tests and no outputs', () => {
    const text = serializeNotebook(nb());
    const solutions = distinctiveLines(source(), 'solution');
    const hidden = distinctiveLines(source(), 'hidden-tests');
    expect(solutions.length).toBeGreaterThan(0);
    expect(hidden.length).toBeGreaterThan(0);
    expect(solutions.filter((line) => text.includes(line))).toEqual([]);
    expect(hidden.filter((line) => text.includes(line))).toEqual([]);
    expect(nb().cells.flatMap((cell) => findRegions(cellSource(cell)))).toEqual([]);
    for (const cell of nb().cells) if (cell.cell_type === 'code') expect([cell.outputs.length, cell.execution_count]).toEqual([0, null]);
    expect(nb().metadata['kernelspec']).toEqual(source().metadata['kernelspec']);
  });

  it('records a checksum on every locked cell that matches its content', () => {
    const locked = nb().cells.filter(isLocked);
    expect(locked.length).toBeGreaterThan(0);
    for (const cell of locked) {
      expect((cell.metadata['nbgrader'] as Record<string, unknown>)['checksum']).toBe(computeChecksum(cell));
      expect([cell.metadata['editable'], cell.metadata['deletable']]).toEqual([false, false]);
    }
  });

  let blank: ValidationReport | undefined;
  it('runs headless: every other cell succeeds, every exercise test fails with "not implemented" and 0 points', async () => {
    blank = await validateNotebook(path.join(dir, name), { projectRoot: PROJECT_ROOT, timeoutSeconds: 180 });
    process.stdout.write(`${name}: blank student edition ran in ${blank.seconds.toFixed(1)} s (load ${os.loadavg()[0]?.toFixed(1)})\n`);
    expect(blank.failure).toBeNull();
    expect(blank.cellErrors).toEqual([]);
    expect(blank.warnings).toEqual([]);
    const exercises = nb().cells.filter((c) => cellKind(c) === 'tests').length;
    expect(blank.exercises).toHaveLength(exercises);
    for (const exercise of blank.exercises) {
      expect(exercise.tests.length, exercise.gradeId).toBeGreaterThan(0);
      expect(exercise.points, exercise.gradeId).toBe(0);
      for (const test of exercise.tests) {
        expect(test.passed, test.name).toBe(false);
        expect(test.message, test.name).toMatch(/not implemented: [\w$]+/);
      }
    }
  }, 480_000);
});

// The command line on one solved notebook: the other notebooks' visible tests pass with their
// solutions in each notebook's own test (test/notebooks/), so one full run here checks what only
// this path adds: `npm run validate` from a folder outside the project, its totals, its warning for
// an edited read-only cell, and its exit code.
describe('npm run validate on a solved student edition', () => {
  const name = NOTEBOOKS[0] as string;
  const nb = (): Notebook => student.get(name) as Notebook;
  const source = (): Notebook => instructor.get(name) as Notebook;

  it(`validates ${name} green with the solutions filled in and names an edited read-only cell`, () => {
    const solved = parseNotebook(serializeNotebook(nb()), name);
    source().cells.forEach((cell, i) => {
      const target = solved.cells[i] as Cell;
      if (isSolution(cell)) target.source = cell.source;
    });
    const edited = solved.cells.findIndex(isLocked);
    const lockedCell = solved.cells[edited] as Cell;
    lockedCell.source = splitLines(`${cellSource(lockedCell)}\n// a note the student added`);
    const file = path.join(dir, `solved-${name}`);
    fs.writeFileSync(file, serializeNotebook(solved));
    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'validate.js'), file, '--timeout', '180'], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout).toMatch(new RegExp(`warning: cell ${edited + 1} \\([\\w-]+\\) is read-only but was edited`));
    const total = /(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?) points from the visible tests; (\d+) of (\d+) tests passed/.exec(run.stdout);
    expect(total, run.stdout + run.stderr).not.toBeNull();
    expect(total?.[1]).toBe(total?.[2]);
    expect(total?.[3]).toBe(total?.[4]);
    expect(run.stdout).not.toContain('✘');
    expect(run.status, run.stdout + run.stderr).toBe(0);
  }, 480_000);
});
