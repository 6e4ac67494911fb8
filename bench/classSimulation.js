'use strict';
// `npm run bench:class [-- options]`: a class simulation. It generates N submissions of an instructor
// notebook (correct, partial, blank and a few hostile ones), grades them as K shards run one after
// another plus a merge (what a K-runner CI matrix does, serialised on this machine) and as one
// unsharded run, checks that both give the same grades.csv, and reports wall times, the cost per
// submission and a projection for a course on a runner matrix.
//
//   npm run bench:class                                        # 200 submissions of bench/fixtures/two-exercises.ipynb
//   npm run bench:class -- --source notebooks/01-initialization.ipynb --submissions 200
//
// options: --source FILE (default bench/fixtures/two-exercises.ipynb), --submissions N (200),
// --shards K (4), --jobs J (2, for each shard and for the single run), --timeout S (per cell, 60),
// --students S --notebooks B --runners R (the projection: 500, 4, 20), --setup-seconds T (a runner's
// checkout + npm install, 150), --json (one JSON object on stdout), --work DIR (the scratch folder,
// build/class-simulation/, emptied first), --keep (keep it afterwards).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const GRADE = path.join(ROOT, 'dist', 'cli', 'grade.js');
const log = (msg) => process.stderr.write(msg + '\n');

function readArgs(argv) {
  const defaults = { work: path.join(ROOT, 'build', 'class-simulation'), source: path.join(__dirname, 'fixtures', 'two-exercises.ipynb'), submissions: 200, shards: 4, jobs: 2, timeout: 60, students: 500, notebooks: 4, runners: 20, setupSeconds: 150, json: false, keep: false };
  const names = { '--work': 'work', '--source': 'source', '--submissions': 'submissions', '--shards': 'shards', '--jobs': 'jobs', '--timeout': 'timeout', '--students': 'students', '--notebooks': 'notebooks', '--runners': 'runners', '--setup-seconds': 'setupSeconds' };
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') out.json = true;
    else if (arg === '--keep') out.keep = true;
    else if (arg in names) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`classSimulation: ${arg} needs a value`);
      const key = names[arg];
      if (key === 'source' || key === 'work') out[key] = path.resolve(process.env.INIT_CWD || process.cwd(), value);
      else {
        out[key] = Number(value);
        if (!(Number.isInteger(out[key]) && out[key] >= (key === 'setupSeconds' ? 0 : 1))) throw new Error(`classSimulation: ${arg} must be a positive integer, got '${value}'`);
      }
    } else throw new Error(`classSimulation: unknown option ${arg}`);
  }
  return out;
}

/** The cells of `source` that hold answers (nbgrader solution cells), by grade_id. */
function answerIds(source, cellKind, gradeIdOf) {
  return source.cells.filter((cell) => cellKind(cell) === 'answer').map(gradeIdOf);
}

/** The student edition with the answers in `ids` copied from the instructor's source. */
function withAnswers(blank, source, ids, gradeIdOf) {
  const nb = JSON.parse(JSON.stringify(blank));
  const bySource = new Map(source.cells.map((cell) => [gradeIdOf(cell), cell]));
  nb.cells = nb.cells.map((cell) => (ids.includes(gradeIdOf(cell)) && bySource.has(gradeIdOf(cell)) ? { ...cell, source: bySource.get(gradeIdOf(cell)).source } : cell));
  return nb;
}

function codeCell(source) {
  return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source };
}

/** Inserts `cell` before the first test cell. */
function beforeTests(nb, cell, cellKind) {
  const copy = JSON.parse(JSON.stringify(nb));
  const at = copy.cells.findIndex((c) => cellKind(c) === 'tests');
  copy.cells.splice(at < 0 ? copy.cells.length : at, 0, cell);
  return copy;
}

const HOSTILE = ['forge', 'loop', 'exit', 'tamper', 'malformed'];
// 20 slots: 10 correct, 5 partial, 3 blank, 2 hostile, interleaved so that a small class is mixed too.
const PATTERN = 'CPBCHCPCBCPCHCPBCPCC';

/** Submission i of the class: 50% correct, 25% partial, 15% blank, 10% hostile (cycling through HOSTILE). */
function submissionKind(i) {
  const round = Math.floor(i / PATTERN.length);
  const position = i % PATTERN.length;
  const slot = PATTERN[position];
  if (slot !== 'H') return { C: 'correct', P: 'partial', B: 'blank' }[slot];
  const hostileBefore = PATTERN.slice(0, position).split('H').length - 1;
  return HOSTILE[(2 * round + hostileBefore) % HOSTILE.length];
}

function makeClass(sourceFile, dir, count) {
  const { parseNotebook, serializeNotebook } = require(path.join(ROOT, 'dist', 'notebook', 'nbformat'));
  const { studentEdition } = require(path.join(ROOT, 'dist', 'grader', 'assignment'));
  const { cellKind, gradeIdOf } = require(path.join(ROOT, 'dist', 'notebook', 'nbgrader'));
  const name = path.basename(sourceFile);
  const source = parseNotebook(fs.readFileSync(sourceFile, 'utf8'), sourceFile);
  const blank = studentEdition(source, name);
  const ids = answerIds(source, cellKind, gradeIdOf);
  const correct = withAnswers(blank, source, ids, gradeIdOf);
  const partial = withAnswers(blank, source, ids.slice(0, Math.max(1, Math.floor(ids.length / 2))), gradeIdOf);
  const testNames = source.cells.filter((c) => cellKind(c) === 'tests').flatMap((c) => [...(Array.isArray(c.source) ? c.source.join('') : c.source).matchAll(/test\("([^"]+)", (\d+)/g)].map((m) => [m[1], m[2]]));
  const make = {
    correct: () => correct,
    partial: () => partial,
    blank: () => blank,
    loop: () => beforeTests(correct, codeCell('while (true) {}'), cellKind),
    exit: () => beforeTests(correct, codeCell('process.exit(1);'), cellKind),
    forge: () => ({ ...blank, cells: [...blank.cells, codeCell(testNames.map(([n, p]) => `test(${JSON.stringify(n)}, ${p}, () => {});`).join('\n'))] }),
    tamper: () => ({ ...blank, cells: blank.cells.map((c) => (cellKind(c) === 'tests' ? { ...c, source: testNames.map(([n, p]) => `test(${JSON.stringify(n)}, ${p}, () => {});`).join('\n') } : c)) }),
    malformed: () => '{"cells": [',
  };
  const kinds = {};
  fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i += 1) {
    const kind = submissionKind(i);
    kinds[kind] = (kinds[kind] || 0) + 1;
    const student = `student-${String(i + 1).padStart(4, '0')}`;
    fs.mkdirSync(path.join(dir, student), { recursive: true });
    const content = make[kind]();
    fs.writeFileSync(path.join(dir, student, name), typeof content === 'string' ? content : serializeNotebook(content));
  }
  return kinds;
}

function run(args, label) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [GRADE, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (Date.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${label} exited ${result.status}:\n${result.stderr.slice(-3000)}`);
  log(`  ${label}: ${seconds.toFixed(1)} s (load average ${os.loadavg()[0].toFixed(2)})`);
  return seconds;
}

function sortedLines(file) {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  return [header, ...rows.sort()].join('\n');
}

function statusCounts(file) {
  const counts = {};
  for (const line of fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(1)) {
    const status = line.split(',')[4];
    counts[status] = (counts[status] || 0) + 1;
  }
  return counts;
}

function main() {
  const opts = readArgs(process.argv.slice(2));
  if (!fs.existsSync(GRADE)) throw new Error(`${GRADE} is missing: run \`npm run build\``);
  const work = opts.work;
  const submissions = path.join(work, 'submissions');
  const sourceDir = path.join(work, 'source');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(sourceDir, { recursive: true });
  const sourceFile = path.join(sourceDir, path.basename(opts.source));
  fs.copyFileSync(opts.source, sourceFile);
  const kinds = makeClass(sourceFile, submissions, opts.submissions);
  log(`class: ${opts.submissions} submissions of ${path.basename(opts.source)} (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}); ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const common = ['--source', sourceFile, '--submissions', submissions, '--jobs', String(opts.jobs), '--timeout', String(opts.timeout)];
  const loadBefore = os.loadavg()[0];

  log(`${opts.shards} shards, one after another, then merge:`);
  const shardSeconds = [];
  const shardDirs = [];
  for (let i = 1; i <= opts.shards; i += 1) {
    const out = path.join(work, 'shards', `shard-${i}`);
    shardDirs.push(out);
    shardSeconds.push(run([...common, '--out', out, '--shard', `${i}/${opts.shards}`], `shard ${i}/${opts.shards}`));
  }
  const merged = path.join(work, 'merged');
  const mergeSeconds = run(['merge', ...shardDirs, '--out', merged], 'merge');

  log(`one run with --jobs ${opts.jobs}:`);
  const single = path.join(work, 'single');
  const singleSeconds = run([...common, '--out', single], 'single run');
  const loadAfter = os.loadavg()[0];

  const mergedLines = sortedLines(path.join(merged, 'grades.csv')).split('\n');
  const singleLines = sortedLines(path.join(single, 'grades.csv')).split('\n');
  const differing = [...mergedLines.filter((l) => !singleLines.includes(l)).map((l) => `sharded: ${l}`), ...singleLines.filter((l) => !mergedLines.includes(l)).map((l) => `single:  ${l}`)];
  const identical = differing.length === 0;
  if (!identical) log(`the grades differ (the work folder ${work} is kept):\n${differing.join('\n')}`);
  const perSubmission = singleSeconds / opts.submissions;
  const shardTotal = shardSeconds.reduce((a, b) => a + b, 0);
  const total = opts.students * opts.notebooks;
  const perRunner = Math.ceil(total / opts.runners);
  const projected = opts.setupSeconds + perRunner * perSubmission;
  const report = {
    source: path.basename(opts.source),
    submissions: opts.submissions,
    kinds,
    statuses: statusCounts(path.join(single, 'grades.csv')),
    jobs: opts.jobs,
    shards: opts.shards,
    shardSeconds,
    shardTotalSeconds: shardTotal,
    mergeSeconds,
    singleSeconds,
    secondsPerSubmission: perSubmission,
    identicalGradesCsv: identical,
    differingRows: differing,
    loadAverage: { before: loadBefore, after: loadAfter },
    projection: { students: opts.students, notebooks: opts.notebooks, runners: opts.runners, submissionsPerRunner: perRunner, setupSeconds: opts.setupSeconds, minutesPerRunner: projected / 60 },
  };
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    const f = (s) => `${s.toFixed(1)} s`;
    process.stdout.write([
      `class simulation: ${opts.submissions} submissions of ${report.source}, --jobs ${opts.jobs}, load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`,
      `  graded: ${Object.entries(report.statuses).map(([k, n]) => `${n} ${k}`).join(', ')}`,
      `  ${opts.shards} shards one after another: ${shardSeconds.map(f).join(' + ')} = ${f(shardTotal)}; merge ${f(mergeSeconds)}`,
      `  one run: ${f(singleSeconds)}, ${perSubmission.toFixed(2)} s per submission`,
      `  merged grades.csv ${identical ? 'is identical to' : 'DIFFERS from'} the single run's (rows sorted)`,
      `  projection: ${opts.students} students x ${opts.notebooks} notebooks on ${opts.runners} runners = ${perRunner} submissions per runner,`,
      `    ${opts.setupSeconds} s set-up + ${perRunner} x ${perSubmission.toFixed(2)} s = ${(projected / 60).toFixed(1)} min per runner (all runners at once) + the merge`,
      '',
    ].join('\n'));
  }
  if (!opts.keep && identical) fs.rmSync(work, { recursive: true, force: true });
  if (!identical) process.exitCode = 1;
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
