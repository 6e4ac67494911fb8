import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/notebook/nbformat';
import { isFailing, type NotebookReport } from '../../src/notebook/execute/summary';
import { expectConsistentNbgrader, runWithVariants, type TestResults } from '../helpers/notebookExercises';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

// Lecture notebook 03 on real tslab kernels: the committed file matches its source, its nbgrader
// metadata is consistent, the whole notebook runs green, and every exercise's tests fail, with a hint
// that names the mistake, for the typical wrong answers.
const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '03-weight-decay.ipynb');
const SOURCE = path.join(PROJECT_ROOT, 'notebooks', 'src', '03-weight-decay.md');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require('../../notebooks/src/build.js') as { renderNotebook(file: string): string };

const EXERCISE_CELLS = [
  'setup', 'linear-algebra', 'sgd-step', 'sgd-step-tests', 'ridge', 'ridge-tests', 'weight-penalty', 'weight-penalty-tests',
];

const SGD_BODY = (decay: string, afterMomentum = false): string =>
  afterMomentum
    ? 'const b = momentum === 0 || buf === null ? grad.slice() : buf.map((bi, i) => momentum * bi + grad[i]);\n' +
      `return { w: w.map((wi, i) => wi - lr * (b[i] + ${decay} * wi)), buf: b };`
    : `const g = w.map((wi, i) => grad[i] + ${decay} * wi);\n` +
      'const b = momentum === 0 || buf === null ? g : buf.map((bi, i) => momentum * bi + g[i]);\n' +
      'return { w: w.map((wi, i) => wi - lr * b[i]), buf: b };';
const SHIFTED = 'H.map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0)))';

/** Wrong answers, one list of replacement bodies per solution cell (one body per BEGIN/END SOLUTION region). */
const WRONG_A: Record<string, string[]> = {
  'sgd-step': [SGD_BODY('(weightDecay / 2)')], // λ/2 · w: the penalty's 1/2 kept in the gradient
  ridge: [`return solve(${SHIFTED}, wStar.map((v) => lambda * v));`, 'return eigenvalues.map((v) => lambda / (v + lambda));'], // λ/(λ_i + λ)
  'weight-penalty': ['return model.parameters().map((p) => p.pow(2).sum()).reduce((a, b) => a.add(b), tensor(0));'], // biases decayed too
};
const WRONG_B: Record<string, string[]> = {
  'sgd-step': [SGD_BODY('weightDecay', true)], // decay added after the momentum buffer update
  ridge: [`return solve(${SHIFTED}, wStar);`, 'return eigenvalues.map((v) => v / (v + lambda));'], // (H + λI)⁻¹ w*, forgetting H
  'weight-penalty': ['return model.parameters().filter((p) => p.ndim >= 2).map((p) => p.pow(2).sum().sqrt()).reduce((a, b) => a.add(b), tensor(0));'], // norms, not squares
};
const WRONG_C: Record<string, string[]> = {
  'sgd-step': [SGD_BODY('(2 * weightDecay)')], // 2λ · w
};

let dir = '';
let full: NotebookReport | undefined;
let variants = new Map<string, TestResults>();

beforeAll(async () => {
  requireBuild();
  dir = scratchDir('notebook-03');
  const run = await runWithVariants(NOTEBOOK, EXERCISE_CELLS, { 'reference.ipynb': {}, 'wrong-a.ipynb': WRONG_A, 'wrong-b.ipynb': WRONG_B, 'wrong-c.ipynb': WRONG_C }, dir);
  full = run.full;
  variants = run.variants;
}, 400_000);

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

/** The test results of one variant's run. */
function results(name: string): TestResults {
  const r = variants.get(name);
  if (r === undefined) throw new Error(`no report for ${name}`);
  return r;
}

describe('notebooks/03-weight-decay.ipynb', () => {
  it('is the build of notebooks/src/03-weight-decay.md, without outputs', () => {
    expect(fs.readFileSync(NOTEBOOK, 'utf8')).toBe(builder.renderNotebook(SOURCE));
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expect(nb.metadata['kernelspec']).toEqual({ name: 'tslab', display_name: 'TypeScript (gradlab)', language: 'typescript' });
    expect(nb.cells.every((c) => c.cell_type !== 'code' || (c.outputs.length === 0 && c.execution_count === null))).toBe(true);
  });

  it('has consistent nbgrader metadata: solution regions, hidden tests, and points that add up', () => {
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expectConsistentNbgrader(nb, ['sgd-step-tests', 'ridge-tests', 'weight-penalty-tests'], ['sgd-step', 'ridge', 'weight-penalty'], 10);
  });

  it('runs green headless: no cell errors, every test passes', () => {
    if (full === undefined) throw new Error('the notebook did not run');
    const failures = full.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.message}`);
    expect(failures).toEqual([]);
    expect(isFailing(full)).toBe(false);
    expect(full.tests.length).toBeGreaterThanOrEqual(24);
    expect(full.tests.reduce((s, t) => s + t.points, 0)).toBe(10);
    // The runtime goal (90 s) is reported, not asserted: timings belong to benchmarks, not unit tests.
    process.stdout.write(`notebook 03 ran headless in ${full.seconds.toFixed(1)} s\n`);
  });

  it('passes its exercise tests with the reference solutions', () => {
    const r = results('reference.ipynb');
    expect([...r.values()].every((t) => t.passed)).toBe(true);
    expect([...r.values()].reduce((s, t) => s + t.points, 0)).toBe(10);
  });

  it('catches λ/2, λ/(λ_i + λ) and decayed biases, each with its hint (wrong answers A)', () => {
    const r = results('wrong-a.ipynb');
    expect(r.get('sgdStep without momentum matches SGD({lr, weightDecay}) for 3 steps')?.message).toMatch(/your decay is λ\/2·w/);
    expect(r.get('sgdStep with momentum 0.9 and weightDecay 0.05 matches SGD for 6 steps')?.message).toMatch(/your decay is λ\/2·w/);
    expect(r.get('ridgeSolution on H = diag(4, 1), w* = (1, 1), λ = 0.5')?.message).toMatch(/keeps λ\/\(λ_i \+ λ\) of each direction/);
    expect(r.get('shrinkageFactors gives λ_i/(λ_i + λ), the ratio of ridgeSolution to w* in the eigenbasis of H')?.message).toMatch(/that is λ\/\(λ_i \+ λ\), the fraction removed/);
    expect(r.get('weightPenalty(Linear(2, 1) with weight [[3], [4]] and bias [5]) = 25')?.message).toBe('expected 25, got 50 (the bias is included: 25 + 5² = 50; skip 1-D parameters)');
    expect(r.get('weightPenalty gives weights the gradient 2w and biases and LayerNorm parameters none')?.message).toMatch(/biases or LayerNorm γ, β are penalized/);
    expect([...r.values()].filter((t) => t.passed)).toHaveLength(0);
  });

  it('catches decay after the momentum update, a forgotten H and norms instead of squares; the visible tests let the first through (wrong answers B)', () => {
    const r = results('wrong-b.ipynb');
    expect(r.get('sgdStep without momentum matches SGD({lr, weightDecay}) for 3 steps')?.passed).toBe(true);
    expect(r.get('sgdStep with momentum 0.9 and weightDecay 0.05 matches SGD for 6 steps')?.message).toMatch(/check the order: λw joins the gradient before the momentum buffer update/);
    expect(r.get('sgdStep does not modify its inputs and returns the buffer SGD keeps')?.passed).toBe(false);
    expect(r.get('ridgeSolution on H = diag(4, 1), w* = (1, 1), λ = 0.5')?.message).toMatch(/the right-hand side is H w\*, not w\*/);
    expect(r.get('ridgeSolution on a full 3×3 H equals (H + λI)⁻¹ H w*')?.message).toMatch(/the right-hand side is H w\*/);
    expect(r.get('shrinkageFactors gives λ_i/(λ_i + λ), the ratio of ridgeSolution to w* in the eigenbasis of H')?.passed).toBe(true);
    expect(r.get('weightPenalty(Linear(2, 1) with weight [[3], [4]] and bias [5]) = 25')?.message).toBe('expected 25, got 5 (that is the norm ‖w‖, not its square)');
  });

  it('catches 2λ with its hint (wrong answer C)', () => {
    const r = results('wrong-c.ipynb');
    expect(r.get('sgdStep without momentum matches SGD({lr, weightDecay}) for 3 steps')?.message).toMatch(/your decay is 2λ·w/);
    expect(r.get('sgdStep with momentum 0.9 and weightDecay 0.05 matches SGD for 6 steps')?.passed).toBe(false);
  });
});
