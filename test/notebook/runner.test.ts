import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeCell, Notebook, Output } from '../../src/notebook/nbformat';
import { runNotebooks } from '../../src/notebook/execute/runner';
import { formatSummary, isFailing, type NotebookReport } from '../../src/notebook/execute/summary';
import { TEST_RESULT_MIME } from '../../src/testing/notebookTest';

// One runner invocation over several notebooks on real tslab kernels: a notebook full of failures
// (hangs, a type error, an exception, 10 MB of output, process.exit) between notebooks that must be
// unaffected, a malformed file and an unknown kernel. The notebooks live inside the project (under
// build/, which git ignores) so that `import ... from "gradlab"` resolves by package name.
const ROOT = path.resolve(__dirname, '../..');
let dir = '';
let outDir = '';
let reports: NotebookReport[] = [];
const sources = new Map<string, string>();

interface CellSpec {
  source: string;
  metadata?: Record<string, unknown>;
  markdown?: boolean;
}

function writeNotebook(file: string, cells: (string | CellSpec)[], kernel = 'tslab'): void {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: 'TypeScript', language: 'typescript' } },
    cells: cells.map((cell, i) => {
      const spec = typeof cell === 'string' ? { source: cell } : cell;
      return spec.markdown === true
        ? { cell_type: 'markdown', id: `m${i}`, metadata: {}, source: spec.source }
        : { cell_type: 'code', id: `c${i}`, metadata: spec.metadata ?? {}, source: spec.source, outputs: [], execution_count: null };
    }),
  };
  writeRaw(file, JSON.stringify(nb, null, 1));
}

function writeRaw(file: string, text: string): void {
  const full = path.join(dir, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  sources.set(full, text);
}

/** A cell that never ends, with its own 2 s limit (the run's limit stays generous for the others). */
const hang = (source: string): CellSpec => ({ source, metadata: { gradlab: { timeout: 2 } } });

const report = (name: string): NotebookReport => {
  const found = reports.find((r) => r.sourcePath === path.join(dir, name));
  if (found === undefined) throw new Error(`no report for ${name}`);
  return found;
};
const codeCells = (nb: Notebook | null): CodeCell[] => (nb?.cells ?? []).filter((c): c is CodeCell => c.cell_type === 'code');
const text = (outputs: Output[], name = 'stdout'): string =>
  outputs.map((o) => (o.output_type === 'stream' && o.name === name ? [o.text].flat().join('') : '')).join('');

beforeAll(async () => {
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, 'build', 'runner-test-'));
  outDir = path.join(dir, 'out');
  writeNotebook('robust.ipynb', [
    'let x = 1;\nconsole.log("start")',
    hang('while (true) {}'),
    'console.log("after loop", x)',
    hang('await new Promise<void>(() => {})'),
    'const bad: number = "str";',
    'console.log("independent", x)',
    'throw new Error("boom")',
    'console.log("x".repeat(10_000_000))',
    'for (let i = 0; i < 20000; i++) console.log("line " + i)',
    'process.exit(3)',
    'console.log("after exit")',
    hang('await Promise.resolve();\nwhile (true) {}'),
    'console.log("end")',
  ]);
  writeNotebook('course/tests.ipynb', [
    { markdown: true, source: '# Tests' },
    'import { tensor, test, assertClose } from "gradlab";\nimport * as tslab from "tslab";\nconst t = tensor([1, 2, 3]);\nconsole.log(t.shape)',
    {
      source:
        '// checks sums\ntest("sum is 6", 2, () => assertClose(t.sum().item(), 6));\n' +
        'test("wrong on purpose", 1, () => assertClose(t.sum().item(), 7));\ntest("still runs after a failure", 1, () => {});',
      metadata: { nbgrader: { grade: true, grade_id: 'sums', points: 4, schema_version: 3 } },
    },
    'await test("async test", 1, async () => { await new Promise((r) => setTimeout(r, 20)); });',
    { source: 'const unused = 1;', metadata: { nbgrader: { grade: true, grade_id: 'silent', points: 2 } } },
    { source: 'throw new Error("expected failure")', metadata: { tags: ['raises-exception'] } },
    'console.log(process.cwd())',
    'const d = tslab.newDisplay();\nd.text("first");\nd.text("second");',
    '',
  ]);
  writeNotebook('z-clean.ipynb', [
    'import { tensor, test } from "gradlab";\nconst v = tensor([[1, 2], [3, 4]]);',
    'test("shape is [2, 2]", 1, () => { if (v.shape.join() !== "2,2") throw new Error(`got ${v.shape}`); });',
  ]);
  writeRaw('bad.ipynb', '{\n "nbformat": 4,\n "cells": [,]\n}\n');
  writeNotebook('unknown.ipynb', ['test("never", 1, () => {})'], 'no-such-kernel');

  const files = ['bad.ipynb', 'course/tests.ipynb', 'robust.ipynb', 'unknown.ipynb', 'z-clean.ipynb'].map((f) => path.join(dir, f));
  reports = await runNotebooks(files, { projectRoot: ROOT, outDir, timeoutSeconds: 60, interruptGraceMs: 2000, cwd: dir });
}, 180_000);

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

describe('runNotebooks on real tslab kernels', () => {
  it('keeps running after a hang, an error, a flood of output and a dead kernel', () => {
    const robust = report('robust.ipynb');
    expect(robust.failure).toBeNull();
    expect(robust.execution?.cells.map((c) => c.status)).toEqual([
      'ok', 'timeout', 'ok', 'timeout', 'error', 'ok', 'error', 'ok', 'ok', 'died', 'ok', 'timeout', 'ok',
    ]);
    const messages = robust.execution?.cells.map((c) => c.message) ?? [];
    expect(messages[1]).toBe('timed out after 2 s; interrupted (SIGINT)');
    expect(messages[3]).toBe('timed out after 2 s; interrupted (SIGINT)');
    expect(messages[4]).toBe("1:7 - Type 'string' is not assignable to type 'number'.");
    expect(messages[6]).toBe('Error: boom');
    expect(messages[9]).toMatch(/^kernel died while running this cell \(exit code 3\); kernel restarted/);
    expect(messages[11]).toMatch(/^timed out after 2 s; SIGINT did not stop it; kernel restarted/);
    expect(robust.execution?.restarts).toBe(2);
    expect(isFailing(robust)).toBe(true);
  });

  it('stores outputs and execution counts as Jupyter does', () => {
    const cells = codeCells(report('robust.ipynb').notebook);
    expect(text(cells[2]?.outputs ?? [])).toBe('after loop 1\n'); // state survives an interrupt
    expect(text(cells[5]?.outputs ?? [])).toBe('independent 1\n'); // not aborted after the type error
    expect(text(cells[4]?.outputs ?? [], 'stderr')).toContain("Type 'string' is not assignable");
    expect(text(cells[10]?.outputs ?? [])).toBe('after exit\n');
    expect(text(cells[12]?.outputs ?? [])).toBe('end\n');
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, null, 1, null, 1]);
    expect(cells[9]?.outputs.at(-1)).toMatchObject({ output_type: 'error', ename: 'DeadKernelError' });
    expect(cells[1]?.outputs.at(-1)).toMatchObject({ output_type: 'error', ename: 'CellTimeoutError' });
  });

  it('caps 10 MB of output at 1 MB with a note, and loses no line of a 20 000-line print', () => {
    const cells = codeCells(report('robust.ipynb').notebook);
    const big = text(cells[7]?.outputs ?? []);
    expect(big.length).toBeLessThan(1_000_100);
    expect(big.startsWith('x'.repeat(1000))).toBe(true);
    expect(big.endsWith('\n[output truncated: 9000001 bytes omitted]\n')).toBe(true);
    const lines = text(cells[8]?.outputs ?? []).split('\n');
    expect(lines).toHaveLength(20001);
    expect(lines[19999]).toBe('line 19999');
  });

  it('reads test results from the structured outputs of cells importing "gradlab" by package name', () => {
    const tests = report('course/tests.ipynb');
    expect(tests.failure).toBeNull();
    expect(tests.tests.map((t) => [t.name, t.passed, t.points, t.maxPoints])).toEqual([
      ['sum is 6', true, 2, 2],
      ['wrong on purpose', false, 0, 1],
      ['still runs after a failure', true, 1, 1],
      ['async test', true, 1, 1],
      ['silent', false, 0, 2],
    ]);
    expect(tests.tests[1]?.message).toMatch(/7/);
    expect(tests.tests[4]?.message).toBe('produced no test result');
    const cells = codeCells(tests.notebook);
    expect(cells[1]?.outputs[0]).toMatchObject({ output_type: 'display_data', data: { [TEST_RESULT_MIME]: { name: 'sum is 6', passed: true } } });
    expect(cells[1]?.outputs[0]).toMatchObject({ data: { 'text/plain': ['✔ sum is 6 (2/2 points)'] } });
  });

  it('runs each kernel in its notebook folder, treats raises-exception as expected, applies display updates', () => {
    const tests = report('course/tests.ipynb');
    const runs = tests.execution?.cells ?? [];
    expect(runs.find((r) => r.index === 5)).toMatchObject({ status: 'error', expectedError: true, message: 'Error: expected failure' });
    const cells = codeCells(tests.notebook);
    expect(text(cells[5]?.outputs ?? [])).toBe(path.join(dir, 'course') + '\n');
    expect(cells[6]?.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': ['second'] }, metadata: {} }]);
    expect(cells[7]?.execution_count).toBeNull(); // the empty cell is not sent
    expect(runs).toHaveLength(7);
  });

  it('leaves other notebooks unaffected and reports unreadable ones and unknown kernels by name', () => {
    const clean = report('z-clean.ipynb');
    expect(isFailing(clean)).toBe(false);
    expect(clean.tests.map((t) => t.passed)).toEqual([true]);

    const bad = report('bad.ipynb');
    expect(bad.failure).toBe("not valid JSON (near line 3): Unexpected token ','");
    expect(bad.notebook).toBeNull();

    const unknown = report('unknown.ipynb');
    expect(unknown.failure).toMatch(/^no kernel named 'no-such-kernel' \(known kernels: .*tslab.*\)$/);
    expect(unknown.tests).toMatchObject([{ passed: false, message: expect.stringMatching(/^did not run: no kernel named 'no-such-kernel'/) }]);
  });

  it('writes executed copies below --out, mirroring folders, and never touches the sources', () => {
    for (const [file, original] of sources) expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(fs.existsSync(path.join(outDir, 'course', 'tests.ipynb'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'robust.ipynb'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'bad.ipynb'))).toBe(false);
    const written = JSON.parse(fs.readFileSync(path.join(outDir, 'z-clean.ipynb'), 'utf8')) as Notebook;
    expect(codeCells(written).map((c) => c.execution_count)).toEqual([1, 2]);
    expect(report('z-clean.ipynb').outputPath).toBe(path.join(outDir, 'z-clean.ipynb'));
  });

  it('summarises every case on its own line and ends with the test counts', () => {
    const summary = formatSummary(reports);
    for (const expected of [
      'robust.ipynb cell 2: timed out after 2 s; interrupted (SIGINT)',
      'robust.ipynb cell 4: timed out after 2 s; interrupted (SIGINT)',
      "robust.ipynb cell 5: error: 1:7 - Type 'string' is not assignable to type 'number'.",
      'robust.ipynb cell 7: error: Error: boom',
      'robust.ipynb cell 10: kernel died while running this cell (exit code 3); kernel restarted',
      'robust.ipynb cell 12: timed out after 2 s; SIGINT did not stop it; kernel restarted',
      "bad.ipynb: not valid JSON (near line 3): Unexpected token ','",
      "unknown.ipynb: no kernel named 'no-such-kernel'",
      "course/tests.ipynb cell 5: test 'silent' failed: produced no test result",
    ]) {
      expect(summary).toContain(expected);
    }
    expect(summary.trimEnd().split('\n').at(-1)).toBe('4 passed, 3 failed');
  });
});
