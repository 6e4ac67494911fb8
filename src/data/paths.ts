/**
 * Where gradlab keeps data on disk. Notebooks run with cwd = notebooks/, tests and scripts from the
 * project root, so the folder is found from this file's location, not from the working directory.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The environment variable that overrides the data folder (an absolute or cwd-relative path). */
export const DATA_DIR_ENV = 'GRADLAB_DATA_DIR';

/**
 * The `datasets/` folder: `override` if given, else `$GRADLAB_DATA_DIR`, else `datasets/` next to the
 * `package.json` named `gradlab` found by walking up from this module's folder.
 */
export function datasetsDir(override?: string): string {
  if (override !== undefined && override !== '') return path.resolve(override);
  const fromEnv = process.env[DATA_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv);
  const root = packageRoot(__dirname);
  if (root === null) {
    throw new Error(
      `datasetsDir: no package.json named "gradlab" above ${__dirname}; ` +
        `set ${DATA_DIR_ENV} or pass dataDir to choose the data folder`,
    );
  }
  return path.join(root, 'datasets');
}

/** The nearest folder at or above `start` whose package.json has `"name": "gradlab"`, or null. */
export function packageRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate) && packageName(candidate) === 'gradlab') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function packageName(file: string): string | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed) {
      const name = (parsed as { name: unknown }).name;
      return typeof name === 'string' ? name : null;
    }
  } catch {
    // An unreadable or malformed package.json is not ours; keep walking up.
  }
  return null;
}
