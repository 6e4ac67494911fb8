/**
 * `npm run notebooks -- [paths...] [--out DIR] [--timeout SECONDS] [--inplace] [--no-site]`
 *
 * Executes notebooks (all of `notebooks/` by default) on real tslab kernels, writes the executed
 * copies and a static HTML site, prints a summary table and `N passed, M failed`, and exits 1 when
 * a notebook has an unexpected cell error, a failed test, or could not run.
 */
import { join, resolve } from 'path';
import type { Notebook } from '../notebook/nbformat';
import { findNotebooks, runNotebooks, type RunProgress } from '../notebook/execute/runner';
import { formatSummary, isFailing, type NotebookReport } from '../notebook/execute/summary';
import { totals } from '../notebook/execute/results';
import { runCommand } from './commandLine';

/** Parsed command-line options. */
export interface NotebooksArgs {
  readonly paths: string[];
  readonly outDir: string;
  readonly timeoutSeconds: number;
  readonly inPlace: boolean;
  readonly site: boolean;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run notebooks -- [paths...] [options]

Runs notebooks (files or folders; default: notebooks/) on fresh tslab kernels.

options:
  --out DIR          where executed copies and the site go (default: build/notebooks)
  --timeout SECONDS  time limit per cell; 0 for none (default: 300); a cell's
                     metadata.gradlab.timeout overrides it
  --inplace          write executed notebooks over their sources
  --no-site          do not write the static HTML site
  -h, --help         show this help
`;

/** Parses command-line arguments; throws an Error with a usage message on bad input. */
export function parseArgs(argv: readonly string[], projectRoot: string): NotebooksArgs {
  const paths: string[] = [];
  let outDir = 'build/notebooks';
  let timeoutSeconds = 300;
  let inPlace = false;
  let site = true;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`notebooks: ${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '--out') outDir = value();
    else if (arg.startsWith('--out=')) outDir = arg.slice('--out='.length);
    else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const text = arg === '--timeout' ? value() : arg.slice('--timeout='.length);
      timeoutSeconds = Number(text);
      if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0)) {
        throw new Error(`notebooks: --timeout must be a number of seconds >= 0, got '${text}'`);
      }
    } else if (arg === '--inplace') inPlace = true;
    else if (arg === '--no-site') site = false;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg.startsWith('-')) throw new Error(`notebooks: unknown option ${arg}`);
    else paths.push(arg);
  }
  if (paths.length === 0) paths.push(join(projectRoot, 'notebooks'));
  return { paths, outDir: resolve(outDir), timeoutSeconds, inPlace, site, help };
}

interface SiteWriter {
  writeSite(notebooks: { sourcePath: string; notebook: Notebook }[], outDir: string): void;
}

/** The static-site writer, when the project has one. */
function loadSiteWriter(): SiteWriter | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const site = require('../notebook/site/site') as Partial<SiteWriter>;
    return typeof site.writeSite === 'function' ? (site as SiteWriter) : null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' && error instanceof Error && error.message.includes('notebook/site')) return null;
    throw error;
  }
}

/** Prints progress to stderr: an updating line on a terminal, one line per notebook otherwise. */
function progressPrinter(stream: NodeJS.WriteStream): (event: RunProgress) => void {
  const tty = stream.isTTY === true;
  let prefix = '';
  return (event) => {
    if (event.kind === 'notebook') {
      prefix = `[${event.position}/${event.total}] ${event.path}`;
      if (tty) stream.write(`\r\x1b[K${prefix} starting kernel`);
      else stream.write(`${prefix} ...\n`);
    } else if (event.kind === 'cell') {
      if (tty) stream.write(`\r\x1b[K${prefix} cell ${event.position}/${event.total}`);
    } else {
      const { report } = event;
      const t = totals(report.tests);
      const runs = report.execution?.cells ?? [];
      const detail =
        report.failure !== null && runs.every((run) => run.status === 'not-run')
          ? report.failure.split('\n')[0] ?? ''
          : `${runs.length} cells, ${t.passed}/${report.tests.length} tests`;
      const status = isFailing(report) ? 'FAIL' : 'ok';
      stream.write(`${tty ? '\r\x1b[K' : ''}${prefix} ${status} (${detail}, ${report.seconds.toFixed(1)} s)\n`);
    }
  };
}

/** Writes the site for the executed notebooks into `<out>/site`; returns an error message or null. */
function writeSiteFor(reports: readonly NotebookReport[], outDir: string): string | null {
  const writer = loadSiteWriter();
  if (writer === null) return null;
  const notebooks = reports.flatMap((report) =>
    report.notebook === null ? [] : [{ sourcePath: report.displayPath, notebook: report.notebook }],
  );
  try {
    writer.writeSite(notebooks, join(outDir, 'site'));
    return null;
  } catch (error) {
    return `notebooks: could not write the site into ${join(outDir, 'site')}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Runs the command; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const projectRoot = resolve(__dirname, '..', '..');
  let args: NotebooksArgs;
  let files: string[];
  try {
    args = parseArgs(argv, projectRoot);
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    files = findNotebooks(args.paths);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(`notebooks: no .ipynb files in ${args.paths.join(', ')}\n`);
    return 2;
  }
  const reports = await runNotebooks(files, {
    projectRoot,
    outDir: args.outDir,
    inPlace: args.inPlace,
    timeoutSeconds: args.timeoutSeconds,
    onProgress: progressPrinter(process.stderr),
  });
  const siteError = args.site ? writeSiteFor(reports, args.outDir) : null;
  process.stdout.write('\n' + formatSummary(reports));
  if (siteError !== null) process.stderr.write(siteError + '\n');
  return reports.some(isFailing) || siteError !== null ? 1 : 0;
}

if (require.main === module) runCommand('notebooks', main);
