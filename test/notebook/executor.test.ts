import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { errorSummary, executeNotebook } from '../../src/notebook/execute/executor';
import { findKernelSpec } from '../../src/notebook/jupyter/kernelSpec';
import type { CodeCell, Notebook } from '../../src/notebook/nbformat';

const ROOT = path.resolve(__dirname, '../..');

function notebook(sources: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source): CodeCell => ({ cell_type: 'code', source, metadata: {}, outputs: [{ output_type: 'stream', name: 'stdout', text: 'stale' }], execution_count: 9 })),
  };
}

describe('errorSummary', () => {
  it('picks the SomeError: line of a stack trace, or the first line of a type error', () => {
    expect(errorSummary('evalmachine.<anonymous>:2\nthrow new Error("boom");\n^\n\nError: boom\n    at x')).toBe('Error: boom');
    expect(errorSummary('warn\nTypeError: t.foo is not a function\n')).toBe('TypeError: t.foo is not a function');
    expect(errorSummary("1:7 - Type 'string' is not assignable to type 'number'.\n2:1 - Cannot find name 'y'.")).toBe(
      "1:7 - Type 'string' is not assignable to type 'number'.",
    );
    expect(errorSummary('x'.repeat(500))).toHaveLength(200);
  });
});

describe('executeNotebook on a real tslab kernel', () => {
  it('re-sends a cell that tslab aborts right after an error, and applies the run-wide time limit', async () => {
    const nb = notebook(['const n: number = "one";', 'console.log("runs anyway")', '', 'await new Promise<void>(() => {})']);
    // No pause after the error: the next request falls into tslab's 200 ms abort window.
    const report = await executeNotebook(nb, { spec: findKernelSpec('tslab', ROOT), cwd: ROOT, timeoutMs: 3000, errorPauseMs: 0, abortRetryMs: 50 });
    expect(report.aborted).toBeGreaterThan(0);
    expect(report.cells.map((c) => c.status)).toEqual(['error', 'ok', 'timeout']);
    expect(report.cells[2]?.message).toBe('timed out after 3 s; interrupted (SIGINT)');
    const [first, second, empty] = nb.cells as CodeCell[];
    expect(second?.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['runs anyway\n'] }]);
    expect([first?.execution_count, second?.execution_count]).toEqual([1, 2]);
    expect(empty).toMatchObject({ outputs: [], execution_count: null }); // stale outputs cleared, not run
    expect(report.kernelStartSeconds).toBeGreaterThan(0);
    expect(report.firstReplySeconds).toBeGreaterThanOrEqual(report.kernelStartSeconds);
  }, 60_000);
});
