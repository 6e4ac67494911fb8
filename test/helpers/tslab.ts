/**
 * tslab's own compiler (its pinned TypeScript 5.0) with the options tslab uses for notebook cells:
 * CommonJS, Node10 resolution, lib ES2022, rootDir = the cell's folder inside notebooks/ (so "gradlab"
 * resolves by package name, as it does for a notebook).
 */
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './project';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const tslabTs = require(path.join(PROJECT_ROOT, 'node_modules/@tslab/typescript-for-tslab')) as typeof import('typescript');

/** Compiles one cell with tslab's options (skipLibCheck as tslab sets it, unless `strictLibs`); returns the diagnostics. */
export function tslabDiagnostics(source: string, strictLibs = false): string[] {
  const ts = tslabTs;
  const dir = fs.mkdtempSync(path.join(PROJECT_ROOT, 'notebooks', '.tscheck-'));
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
