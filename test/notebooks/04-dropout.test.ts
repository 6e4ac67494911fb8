import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellSource, parseNotebook, type Notebook } from '../../src/notebook/nbformat';
import { nbgraderMetadata } from '../../src/notebook/execute/results';
import { runNotebooks } from '../../src/notebook/execute/runner';
import { isFailing, type NotebookReport } from '../../src/notebook/execute/summary';
import { exerciseNotebook, expectConsistentNbgrader, gradeId } from '../helpers/notebookExercises';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

// Lecture notebook 04 on real tslab kernels: the committed file matches its source, its nbgrader
// metadata is consistent, the whole notebook runs green, and every exercise's tests fail, with a hint
// naming the mistake, on each of the typical wrong answers (one reduced notebook per wrong answer).
const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '04-dropout.ipynb');
const SOURCE = path.join(PROJECT_ROOT, 'notebooks', 'src', '04-dropout.md');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require('../../notebooks/src/build.js') as { renderNotebook(file: string): string };

const EXERCISE_CELLS = [
  'setup', 'inverted-dropout', 'inverted-dropout-tests', 'scaled-dropout', 'scaled-dropout-tests', 'mc-predict', 'mc-predict-tests',
];
const SOLUTIONS = ['inverted-dropout', 'scaled-dropout', 'mc-predict'];

/**
 * The wrong answers the exercises must catch. Each replaces one solution region; the other exercises keep
 * their reference solutions, so a reduced notebook isolates one mistake.
 */
const WRONG: Record<string, { cell: string; body: string }> = {
  'keep with probability p': {
    cell: 'inverted-dropout',
    body: 'if (!training) return x;\nif (p === 1) return x.mul(0);\nreturn x.mul(bernoulli(x.shape, p, { generator })).mul(1 / (1 - p));',
  },
  'scale by (1 - p)': {
    cell: 'inverted-dropout',
    body: 'if (!training) return x;\nreturn x.mul(bernoulli(x.shape, 1 - p, { generator })).mul(1 - p);',
  },
  'drop in eval mode': {
    cell: 'inverted-dropout',
    body: 'if (p === 1) return x.mul(0);\nreturn x.mul(bernoulli(x.shape, 1 - p, { generator })).mul(1 / (1 - p));',
  },
  'mask outside the graph': {
    cell: 'inverted-dropout',
    body: 'if (!training) return x;\nif (p === 1) return x.mul(0);\nconst m = bernoulli(x.shape, 1 - p, { generator });\n' +
      'return tensor(Array.from(x.data, (v, i) => (v * m.data[i]) / (1 - p)), { shape: x.shape });',
  },
  'p = 1 gives NaN': {
    cell: 'inverted-dropout',
    body: 'if (!training) return x;\nreturn x.mul(bernoulli(x.shape, 1 - p, { generator })).div(1 - p);',
  },
  'one mask for every call': {
    cell: 'inverted-dropout',
    body: 'if (!training) return x;\nif (p === 1) return x.mul(0);\nreturn x.mul(bernoulli(x.shape, 1 - p, { generator: new Generator(0) })).mul(1 / (1 - p));',
  },
  'notes convention without the test-time factor': {
    cell: 'scaled-dropout',
    body: 'return training ? x.mul(bernoulli(x.shape, 1 - p, { generator })) : x;',
  },
  'notes convention with rescaled survivors': {
    cell: 'scaled-dropout',
    body: 'return training ? x.mul(bernoulli(x.shape, 1 - p, { generator })).div(1 - p) : x.mul(1 - p);',
  },
  'MC average of logits': {
    cell: 'mc-predict',
    body: 'model.train();\nconst total = noGrad(() => { let sum = model.call(x); for (let k = 1; k < K; k++) sum = sum.add(model.call(x)); return sum; });\n' +
      'model.eval();\nreturn softmax(total.div(K));',
  },
  'MC in eval mode': {
    cell: 'mc-predict',
    body: 'model.eval();\nreturn noGrad(() => { let sum = softmax(model.call(x)); for (let k = 1; k < K; k++) sum = sum.add(softmax(model.call(x))); return sum.div(K); });',
  },
  'MC leaves training mode on': {
    cell: 'mc-predict',
    body: 'model.train();\nreturn noGrad(() => { let sum = softmax(model.call(x)); for (let k = 1; k < K; k++) sum = sum.add(softmax(model.call(x))); return sum.div(K); });',
  },
  'MC records a graph': {
    cell: 'mc-predict',
    body: 'model.train();\nlet sum = softmax(model.call(x));\nfor (let k = 1; k < K; k++) sum = sum.add(softmax(model.call(x)));\nmodel.eval();\nreturn sum.div(K);',
  },
};

let dir = '';
let full: NotebookReport | undefined;
const reduced = new Map<string, NotebookReport>();

beforeAll(async () => {
  requireBuild();
  dir = scratchDir('notebook-04');
  const source = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
  const variants: [string, { cell: string; body: string } | undefined][] = [['reference', undefined], ...Object.entries(WRONG)];
  const files = variants.map(([name, wrong], i) => {
    const file = path.join(dir, `variant-${i}.ipynb`);
    fs.writeFileSync(file, JSON.stringify(exerciseNotebook(source, EXERCISE_CELLS, wrong === undefined ? {} : { [wrong.cell]: [wrong.body] }), null, 1));
    return file;
  });
  const reports = await runNotebooks([NOTEBOOK, ...files], { projectRoot: PROJECT_ROOT, outDir: path.join(dir, 'out'), timeoutSeconds: 300 });
  full = reports[0];
  variants.forEach(([name], i) => {
    const report = reports[i + 1];
    if (report !== undefined) reduced.set(name, report);
  });
}, 1_200_000);

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

/** name -> {passed, message} of one reduced run's test results. */
function results(variant: string): Map<string, { passed: boolean; message: string; points: number }> {
  const report = reduced.get(variant);
  if (report === undefined) throw new Error(`no report for ${variant}`);
  return new Map(report.tests.map((t) => [t.name, { passed: t.passed, message: t.message, points: t.points }]));
}

/** The failed tests of a variant as "name: message". */
function failures(variant: string): string[] {
  return [...results(variant).entries()].filter(([, t]) => !t.passed).map(([name, t]) => `${name}: ${t.message}`);
}

const T = {
  dropShape: 'invertedDropout in training: same shape, a fraction p of the entries dropped',
  dropEval: 'invertedDropout in eval mode returns its input unchanged',
  dropScale: 'invertedDropout scales the survivors by 1/(1-p), so E[output] = x; p = 1 gives zeros',
  dropGrad: 'invertedDropout: the gradient flows through the mask, and every call draws a new mask',
  scaledExample: 'scaledDropout(tensor([2, 4]), 0.25, false, g) is [1.5, 3]',
  scaledTrain: 'scaledDropout in training keeps survivors unscaled and drops a fraction p',
  scaledMean: 'scaledDropout: the mean of 400 training outputs equals the test output (within 4 SE)',
  mcVisible: 'mcPredict: shape [N, classes], rows sum to 1, the model is left in eval mode',
  mcPasses: 'mcPredict draws K different masks in training mode and averages their softmax outputs',
  mcGraph: 'mcPredict records no graph',
};

describe('notebooks/04-dropout.ipynb', () => {
  it('is the build of notebooks/src/04-dropout.md, without outputs', () => {
    expect(fs.readFileSync(NOTEBOOK, 'utf8')).toBe(builder.renderNotebook(SOURCE));
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expect(nb.metadata['kernelspec']).toEqual({ name: 'tslab', display_name: 'TypeScript (gradlab)', language: 'typescript' });
    expect(nb.cells.every((c) => c.cell_type !== 'code' || (c.outputs.length === 0 && c.execution_count === null))).toBe(true);
  });

  it('has consistent nbgrader metadata: solution regions, hidden tests, and points that add up to 10', () => {
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expectConsistentNbgrader(nb, ['inverted-dropout-tests', 'scaled-dropout-tests', 'mc-predict-tests'], SOLUTIONS, 10);
  });

  it('does not give the solutions away in the visible tests', () => {
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    for (const cell of nb.cells.filter((c) => nbgraderMetadata(c)['grade'] === true)) {
      const visible = cellSource(cell).split('// BEGIN HIDDEN TESTS')[0] ?? '';
      expect(visible, gradeId(cell)).not.toMatch(/bernoulli\(/);
      expect(visible, gradeId(cell)).not.toMatch(/1 \/ \(1 - p\)/);
    }
  });

  it('runs green headless: no cell errors, every test passes', () => {
    if (full === undefined) throw new Error('the notebook did not run');
    expect(full.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.message}`)).toEqual([]);
    expect(isFailing(full)).toBe(false);
    expect(full.tests.length).toBeGreaterThanOrEqual(30);
    expect(full.tests.reduce((s, t) => s + t.points, 0)).toBe(10);
    // The runtime goal is reported, not asserted: timings belong to benchmarks, not unit tests.
    process.stdout.write(`notebook 04 ran headless in ${full.seconds.toFixed(1)} s\n`);
  });

  it('passes its exercise tests with the reference solutions', () => {
    expect(failures('reference')).toEqual([]);
    expect([...results('reference').values()].reduce((s, t) => s + t.points, 0)).toBe(10);
  });

  it('catches keeping with probability p instead of 1 - p, in the visible test', () => {
    expect(results('keep with probability p').get(T.dropShape)?.message).toMatch(/got 80\.\d %: p is the probability to DROP a unit, so keep with probability 1 - p/);
  });

  it('catches scaling by (1 - p) instead of 1/(1 - p) in a hidden test', () => {
    const r = results('scale by (1 - p)');
    expect(r.get(T.dropShape)?.passed).toBe(true);
    expect(r.get(T.dropScale)?.message).toMatch(/that is × \(1 - p\); inverted dropout divides by \(1 - p\)/);
  });

  it('catches dropping in eval mode', () => {
    expect(results('drop in eval mode').get(T.dropEval)?.message).toMatch(/in eval mode \(training = false\) dropout must be the identity/);
  });

  it('catches a mask that does not reach the gradient', () => {
    const r = results('mask outside the graph');
    expect(r.get(T.dropShape)?.passed).toBe(true);
    expect(r.get(T.dropGrad)?.message).toMatch(/x\.grad stays null: build it from x with mul, not from x\.data/);
  });

  it('catches p = 1 giving NaN instead of zeros', () => {
    const r = results('p = 1 gives NaN');
    expect(r.get(T.dropShape)?.passed).toBe(true);
    expect(r.get(T.dropScale)?.message).toMatch(/p = 1 must give all zeros, got NaN.*avoid dividing by 1 - p = 0/);
  });

  it('catches reusing one mask for every call', () => {
    const r = results('one mask for every call');
    expect(r.get(T.dropShape)?.passed).toBe(true);
    expect(r.get(T.dropScale)?.passed).toBe(true);
    expect(r.get(T.dropGrad)?.message).toMatch(/two calls with the same generator gave the same mask/);
  });

  it('catches the notes convention without its test-time factor, or with rescaled survivors', () => {
    expect(results('notes convention without the test-time factor').get(T.scaledExample)?.message).toMatch(/expected \[1\.5, 3\], got \[2, 4\]: at test time multiply by \(1 - p\)/);
    const r = results('notes convention with rescaled survivors');
    expect(r.get(T.scaledExample)?.passed).toBe(true);
    expect(r.get(T.scaledTrain)?.message).toMatch(/survivors of ones should stay 1 \(no rescaling in this convention\)/);
    expect(r.get(T.scaledMean)?.passed).toBe(false);
  });

  it('catches Monte Carlo mistakes: averaging logits, eval mode, training mode left on, a recorded graph', () => {
    const logits = results('MC average of logits');
    expect(logits.get(T.mcVisible)?.passed).toBe(true);
    expect(logits.get(T.mcPasses)?.message).toBe('this is the softmax of the mean logits: average the probabilities instead');
    expect(results('MC in eval mode').get(T.mcPasses)?.message).toMatch(/equals the eval-mode output: run the passes in training mode/);
    expect(results('MC leaves training mode on').get(T.mcVisible)?.message).toMatch(/still in training mode: call model\.eval\(\)/);
    const graph = results('MC records a graph');
    expect(graph.get(T.mcVisible)?.passed).toBe(true);
    expect(graph.get(T.mcGraph)?.message).toMatch(/requires grad: wrap the passes in noGrad/);
  });

  it('fails nothing else than what each wrong answer violates, and only in its own exercise', () => {
    const prefix: Record<string, string> = { 'inverted-dropout': 'invertedDropout', 'scaled-dropout': 'scaledDropout', 'mc-predict': 'mcPredict' };
    for (const [name, wrong] of Object.entries(WRONG)) {
      const failed = failures(name);
      expect(failed.length, `${name} fails at least one test`).toBeGreaterThan(0);
      for (const f of failed) expect(f.startsWith(prefix[wrong.cell] ?? '?'), `${name}: ${f}`).toBe(true);
    }
  });
});
