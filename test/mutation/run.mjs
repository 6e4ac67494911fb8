// `npm run mutation [-- files or folders] [--incremental [--force]]`: mutation testing of the layers
// whose bugs silently change every notebook's numbers (src/ops, autograd, nn, optim, init) and of
// the grader's scoring (src/grader/scoring.ts), with StrykerJS (settings in stryker.config.json), then a short report per layer in
// reports/mutation/summary.md that lists each surviving mutant, marked equivalent (with why) when
// test/mutation/equivalents.json judges it so.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// A layer is a folder, or a single file where only that file of its folder is in scope.
const LAYERS = ['src/ops', 'src/autograd', 'src/nn', 'src/optim', 'src/init', 'src/grader/scoring.ts'];
const inLayer = (rel, layer) => rel === layer || rel.startsWith(`${layer}/`);
const layerPattern = (layer) => (layer.endsWith('.ts') ? layer : `${layer}/**/*.ts`);
const REPORT_DIR = path.join(root, 'reports', 'mutation');
const JSON_REPORT = path.join(REPORT_DIR, 'mutation.json');
const SUMMARY = path.join(REPORT_DIR, 'summary.md');
const EQUIVALENTS = path.join(root, 'test', 'mutation', 'equivalents.json');

const USAGE = `usage: npm run mutation [-- [file or folder ...] [--tests test/folder ...] [--incremental [--force]]]
  no file      mutate every file of ${LAYERS.join(', ')}
  file/folder  mutate only these (inside those layers), e.g. src/optim or src/optim/adam.ts
  --incremental  reuse reports/mutation/incremental.json: rerun only mutants whose code or tests changed
  --force        with --incremental, rerun the named files' mutants all the same
  --tests DIR    run only the tests in DIR (a test file or folder; repeatable), e.g. a layer's own tests`;

function fail(message) {
  console.error(`mutation: ${message}\n${USAGE}`);
  process.exit(2);
}

/** Stryker `mutate` globs for the named files and folders (every layer when none is named). */
export function mutatePatterns(names) {
  if (names.length === 0) return LAYERS.map(layerPattern);
  return names.map((name) => {
    const rel = path.relative(root, path.resolve(name)).split(path.sep).join('/');
    if (!LAYERS.some((l) => inLayer(rel, l))) fail(`${name} is not inside ${LAYERS.join(', ')}`);
    if (!fs.existsSync(path.join(root, rel))) fail(`${name} does not exist`);
    return fs.statSync(path.join(root, rel)).isDirectory() ? `${rel}/**/*.ts` : rel;
  });
}

function parseArgs(argv) {
  const names = [];
  const tests = [];
  let incremental = false;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--tests') {
      const dir = argv[++i];
      if (dir === undefined || !fs.existsSync(dir)) fail(`--tests needs an existing test file or folder, got ${dir}`);
      tests.push(fs.statSync(dir).isDirectory() ? `${dir.replace(/\/+$/, '')}/**/*.test.ts` : dir);
    } else if (arg === '--incremental') incremental = true;
    else if (arg === '--force') force = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else names.push(arg);
  }
  if (force && !incremental) fail('--force only applies with --incremental');
  return { mutate: mutatePatterns(names), tests, incremental, force };
}

const collapse = (s) => s.replace(/\s+/g, ' ').trim();

/** The source text a mutant replaced (report locations are 1-based lines and columns). */
function originalText(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...middle, lines[end.line - 1].slice(0, end.column - 1)].join('\n');
}

function layerOf(file) {
  return LAYERS.find((l) => inLayer(file, l)) ?? path.dirname(file);
}

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

/** The per-layer table and the list of survivors, from Stryker's JSON report. */
export function summarize(report, equivalents) {
  const rows = new Map();
  const survivors = [];
  const used = new Set();
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const rel = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
    const layer = layerOf(rel);
    const row = rows.get(layer) ?? { killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0, invalid: 0 };
    rows.set(layer, row);
    for (const m of mutants) {
      if (m.status === 'Killed') row.killed++;
      else if (m.status === 'Timeout') row.timeout++;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') {
        if (m.status === 'Survived') row.survived++;
        else row.noCoverage++;
        const original = originalText(source, m.location);
        const match = equivalents.findIndex((e) => e.file === rel && e.mutator === m.mutatorName
          && collapse(e.original) === collapse(original) && collapse(e.replacement) === collapse(m.replacement ?? ''));
        if (match !== -1) {
          row.equivalent++;
          used.add(match);
        }
        survivors.push({ rel, line: m.location.start.line, mutator: m.mutatorName, status: m.status, original, replacement: m.replacement ?? '', why: match === -1 ? null : equivalents[match].why });
      } else row.invalid++;
    }
  }
  const lines = ['| layer | mutants | killed | timeout | survived | no coverage | score | judged equivalent | score without them |', '|---|--:|--:|--:|--:|--:|--:|--:|--:|'];
  const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0, invalid: 0 };
  const line = (name, r) => {
    const detected = r.killed + r.timeout;
    const valid = detected + r.survived + r.noCoverage;
    return `| ${name} | ${valid} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${pct(detected, valid)} | ${r.equivalent} | ${pct(detected, valid - r.equivalent)} |`;
  };
  for (const layer of [...rows.keys()].sort()) {
    const r = rows.get(layer);
    for (const k of Object.keys(total)) total[k] += r[k];
    lines.push(line(layer, r));
  }
  lines.push(line('all', total));
  const show = (s) => `- \`${s.rel}:${s.line}\` ${s.mutator}${s.status === 'NoCoverage' ? ' (no test reaches it)' : ''}: \`${collapse(s.original).slice(0, 100)}\` → \`${collapse(s.replacement).slice(0, 100)}\``;
  const equivalent = survivors.filter((s) => s.why !== null);
  const open = survivors.filter((s) => s.why === null);
  const stale = equivalents.filter((_, i) => !used.has(i)).map((e) => e.file);
  return [
    '# Mutation testing', '',
    `Generated by \`npm run mutation\` on ${new Date().toISOString()} (StrykerJS; compile errors and ignored mutants are not counted).`, '',
    ...lines, '',
    `## Surviving mutants judged equivalent (${equivalent.length})`, '',
    'Each changes the code without changing any result the library can give (test/mutation/equivalents.json says why).', '',
    ...equivalent.map((s) => `${show(s)}\n  ${s.why}`), '',
    `## Surviving mutants not yet killed (${open.length})`, '',
    ...open.map(show), '',
    ...(stale.length > 0 && open.length + equivalent.length > 0 ? [`(${stale.length} entries of test/mutation/equivalents.json matched no survivor of this run.)`, ''] : []),
  ].join('\n');
}

async function main() {
  const { mutate, tests, incremental, force } = parseArgs(process.argv.slice(2));
  const { Stryker } = await import('@stryker-mutator/core');
  process.chdir(root);
  // Stryker reads stryker.config.json; these options override it for this run.
  const options = { mutate, incremental, force, ...(tests.length > 0 ? { testFiles: tests } : {}) };
  await new Stryker(options).runMutationTest();
  if (!fs.existsSync(JSON_REPORT)) fail(`Stryker wrote no ${path.relative(root, JSON_REPORT)}`);
  const report = JSON.parse(fs.readFileSync(JSON_REPORT, 'utf8'));
  const equivalents = JSON.parse(fs.readFileSync(EQUIVALENTS, 'utf8'));
  const text = summarize(report, equivalents);
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  fs.writeFileSync(SUMMARY, text);
  console.log(`\n${text}\nWritten to ${path.relative(root, SUMMARY)} (details: ${path.relative(root, path.join(REPORT_DIR, 'mutation.html'))}).`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`mutation: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
