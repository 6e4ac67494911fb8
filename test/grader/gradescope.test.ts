/**
 * Gradescope's autograder package, built by `npm run grade -- gradescope` and tried here the way
 * Gradescope uses it: unpacked into a folder that stands in for /autograder (the scripts take it from
 * GRADLAB_AUTOGRADER_ROOT), with `run_autograder` run on a correct, a blank and a hostile submission
 * through the real kernel. (setup.sh's apt-get and Node download need Gradescope's image; its
 * `npm install` is stood in for by the project's node_modules.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGradescopeArgs } from '../../src/cli/gradescope';
import { findSubmittedNotebook, hiddenTestNames } from '../../src/grader/gradescope';
import { findBwrap } from '../../src/grader/sandbox';
import { zipArchive } from '../../src/grader/zipArchive';
import { serializeNotebook } from '../../src/notebook/nbformat';
import { blankSubmission, code, correctSubmission, instructorNotebook, setSource } from '../helpers/gradingFixture';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

const VISIBILITIES = ['visible', 'hidden', 'after_due_date', 'after_published'];
const TOP_LEVEL = ['score', 'execution_time', 'output', 'output_format', 'test_output_format', 'test_name_format', 'visibility', 'stdout_visibility', 'extra_data', 'tests', 'leaderboard'];
const TEST_KEYS = ['score', 'max_score', 'status', 'name', 'name_format', 'number', 'output', 'output_format', 'tags', 'visibility', 'extra_data'];

interface ResultsTest {
  readonly name: string;
  readonly score: number;
  readonly max_score: number;
  readonly status: string;
  readonly output: string;
  readonly visibility: string;
}
interface Results {
  readonly score: number;
  readonly output: string;
  readonly tests: ResultsTest[];
}

/** What is wrong with `value` as Gradescope's results.json (empty when it follows the specification). */
function schemaProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) return ['not an object'];
  const results = value as Record<string, unknown>;
  for (const key of Object.keys(results)) if (!TOP_LEVEL.includes(key)) problems.push(`unknown key ${key}`);
  if (typeof results['score'] !== 'number') problems.push('score is not a number');
  if (results['output'] !== undefined && typeof results['output'] !== 'string') problems.push('output is not a string');
  if (results['stdout_visibility'] !== undefined && !VISIBILITIES.includes(String(results['stdout_visibility']))) problems.push('bad stdout_visibility');
  if (!Array.isArray(results['tests'])) return [...problems, 'tests is not an array'];
  (results['tests'] as unknown[]).forEach((test, i) => {
    const t = test as Record<string, unknown>;
    for (const key of Object.keys(t)) if (!TEST_KEYS.includes(key)) problems.push(`tests[${i}]: unknown key ${key}`);
    if (typeof t['name'] !== 'string' || t['name'] === '') problems.push(`tests[${i}]: no name`);
    if (typeof t['score'] !== 'number' || typeof t['max_score'] !== 'number' || t['score'] < 0 || t['score'] > t['max_score']) problems.push(`tests[${i}]: bad score`);
    if (!VISIBILITIES.includes(String(t['visibility']))) problems.push(`tests[${i}]: bad visibility ${String(t['visibility'])}`);
    if (!['passed', 'failed'].includes(String(t['status']))) problems.push(`tests[${i}]: bad status`);
    if (typeof t['output'] !== 'string') problems.push(`tests[${i}]: output is not a string`);
  });
  return problems;
}

/** The archive's entries as Python's zipfile reads them: name and Unix mode. */
function zipListing(zip: string): [string, number][] {
  const script = 'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nz.testzip()\nprint(json.dumps([[i.filename, i.external_attr >> 16] for i in z.infolist()]))';
  const result = spawnSync('python3', ['-c', script, zip], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as [string, number][];
}

/** Unpacks `zip` into `dir` as Gradescope does, Unix modes kept. */
function unzip(zip: string, dir: string): void {
  const script = 'import os, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n  p = z.extract(i, sys.argv[2])\n  os.chmod(p, (i.external_attr >> 16) & 0o7777)';
  const result = spawnSync('python3', ['-c', script, zip, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
}

describe('the autograder zip', () => {
  it('is a ZIP that other tools read, with Unix modes, and the same bytes for the same files', () => {
    const dir = scratchDir('zip');
    try {
      const entries = [
        { name: 'run.sh', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
        { name: 'sub/ünï.txt', data: Buffer.alloc(100_000, 'a'), mode: 0o644 },
      ];
      const zip = zipArchive(entries);
      expect(zipArchive(entries).equals(zip)).toBe(true);
      fs.writeFileSync(path.join(dir, 'a.zip'), zip);
      expect(zipListing(path.join(dir, 'a.zip'))).toEqual([['run.sh', 0o100755], ['sub/ünï.txt', 0o100644]]);
      unzip(path.join(dir, 'a.zip'), path.join(dir, 'out'));
      expect(fs.readFileSync(path.join(dir, 'out', 'sub', 'ünï.txt'))).toEqual(entries[1]?.data);
      expect(() => zipArchive([entries[0], entries[0]].filter((e) => e !== undefined))).toThrow('zip: the entry run.sh is given twice');
      expect(() => zipArchive([{ name: '../x', data: Buffer.alloc(0), mode: 0o644 }])).toThrow("zip: bad entry name '../x'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads its command line', () => {
    expect(parseGradescopeArgs(['--source', 'a.ipynb'])).toMatchObject({ source: 'a.ipynb', out: 'autograder.zip', timeoutSeconds: 300, hiddenVisibility: 'after_published', nodeVersion: process.version });
    expect(() => parseGradescopeArgs(['--out', 'x.zip'])).toThrow('grade gradescope: missing --source (the instructor notebook)');
    expect(() => parseGradescopeArgs(['--source', 'a', '--hidden-visibility', 'later'])).toThrow("grade gradescope: --hidden-visibility must be one of visible, hidden, after_due_date, after_published, got 'later'");
  });

  it('names the hidden tests and finds the submitted notebook', () => {
    expect([...hiddenTestNames(instructorNotebook())]).toEqual(['double-tests: double(-3) = -6']);
    const dir = scratchDir('submission');
    try {
      expect(findSubmittedNotebook(dir, 'two.ipynb')).toEqual({ reason: 'no notebook was submitted: upload two.ipynb' });
      fs.mkdirSync(path.join(dir, 'repo', '.ipynb_checkpoints'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'repo', '.ipynb_checkpoints', 'two.ipynb'), '{}');
      fs.writeFileSync(path.join(dir, 'repo', 'mine.ipynb'), '{}');
      expect(findSubmittedNotebook(dir, 'two.ipynb')).toEqual({ file: path.join(dir, 'repo', 'mine.ipynb') });
      fs.writeFileSync(path.join(dir, 'other.ipynb'), '{}');
      expect(findSubmittedNotebook(dir, 'two.ipynb')).toEqual({ reason: '2 notebooks were submitted (other.ipynb, repo/mine.ipynb) and none is named two.ipynb: upload two.ipynb alone or under that name' });
      fs.writeFileSync(path.join(dir, 'repo', 'two.ipynb'), '{}');
      expect(findSubmittedNotebook(dir, 'two.ipynb')).toEqual({ file: path.join(dir, 'repo', 'two.ipynb') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('run_autograder in a stand-in for /autograder', () => {
  let base = '';
  let root = '';
  const results: Record<string, Results> = {};
  const outputs: Record<string, string> = {};

  /** Puts `files` in submission/, runs run_autograder as Gradescope does (cwd /autograder) and reads results.json. */
  function grade(label: string, files: Record<string, string>): void {
    fs.rmSync(path.join(root, 'submission'), { recursive: true, force: true });
    fs.rmSync(path.join(root, 'results'), { recursive: true, force: true });
    fs.mkdirSync(path.join(root, 'results'), { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, 'submission', name)), { recursive: true });
      fs.writeFileSync(path.join(root, 'submission', name), text);
    }
    const run = spawnSync(path.join(root, 'run_autograder'), [], { cwd: root, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', GRADLAB_AUTOGRADER_ROOT: root }, timeout: 300_000 });
    outputs[label] = `${run.stdout}\n${run.stderr}`;
    expect(run.status, outputs[label]).toBe(0);
    results[label] = JSON.parse(fs.readFileSync(path.join(root, 'results', 'results.json'), 'utf8')) as Results;
  }

  beforeAll(() => {
    requireBuild();
    base = scratchDir('gradescope');
    fs.writeFileSync(path.join(base, 'two.ipynb'), serializeNotebook(instructorNotebook()));
    const zip = path.join(base, 'autograder.zip');
    const env = { ...process.env, INIT_CWD: base };
    const built = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'grade.js'), 'gradescope', '--source', 'two.ipynb', '--out', 'autograder.zip', '--timeout', '30'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    root = path.join(base, 'autograder');
    unzip(zip, path.join(root, 'source'));
    // What Gradescope's image build does: run_autograder copied to the root, and (in setup.sh) npm install.
    fs.copyFileSync(path.join(root, 'source', 'run_autograder'), path.join(root, 'run_autograder'));
    fs.chmodSync(path.join(root, 'run_autograder'), 0o755);
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'source', 'node_modules'));

    const hostile = correctSubmission();
    const instructorCopy = path.join(root, 'source', 'instructor', 'two.ipynb');
    hostile.cells.splice(1, 0, code([
      'const fs = require("fs");',
      `try { fs.writeFileSync(${JSON.stringify(path.join(root, 'results', 'results.json'))}, JSON.stringify({ score: 100, tests: [] })); } catch (e) { console.log("refused"); }`,
    ].join('\n')));
    setSource(hostile, 'double', [
      'function double(x: number): number {',
      `  const readable = require("fs").existsSync(${JSON.stringify(instructorCopy)});`,
      '  const capabilities = /CapEff:\\s*(\\w+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8"))?.[1];',
      '  throw new Error(`instructor copy readable: ${readable}, capabilities ${capabilities}`);',
      '}',
    ].join('\n'));

    grade('correct', { 'two.ipynb': serializeNotebook(correctSubmission()) });
    grade('blank', { 'my work/renamed.ipynb': serializeNotebook(blankSubmission()) });
    grade('hostile', { 'two.ipynb': serializeNotebook(hostile) });
    grade('nothing', { 'README.md': 'no notebook here' });
  }, 600_000);

  afterAll(() => {
    if (base !== '') fs.rmSync(base, { recursive: true, force: true });
  });

  it('holds setup.sh and run_autograder at its root, executable and valid bash, with the instructor notebook and gradlab', () => {
    const listing = zipListing(path.join(base, 'autograder.zip'));
    expect(listing.map(([name]) => name)).toEqual(['setup.sh', 'run_autograder', 'package.json', 'gradlab-0.1.0.tgz', 'instructor/two.ipynb']);
    expect(listing.filter(([, mode]) => (mode & 0o111) !== 0).map(([name]) => name)).toEqual(['setup.sh', 'run_autograder']);
    for (const script of ['setup.sh', 'run_autograder']) {
      const file = path.join(root, 'source', script);
      expect(fs.readFileSync(file, 'utf8').startsWith('#!/usr/bin/env bash\n')).toBe(true);
      const check = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }
    const setup = fs.readFileSync(path.join(root, 'source', 'setup.sh'), 'utf8');
    expect(setup).toContain('apt-get install -y --no-install-recommends bubblewrap');
    expect(setup).toContain(`node_version='${process.version}'`);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'source', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ gradlab: 'file:gradlab-0.1.0.tgz' });
  });

  it('writes results.json in Gradescope\'s schema for every submission', () => {
    for (const label of ['correct', 'blank', 'hostile', 'nothing']) expect(schemaProblems(results[label]), label).toEqual([]);
  });

  it('gives a correct submission every point, with the hidden test shown after publication', () => {
    const correct = results['correct'];
    expect(correct?.score).toBe(4);
    expect(correct?.tests.map((t) => [t.name, t.score, t.max_score, t.status, t.visibility])).toEqual([
      ['double-tests: double(2) = 4', 1, 1, 'passed', 'visible'],
      ['double-tests: double(-3) = -6', 1, 1, 'passed', 'after_published'],
      ['square-tests: square(3) = 9', 1, 1, 'passed', 'visible'],
      ['square-tests: square(-2) = 4', 1, 1, 'passed', 'visible'],
    ]);
    expect(correct?.output).toBe('4/4 points');
  });

  it('gives a blank submission (under any file name) nothing, saying why', () => {
    const blank = results['blank'];
    expect(blank?.score).toBe(0);
    expect(blank?.tests.every((t) => t.status === 'failed' && t.score === 0)).toBe(true);
    expect(blank?.tests[0]?.output).toBe('not implemented: double');
  });

  it('keeps a hostile submission from forging results.json or reading the instructor\'s notebook, and without capabilities', () => {
    const hostile = results['hostile'];
    expect(hostile?.score).toBe(2);
    expect(hostile?.tests).toHaveLength(4);
    if (findBwrap() !== null) expect(hostile?.tests[0]?.output).toBe('instructor copy readable: false, capabilities 0000000000000000');
  });

  it('scores a submission without a notebook 0 and tells the student what to upload', () => {
    expect(results['nothing']).toMatchObject({ score: 0, tests: [], output: 'invalid: 0/4 points\nno notebook was submitted: upload two.ipynb' });
  });
});
