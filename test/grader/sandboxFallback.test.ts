/**
 * Grading where bubblewrap is installed but cannot create its namespaces (an unprivileged container):
 * the grader probes it once, warns once with bubblewrap's own reason, and grades on the real kernel
 * with the fresh work folder and the environment allowlist. The failing bubblewrap is the real one,
 * started inside a user namespace without a uid mapping (`unshare --user`), where it is refused the
 * namespaces it needs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { BWRAP, BWRAP_ENV, bwrapFailure, chooseBwrap, ENV_ALLOWLIST } from '../../src/grader/sandbox';
import { findKernelSpec } from '../../src/notebook/jupyter/kernelSpec';
import { serializeNotebook, type Notebook } from '../../src/notebook/nbformat';
import { code, correctSubmission, instructorNotebook } from '../helpers/gradingFixture';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

const NAME = 'two.ipynb';

describe('choosing the sandbox', () => {
  it('names a GRADLAB_BWRAP that does not exist', () => {
    expect(chooseBwrap({ [BWRAP_ENV]: '/nowhere/bwrap' })).toEqual({
      bwrap: null,
      warning: 'GRADLAB_BWRAP names /nowhere/bwrap, which does not exist; kernels run in a fresh folder with a filtered environment but without a sandbox',
    });
  });

  it.runIf(fs.existsSync(BWRAP))('uses the installed bubblewrap when it works here', () => {
    expect(bwrapFailure(BWRAP)).toBeNull();
    expect(chooseBwrap({})).toEqual({ bwrap: BWRAP, warning: null });
  });

  it('reports a bubblewrap that cannot start as failing, with its message', () => {
    const dir = scratchDir('bwrap-broken');
    try {
      const broken = path.join(dir, 'bwrap');
      fs.writeFileSync(broken, '#!/bin/sh\necho "bwrap: Creating new namespace failed: Operation not permitted" >&2\nexit 1\n', { mode: 0o755 });
      expect(bwrapFailure(broken)).toBe('bwrap: Creating new namespace failed: Operation not permitted');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('grading when bubblewrap cannot create namespaces', () => {
  const base = scratchDir('grade-no-namespaces');
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('warns once with the reason and grades with the work folder and the environment allowlist', () => {
    requireBuild();
    const sourceDir = path.join(base, 'source');
    const submissions = path.join(base, 'submissions');
    const out = path.join(base, 'out');
    const sourceFile = path.join(sourceDir, NAME);
    fs.mkdirSync(sourceDir, { recursive: true });
    fs.writeFileSync(sourceFile, serializeNotebook(instructorNotebook()));
    const probing = correctSubmission();
    probing.cells.push(code([
      'const env = process.env;',
      'console.log("env keys: " + JSON.stringify(Object.keys(env).sort()));',
      'console.log("home is cwd: " + (env.HOME === process.cwd()));',
      `console.log("can read source: " + require("fs").existsSync(${JSON.stringify(sourceFile)}));`,
    ].join('\n')));
    for (const [student, nb] of [['correct', correctSubmission()], ['probing', probing]] as [string, Notebook][]) {
      fs.mkdirSync(path.join(submissions, student), { recursive: true });
      fs.writeFileSync(path.join(submissions, student, NAME), serializeNotebook(nb));
    }
    const wrapper = path.join(base, 'bwrap-without-namespaces');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec unshare --user ${BWRAP} "$@"\n`, { mode: 0o755 });

    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'grade.js'), '--source', sourceDir, '--submissions', submissions, '--out', out, '--jobs', '2', '--timeout', '60'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, INIT_CWD: PROJECT_ROOT, [BWRAP_ENV]: wrapper, GRADLAB_TEST_SECRET: 'not for kernels' },
    });
    expect(run.status, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('grade: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^grade: warning: bubblewrap \\(${wrapper.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) cannot create its sandbox here \\(.+\\); kernels run in a fresh folder with a filtered environment but without a sandbox\\. Ubuntu 23\\.10 .*$`));
    process.stderr.write(`${warnings[0] ?? ''}\n`);
    expect(run.stdout).toContain('2 graded, 0 invalid, 2 in all');
    const csv = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8');
    expect(csv).toContain('correct,two.ipynb,4,4,graded,,2,2');
    expect(csv).toContain('probing,two.ipynb,4,4,graded,,2,2');

    const executed = JSON.parse(fs.readFileSync(path.join(out, 'probing', 'two', NAME), 'utf8')) as Notebook;
    const last = executed.cells[executed.cells.length - 1];
    const printed = last?.cell_type === 'code' ? last.outputs.map((o) => (o.output_type === 'stream' ? (Array.isArray(o.text) ? o.text.join('') : o.text) : '')).join('') : '';
    const keys = JSON.parse(/env keys: (.*)/.exec(printed)?.[1] ?? 'null') as string[] | null;
    const allowed = new Set([...ENV_ALLOWLIST, 'HOME', 'TMPDIR', ...Object.keys(findKernelSpec('tslab', PROJECT_ROOT).env)]);
    expect(keys, printed).not.toBeNull();
    expect((keys ?? []).filter((key) => !allowed.has(key))).toEqual([]);
    expect(printed).toContain('home is cwd: true');
    // Without namespaces nothing hides the instructor's folder: that is what the warning is about.
    expect(printed).toContain('can read source: true');
  }, 300_000);
});
