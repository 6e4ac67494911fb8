import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without type declarations
import { mutatePatterns, summarize } from './run.mjs';

const source = ['export function f(a: number, b: number): number {', '  return a < b ? a : b;', '}'].join('\n');
const at = (line: number, start: number, end: number) => ({ start: { line, column: start }, end: { line, column: end } });

describe('npm run mutation', () => {
  it('turns named files and folders into Stryker patterns, the five layers by default', () => {
    expect(mutatePatterns([])).toEqual(['src/ops/**/*.ts', 'src/autograd/**/*.ts', 'src/nn/**/*.ts', 'src/optim/**/*.ts', 'src/init/**/*.ts']);
    expect(mutatePatterns(['src/optim', 'src/optim/adam.ts'])).toEqual(['src/optim/**/*.ts', 'src/optim/adam.ts']);
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
      },
    };
    const why = 'on a tie both sides are equal, so either is the minimum';
    const text: string = summarize(report, [{ file: 'src/ops/min.ts', mutator: 'EqualityOperator', original: 'a < b', replacement: 'a <= b', why }]);
    expect(text).toContain('| src/nn | 1 | 1 | 0 | 0 | 0 | 100.0% | 0 | 100.0% |');
    // 4 valid mutants (the compile error is not counted), 2 detected; 1 of the 2 survivors is equivalent.
    expect(text).toContain('| src/ops | 4 | 1 | 1 | 1 | 1 | 50.0% | 1 | 66.7% |');
    expect(text).toContain('| all | 5 | 2 | 1 | 1 | 1 | 60.0% | 1 | 75.0% |');
    expect(text).toContain(`- \`src/ops/min.ts:2\` EqualityOperator: \`a < b\` → \`a <= b\`\n  ${why}`);
    expect(text).toMatch(/not yet killed \(1\)\n\n- `src\/ops\/min.ts:1` BlockStatement \(no test reaches it\)/);
  });
});
