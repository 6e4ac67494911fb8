/**
 * The example grading workflows in examples/: the GitHub Actions matrix and the Kubernetes Indexed
 * Job. Their YAML parses, the commands they run are the project's own (read with the commands' own
 * argument parsers), and a local simulation runs the workflow's n shard commands and its merge
 * command, as written, on a small class and gets the grades.csv of one unsharded run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseGradeArgs } from '../../src/cli/grade';
import { parseMergeArgs } from '../../src/cli/gradeMerge';
import { serializeNotebook } from '../../src/notebook/nbformat';
import { blankSubmission, correctSubmission, instructorNotebook } from '../helpers/gradingFixture';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly needs?: string;
  readonly steps: Step[];
  readonly strategy?: { matrix: { shard: number[] } };
}
interface Container {
  readonly command: string[];
  readonly args: string[];
  readonly env?: { name: string; value: string }[];
}
interface K8sJob {
  readonly kind: string;
  readonly spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { containers: Container[] } } };
}

const EXAMPLES = path.join(PROJECT_ROOT, 'examples');
const workflow = parse(fs.readFileSync(path.join(EXAMPLES, 'github-actions', 'grade.yml'), 'utf8')) as { on: unknown; jobs: Record<string, Job> };
const k8sDocuments = ['grade-shards.yaml', 'merge.yaml'].map((file) => parseAllDocuments(fs.readFileSync(path.join(EXAMPLES, 'kubernetes', file), 'utf8')));
const packageScripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

const gradeJob = workflow.jobs['grade'] as Job;
const mergeJob = workflow.jobs['merge'] as Job;
const shardNumbers = gradeJob.strategy?.matrix.shard ?? [];

/** A `run:` script of the workflow with the matrix expressions of shard `shard` filled in. */
function expand(script: string, shard: number): string {
  return script.replace(/\$\{\{ matrix\.shard \}\}/g, String(shard)).replace(/\$\{\{ strategy\.job-total \}\}/g, String(shardNumbers.length));
}

function runOf(job: Job, name: string): string {
  const step = job.steps.find((s) => s.name === name);
  if (step?.run === undefined) throw new Error(`no step '${name}' with a run script`);
  return step.run;
}

/** The npm command lines a shell script runs, found by running it with npm (and apt-get, cp, sudo) replaced by recorders. */
function npmCalls(shell: readonly string[], script: string, env: Record<string, string>): string[][] {
  const prelude = "apt-get() { :; }; cp() { :; }; sudo() { :; }; npm() { local IFS=$'\\x1f'; echo \"$*\"; }\n";
  const result = spawnSync(shell[0] ?? 'bash', [...shell.slice(1), prelude + script], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
  if (result.status !== 0) throw new Error(`the script failed: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\x1f'));
}

/** The arguments after `npm run grade --`, checked to be the project's `grade` script. */
function gradeArgv(call: readonly string[]): string[] {
  expect(call.slice(0, 3)).toEqual(['run', 'grade', '--']);
  return call.slice(3);
}

function withoutOut(argv: readonly string[]): string[] {
  const at = argv.indexOf('--out');
  return at < 0 ? [...argv] : [...argv.slice(0, at), ...argv.slice(at + 2)];
}

const k8sGrade = k8sDocuments[0]?.[0]?.toJS() as K8sJob;
const k8sMerge = k8sDocuments[1]?.[0]?.toJS() as K8sJob;

function container(job: K8sJob): Container {
  const found = job.spec.template.spec.containers[0];
  if (found === undefined) throw new Error('no container');
  return found;
}

function k8sCalls(job: K8sJob, env: Record<string, string>): string[][] {
  const { command, args } = container(job);
  return npmCalls(command, args.join('\n'), { ...Object.fromEntries((container(job).env ?? []).map((e) => [e.name, e.value])), ...env });
}

describe('the GitHub Actions grading workflow', () => {
  it('parses: a matrix of shards 1..n, each uploading its folder, and a merge job after them', () => {
    for (const docs of k8sDocuments) expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    expect(Object.keys(workflow.jobs)).toEqual(['grade', 'merge']);
    expect(shardNumbers).toEqual(Array.from({ length: shardNumbers.length }, (_, i) => i + 1));
    expect(shardNumbers.length).toBeGreaterThan(1);
    expect(mergeJob.needs).toBe('grade');
    const upload = gradeJob.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    const download = mergeJob.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(upload?.with?.['path']).toBe('shards/shard-${{ matrix.shard }}');
    expect(String(upload?.with?.['name'])).toMatch(/^grades-shard-/);
    expect(download?.with).toEqual({ pattern: 'grades-shard-*', path: 'shards' });
  });

  it('installs with the README\'s command and runs only the project\'s commands', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install && npm test');
    for (const job of [gradeJob, mergeJob]) expect(runOf(job, 'Install')).toBe('npm install');
    for (const shard of shardNumbers) {
      const [call] = npmCalls(['bash', '-c'], expand(runOf(gradeJob, 'Grade'), shard), {});
      const args = parseGradeArgs(gradeArgv(call ?? []));
      expect(args).toMatchObject({ sources: ['notebooks'], submissions: 'submissions', out: `shards/shard-${shard}`, shard: { index: shard, count: shardNumbers.length } });
    }
    const [merge] = npmCalls(['bash', '-c'], runOf(mergeJob, 'Merge'), {});
    expect(parseMergeArgs(gradeArgv(merge ?? []).slice(1))).toMatchObject({ shards: ['shards/*'], out: 'grades' });
    const scripts = [gradeJob, mergeJob].flatMap((job) => job.steps.flatMap((s) => (s.run ?? '').split('\n')));
    for (const line of scripts.filter((l) => l.trim().startsWith('npm run '))) expect(Object.keys(packageScripts)).toContain(line.trim().split(/\s+/)[2]);
  });
});

describe('the Kubernetes Indexed Job', () => {
  it('parses: an Indexed Job with as many completions, pods and SHARDS, and a merge Job', () => {
    expect(k8sGrade).toMatchObject({ kind: 'Job', spec: { completionMode: 'Indexed' } });
    const shards = Number(container(k8sGrade).env?.find((e) => e.name === 'SHARDS')?.value);
    expect(k8sGrade.spec.completions).toBe(shards);
    expect(k8sGrade.spec.parallelism).toBe(shards);
    expect(k8sMerge.kind).toBe('Job');
  });

  it('runs, for completion index k, npm install and the GitHub matrix\'s command for shard k+1', () => {
    const shards = k8sGrade.spec.completions ?? 0;
    expect(shards).toBe(shardNumbers.length);
    for (let index = 0; index < shards; index += 1) {
      const [install, grade, ...rest] = k8sCalls(k8sGrade, { JOB_COMPLETION_INDEX: String(index) });
      expect(install).toEqual(['install']);
      expect(rest).toEqual([]);
      const argv = gradeArgv(grade ?? []);
      expect(parseGradeArgs(argv)).toMatchObject({ out: `/results/shard-${index + 1}`, shard: { index: index + 1, count: shards } });
      const [github] = npmCalls(['bash', '-c'], expand(runOf(gradeJob, 'Grade'), index + 1), {});
      expect(withoutOut(argv)).toEqual(withoutOut(gradeArgv(github ?? [])));
    }
    const [install, merge] = k8sCalls(k8sMerge, {});
    expect(install).toEqual(['install']);
    expect(parseMergeArgs(gradeArgv(merge ?? []).slice(1))).toMatchObject({ shards: ['/results/shard-*'], out: '/results/grades' });
  });
});

describe('a local run of the workflow: n shard commands and the merge give the grades of one run', () => {
  let repo = '';
  let sharded = '';
  let single = '';
  const runScript = (cwd: string, script: string): { status: number | null; out: string } => {
    const env = { ...process.env };
    delete env['INIT_CWD'];
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', timeout: 600_000 });
    return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
  };

  beforeAll(() => {
    requireBuild();
    // The instructor's grading repository: the project's scripts and build, notebooks/ and submissions/.
    repo = scratchDir('grading-repo');
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'grading-repo', private: true, scripts: { grade: packageScripts['grade'] } }));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'dist'), path.join(repo, 'dist'));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(repo, 'node_modules'));
    fs.mkdirSync(path.join(repo, 'notebooks'));
    fs.writeFileSync(path.join(repo, 'notebooks', 'two.ipynb'), serializeNotebook(instructorNotebook()));
    const submissions: Record<string, string> = {
      correct: serializeNotebook(correctSubmission()),
      blank: serializeNotebook(blankSubmission()),
      malformed: '{"cells": [',
    };
    for (const [student, text] of Object.entries(submissions)) {
      fs.mkdirSync(path.join(repo, 'submissions', student), { recursive: true });
      fs.writeFileSync(path.join(repo, 'submissions', student, 'two.ipynb'), text);
    }
    fs.mkdirSync(path.join(repo, 'submissions', 'empty'));
    fs.writeFileSync(path.join(repo, 'submissions', 'stray.ipynb'), '{}');

    // Each matrix job, one after another, then the merge job on the downloaded artifacts.
    for (const shard of shardNumbers) {
      const run = runScript(repo, expand(runOf(gradeJob, 'Grade'), shard));
      expect(run.status, run.out).toBe(0);
    }
    const mergeRepo = path.join(repo, 'merge-job');
    fs.mkdirSync(path.join(mergeRepo, 'shards'), { recursive: true });
    for (const name of ['package.json', 'dist', 'node_modules']) fs.cpSync(path.join(repo, name), path.join(mergeRepo, name), { recursive: true, verbatimSymlinks: true });
    for (const shard of shardNumbers) fs.cpSync(path.join(repo, 'shards', `shard-${shard}`), path.join(mergeRepo, 'shards', `grades-shard-${shard}`), { recursive: true });
    const merge = runScript(mergeRepo, runOf(mergeJob, 'Merge'));
    expect(merge.status, merge.out).toBe(0);
    sharded = path.join(mergeRepo, 'grades');

    single = path.join(repo, 'single');
    const whole = runScript(repo, 'npm run grade -- --source notebooks --submissions submissions --out single --jobs 2');
    expect(whole.status, whole.out).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (repo !== '') fs.rmSync(repo, { recursive: true, force: true });
  });

  it('gets the same grades.csv as one unsharded run (byte-identical, rows in the same order)', () => {
    const merged = fs.readFileSync(path.join(sharded, 'grades.csv'), 'utf8');
    const whole = fs.readFileSync(path.join(single, 'grades.csv'), 'utf8');
    expect(merged).toBe(whole);
    const rows = whole.trimEnd().split('\n');
    expect(rows).toContain('correct,two.ipynb,4,4,graded,,2,2');
    expect(rows).toContain('blank,two.ipynb,0,4,graded,,0,0');
    expect(rows.find((r) => r.startsWith('malformed,'))).toMatch(/^malformed,two\.ipynb,0,4,invalid,"?not a notebook: /);
    expect(rows).toHaveLength(1 + 5);
  });

  it('spreads the class over the shards and brings every result folder together', () => {
    const perShard = shardNumbers.map((shard) => fs.readFileSync(path.join(repo, 'shards', `shard-${shard}`, 'grades.csv'), 'utf8').trimEnd().split('\n').length - 1);
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Math.max(...perShard)).toBeLessThanOrEqual(2);
    for (const student of ['correct', 'blank']) {
      const merged = JSON.parse(fs.readFileSync(path.join(sharded, student, 'two', 'results.json'), 'utf8')) as { score: number };
      const whole = JSON.parse(fs.readFileSync(path.join(single, student, 'two', 'results.json'), 'utf8')) as { score: number };
      expect(merged.score).toBe(whole.score);
    }
  });
});
