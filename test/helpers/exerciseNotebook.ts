/**
 * Exercise-notebook variants for the lecture-notebook tests: a notebook reduced to its setup and
 * exercise cells, with the solution regions replaced by given (often deliberately wrong) bodies, and
 * the test results of a run by name.
 */
import { cellSource, type Cell, type Notebook } from '../../src/notebook/nbformat';
import { nbgraderMetadata } from '../../src/notebook/results';
import type { NotebookReport } from '../../src/notebook/summary';

/** A cell's nbgrader grade_id, or '' when it has none. */
export function gradeId(cell: Cell): string {
  const id = nbgraderMetadata(cell)['grade_id'];
  return typeof id === 'string' ? id : '';
}

/** The notebook reduced to the cells whose grade_id is in `keep`, with solution regions replaced (one body per region, in order). */
export function exerciseNotebook(source: Notebook, keep: readonly string[], replacements: Record<string, string[]>): Notebook {
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

/** One run's test results by test name. */
export function resultsByName(report: NotebookReport | undefined, label: string): Map<string, { passed: boolean; message: string; points: number }> {
  if (report === undefined) throw new Error(`no report for ${label}`);
  return new Map(report.tests.map((t) => [t.name, { passed: t.passed, message: t.message, points: t.points }]));
}
