/**
 * Checking a lecture notebook's exercises on real kernels: the notebook reduced to its setup and
 * exercise cells, with the reference solutions replaced by wrong answers, run beside the full notebook;
 * and the consistency of its nbgrader metadata.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'vitest';
import { cellSource, parseNotebook, type Cell, type Notebook } from '../../src/notebook/nbformat';
import { nbgraderMetadata } from '../../src/notebook/execute/results';
import { runNotebooks } from '../../src/notebook/execute/runner';
import type { NotebookReport } from '../../src/notebook/execute/summary';
import { PROJECT_ROOT } from './project';

/** A cell's nbgrader grade_id ('' without one). */
export function gradeId(cell: Cell): string {
  const id = nbgraderMetadata(cell)['grade_id'];
  return typeof id === 'string' ? id : '';
}

/** The notebook reduced to the cells with the given grade_ids, each BEGIN/END SOLUTION region replaced by the next given body. */
export function exerciseNotebook(source: Notebook, keep: readonly string[], replacements: Readonly<Record<string, string[]>>): Notebook {
  const cells = source.cells
    .filter((cell) => keep.includes(gradeId(cell)))
    .map((cell) => {
      const bodies = replacements[gradeId(cell)];
      if (bodies === undefined) return cell;
      let k = 0;
      const replaced = cellSource(cell).replace(/\/\/ BEGIN SOLUTION\n[\s\S]*?\/\/ END SOLUTION/g, () => {
        const body = bodies[k++];
        if (body === undefined) throw new Error(`${gradeId(cell)}: more solution regions than replacements`);
        return body;
      });
      if (k !== bodies.length) throw new Error(`${gradeId(cell)}: ${k} solution regions, ${bodies.length} replacements`);
      return { ...cell, source: replaced };
    });
  return { ...source, cells };
}

/** One test result of a run, by name. */
export type TestResults = Map<string, { passed: boolean; message: string; points: number }>;

/** One run's test results by name; `label` names the run when its report is missing. */
export function resultsByName(report: NotebookReport | undefined, label: string): TestResults {
  if (report === undefined) throw new Error(`no report for ${label}`);
  return new Map(report.tests.map((t) => [t.name, { passed: t.passed, message: t.message, points: t.points }]));
}

/** Runs `notebook` and one reduced copy per variant (file name -> replacements) in `dir`; returns the full report and each variant's results. */
export async function runWithVariants(
  notebook: string,
  keep: readonly string[],
  variants: Readonly<Record<string, Readonly<Record<string, string[]>>>>,
  dir: string,
): Promise<{ full: NotebookReport | undefined; variants: Map<string, TestResults> }> {
  const source = parseNotebook(fs.readFileSync(notebook, 'utf8'), notebook);
  for (const [name, replacements] of Object.entries(variants)) {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(exerciseNotebook(source, keep, replacements), null, 1));
  }
  const files = [notebook, ...Object.keys(variants).map((name) => path.join(dir, name))];
  const reports = await runNotebooks(files, { projectRoot: PROJECT_ROOT, outDir: path.join(dir, 'out'), timeoutSeconds: 120 });
  const results = new Map<string, TestResults>();
  Object.keys(variants).forEach((name, i) => {
    const report = reports[i + 1];
    if (report !== undefined) results.set(name, resultsByName(report, name));
  });
  return { full: reports[0], variants: results };
}

/**
 * Expects graded cells (in order) whose points equal the sum of their tests' points, locked, with hidden
 * tests and a first comment saying what they check; solution cells (in order) with balanced regions.
 */
export function expectConsistentNbgrader(nb: Notebook, graded: readonly string[], solutions: readonly string[], totalPoints: number): void {
  const gradedCells = nb.cells.filter((c) => nbgraderMetadata(c)['grade'] === true);
  expect(gradedCells.map(gradeId)).toEqual(graded);
  for (const cell of gradedCells) {
    const code = cellSource(cell);
    const points = [...code.matchAll(/\btest\("[^"]*", (\d+),/g)].reduce((s, m) => s + Number(m[1]), 0);
    expect(nbgraderMetadata(cell)['points'], gradeId(cell)).toBe(points);
    expect(nbgraderMetadata(cell)['locked'], gradeId(cell)).toBe(true);
    expect(code.indexOf('// BEGIN HIDDEN TESTS'), gradeId(cell)).toBeGreaterThan(0);
    expect(code.indexOf('// END HIDDEN TESTS'), gradeId(cell)).toBeGreaterThan(code.indexOf('// BEGIN HIDDEN TESTS'));
    expect(code.startsWith('// Tests '), `${gradeId(cell)} says what it checks in its first comment`).toBe(true);
  }
  const solutionCells = nb.cells.filter((c) => nbgraderMetadata(c)['solution'] === true);
  expect(solutionCells.map(gradeId)).toEqual(solutions);
  for (const cell of solutionCells) {
    const code = cellSource(cell);
    expect(code.split('// BEGIN SOLUTION').length, gradeId(cell)).toBe(code.split('// END SOLUTION').length);
    expect(code).toContain('// BEGIN SOLUTION');
  }
  expect(gradedCells.reduce((s, c) => s + Number(nbgraderMetadata(c)['points']), 0)).toBe(totalPoints);
}
