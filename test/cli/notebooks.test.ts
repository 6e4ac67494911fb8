import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/notebooks';

// Runs the built command (`npm run notebooks` = node dist/cli/notebooks.js) as a user would.
const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli', 'notebooks.js');
let dir = '';

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
  });
}

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, 'build', 'cli-test-'));
  fs.mkdirSync(path.join(dir, 'nb'));
  fs.writeFileSync(path.join(dir, 'nb', 'pass.ipynb'), notebook(['import { test } from "gradlab";', 'test("one", 2, () => {});']));
  fs.writeFileSync(
    path.join(dir, 'nb', 'fail.ipynb'),
    notebook(['import { test } from "gradlab";', 'test("two", 1, () => { throw new Error("wrong answer"); });', 'undefinedName;']),
  );
});

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

describe('parseArgs', () => {
  it('defaults to notebooks/ of the project, build/notebooks and 300 s per cell', () => {
    const args = parseArgs([], '/project');
    expect(args).toMatchObject({ paths: ['/project/notebooks'], timeoutSeconds: 300, inPlace: false, site: true });
    expect(args.outDir).toBe(path.resolve('build/notebooks'));
  });

  it('reads paths and options in any order', () => {
    const args = parseArgs(['a.ipynb', '--timeout', '2.5', '--out=/tmp/x', 'dir', '--no-site', '--inplace'], '/p');
    expect(args).toMatchObject({ paths: ['a.ipynb', 'dir'], timeoutSeconds: 2.5, outDir: '/tmp/x', site: false, inPlace: true });
  });

  it('rejects unknown options and bad values with a message', () => {
    expect(() => parseArgs(['--timeot', '3'], '/p')).toThrow('notebooks: unknown option --timeot');
    expect(() => parseArgs(['--timeout', 'soon'], '/p')).toThrow("notebooks: --timeout must be a number of seconds >= 0, got 'soon'");
    expect(() => parseArgs(['--out'], '/p')).toThrow('notebooks: --out needs a value');
  });
});

describe('npm run notebooks', () => {
  it('prints progress, the table and `N passed, M failed`, and exits 1 on a failed test or cell error', () => {
    const out = path.join(dir, 'out');
    const result = run(['nb', '--out', out, '--timeout', '30']);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
    expect(result.stdout).toMatch(/nb\/fail\.ipynb\s+3\/3\s+1\s+0\/1\s+0\/1\s+[\d.]+\s+FAIL/);
    expect(result.stdout).toMatch(/nb\/pass\.ipynb\s+2\/2\s+0\s+1\/1\s+2\/2\s+[\d.]+\s+ok/);
    expect(result.stdout).toContain("nb/fail.ipynb cell 2: test 'two' failed: wrong answer");
    expect(result.stdout).toContain("nb/fail.ipynb cell 3: error: 1:1 - Cannot find name 'undefinedName'.");
    expect(result.stderr).toContain('[1/2] nb/fail.ipynb');
    expect(result.stderr).toContain('[2/2] nb/pass.ipynb ok');
    expect(fs.existsSync(path.join(out, 'pass.ipynb'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'fail.ipynb'))).toBe(true);
  }, 120_000);

  it('exits 0 when every test passes', () => {
    const result = run([path.join('nb', 'pass.ipynb'), '--out', path.join(dir, 'out2')]);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(result.status).toBe(0);
  }, 120_000);

  it('refuses to overwrite a source unless --inplace is given', () => {
    const source = path.join(dir, 'nb', 'pass.ipynb');
    const before = fs.readFileSync(source, 'utf8');
    const result = run([source, '--out', path.join(dir, 'nb'), '--no-site']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('not writing the executed copy over its source nb/pass.ipynb');
    expect(fs.readFileSync(source, 'utf8')).toBe(before);
  }, 120_000);

  it('explains usage errors and missing paths with exit code 2', () => {
    const missing = run(['no-such-folder']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('notebooks: no-such-folder does not exist');
    expect(run(['--bogus']).status).toBe(2);
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: npm run notebooks -- [paths...] [options]');
  });
});
