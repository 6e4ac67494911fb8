/**
 * Which folder `npm start` opens. In the course repository: the student workspace (`workspace/`,
 * student editions of `notebooks/`, never the answers), or with `--instructor` the instructor's
 * notebooks. In a student project (made by `npm run assign`): its own `notebooks/`.
 */
import { mkdirSync } from 'fs';
import { join } from 'path';
import { describeWorkspaceEvents, prepareWorkspace } from '../grader/workspace';
import { findNotebooks } from '../notebook/runner';
import type { ProjectLayout } from './projectLayout';

/** The student workspace folder of a course repository. */
export function workspaceDir(projectRoot: string): string {
  return join(projectRoot, 'workspace');
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
  const events = prepareWorkspace(findNotebooks([notebooks]), dir);
  for (const line of describeWorkspaceEvents(events)) log(line);
  return dir;
}
