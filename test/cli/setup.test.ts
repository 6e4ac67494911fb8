import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkPackage, setup, tslabKernelSpec } from '../../src/cli/setup';
import { findKernelSpec } from '../../src/notebook/jupyter/kernelSpec';

const ROOT = path.resolve(__dirname, '../..');
const made: string[] = [];

/** A throwaway project with package.json, a built entry and a tslab bin. */
function fakeProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-setup-'));
  made.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'gradlab', main: 'dist/index.js' }));
  fs.mkdirSync(path.join(root, 'dist'));
  fs.writeFileSync(path.join(root, 'dist', 'index.js'), 'exports.answer = 42;\n');
  fs.mkdirSync(path.join(root, 'node_modules', 'tslab', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'), '#!/usr/bin/env node\n');
  fs.mkdirSync(path.join(root, 'notebooks'));
  return root;
}

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('setup', () => {
  it('links node_modules/gradlab to the project so notebooks import it by package name', () => {
    const root = fakeProject();
    const lines: string[] = [];
    setup(root, (line) => lines.push(line));
    const link = path.join(root, 'node_modules', 'gradlab');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('..');
    const resolved = require.resolve('gradlab', { paths: [path.join(root, 'notebooks')] });
    expect(fs.realpathSync(resolved)).toBe(fs.realpathSync(path.join(root, 'dist', 'index.js')));
    expect(lines.some((line) => line.includes('kernel.json'))).toBe(true);
  });

  it('registers the tslab kernelspec in the project-local .jupyter folder, pointing at the project tslab', () => {
    const root = fakeProject();
    setup(root, () => undefined);
    const file = path.join(root, '.jupyter', 'kernels', 'tslab', 'kernel.json');
    const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as { argv: string[]; language: string };
    expect(spec.argv).toEqual([process.execPath, path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}']);
    expect(spec.language).toBe('typescript');
    expect(findKernelSpec('tslab', root).source).toBe(file);
  });

  it('is idempotent and refuses to replace a real folder at node_modules/gradlab', () => {
    const root = fakeProject();
    setup(root, () => undefined);
    expect(linkPackage(root)).toContain('already linked');
    fs.rmSync(path.join(root, 'node_modules', 'gradlab'));
    fs.mkdirSync(path.join(root, 'node_modules', 'gradlab'));
    expect(() => linkPackage(root)).toThrow(/node_modules\/gradlab exists and is not a symlink/);
  });

  it('names the missing tslab when node_modules is incomplete', () => {
    const root = fakeProject();
    fs.rmSync(path.join(root, 'node_modules', 'tslab'), { recursive: true });
    expect(() => setup(root, () => undefined)).toThrow(/node_modules\/tslab\/bin\/tslab is missing; run `npm install` first/);
  });
});

describe('this project after `npm install`', () => {
  it('runs the build and the set-up from the prepare script', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['prepare']).toBe('npm run build && node dist/cli/setup.js');
    expect(pkg.scripts['notebooks']).toBe('node dist/cli/notebooks.js');
  });

  it('has its kernelspec and package link in place (no home-directory install)', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(ROOT, '.jupyter', 'kernels', 'tslab', 'kernel.json'), 'utf8')) as unknown;
    expect(spec).toMatchObject(tslabKernelSpec(ROOT));
    expect(fs.realpathSync(path.join(ROOT, 'node_modules', 'gradlab'))).toBe(fs.realpathSync(ROOT));
  });
});
