/**
 * Project set-up, run by `npm install` (the `prepare` script, after the build) or `npm run setup`:
 * - links `node_modules/gradlab` to the project, so notebooks `import { ... } from "gradlab"` by
 *   package name, as a student's own project would;
 * - registers the tslab kernel in the project-local Jupyter data folder `.jupyter/` (nothing is
 *   written to the home directory or system folders), with argv pointing at this project's tslab.
 *
 * Start Jupyter with `JUPYTER_PATH=.jupyter JUPYTER_DATA_DIR=.jupyter` to see the kernel.
 */
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { projectJupyterDir, tslabKernelEnv } from '../notebook/jupyter/kernelSpec';

/** The kernel.json contents for tslab from this project's node_modules, run by this Node (with gradlab's preload). */
export function tslabKernelSpec(projectRoot: string, nodePath = process.execPath): Record<string, unknown> {
  return {
    argv: [nodePath, join(projectRoot, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (gradlab)',
    language: 'typescript',
    env: tslabKernelEnv(projectRoot),
    metadata: { debugger: false },
  };
}

/** Writes `.jupyter/kernels/tslab/kernel.json`; returns its path. */
export function writeKernelSpec(projectRoot: string): string {
  const bin = join(projectRoot, 'node_modules', 'tslab', 'bin', 'tslab');
  if (!existsSync(bin)) throw new Error(`setup: ${bin} is missing; run \`npm install\` first`);
  const dir = join(projectJupyterDir(projectRoot), 'kernels', 'tslab');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'kernel.json');
  writeFileSync(file, JSON.stringify(tslabKernelSpec(projectRoot), null, 2) + '\n');
  return file;
}

/** Makes `node_modules/gradlab` a relative symlink to the project; returns what was done. */
export function linkPackage(projectRoot: string): string {
  const link = join(projectRoot, 'node_modules', 'gradlab');
  const target = relative(join(projectRoot, 'node_modules'), projectRoot) || '.';
  let stat;
  try {
    stat = lstatSync(link);
  } catch {
    stat = null;
  }
  if (stat !== null) {
    if (!stat.isSymbolicLink()) {
      throw new Error(`setup: ${link} exists and is not a symlink; remove it so that it can point at the project`);
    }
    if (resolve(join(projectRoot, 'node_modules'), readlinkSync(link)) === resolve(projectRoot)) return `${link} -> ${target} (already linked)`;
    rmSync(link);
  }
  mkdirSync(join(projectRoot, 'node_modules'), { recursive: true });
  symlinkSync(target, link, 'dir');
  return `${link} -> ${target}`;
}

/** Runs the set-up for the project at `projectRoot`, printing what it did. */
export function setup(projectRoot: string, log: (line: string) => void = (line) => process.stdout.write(line + '\n')): void {
  const built = join(projectRoot, 'dist', 'index.js');
  if (!existsSync(built)) log(`setup: warning: ${built} is missing; notebooks need the build (npm run build)`);
  log(`setup: linked ${linkPackage(projectRoot)}`);
  log(`setup: wrote ${writeKernelSpec(projectRoot)}`);
}

if (require.main === module) {
  try {
    setup(resolve(__dirname, '..', '..'));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
