/**
 * The student workspace behind `npm start`: a folder of student editions made from the instructor's
 * notebooks, where the student's work lives. Student work is never overwritten:
 * - a notebook missing from the workspace is written (on the first start, or after the student deleted it);
 * - an existing notebook is never touched;
 * - when the instructor's notebook changed since its copy was made, the new student edition is
 *   written beside it as `<name>.new.ipynb` (`<name>.new-2.ipynb`, ... when that name is taken by
 *   other content) and the event says so.
 * `.gradlab-workspace.json` in the folder records, per notebook, a hash of the edition it was made from.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import { isJsonObject } from '../notebook/nbformat';
import { assignNotebooks } from './assignFiles';

/** The file in a workspace that records which edition each notebook was made from. */
export const WORKSPACE_MANIFEST = '.gradlab-workspace.json';

/** What happened to one notebook of the workspace. */
export type WorkspaceEvent =
  | { readonly kind: 'created'; readonly name: string; readonly file: string }
  | { readonly kind: 'kept'; readonly name: string; readonly file: string }
  | { readonly kind: 'updated-beside'; readonly name: string; readonly file: string; readonly newFile: string };

interface Manifest {
  version: 1;
  notebooks: Record<string, { edition: string }>;
}

function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function readManifest(dir: string): Manifest {
  const file = join(dir, WORKSPACE_MANIFEST);
  const empty: Manifest = { version: 1, notebooks: {} };
  if (!existsSync(file)) return empty;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isJsonObject(value) || !isJsonObject(value['notebooks'])) return empty;
    const notebooks: Manifest['notebooks'] = {};
    for (const [name, entry] of Object.entries(value['notebooks'])) {
      if (isJsonObject(entry) && typeof entry['edition'] === 'string') notebooks[name] = { edition: entry['edition'] };
    }
    return { version: 1, notebooks };
  } catch {
    return empty; // an unreadable record only means every existing notebook is compared afresh
  }
}

/** Writes a file whole or not at all (a reader never sees half of it). */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** The first `<stem>.new[-k].ipynb` that is free or already holds `text`. */
function besideName(dir: string, name: string, text: string): { file: string; exists: boolean } {
  const stem = name.replace(/\.ipynb$/, '');
  for (let k = 1; ; k++) {
    const file = join(dir, `${stem}.new${k === 1 ? '' : `-${k}`}.ipynb`);
    if (!existsSync(file)) return { file, exists: false };
    if (readFileSync(file, 'utf8') === text) return { file, exists: true };
  }
}

/**
 * Brings the workspace `dir` up to date with the instructor notebooks `sources` (see the module
 * comment) and returns one event per notebook. A source that cannot be assigned throws
 * AssignmentSourceError before anything is written.
 */
export function prepareWorkspace(sources: readonly string[], dir: string): WorkspaceEvent[] {
  const assigned = assignNotebooks(sources);
  mkdirSync(dir, { recursive: true });
  const manifest = readManifest(dir);
  const events: WorkspaceEvent[] = [];
  for (const { name, text } of assigned) {
    const file = join(dir, name);
    const edition = hashText(text);
    if (!existsSync(file)) {
      writeAtomically(file, text);
      events.push({ kind: 'created', name, file });
    } else if (manifest.notebooks[name]?.edition === edition || readFileSync(file, 'utf8') === text) {
      events.push({ kind: 'kept', name, file });
    } else {
      const beside = besideName(dir, name, text);
      if (!beside.exists) writeAtomically(beside.file, text);
      events.push({ kind: 'updated-beside', name, file, newFile: beside.file });
    }
    manifest.notebooks[name] = { edition };
  }
  writeAtomically(join(dir, WORKSPACE_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return events;
}

/** One line per event worth telling the student about (new notebooks, new versions beside old ones). */
export function describeWorkspaceEvents(events: readonly WorkspaceEvent[]): string[] {
  return events.flatMap((event) => {
    if (event.kind === 'created') return [`workspace: wrote ${event.file}`];
    if (event.kind === 'updated-beside') {
      return [`workspace: ${event.name} changed since your copy was made; the new version is ${event.newFile} (your ${event.file} is untouched)`];
    }
    return [];
  });
}
