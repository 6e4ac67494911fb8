/**
 * Student editions of notebook files: every source is read and checked, and every edition made, before
 * anything is written, so one bad source writes nothing. Editions are never written over a source.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { basename, join, relative, resolve } from 'path';
import { parseNotebook, serializeNotebook } from '../notebook/nbformat';
import { AssignmentSourceError, studentEdition } from './assignment';

/** A student edition ready to be written. */
export interface AssignedNotebook {
  readonly source: string;
  readonly name: string;
  readonly text: string;
}

/** Student editions of `files` (named in errors relative to `cwd`); throws AssignmentSourceError listing every problem. */
export function assignNotebooks(files: readonly string[], cwd = process.cwd()): AssignedNotebook[] {
  const problems: string[] = [];
  const assigned: AssignedNotebook[] = [];
  const names = new Map<string, string>();
  for (const file of files) {
    const shown = relative(cwd, file).startsWith('..') ? file : relative(cwd, file);
    const name = basename(file);
    const other = names.get(name);
    if (other !== undefined) {
      problems.push(`${shown}: has the same file name as ${other}; the student editions would overwrite each other`);
      continue;
    }
    names.set(name, shown);
    try {
      const notebook = parseNotebook(readFileSync(file, 'utf8'), shown);
      assigned.push({ source: file, name, text: serializeNotebook(studentEdition(notebook, shown)) });
    } catch (error) {
      if (error instanceof AssignmentSourceError) problems.push(...error.problems);
      else problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new AssignmentSourceError(problems);
  return assigned;
}

/** Writes the student editions into `dir`; refuses to write over any of their sources. */
export function writeAssigned(assigned: readonly AssignedNotebook[], dir: string): string[] {
  const sources = new Set(assigned.map((a) => resolve(a.source)));
  for (const a of assigned) {
    if (sources.has(resolve(dir, a.name))) throw new Error(`assign: ${join(dir, a.name)} is a source notebook; choose another --out folder`);
  }
  mkdirSync(dir, { recursive: true });
  return assigned.map((a) => {
    const target = join(dir, a.name);
    writeFileSync(target, a.text);
    return target;
  });
}
