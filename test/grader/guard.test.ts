/**
 * The grading guard: the cell that freezes gradlab before student code runs (checked in a plain Node
 * process on the built project) and the binding that restored test cells take their gradlab functions
 * from. The same attacks on the real tslab kernel are in gradeClass.test.ts.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { gradedCopy } from '../../src/grader/gradedCopy';
import { GUARD_CELL_SOURCE, guardBinding, guardedCopy, gradlabImports } from '../../src/grader/guardedCopy';
import { cellSource, type Notebook } from '../../src/notebook/nbformat';
import { code, correctSubmission, DOUBLE_TESTS, indexOf, instructorNotebook } from '../helpers/gradingFixture';
import { PROJECT_ROOT, requireBuild } from '../helpers/project';

const BINDING_START = 'const { ';
const BINDING_END = ' } = (this as any)["__gradlabGrading"] as typeof import("gradlab"); ';

describe('binding restored test cells to the guard', () => {
  const source: Notebook = {
    ...instructorNotebook(),
    cells: [code('import { test, assertClose as close, Tensor, type TestResult } from "gradlab";\nimport { tensor } from "gradlab";', { grade_id: 'setup', locked: true }), ...instructorNotebook().cells.slice(2)],
  };

  it('binds the plain functions the source imports from gradlab, under their local names, and no classes or types', () => {
    expect([...gradlabImports(source)]).toEqual([['test', 'test'], ['close', 'assertClose'], ['tensor', 'tensor']]);
  });

  it('binds only the names a cell uses and does not declare itself', () => {
    const imports = gradlabImports(source);
    expect(guardBinding('test("a", 1, () => close(tensor([1]), tensor([1])));', imports)).toBe(`${BINDING_START}test, assertClose: close, tensor${BINDING_END}`);
    expect(guardBinding('const tensor = 1;\ntest("a", 1, () => {});\nx.test(1);', imports)).toBe(`${BINDING_START}test${BINDING_END}`);
    expect(guardBinding('// nothing of gradlab\nconst testing = 2;', imports)).toBe('');
  });

  it('puts the guard cell first, shifts the restored cells by one and binds test cells on their first line', () => {
    const copy = gradedCopy(instructorNotebook(), correctSubmission());
    const guarded = guardedCopy(copy, instructorNotebook());
    expect(guarded.guardIndex).toBe(0);
    expect(cellSource(guarded.notebook.cells[0] ?? code(''))).toBe(GUARD_CELL_SOURCE);
    expect(guarded.notebook.cells.slice(1)).toHaveLength(copy.notebook.cells.length);
    for (const [id, index] of copy.restored) expect(guarded.restored.get(id)).toBe(index + 1);
    const doubleTests = cellSource(guarded.notebook.cells[indexOf(guarded.notebook, 'double-tests')] ?? code(''));
    expect(doubleTests).toBe(`${BINDING_START}test${BINDING_END}${DOUBLE_TESTS}`);
    expect(doubleTests.split('\n')).toHaveLength(DOUBLE_TESTS.split('\n').length);
    // Answer cells and the setup cell are left as they are.
    expect(cellSource(guarded.notebook.cells[indexOf(guarded.notebook, 'double')] ?? code(''))).toBe(cellSource(copy.notebook.cells[indexOf(copy.notebook, 'double')] ?? code('')));
  });
});

describe('the guard in a Node process', () => {
  it('freezes gradlab, pins its require.cache entries and publishes a binding that cannot be replaced', () => {
    requireBuild();
    const script = `
      const guard = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'grader', 'kernelGuard.js'))});
      const gradlab = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'index.js'))});
      const realTest = gradlab.test;
      guard.installGradingGuard();
      const id = require.resolve(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'index.js'))});
      const attempts = {
        exportReplaced: (() => { const m = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'testing', 'notebookTest.js'))}); try { m.test = () => {}; } catch {} return m.test !== realTest || gradlab.test !== realTest; })(),
        subModuleReplaced: (() => { const m = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'display', 'kernel.js'))}); const f = m.displayBundle; try { m.displayBundle = () => {}; } catch {} return m.displayBundle !== f; })(),
        prototypePatched: (() => { try { gradlab.Tensor.prototype.add = () => 1; } catch {} return gradlab.tensor([1]).add(gradlab.tensor([1])) === 1; })(),
        cacheDeleted: (() => { try { delete require.cache[id]; } catch {} return require.cache[id] === undefined; })(),
        cacheExportsSwapped: (() => { try { require.cache[id].exports = {}; } catch {} return require(id) !== gradlab; })(),
        globalReplaced: (() => { try { globalThis.__gradlabGrading = {}; } catch {} try { delete globalThis.__gradlabGrading; } catch {} return globalThis.__gradlabGrading !== gradlab; })(),
        installedTwice: (() => { try { guard.installGradingGuard(); return true; } catch { return false; } })(),
      };
      process.stdout.write(JSON.stringify(attempts));
    `;
    const attempts = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' })) as Record<string, boolean>;
    expect(attempts).toEqual({
      exportReplaced: false,
      subModuleReplaced: false,
      prototypePatched: false,
      cacheDeleted: false,
      cacheExportsSwapped: false,
      globalReplaced: false,
      installedTwice: false,
    });
  });
});
