/**
 * Paths and scratch folders for tests that run notebooks. Scratch folders live inside the project
 * (under build/) so that a notebook's `import ... from "gradlab"` resolves through node_modules.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The project root. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The sample notebook: a chart, a live chart, printed text and one test. */
export const CHARTS_NOTEBOOK = path.join(PROJECT_ROOT, 'test', 'notebook', 'fixtures', 'charts.ipynb');

/** Where tests save screenshots and other files worth looking at after a run. */
export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test-artifacts');

/** A fresh scratch folder under build/; remove it with `fs.rmSync(dir, { recursive: true })`. */
export function scratchDir(label: string): string {
  const base = path.join(PROJECT_ROOT, 'build');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${label}-`));
}

/** Throws a clear message unless the build the notebook tests run (`dist/`) exists. */
export function requireBuild(): void {
  for (const file of ['dist/index.js', 'dist/cli/notebooks.js']) {
    if (!fs.existsSync(path.join(PROJECT_ROOT, file))) {
      throw new Error(`${file} is missing: notebook tests run the built project; run \`npm run build\` (npm test does)`);
    }
  }
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'node_modules', 'gradlab'))) {
    throw new Error('node_modules/gradlab is missing: notebooks import "gradlab"; run `npm run setup` (npm install does)');
  }
}
