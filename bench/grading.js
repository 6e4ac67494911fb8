'use strict';
// `npm run bench:grading [-- --json] [-- --students N] [-- --jobs 1,2] [-- --all-cells]`: grades a
// small class of notebook-01 submissions (the student edition with the instructor's solutions
// written in, so every one earns full points) with the real grader, once per --jobs value, and
// reports submissions per minute, the time split per submission (kernel start, replay after
// restarts, cells, the rest), the slowest cells, and the peak memory (RSS) of the kernels, sampled
// from /proc while grading. --all-cells grades with the skip-when-grading marks removed, for
// comparison. --profile grades one submission more with the kernel under V8's CPU profiler (without
// the sandbox, whose fresh /tmp would swallow the profile) and adds where the kernel's time goes, by
// source file. Progress goes to stderr; the table (or with --json one JSON object) to stdout.
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const dist = (module) => require(path.join(ROOT, 'dist', module));
const { gradeClass, loadSources } = dist('grader/gradeClass');
const { studentEdition } = dist('grader/assignment');
const { chooseBwrap } = dist('grader/sandbox');
const { gradingSkips, SKIP_WHEN_GRADING } = dist('grader/skipWhenGrading');
const { findKernelSpec } = dist('notebook/jupyter/kernelSpec');
const { parseNotebook, serializeNotebook } = dist('notebook/nbformat');
const { cellLabel, gradeIdOf, isSolution } = dist('notebook/nbgrader');

const NAME = '01-initialization.ipynb';
const SOURCE = path.join(ROOT, 'notebooks', NAME);
const SAMPLE_MS = 200;
const log = (msg) => process.stderr.write(msg + '\n');

function parseArgs(argv) {
  const args = { json: false, students: 4, jobs: [1, 2], allCells: false, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const text = argv[++i];
      if (text === undefined) throw new Error(`bench:grading: ${arg} needs a value`);
      return text;
    };
    if (arg === '--json') args.json = true;
    else if (arg === '--all-cells') args.allCells = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg === '--students') args.students = Number(value());
    else if (arg === '--jobs') args.jobs = value().split(',').map(Number);
    else throw new Error(`bench:grading: unknown option ${arg} (known: --json, --students N, --jobs 1,2, --all-cells, --profile)`);
  }
  if (!(Number.isInteger(args.students) && args.students >= 1)) throw new Error('bench:grading: --students must be an integer >= 1');
  if (!args.jobs.every((j) => Number.isInteger(j) && j >= 1)) throw new Error('bench:grading: --jobs must list integers >= 1, e.g. 1,2');
  return args;
}

/** The instructor's notebook, without the skip marks when every cell is to run. */
function instructorSource(allCells) {
  const notebook = parseNotebook(fs.readFileSync(SOURCE, 'utf8'), SOURCE);
  if (allCells) for (const cell of notebook.cells) if (cell.metadata.gradlab) delete cell.metadata.gradlab[SKIP_WHEN_GRADING];
  return notebook;
}

/** The student edition with every answer cell holding the instructor's solution. */
function correctSubmission(source) {
  const edition = studentEdition(source, SOURCE);
  const solutions = new Map(source.cells.filter(isSolution).map((cell) => [gradeIdOf(cell), cell.source]));
  for (const cell of edition.cells) if (isSolution(cell)) cell.source = solutions.get(gradeIdOf(cell));
  return edition;
}

/** Clock ticks per second, the unit of CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = (() => {
  try {
    return Number(require('child_process').execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** pid -> { parent pid, CPU seconds used so far } for every process, read from /proc. */
function processTable() {
  const table = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ')' are plain
      // (state, ppid, ..., utime and stime at positions 11 and 12 from there).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { parent: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS });
    } catch {
      // The process ended while we read.
    }
  }
  return table;
}

/** Resident and peak resident memory (kB) of a process and whether it is a tslab kernel, or null if gone. */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const kb = (key) => Number((new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status) || [])[1] || 0);
    // The kernel is the node process running tslab's bin, not the bubblewrap around it (whose argv holds the same words).
    const argv = cmdline.split('\0');
    const kernel = !path.basename(argv[0] || '').includes('bwrap') && argv.some((arg) => arg.endsWith(path.join('tslab', 'bin', 'tslab')));
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), kernel };
  } catch {
    return null;
  }
}

/**
 * Samples the kernels below this process: the peak of their summed RSS, the largest single peak,
 * and the CPU seconds each used (the last value seen before it ended).
 */
function startKernelSampler() {
  const peak = { sumKb: 0, singleKb: 0, cpuSeconds: new Map() };
  const sample = () => {
    const processes = processTable();
    const below = new Set([process.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, { parent }] of processes) {
        if (below.has(parent) && !below.has(pid)) {
          below.add(pid);
          grew = true;
        }
      }
    }
    let sum = 0;
    for (const pid of below) {
      if (pid === process.pid) continue;
      const memory = memoryOf(pid);
      if (memory === null || !memory.kernel) continue;
      peak.cpuSeconds.set(pid, processes.get(pid).cpuSeconds);
      sum += memory.rss;
      peak.singleKb = Math.max(peak.singleKb, memory.hwm);
    }
    peak.sumKb = Math.max(peak.sumKb, sum);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

const mean = (values) => (values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length);
const loadAverage = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');

/** Grades the class once with `jobs` kernels at a time; returns its figures. */
async function gradeOnce(sources, submissions, base, jobs, sandbox, spec = findKernelSpec('tslab', ROOT)) {
  const out = fs.mkdtempSync(path.join(base, `out-jobs${jobs}-`));
  const stopSampler = startKernelSampler();
  const graderCpuBefore = process.cpuUsage();
  const started = Date.now();
  const rows = await gradeClass(sources, submissions, out, {
    jobs,
    timeoutSeconds: 600,
    spec,
    sandbox,
    onDone: (row, done, total) => log(`  [jobs ${jobs}: ${done}/${total}] ${row.student}: ${row.grade.points}/${row.grade.maxPoints} (${row.grade.status}) in ${row.grade.seconds.toFixed(1)} s`),
  });
  const wall = (Date.now() - started) / 1000;
  const graderCpu = process.cpuUsage(graderCpuBefore);
  const kernels = stopSampler();
  const wrong = rows.filter((r) => r.grade.status !== 'graded' || r.grade.points !== r.grade.maxPoints);
  if (wrong.length > 0) throw new Error(`bench:grading: correct submissions did not get full points: ${wrong.map((r) => `${r.student} ${r.grade.points}/${r.grade.maxPoints} ${r.grade.notes.join('; ')}`).join(', ')}`);
  const executions = rows.map((r) => r.grade.execution);
  const cellSeconds = executions.map((e) => e.cells.reduce((s, c) => s + c.seconds, 0));
  const split = {
    kernelStart: mean(executions.map((e) => e.kernelStartSeconds)),
    replay: mean(executions.map((e) => e.replaySeconds)),
    cells: mean(cellSeconds.map((s, i) => s - executions[i].replaySeconds)),
    other: mean(rows.map((r, i) => r.grade.seconds - executions[i].kernelStartSeconds - cellSeconds[i])),
    total: mean(rows.map((r) => r.grade.seconds)),
  };
  const byCell = new Map();
  for (const row of rows) {
    for (const run of row.grade.execution.cells) {
      const cell = row.grade.executed.cells[run.index];
      const label = cellLabel(run.index, gradeIdOf(cell));
      byCell.set(label, (byCell.get(label) || 0) + run.seconds / rows.length);
    }
  }
  const slowest = [...byCell].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([cell, seconds]) => ({ cell, seconds }));
  fs.rmSync(out, { recursive: true, force: true });
  return {
    jobs,
    submissions: rows.length,
    wallSeconds: wall,
    perMinute: (rows.length / wall) * 60,
    minutesFor100: (100 * wall) / rows.length / 60,
    split,
    slowestCells: slowest,
    kernels: kernels.cpuSeconds.size,
    kernelCpuSecondsPerSubmission: [...kernels.cpuSeconds.values()].reduce((s, v) => s + v, 0) / rows.length,
    graderCpuSecondsPerSubmission: (graderCpu.user + graderCpu.system) / 1e6 / rows.length,
    peakKernelRssMB: kernels.singleKb / 1024,
    peakKernelsTotalRssMB: kernels.sumKb / 1024,
    graderMaxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Grades the first submission once with the kernel under `--cpu-prof`; returns the shares of its samples by source file. */
async function profileKernel(sources, submissions, base) {
  const spec = findKernelSpec('tslab', ROOT);
  const dir = fs.mkdtempSync(path.join(base, 'profile-'));
  const one = path.join(base, 'profile-submissions');
  const first = fs.readdirSync(submissions).sort()[0];
  fs.cpSync(path.join(submissions, first), path.join(one, first), { recursive: true });
  const profiled = { ...spec, argv: [spec.argv[0], '--cpu-prof', `--cpu-prof-dir=${dir}`, ...spec.argv.slice(1)] };
  log(`grading ${first} once more with the kernel under the CPU profiler`);
  await gradeOnce(sources, one, base, 1, { projectRoot: ROOT, bwrap: null, hidden: [] }, profiled);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error('bench:grading: the kernel wrote no CPU profile');
  const profile = JSON.parse(fs.readFileSync(path.join(dir, files[0]), 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFile = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id).callFrame;
    const where = (frame.url || `(${frame.functionName})`).replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(ROOT + path.sep, '');
    const dt = profile.timeDeltas[i] || 0;
    byFile.set(where, (byFile.get(where) || 0) + dt);
    total += dt;
  });
  return [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([file, us]) => ({ file, share: us / total }));
}

function table(report) {
  const header = ['jobs', 'wall s', 'subm/min', '100 subm, min', 'kernel start s', 'replay s', 'cells s', 'other s', 'per subm s', 'kernel CPU s', 'grader CPU s', 'peak RSS/kernel MB', 'peak RSS all kernels MB'];
  const body = report.runs.map((r) => [
    String(r.jobs), r.wallSeconds.toFixed(1), r.perMinute.toFixed(2), r.minutesFor100.toFixed(1),
    r.split.kernelStart.toFixed(1), r.split.replay.toFixed(1), r.split.cells.toFixed(1), r.split.other.toFixed(1), r.split.total.toFixed(1),
    r.kernelCpuSecondsPerSubmission.toFixed(1), r.graderCpuSecondsPerSubmission.toFixed(1), r.peakKernelRssMB.toFixed(0), r.peakKernelsTotalRssMB.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const format = (line) => line.map((cell, i) => cell.padStart(widths[i])).join('  ');
  const lines = [
    `notebook ${report.notebook}: ${report.submissions} submissions (correct solutions), ${report.skippedCells} of ${report.codeCells} code cells skipped when grading, ${report.sandbox}`,
    `load average before: ${report.loadBefore}; after: ${report.loadAfter} (${report.cores} cores)`,
    format(header),
    ...body.map(format),
    'time split per submission (wall s): kernel start = launch until the kernel answers; replay = earlier cells run again after a restart; cells = the cells themselves; other = graded copy, checks, kernel shutdown, result files',
    'kernel CPU s, grader CPU s: CPU time per submission (independent of the load); on an idle machine with C cores, about C / (kernel + grader CPU s) submissions per second',
  ];
  for (const r of report.runs) lines.push(`slowest cells with --jobs ${r.jobs} (s per submission): ${r.slowestCells.map((c) => `${c.cell} ${c.seconds.toFixed(1)}`).join(', ')}`);
  if (report.profile !== null) lines.push(`the kernel's time by source file (CPU profile): ${report.profile.map((p) => `${p.file} ${(100 * p.share).toFixed(1)} %`).join(', ')}`);
  return lines.join('\n') + '\n';
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const source = instructorSource(args.allCells);
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  const base = fs.mkdtempSync(path.join(ROOT, 'build', 'bench-grading-'));
  try {
    const sourceDir = path.join(base, 'source');
    const submissions = path.join(base, 'submissions');
    fs.mkdirSync(sourceDir, { recursive: true });
    fs.writeFileSync(path.join(sourceDir, NAME), serializeNotebook(source));
    const submission = correctSubmission(source);
    for (let i = 1; i <= args.students; i++) {
      const dir = path.join(submissions, `student${String(i).padStart(2, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, NAME), serializeNotebook(submission));
    }
    const sources = loadSources([sourceDir]);
    const { bwrap, warning } = chooseBwrap();
    if (warning !== null) log(`bench:grading: warning: ${warning}`);
    const sandbox = { projectRoot: ROOT, bwrap, hidden: [sourceDir, submissions] };
    const report = {
      notebook: NAME,
      submissions: args.students,
      allCells: args.allCells,
      codeCells: source.cells.filter((c) => c.cell_type === 'code').length,
      skippedCells: gradingSkips(source, submission).skipped.size,
      sandbox: bwrap === null ? 'no sandbox (work folder and environment allowlist)' : `bubblewrap (${bwrap})`,
      cores: os.availableParallelism(),
      loadBefore: loadAverage(),
      loadAfter: '',
      runs: [],
      profile: null,
    };
    for (const jobs of args.jobs) {
      log(`grading ${args.students} submissions of ${NAME} with --jobs ${jobs} (load average ${loadAverage()})`);
      report.runs.push(await gradeOnce(sources, submissions, base, jobs, sandbox));
    }
    if (args.profile) report.profile = await profileKernel(sources, submissions, base);
    report.loadAfter = loadAverage();
    process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : table(report));
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
