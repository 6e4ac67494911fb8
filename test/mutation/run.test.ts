import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain ES module without type declarations
import { mutatePatterns, summarize } from './run.mjs';

const source = ['export function f(a: number, b: number): number {', '  return a < b ? a : b;', '}'].join('\n');
const at = (line: number, start: number, end: number) => ({ start: { line, column: start }, end: { line, column: end } });

describe('npm run mutation', () => {
  it('turns named files and folders into Stryker patterns, the five layers and the grader\'s scoring by default', () => {
    expect(mutatePatterns([])).toEqual(['src/ops/**/*.ts', 'src/autograd/**/*.ts', 'src/nn/**/*.ts', 'src/optim/**/*.ts', 'src/init/**/*.ts', 'src/grader/scoring.ts']);
    expect(mutatePatterns(['src/optim', 'src/optim/adam.ts'])).toEqual(['src/optim/**/*.ts', 'src/optim/adam.ts']);
    expect(mutatePatterns(['src/grader/scoring.ts'])).toEqual(['src/grader/scoring.ts']);
  });

  it('refuses a file outside the layers, naming it (of src/grader only the scoring is in scope)', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => mutatePatterns(['src/grader/feedback.ts'])).toThrow('exit 2');
      expect(String(error.mock.calls[0]?.[0])).toMatch(/^mutation: src\/grader\/feedback.ts is not inside src\/ops, .*src\/grader\/scoring.ts\n/);
    } finally {
      exit.mockRestore();
      error.mockRestore();
    }
  });

  it('scores each layer and lists survivors, marking those judged equivalent with the reason', () => {
    const report = {
      files: {
        'src/ops/min.ts': {
          source,
          mutants: [
            { mutatorName: 'EqualityOperator', replacement: 'a <= b', status: 'Survived', location: at(2, 10, 15) },
            { mutatorName: 'EqualityOperator', replacement: 'a > b', status: 'Killed', location: at(2, 10, 15) },
            { mutatorName: 'ConditionalExpression', replacement: 'true', status: 'Timeout', location: at(2, 10, 15) },
            { mutatorName: 'BlockStatement', replacement: '{}', status: 'NoCoverage', location: at(1, 50, 22) },
            { mutatorName: 'StringLiteral', replacement: '""', status: 'CompileError', location: at(2, 10, 15) },
          ],
        },
        'src/nn/x.ts': { source, mutants: [{ mutatorName: 'EqualityOperator', replacement: 'a >= b', status: 'Killed', location: at(2, 10, 15) }] },
        'src/grader/scoring.ts': { source, mutants: [{ mutatorName: 'EqualityOperator', replacement: 'a >= b', status: 'Survived', location: at(2, 10, 15) }] },
      },
    };
    const why = 'on a tie both sides are equal, so either is the minimum';
    const text: string = summarize(report, [{ file: 'src/ops/min.ts', mutator: 'EqualityOperator', original: 'a < b', replacement: 'a <= b', why }]);
    expect(text).toContain('| src/nn | 1 | 1 | 0 | 0 | 0 | 100.0% | 0 | 100.0% |');
    // 4 valid mutants (the compile error is not counted), 2 detected; 1 of the 2 survivors is equivalent.
    expect(text).toContain('| src/ops | 4 | 1 | 1 | 1 | 1 | 50.0% | 1 | 66.7% |');
    // The scoring file is a layer of its own.
    expect(text).toContain('| src/grader/scoring.ts | 1 | 0 | 0 | 1 | 0 | 0.0% | 0 | 0.0% |');
    expect(text).toContain('| all | 6 | 2 | 1 | 2 | 1 | 50.0% | 1 | 60.0% |');
    expect(text).toContain(`- \`src/ops/min.ts:2\` EqualityOperator: \`a < b\` → \`a <= b\`\n  ${why}`);
    expect(text).toMatch(/not yet killed \(2\)\n\n- `src\/ops\/min.ts:1` BlockStatement \(no test reaches it\).*\n- `src\/grader\/scoring.ts:2` EqualityOperator: `a < b` → `a >= b`\n/);
  });
});
