import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { requireProjectVenv } from '../../src/cli/jupyterEnv';
import { classroomWorkflow } from '../../src/grader/classroom';
import { PROJECT_ROOT, requireBuild } from '../helpers/project';

// The release folder is a student project of its own: written by `npm run assign` into a temporary
// folder outside the project, it installs from its packed tarball and the npm registry, runs a
// student notebook headless with `npm run validate`, and `npm start -- --prepare-only` sets up its
// own kernel there. (The project's .venv is put on PATH so that `npm start` finds JupyterLab without
// creating a second Python environment.)
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; out: string } {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
}

describe('the release folder', () => {
  it('installs and runs a student notebook headless in a folder outside the project', () => {
    requireBuild();
    const venv = requireProjectVenv(PROJECT_ROOT, 'The release test');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-release-'));
    try {
      const assign = run(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'assign.js'), '--out', dir], PROJECT_ROOT);
      expect(assign.status, assign.out).toBe(0);
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
      const tarball = (pkg.dependencies['gradlab'] ?? '').replace(/^file:/, '');
      expect(fs.existsSync(path.join(dir, tarball))).toBe(true);
      expect(Object.keys(pkg.scripts).sort()).toEqual(['start', 'validate']);
      expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('npm install && npm start');
      expect(fs.readFileSync(path.join(dir, '.github', 'workflows', 'classroom.yml'), 'utf8')).toBe(classroomWorkflow());
      const notebooks = fs.readdirSync(path.join(dir, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
      expect(notebooks).toEqual(fs.readdirSync(path.join(PROJECT_ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort());

      const install = run('npm', ['install', '--no-audit', '--no-fund'], dir);
      expect(install.status, install.out).toBe(0);
      const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'gradlab', 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(installed['scripts']).toBeUndefined(); // no build script to run from a tarball without sources

      const first = notebooks[0] ?? '';
      const validate = run('npm', ['run', 'validate', '--', `notebooks/${first}`], dir);
      expect(validate.out).toMatch(/not implemented: [\w$]+/);
      expect(validate.out).toMatch(/0\/\d+ points from the visible tests; 0 of \d+ tests passed/);
      expect(validate.out).not.toMatch(/other cell failed|could not run/);
      expect(validate.status, validate.out).toBe(1);

      const env = { ...process.env, PATH: `${path.dirname(venv.jupyter)}${path.delimiter}${process.env['PATH'] ?? ''}` };
      const start = run('npm', ['start', '--', '--prepare-only'], dir, env);
      expect(start.status, start.out).toBe(0);
      expect(start.out).toContain(`open JupyterLab on ${path.join(dir, 'notebooks')}`);
      const spec = JSON.parse(fs.readFileSync(path.join(dir, '.jupyter', 'kernels', 'tslab', 'kernel.json'), 'utf8')) as { argv: string[]; env: Record<string, string> };
      expect(spec.argv[1]).toBe(path.join(dir, 'node_modules', 'tslab', 'bin', 'tslab'));
      expect(spec.env['NODE_OPTIONS']).toContain(path.join(dir, 'node_modules', 'gradlab', 'dist', 'notebook', 'jupyter', 'kernelPreload.js'));
      expect(fs.existsSync(path.join(dir, 'workspace'))).toBe(false);
      const instructor = run('npm', ['start', '--', '--instructor', '--prepare-only'], dir, env);
      expect(instructor.out).toContain('this project holds only the student notebooks');
      expect(instructor.status).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
