/**
 * Which folder `npm start` opens. In the course repository: the student workspace (`workspace/`,
 * student editions of `notebooks/`, never the answers), or with `--instructor` the instructor's
 * notebooks. In a student project (made by `npm run assign`): its own `notebooks/`.
 */
import { mkdirSync } from 'fs';
import { join, resolve } from 'path';
import { gradlabResolvesFrom } from '../grader/validate';
import { describeWorkspaceEvents, prepareWorkspace } from '../grader/workspace';
import { findNotebooks } from '../notebook/execute/runner';
import type { ProjectLayout } from './projectLayout';

/** The environment variable that moves the workspace (it must stay inside the project, where "gradlab" resolves). */
export const WORKSPACE_ENV = 'GRADLAB_WORKSPACE';

/** The student workspace folder of a course repository: `$GRADLAB_WORKSPACE`, else `workspace/`. */
export function workspaceDir(projectRoot: string): string {
  const chosen = process.env[WORKSPACE_ENV];
  return chosen !== undefined && chosen !== '' ? resolve(projectRoot, chosen) : join(projectRoot, 'workspace');
}

/**
 * The folder JupyterLab should open, after bringing the workspace up to date (its events go to
 * `log`). Throws an Error saying why when `--instructor` is asked for in a student project.
 */
export function notebookRootFor(layout: ProjectLayout, instructor: boolean, log: (line: string) => void): string {
  const notebooks = join(layout.projectRoot, 'notebooks');
  if (layout.kind === 'student') {
    if (instructor) throw new Error('--instructor opens the instructor notebooks of the course repository; this project holds only the student notebooks');
    mkdirSync(notebooks, { recursive: true });
    return notebooks;
  }
  if (instructor) return notebooks;
  const dir = workspaceDir(layout.projectRoot);
  if (!gradlabResolvesFrom(dir)) {
    throw new Error(`the workspace ${dir} must be inside the project ${layout.projectRoot}, where notebooks can import "gradlab"`);
  }
  const events = prepareWorkspace(findNotebooks([notebooks]), dir);
  for (const line of describeWorkspaceEvents(events)) log(line);
  return dir;
}
