import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellSource, parseNotebook } from '../../src/notebook/nbformat';
import { nbgraderMetadata } from '../../src/notebook/execute/results';
import { runNotebooks } from '../../src/notebook/execute/runner';
import { isFailing, type NotebookReport } from '../../src/notebook/execute/summary';
import { exerciseNotebook, expectConsistentNbgrader, gradeId, resultsByName } from '../helpers/notebookExercises';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

// Lecture notebook 02 on real tslab kernels: the committed file matches its source, its nbgrader
// metadata is consistent, the whole notebook runs green, and every exercise's tests fail, with a
// message that names the mistake, for the typical wrong answers listed below.
const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '02-normalization.ipynb');
const SOURCE = path.join(PROJECT_ROOT, 'notebooks', 'src', '02-normalization.md');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require('../../notebooks/src/build.js') as { renderNotebook(file: string): string };

const EXERCISE_CELLS = [
  'setup', 'layer-norm-rows', 'layer-norm-rows-tests', 'batch-norm-step', 'batch-norm-step-tests', 'batch-mean-std', 'batch-mean-std-tests',
];

/** The body of batchNormStep with its three choices made explicit, for the wrong variants. */
function batchNormStepBody(o: { normalizeTraining: 'batch' | 'running'; runningVar: 'unbiased' | 'biased'; updateInEval: boolean }): string {
  return [
    'const n = x.shape[0];',
    'const mean = x.mean(0);',
    'const biased = x.sub(mean).pow(2).mean(0);',
    'const normalized = x.sub(mean).div(biased.add(eps).sqrt());',
    'const withRunning = x.sub(runningMean).div(runningVar.add(eps).sqrt());',
    `const newMean = runningMean.mul(1 - momentum).add(mean.mul(momentum));`,
    `const newVar = runningVar.mul(1 - momentum).add(biased.mul(${o.runningVar === 'unbiased' ? '(momentum * n) / (n - 1)' : 'momentum'}));`,
    `if (!training) return { y: withRunning, runningMean: ${o.updateInEval ? 'newMean' : 'runningMean'}, runningVar: ${o.updateInEval ? 'newVar' : 'runningVar'} };`,
    `return { y: ${o.normalizeTraining === 'batch' ? 'normalized' : 'withRunning'}, runningMean: newMean, runningVar: newVar };`,
  ].join('\n');
}

/** Wrong answers, one list of replacement bodies per solution cell (one body per BEGIN/END SOLUTION region). */
const WRONG_A: Record<string, string[]> = {
  // LayerNorm over the wrong axis (each column over the batch).
  'layer-norm-rows': ['const centered = x.sub(x.mean(0, true));\nreturn centered.div(centered.pow(2).mean(0, true).add(eps).sqrt());'],
  // The running variance averages the biased batch variance.
  'batch-norm-step': [batchNormStepBody({ normalizeTraining: 'batch', runningVar: 'biased', updateInEval: false })],
  // σ/√B without the correction for drawing without replacement.
  'batch-mean-std': ['return Math.sqrt(population.var(0, { unbiased: false }).item()) / Math.sqrt(batchSize);'],
};
const WRONG_B: Record<string, string[]> = {
  // ε outside the square root.
  'layer-norm-rows': ['const centered = x.sub(x.mean(1, true));\nreturn centered.div(centered.pow(2).mean(1, true).sqrt().add(eps));'],
  // Eval mode updates the running statistics.
  'batch-norm-step': [batchNormStepBody({ normalizeTraining: 'batch', runningVar: 'unbiased', updateInEval: true })],
  // The sample std (divide by N - 1) instead of the population std.
  'batch-mean-std': ['const n = population.size;\nreturn (Math.sqrt(population.var(0).item()) / Math.sqrt(batchSize)) * Math.sqrt((n - batchSize) / (n - 1));'],
};
const WRONG_C: Record<string, string[]> = {
  // The unbiased variance (divide by D - 1).
  'layer-norm-rows': ['const centered = x.sub(x.mean(1, true));\nreturn centered.div(x.var(1, { keepdim: true }).add(eps).sqrt());'],
  // Training mode normalizes with the running statistics.
  'batch-norm-step': [batchNormStepBody({ normalizeTraining: 'running', runningVar: 'unbiased', updateInEval: false })],
};
const VARIANTS: Record<string, Record<string, string[]>> = {
  'reference.ipynb': {},
  // The reference solutions written through the same helper must pass: the helper itself is right.
  'reference-body.ipynb': { 'batch-norm-step': [batchNormStepBody({ normalizeTraining: 'batch', runningVar: 'unbiased', updateInEval: false })] },
  'wrong-a.ipynb': WRONG_A,
  'wrong-b.ipynb': WRONG_B,
  'wrong-c.ipynb': WRONG_C,
};

let dir = '';
let full: NotebookReport | undefined;
const reduced = new Map<string, NotebookReport>();

beforeAll(async () => {
  requireBuild();
  dir = scratchDir('notebook-02');
  const source = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
  for (const [name, replacements] of Object.entries(VARIANTS)) {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(exerciseNotebook(source, EXERCISE_CELLS, replacements), null, 1));
  }
  const files = [NOTEBOOK, ...Object.keys(VARIANTS).map((name) => path.join(dir, name))];
  const reports = await runNotebooks(files, { projectRoot: PROJECT_ROOT, outDir: path.join(dir, 'out'), timeoutSeconds: 240 });
  full = reports[0];
  Object.keys(VARIANTS).forEach((name, i) => {
    const report = reports[i + 1];
    if (report !== undefined) reduced.set(name, report);
  });
}, 600_000);

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

const results = (name: string) => resultsByName(reduced.get(name), name);

const T = {
  lnExample: 'layerNormRows on the worked example and a second row',
  lnBatch: 'layerNormRows of a [5, 7] batch matches layerNorm, for ε = 1e-5 and ε = 0.01',
  lnGrad: 'layerNormRows has the gradient of LayerNorm (gradcheck in float64)',
  bnExample: 'batchNormStep on the worked example: y and the running mean',
  bnVar: 'batchNormStep moves the running variance toward the unbiased batch variance',
  bnEval: 'batchNormStep in eval mode normalizes with the running statistics and leaves them unchanged',
  bnTrain: 'batchNormStep in training mode normalizes with the batch statistics even when the running ones differ',
  stdOne: 'batchMeanStd for a batch of one: the population std',
  stdAll: 'batchMeanStd when the batch is the whole population is 0',
  stdSim: 'batchMeanStd matches 20,000 simulated batches of 10 drawn without replacement from 40 values, within 3 %',
};

describe('notebooks/02-normalization.ipynb', () => {
  it('is the build of notebooks/src/02-normalization.md, without outputs', () => {
    expect(fs.readFileSync(NOTEBOOK, 'utf8')).toBe(builder.renderNotebook(SOURCE));
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expect(nb.metadata['kernelspec']).toEqual({ name: 'tslab', display_name: 'TypeScript (gradlab)', language: 'typescript' });
    expect(nb.cells.every((c) => c.cell_type !== 'code' || (c.outputs.length === 0 && c.execution_count === null))).toBe(true);
  });

  it('has consistent nbgrader metadata: solution regions, hidden tests, and points that add up', () => {
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expectConsistentNbgrader(nb, ['layer-norm-rows-tests', 'batch-norm-step-tests', 'batch-mean-std-tests'], ['layer-norm-rows', 'batch-norm-step', 'batch-mean-std'], 10);
    // The visible part must not hand out the answer: no call of the library op the exercise asks to write.
    for (const cell of nb.cells.filter((c) => nbgraderMetadata(c)['grade'] === true)) {
      const code = cellSource(cell);
      const visible = code.slice(0, code.indexOf('// BEGIN HIDDEN TESTS'));
      expect(visible, gradeId(cell)).not.toMatch(/\b(layerNorm|batchNorm|BatchNorm1d)\(/);
    }
  });

  it('runs green headless: no cell errors, every test passes', () => {
    if (full === undefined) throw new Error('the notebook did not run');
    const failures = full.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.message}`);
    expect(failures).toEqual([]);
    expect(isFailing(full)).toBe(false);
    expect(full.tests.length).toBeGreaterThanOrEqual(25);
    expect(full.tests.reduce((s, t) => s + t.points, 0)).toBe(10);
    // The runtime goal is reported, not asserted: timings belong to benchmarks, not unit tests.
    process.stdout.write(`notebook 02 ran headless in ${full.seconds.toFixed(1)} s\n`);
  });

  it('passes its exercise tests with the reference solutions', () => {
    for (const name of ['reference.ipynb', 'reference-body.ipynb']) {
      const r = results(name);
      expect([...r.entries()].filter(([, t]) => !t.passed).map(([n, t]) => `${name}: ${n}: ${t.message}`)).toEqual([]);
      expect([...r.values()].reduce((s, t) => s + t.points, 0)).toBe(10);
    }
  });

  it('wrong answers A: LayerNorm over the batch axis, a biased running variance, no finite-population factor', () => {
    const r = results('wrong-a.ipynb');
    expect(r.get(T.lnExample)?.passed).toBe(false);
    expect(r.get(T.lnBatch)?.message).toMatch(/this normalizes each column over the batch: LayerNorm normalizes each row/);
    expect(r.get(T.bnExample)?.passed).toBe(true);
    expect(r.get(T.bnVar)?.message).toMatch(/this averages the biased variance: PyTorch's running variance uses the unbiased one/);
    expect(r.get(T.bnTrain)?.message).toMatch(/^runningVar after the step: largest difference/);
    expect(r.get(T.bnEval)?.passed).toBe(true);
    expect(r.get(T.stdOne)?.passed).toBe(true);
    expect(r.get(T.stdAll)?.message).toMatch(/drawing without replacement: a batch of all N values always has the same mean/);
    expect(r.get(T.stdSim)?.passed).toBe(false);
  });

  it('wrong answers B: ε outside the square root, running statistics updated in eval mode, the sample std', () => {
    const r = results('wrong-b.ipynb');
    expect(r.get(T.lnExample)?.passed).toBe(true); // ε = 0 there: the hidden test must catch it
    expect(r.get(T.lnBatch)?.message).toMatch(/ε belongs inside the square root/);
    expect(r.get(T.lnGrad)?.passed).toBe(true);
    expect(r.get(T.bnExample)?.passed).toBe(true);
    expect(r.get(T.bnVar)?.passed).toBe(true);
    expect(r.get(T.bnEval)?.message).toMatch(/^eval-mode runningMean: largest difference .*\(eval mode must not update the running statistics\)/);
    expect(r.get(T.bnTrain)?.passed).toBe(true);
    expect(r.get(T.stdOne)?.message).toMatch(/this is the sample std, dividing by N - 1: σ is the population std, divide by N/);
  });

  it('wrong answers C: the unbiased variance in LayerNorm, running statistics used in training mode', () => {
    const r = results('wrong-c.ipynb');
    expect(r.get(T.lnExample)?.passed).toBe(false);
    expect(r.get(T.lnBatch)?.message).toMatch(/this uses the unbiased variance \(divide by D - 1\): LayerNorm divides by D/);
    expect(r.get(T.bnExample)?.passed).toBe(false);
    expect(r.get(T.bnTrain)?.message).toMatch(/in training mode normalize with the batch statistics; the running ones are only for eval mode/);
    expect(r.get(T.bnEval)?.passed).toBe(true);
    expect([T.stdOne, T.stdAll, T.stdSim].map((name) => r.get(name)?.passed)).toEqual([true, true, true]);
  });
});
