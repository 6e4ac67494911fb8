/**
 * Finding kernelspecs: the `kernels/<name>/kernel.json` files Jupyter registers (the project's own
 * `.jupyter/` first, then JUPYTER_PATH and JUPYTER_DATA_DIR), and the tslab kernel built into the
 * project when none is registered.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { delimiter, join } from 'path';
import { isJsonObject, notebookKernelName, type Notebook } from '../nbformat';

/** The kernel used when a notebook names none. */
export const DEFAULT_KERNEL = 'tslab';

/** What a kernel.json says about starting a kernel. */
export interface KernelSpec {
  readonly name: string;
  readonly argv: readonly string[];
  readonly displayName: string;
  readonly language: string;
  readonly env: Readonly<Record<string, string>>;
  /** The kernel.json this came from, or a description of the built-in default. */
  readonly source: string;
}

/** A kernel that could not be found or started; the message says which and why. */
export class KernelStartError extends Error {
  override name = 'KernelStartError';
}

/** The project-local Jupyter data folder, where `npm install` registers the tslab kernelspec. */
export function projectJupyterDir(projectRoot: string): string {
  return join(projectRoot, '.jupyter');
}

/** Folders searched for `kernels/<name>/kernel.json`: the project's, then JUPYTER_PATH and JUPYTER_DATA_DIR. */
export function kernelSearchDirs(projectRoot: string): string[] {
  const dirs = [projectJupyterDir(projectRoot)];
  for (const variable of ['JUPYTER_PATH', 'JUPYTER_DATA_DIR']) {
    const value = process.env[variable];
    if (value) dirs.push(...value.split(delimiter).filter((dir) => dir !== ''));
  }
  return [...new Set(dirs)].map((dir) => join(dir, 'kernels'));
}

/**
 * Environment for tslab kernels: NODE_OPTIONS preloads gradlab's kernelPreload (no lost outputs)
 * when the project is built, or from the installed gradlab in a student project (where gradlab is
 * in node_modules); empty otherwise.
 */
export function tslabKernelEnv(projectRoot: string): Record<string, string> {
  const candidates = [join(projectRoot, 'dist', 'notebook', 'jupyter', 'kernelPreload.js'), join(__dirname, 'kernelPreload.js')];
  const preload = candidates.find((file) => existsSync(file));
  return preload !== undefined ? { NODE_OPTIONS: `--require ${JSON.stringify(preload)}` } : {};
}

/** The tslab kernel run directly from the project's node_modules, used when no kernelspec is registered. */
export function builtinTslabSpec(projectRoot: string): KernelSpec {
  const bin = join(projectRoot, 'node_modules', 'tslab', 'bin', 'tslab');
  return {
    name: 'tslab',
    argv: [process.execPath, bin, 'kernel', '--config-path', '{connection_file}'],
    displayName: 'TypeScript',
    language: 'typescript',
    env: tslabKernelEnv(projectRoot),
    source: `built-in (${bin})`,
  };
}

function readKernelSpec(file: string, name: string): KernelSpec {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KernelStartError(`kernelspec ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isJsonObject(value)) throw new KernelStartError(`kernelspec ${file} must be a JSON object`);
  const argv = value['argv'];
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((arg): arg is string => typeof arg === 'string')) {
    throw new KernelStartError(`kernelspec ${file}: argv must be a non-empty string[]`);
  }
  const env: Record<string, string> = {};
  const rawEnv = value['env'];
  if (isJsonObject(rawEnv)) for (const [key, val] of Object.entries(rawEnv)) if (typeof val === 'string') env[key] = val;
  return {
    name,
    argv,
    displayName: typeof value['display_name'] === 'string' ? value['display_name'] : name,
    language: typeof value['language'] === 'string' ? value['language'] : '',
    env,
    source: file,
  };
}

/** Names of all kernels found (registered ones plus the built-in tslab). */
export function listKernelNames(projectRoot: string): string[] {
  const names = new Set<string>(['tslab']);
  for (const dir of kernelSearchDirs(projectRoot)) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) if (existsSync(join(dir, entry, 'kernel.json'))) names.add(entry);
  }
  return [...names].sort();
}

/** The kernelspec called `name`; throws KernelStartError listing the known kernels when there is none. */
export function findKernelSpec(name: string, projectRoot: string): KernelSpec {
  for (const dir of kernelSearchDirs(projectRoot)) {
    const file = join(dir, name, 'kernel.json');
    if (existsSync(file)) return readKernelSpec(file, name);
  }
  if (name === 'tslab') return builtinTslabSpec(projectRoot);
  throw new KernelStartError(`no kernel named '${name}' (known kernels: ${listKernelNames(projectRoot).join(', ')})`);
}

/** The kernelspec a notebook asks for in its metadata, or the default kernel when it names none. */
export function notebookKernelSpec(notebook: Notebook, projectRoot: string): KernelSpec {
  return findKernelSpec(notebookKernelName(notebook) ?? DEFAULT_KERNEL, projectRoot);
}
