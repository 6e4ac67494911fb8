/**
 * The release folder: a self-contained student project made from the instructor's notebooks.
 *
 *   release/
 *     notebooks/<name>.ipynb   the student editions
 *     gradlab-<version>.tgz    this gradlab's build, packed with `npm pack` (no build scripts)
 *     package.json             depends on that tarball; `npm start` and `npm run validate`
 *     README.md                the student's two commands
 *     .github/workflows/classroom.yml   GitHub Classroom autograding with the visible tests (classroom.ts)
 *
 * Every student edition is made (and every source checked) before anything is written, so a bad
 * source writes nothing; sources are never written to (see assignFiles.ts).
 */
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { assignNotebooks, writeAssigned } from './assignFiles';
import { classroomWorkflow } from './classroom';

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly engines?: Record<string, string>;
}

function readPackage(packageRoot: string): PackageJson {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as PackageJson;
}

/** The student project's package.json, depending on the packed gradlab. */
export function releasePackageJson(tarball: string, pkg: PackageJson): string {
  const content = {
    name: 'gradlab-course',
    version: '1.0.0',
    private: true,
    description: 'Course notebooks with exercises: run `npm install && npm start`.',
    scripts: {
      start: 'node node_modules/gradlab/dist/cli/start.js',
      validate: 'node node_modules/gradlab/dist/cli/validate.js',
    },
    dependencies: { [pkg.name]: `file:${tarball}` },
    engines: pkg.engines ?? {},
  };
  return JSON.stringify(content, null, 2) + '\n';
}

/** The student README of a release holding `notebooks`. */
export function releaseReadme(notebooks: readonly string[]): string {
  return [
    '# Course notebooks',
    '',
    'TypeScript notebooks with exercises, run in JupyterLab with the TypeScript kernel (tslab).',
    'You need Node.js 20.19 or newer and Python 3 (with its `venv` module).',
    '',
    '```sh',
    'npm install && npm start                                  # set up, then open the notebooks in JupyterLab',
    `npm run validate -- notebooks/${notebooks[0] ?? '<name>.ipynb'}   # check your work`,
    '```',
    '',
    '`npm start` opens JupyterLab on `notebooks/` and prints its URL (`npm start -- --no-browser` on a',
    'machine without a browser). The first start creates `.venv/` with JupyterLab (about 30 s).',
    '',
    'Each exercise is a cell that says `// YOUR CODE HERE` and throws `not implemented`: replace',
    'both with your code, then run the test cell below it. `npm run validate -- <notebook>` runs the',
    'whole notebook in a fresh kernel with the tests you can see, prints each exercise with its points,',
    'and warns when a read-only cell was changed. Hidden tests are added when your work is graded.',
    'In a GitHub Classroom repository every push runs the same check (`.github/workflows/classroom.yml`)',
    'and reports the points of the visible tests to the Classroom dashboard.',
    '',
    'Notebooks:',
    '',
    ...notebooks.map((name) => `- \`notebooks/${name}\``),
    '',
  ].join('\n');
}

/**
 * The package.json that goes into the tarball: what an installed package needs, without the
 * development scripts (`prepare` builds from sources the tarball does not carry) and devDependencies.
 */
export function packedPackageJson(pkg: Record<string, unknown>): Record<string, unknown> {
  const packed: Record<string, unknown> = { ...pkg };
  delete packed['scripts'];
  delete packed['devDependencies'];
  return packed;
}

/** Packs this gradlab's build into `dir` with `npm pack`; returns the tarball's file name. */
export function packGradlab(packageRoot: string, dir: string): string {
  if (!existsSync(join(packageRoot, 'dist', 'index.js'))) throw new Error(`assign: ${join(packageRoot, 'dist')} is missing; run \`npm run build\` first`);
  for (const entry of readdirSync(dir)) if (/^gradlab-.*\.tgz$/.test(entry)) rmSync(join(dir, entry));
  const stage = mkdtempSync(join(tmpdir(), 'gradlab-pack-'));
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(stage, 'package.json'), JSON.stringify(packedPackageJson(pkg), null, 2) + '\n');
    cpSync(join(packageRoot, 'dist'), join(stage, 'dist'), { recursive: true });
    for (const extra of ['README.md', 'LICENSE']) if (existsSync(join(packageRoot, extra))) cpSync(join(packageRoot, extra), join(stage, extra));
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', resolve(dir)], {
      cwd: stage,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = (JSON.parse(out) as { filename?: string }[])[0]?.filename ?? '';
    if (file === '' || !existsSync(join(dir, file))) throw new Error(`assign: npm pack did not write a tarball into ${dir}`);
    return file;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Options for writing a release. */
export interface ReleaseOptions {
  /** The gradlab package folder to pack. */
  readonly packageRoot: string;
  /** Pack gradlab into the folder (default true); without it only the notebooks are written. */
  readonly pack?: boolean;
  readonly cwd?: string;
}

/** What a release wrote. */
export interface ReleaseReport {
  readonly notebooks: string[];
  readonly tarball: string | null;
}

/** Writes the release folder `outDir` from the instructor notebooks `files`. */
export function writeRelease(files: readonly string[], outDir: string, options: ReleaseOptions): ReleaseReport {
  const assigned = assignNotebooks(files, options.cwd);
  const notebooks = writeAssigned(assigned, join(outDir, 'notebooks'));
  if (options.pack === false) return { notebooks, tarball: null };
  const tarball = packGradlab(options.packageRoot, outDir);
  writeFileSync(join(outDir, 'package.json'), releasePackageJson(tarball, readPackage(options.packageRoot)));
  writeFileSync(join(outDir, 'README.md'), releaseReadme(assigned.map((a) => a.name)));
  writeFileSync(join(outDir, '.gitignore'), 'node_modules/\n.venv/\n.jupyter/\n.ipynb_checkpoints/\n');
  mkdirSync(join(outDir, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(outDir, '.github', 'workflows', 'classroom.yml'), classroomWorkflow());
  return { notebooks, tarball: join(outDir, tarball) };
}
