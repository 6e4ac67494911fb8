import { describe, expect, it } from 'vitest';
import { tslabDiagnostics as diagnosticsOf, tslabTs as ts } from '../helpers/tslab';

// tslab type-checks notebook cells, and everything they import, with its own pinned TypeScript 5.0
// (Node10 resolution, CommonJS, lib ES2022). The emitted declarations must load there, through the
// package name, exactly as a notebook in notebooks/ imports them.

describe('the built package under tslab\'s TypeScript 5.0', () => {
  it('is TypeScript 5.0', () => {
    expect(ts.version.startsWith('5.0.')).toBe(true);
  });

  it('type-checks a notebook cell that imports "gradlab" by package name', () => {
    const cell = [
      'import * as gl from "gradlab";',
      'import { tensor, randn, matmul, noGrad, assertClose, gradcheck, manualSeed, Tensor } from "gradlab";',
      'manualSeed(0);',
      'const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });',
      'const y: Tensor = x.matmul(randn([2, 2])).relu().sum();',
      'y.backward();',
      'const v: number = y.item();',
      'assertClose(noGrad(() => matmul(x, x)).var(0, { unbiased: false }), [4, 4], { atol: 1e9 });',
      'gradcheck((a: Tensor) => a.tanh(), [randn([2], { dtype: "float64", requiresGrad: true })]);',
      'console.log(v, x.T.shape, Object.keys(gl).length);',
    ].join('\n');
    expect(diagnosticsOf(cell)).toEqual([]);
  });

  it('has declarations that TypeScript 5.0 checks without a single error', () => {
    const diagnostics = diagnosticsOf('import * as gl from "gradlab";\nconsole.log(Object.keys(gl).length);\n', true);
    expect(diagnostics).toEqual([]);
  });

  it('reports a real type error (the check is not vacuous)', () => {
    const diagnostics = diagnosticsOf('import { tensor } from "gradlab";\nconst n: string = tensor([1]).item();\n');
    expect(diagnostics.join('\n')).toMatch(/Type 'number' is not assignable to type 'string'/);
  });
});
