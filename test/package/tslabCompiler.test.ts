import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

// tslab type-checks notebook cells, and everything they import, with its own pinned TypeScript 5.0
// (Node10 resolution, CommonJS, lib ES2022). The emitted declarations must load there, through the
// package name, exactly as a notebook in notebooks/ imports them.
const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require(path.join(ROOT, 'node_modules/@tslab/typescript-for-tslab')) as typeof import('typescript');

/** Compiles one cell with tslab's options (skipLibCheck as tslab sets it, unless `strictLibs`). */
function diagnosticsOf(source: string, strictLibs = false): string[] {
  const dir = fs.mkdtempSync(path.join(ROOT, 'notebooks', '.tscheck-'));
  const file = path.join(dir, 'cell.ts');
  fs.writeFileSync(file, source);
  try {
    const options = {
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      esModuleInterop: true,
      noEmit: true,
      rootDir: dir,
      // tslab skips checking .d.ts files; the strict variant checks ours (and only @types/node).
      skipLibCheck: !strictLibs,
      ...(strictLibs ? { types: ['node'] } : {}),
    };
    const program = ts.createProgram([file], options, ts.createCompilerHost(options));
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

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
