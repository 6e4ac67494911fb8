import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWorkspaceEvents, prepareWorkspace } from '../../src/grader/workspace';
import { notebookRootFor } from '../../src/cli/startNotebooks';
import { serializeNotebook, type Notebook } from '../../src/notebook/nbformat';
import { requireProjectVenv } from '../../src/cli/jupyterEnv';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

/** An instructor notebook with one exercise whose solution body is `body`. */
function lecture(body: string): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: [
      {
        cell_type: 'code',
        source: `function f(): number {\n  // BEGIN SOLUTION\n  ${body}\n  // END SOLUTION\n}`,
        metadata: { nbgrader: { grade_id: 'f', solution: true } },
        outputs: [],
        execution_count: null,
      },
      { cell_type: 'markdown', source: `Version ${body.replace(/\D/g, "")}`, metadata: {} },
    ],
  };
}

let dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-workspace-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function course(): { source: string; workspace: string; write(body: string): void } {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'notebooks'));
  const source = path.join(root, 'notebooks', 'lecture.ipynb');
  return { source, workspace: path.join(root, 'workspace'), write: (body) => fs.writeFileSync(source, serializeNotebook(lecture(body))) };
}

describe('the student workspace', () => {
  it('is created on the first start with the student editions, never the answers', () => {
    const c = course();
    c.write('return 1;');
    const events = prepareWorkspace([c.source], c.workspace);
    expect(events.map((e) => e.kind)).toEqual(['created']);
    const text = fs.readFileSync(path.join(c.workspace, 'lecture.ipynb'), 'utf8');
    expect(text).toContain('not implemented: f');
    expect(text).not.toContain('return 1;');
    expect(describeWorkspaceEvents(events)).toEqual([`workspace: wrote ${path.join(c.workspace, 'lecture.ipynb')}`]);
  });

  it("keeps the student's work on later starts", () => {
    const c = course();
    c.write('return 1;');
    prepareWorkspace([c.source], c.workspace);
    const mine = path.join(c.workspace, 'lecture.ipynb');
    fs.writeFileSync(mine, 'my work\n');
    const events = prepareWorkspace([c.source], c.workspace);
    expect(events.map((e) => e.kind)).toEqual(['kept']);
    expect(fs.readFileSync(mine, 'utf8')).toBe('my work\n');
    expect(describeWorkspaceEvents(events)).toEqual([]);
    expect(fs.readdirSync(c.workspace).sort()).toEqual(['.gradlab-workspace.json', 'lecture.ipynb']);
  });

  it('writes a changed source beside the student copy, once, and says so', () => {
    const c = course();
    c.write('return 1;');
    prepareWorkspace([c.source], c.workspace);
    const mine = path.join(c.workspace, 'lecture.ipynb');
    fs.writeFileSync(mine, 'my work\n');
    c.write('return 2;');
    const events = prepareWorkspace([c.source], c.workspace);
    const beside = path.join(c.workspace, 'lecture.new.ipynb');
    expect(events).toEqual([{ kind: 'updated-beside', name: 'lecture.ipynb', file: mine, newFile: beside }]);
    expect(describeWorkspaceEvents(events)[0]).toMatch(/lecture\.ipynb changed since your copy was made; the new version is .*lecture\.new\.ipynb/);
    expect(fs.readFileSync(mine, 'utf8')).toBe('my work\n');
    expect(fs.readFileSync(beside, 'utf8')).toContain("Version 2");
    // The next start has nothing new to say; a further change never overwrites the .new copy the student may have opened.
    expect(prepareWorkspace([c.source], c.workspace).map((e) => e.kind)).toEqual(['kept']);
    fs.writeFileSync(beside, 'started on the new version\n');
    c.write('return 3;');
    const third = prepareWorkspace([c.source], c.workspace);
    expect(third[0]?.kind === 'updated-beside' ? third[0].newFile : '').toBe(path.join(c.workspace, 'lecture.new-2.ipynb'));
    expect(fs.readFileSync(beside, 'utf8')).toBe('started on the new version\n');
  });

  it('recreates a notebook the student deleted', () => {
    const c = course();
    c.write('return 1;');
    prepareWorkspace([c.source], c.workspace);
    fs.rmSync(path.join(c.workspace, 'lecture.ipynb'));
    expect(prepareWorkspace([c.source], c.workspace).map((e) => e.kind)).toEqual(['created']);
  });
});

describe('the folder npm start opens', () => {
  it('is the workspace in the course repository, the instructor notebooks with --instructor', () => {
    const c = course();
    c.write('return 1;');
    const root = path.dirname(path.dirname(c.source));
    const layout = { packageRoot: root, projectRoot: root, kind: 'course' as const };
    // Without node_modules/gradlab the workspace's notebooks could not import "gradlab".
    expect(() => notebookRootFor(layout, false, () => undefined)).toThrow(/must be inside the project .*, where notebooks can import "gradlab"/);
    fs.mkdirSync(path.join(root, 'node_modules', 'gradlab'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'gradlab', 'package.json'), '{"name": "gradlab"}');
    const lines: string[] = [];
    expect(notebookRootFor(layout, false, (l) => lines.push(l))).toBe(path.join(root, 'workspace'));
    expect(lines).toEqual([`workspace: wrote ${path.join(root, 'workspace', 'lecture.ipynb')}`]);
    expect(notebookRootFor(layout, true, () => undefined)).toBe(path.join(root, 'notebooks'));
  });

  it('moves with GRADLAB_WORKSPACE, but only inside the project', () => {
    const c = course();
    c.write('return 1;');
    const root = path.dirname(path.dirname(c.source));
    fs.mkdirSync(path.join(root, 'node_modules', 'gradlab'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'gradlab', 'package.json'), '{"name": "gradlab"}');
    const layout = { packageRoot: root, projectRoot: root, kind: 'course' as const };
    const saved = process.env['GRADLAB_WORKSPACE'];
    try {
      process.env['GRADLAB_WORKSPACE'] = 'build/my-work';
      expect(notebookRootFor(layout, false, () => undefined)).toBe(path.join(root, 'build', 'my-work'));
      expect(fs.existsSync(path.join(root, 'build', 'my-work', 'lecture.ipynb'))).toBe(true);
      process.env['GRADLAB_WORKSPACE'] = tempDir();
      expect(() => notebookRootFor(layout, false, () => undefined)).toThrow(/must be inside the project/);
    } finally {
      if (saved === undefined) delete process.env['GRADLAB_WORKSPACE'];
      else process.env['GRADLAB_WORKSPACE'] = saved;
    }
  });

  it("is the student project's own notebooks, where --instructor is refused", () => {
    const root = tempDir();
    const layout = { packageRoot: path.join(root, 'node_modules', 'gradlab'), projectRoot: root, kind: 'student' as const };
    expect(notebookRootFor(layout, false, () => undefined)).toBe(path.join(root, 'notebooks'));
    expect(() => notebookRootFor(layout, true, () => undefined)).toThrow(/this project holds only the student notebooks/);
    expect(fs.existsSync(path.join(root, 'workspace'))).toBe(false);
  });
});

describe('npm start -- --prepare-only', () => {
  it('builds the workspace from the instructor notebooks, then exits', () => {
    requireBuild();
    requireProjectVenv(PROJECT_ROOT, 'The prepare-only test');
    const scratch = scratchDir('prepare-only');
    dirs.push(scratch);
    const workspace = path.join(scratch, 'workspace');
    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js'), '--prepare-only'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, GRADLAB_WORKSPACE: workspace },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const instructor = fs.readdirSync(path.join(PROJECT_ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
    expect(fs.readdirSync(workspace).filter((f) => f.endsWith('.ipynb')).sort()).toEqual(instructor);
    for (const name of instructor) expect(run.stdout).toContain(`workspace: wrote ${path.join(workspace, name)}`);
    expect(run.stdout).toContain(`open JupyterLab on ${workspace}`);
  }, 150_000);
});
