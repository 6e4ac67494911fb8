/**
 * The graded copy as it runs: a first cell that installs the grading guard (kernelGuard.ts) before
 * any student code, and restored test cells that take the gradlab functions they call (`test`,
 * `assertClose`, ...) from the guard's frozen copy of gradlab rather than from names a student cell
 * could have redeclared. The binding is put in front of the cell's first line, so line numbers in
 * messages stay those of the instructor's cell.
 */
import * as gradlabApi from '../index';
import { cellSource, splitLines, type Cell, type Notebook } from '../notebook/nbformat';
import { cellKind, gradeIdOf } from '../notebook/nbgrader';
import type { GradedCopy } from './gradedCopy';
import { GUARD_GLOBAL } from './kernelGuard';

/** The graded copy with the guard cell first; `restored` indices count it. */
export interface GuardedCopy extends GradedCopy {
  /** Index of the guard cell (0). */
  readonly guardIndex: number;
}

/** The source of the guard cell. */
export const GUARD_CELL_SOURCE = [
  '// Inserted by the grader: freezes gradlab and binds its test helpers before any other cell runs.',
  'require("gradlab/dist/grader/kernelGuard").installGradingGuard();',
].join('\n');

/** True for a plain function export (not a class): what a test cell may call and a student could shadow. */
function isPlainFunction(value: unknown): boolean {
  return typeof value === 'function' && !/^class\b/.test(Function.prototype.toString.call(value));
}

/** Local name -> exported name of the plain functions that `source`'s cells import by name from "gradlab". */
export function gradlabImports(source: Notebook): Map<string, string> {
  const exports = gradlabApi as Record<string, unknown>;
  const names = new Map<string, string>();
  for (const cell of source.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const match of cellSource(cell).matchAll(/\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*["']gradlab["']/g)) {
      if (match[1] !== undefined) continue;
      for (const specifier of (match[2] ?? '').split(',')) {
        const parts = /^\s*([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(specifier);
        if (parts === null || parts[1] === 'type') continue;
        const exported = parts[1] ?? '';
        if (isPlainFunction(exports[exported])) names.set(parts[2] ?? exported, exported);
      }
    }
  }
  return names;
}

/** Names a cell declares or imports itself at its top (roughly): those it must not have rebound. */
function declaredIn(source: string): Set<string> {
  const declared = new Set<string>();
  for (const match of source.matchAll(/\b(?:const|let|var|function|class)\s+([\w$]+)/g)) declared.add(match[1] ?? '');
  for (const match of source.matchAll(/\bimport\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const specifier of (match[1] ?? '').split(',')) declared.add(specifier.trim().split(/\s+as\s+/).pop() ?? '');
  }
  return declared;
}

/** The statement that binds the gradlab functions `source` uses from the guard, or '' when it uses none. */
export function guardBinding(source: string, imports: ReadonlyMap<string, string>): string {
  const declared = declaredIn(source);
  const used = [...imports].filter(([local]) => !declared.has(local) && new RegExp(`(?<![\\w$.])${local.replace(/\$/g, '\\$')}(?![\\w$])`).test(source));
  if (used.length === 0) return '';
  const pattern = used.map(([local, exported]) => (local === exported ? local : `${exported}: ${local}`)).join(', ');
  return `const { ${pattern} } = (this as any)[${JSON.stringify(GUARD_GLOBAL)}] as typeof import("gradlab"); `;
}

/** `copy` with the guard cell first and its restored test cells bound to the guard. */
export function guardedCopy(copy: GradedCopy, source: Notebook): GuardedCopy {
  const imports = gradlabImports(source);
  const testIds = new Set(source.cells.filter((cell) => cellKind(cell) === 'tests').map(gradeIdOf));
  const testIndices = new Set([...copy.restored].filter(([id]) => testIds.has(id)).map(([, index]) => index));
  const guard: Cell = { cell_type: 'code', source: splitLines(GUARD_CELL_SOURCE), metadata: { gradlab: { grading_guard: true } }, outputs: [], execution_count: null };
  const cells = copy.notebook.cells.map((cell, index) => {
    if (!testIndices.has(index) || cell.cell_type !== 'code') return cell;
    const binding = guardBinding(cellSource(cell), imports);
    return binding === '' ? cell : { ...cell, source: splitLines(binding + cellSource(cell)) };
  });
  const restored = new Map([...copy.restored].map(([id, index]) => [id, index + 1]));
  return { notebook: { ...copy.notebook, cells: [guard, ...cells] }, restored, repairs: copy.repairs, guardIndex: 0 };
}
