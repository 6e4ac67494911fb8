/**
 * Where a command finds things. gradlab runs in two kinds of project:
 * - the course repository itself (gradlab's own folder: instructor notebooks in `notebooks/`);
 * - a student project made by `npm run assign`, where gradlab is installed in `node_modules/gradlab`
 *   and the project folder (with `notebooks/`, `.jupyter/`, `.venv/`) is the one above it.
 */
import { basename, dirname, resolve } from 'path';

/** The folders of the project a command runs in. */
export interface ProjectLayout {
  /** gradlab's own folder: where `dist/` is. */
  readonly packageRoot: string;
  /** The project folder: `.jupyter/`, `.venv/`, `node_modules/` and the notebooks are here. */
  readonly projectRoot: string;
  /** `course` in gradlab's repository, `student` where gradlab is an installed dependency. */
  readonly kind: 'course' | 'student';
}

/** The layout for gradlab installed at `packageRoot` (default: this build's folder). */
export function projectLayout(packageRoot = resolve(__dirname, '..', '..')): ProjectLayout {
  const parent = dirname(packageRoot);
  if (basename(parent) === 'node_modules') return { packageRoot, projectRoot: dirname(parent), kind: 'student' };
  return { packageRoot, projectRoot: packageRoot, kind: 'course' };
}
