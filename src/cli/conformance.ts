/**
 * `npm run conformance -- [suite.json ...] [--dtype float32|float64]`: runs every case of each suite
 * (with no file, the PyTorch suites bundled in `test/fixtures/conformance/`), prints one line per
 * case with its largest error, then `N passed, M failed`, and exits non-zero on any failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import '../ops/methods';
import type { DType } from '../tensor/dtype';
import { kernelBackend } from '../tensor/kernels/backend';
import { runCase } from '../conformance/runner';
import { loadSuite } from '../conformance/suite';

/** The reference suites carried in the repository: PyTorch's float64 results, see their README. */
const BUNDLED_SUITES = path.resolve(__dirname, '../../test/fixtures/conformance');

function bundledSuiteFiles(): string[] {
  if (!fs.existsSync(BUNDLED_SUITES)) return [];
  return fs.readdirSync(BUNDLED_SUITES).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(BUNDLED_SUITES, f));
}

function main(argv: readonly string[]): number {
  const files: string[] = [];
  let dtype: DType = 'float64';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dtype' || arg.startsWith('--dtype=')) {
      const value = arg === '--dtype' ? argv[++i] : arg.slice('--dtype='.length);
      if (value !== 'float32' && value !== 'float64') {
        process.stderr.write(`conformance: --dtype must be float32 or float64, got ${value === undefined ? 'nothing' : JSON.stringify(value)}\n`);
        return 2;
      }
      dtype = value;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run conformance -- [suite.json ...] [--dtype float64|float32]\n(with no suite file: the bundled PyTorch suites in test/fixtures/conformance/)\n');
      return 0;
    } else if (arg.startsWith('--')) {
      process.stderr.write(`conformance: unknown option ${arg}\n`);
      return 2;
    } else files.push(arg);
  }
  if (files.length === 0) files.push(...bundledSuiteFiles());
  if (files.length === 0) {
    process.stderr.write(`conformance: no suite file named and no bundled suites in ${BUNDLED_SUITES}; name one, e.g. npm run conformance -- my-suite.json\n`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let suite;
    try {
      suite = loadSuite(file);
    } catch (e) {
      process.stdout.write(`FAIL ${file}: ${(e as Error).message}\n`);
      failed++;
      continue;
    }
    process.stdout.write(`# ${suite.suite} (${file}), ${suite.cases.length} cases, ${dtype}, ${dtype === 'float64' ? 'ts' : kernelBackend()} kernels\n`);
    for (const c of suite.cases) {
      const r = runCase(c, dtype);
      const err = Number.isFinite(r.maxError) ? r.maxError.toExponential(2) : String(r.maxError);
      if (r.passed) passed++;
      else failed++;
      process.stdout.write(`${r.passed ? 'PASS' : 'FAIL'} ${r.name.padEnd(36)} ${r.kind.padEnd(14)} max err ${err}${r.passed ? '' : '  ' + r.problems.join('; ')}\n`);
    }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

// A reader that stops early (`| head`) is not an error of the suite.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = main(process.argv.slice(2));
