import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellSource, parseNotebook, type Notebook } from '../../src/notebook/nbformat';
import { nbgraderMetadata } from '../../src/notebook/execute/results';
import { runNotebooks } from '../../src/notebook/execute/runner';
import { isFailing, type NotebookReport } from '../../src/notebook/execute/summary';
import { exerciseNotebook, expectConsistentNbgrader, gradeId } from '../helpers/notebookExercises';
import { PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

// Lecture notebook 01 on real tslab kernels: the committed file matches its source, its nbgrader
// metadata is consistent, the whole notebook runs green within the time budget, and every exercise's
// tests fail, with a message that says what is wrong, when the solution is wrong.
const NOTEBOOK = path.join(PROJECT_ROOT, 'notebooks', '01-initialization.ipynb');
const SOURCE = path.join(PROJECT_ROOT, 'notebooks', 'src', '01-initialization.md');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require('../../notebooks/src/build.js') as { renderNotebook(file: string): string };

const EXERCISE_CELLS = [
  'setup', 'kaiming-normal', 'kaiming-normal-tests', 'norm-ratio', 'norm-ratio-tests', 'activation-norms', 'activation-norms-tests',
];

/** Wrong answers, one list of replacement bodies per solution cell (one body per BEGIN/END SOLUTION region); a cell not listed keeps its solution. */
const WRONG_A: Record<string, string[]> = {
  'kaiming-normal': [
    'return Math.sqrt(1 / (mode === "fanIn" ? fanIn : fanOut));', // heStd without the factor 2
    'return randn([fanIn, fanOut]).mul(Math.sqrt(2 / fanOut));', // fanOut and the default generator
  ],
  'norm-ratio': ['return c / 2;', 'return 2;'], // ignores the slope
  'activation-norms': [
    'const norms: number[] = [];\nlet h = x;\nfor (const layer of model.layers) { h = layer.call(h); norms.push(h.pow(2).sum().item()); }\nreturn norms;',
  ], // every layer, summed over the batch
};
const WRONG_B: Record<string, string[]> = {
  'kaiming-normal': [
    'return Math.sqrt((2 * Math.PI) / (Math.PI - 1) / (mode === "fanIn" ? fanIn : fanOut));', // the constant from Var(a)
    'return randn([fanIn, fanOut], { generator }).mul(2 / fanIn);', // the variance used as the std
  ],
  'norm-ratio': ['return (c * (1 + negativeSlope)) / 2;', 'return 2 / (1 + negativeSlope);'], // α instead of α²
  'activation-norms': [
    'return noGrad(() => model.layers.reduce((acc, layer) => { acc.h = layer.call(acc.h); if (layer instanceof ReLU) acc.norms.push(acc.h.pow(2).mean().item()); return acc; }, { h: x, norms: [] as number[] }).norms);',
  ], // mean over every entry instead of over the batch
};
const WRONG_C: Record<string, string[]> = {
  'kaiming-normal': [
    'return Math.sqrt(2 / ((1 + negativeSlope ** 2) * (mode === "fanIn" ? fanOut : fanIn)));', // the two fans swapped
    'const bound = Math.sqrt(3) * Math.sqrt(2 / fanIn);\nreturn init.uniform(zeros([fanIn, fanOut]), -bound, bound, { generator });', // uniform with the right std
  ],
  'norm-ratio': ['return (c * (1 + negativeSlope ** 2) * (Math.PI - 1)) / (2 * Math.PI);', 'return (2 * Math.PI) / ((Math.PI - 1) * (1 + negativeSlope ** 2));'], // Var(a)
};
const WRONG_D: Record<string, string[]> = {
  'kaiming-normal': [
    'return Math.sqrt(2 / ((1 + negativeSlope) * (mode === "fanIn" ? fanIn : fanOut)));', // α instead of α²
    'return randn([fanIn, fanOut], { generator }).mul(heStd(fanIn, fanOut, "fanIn", 0));',
  ],
  'norm-ratio': ['return c * (1 + negativeSlope ** 2);', 'return 1 / (1 + negativeSlope ** 2);'], // without ReLU's 1/2
};

const HE_VISIBLE = 'heStd for a ReLU: √(2/784) with mode fanIn and √(2/100) with mode fanOut for a [784, 100] layer';
const DRAW_VISIBLE = 'kaimingNormal(784, 100): float32 [784, 100], std √(2/784) = 0.0505, and normal: 4.55 % beyond 2 std';
const DRAW_HIDDEN = 'kaimingNormal scales by the fan-in and draws only from the generator it is given';

let dir = '';
let full: NotebookReport | undefined;
const reduced = new Map<string, NotebookReport>();

beforeAll(async () => {
  requireBuild();
  dir = scratchDir('notebook-01');
  const source = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
  const variants: Record<string, Record<string, string[]>> = {
    'reference.ipynb': {}, 'wrong-a.ipynb': WRONG_A, 'wrong-b.ipynb': WRONG_B, 'wrong-c.ipynb': WRONG_C, 'wrong-d.ipynb': WRONG_D,
  };
  for (const [name, replacements] of Object.entries(variants)) {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(exerciseNotebook(source, EXERCISE_CELLS, replacements), null, 1));
  }
  const files = [NOTEBOOK, ...Object.keys(variants).map((name) => path.join(dir, name))];
  const reports = await runNotebooks(files, { projectRoot: PROJECT_ROOT, outDir: path.join(dir, 'out'), timeoutSeconds: 300 });
  full = reports[0];
  Object.keys(variants).forEach((name, i) => {
    const report = reports[i + 1];
    if (report !== undefined) reduced.set(name, report);
  });
}, 1_200_000);

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

/** name -> [passed, message] of one reduced run's test results. */
function results(name: string): Map<string, { passed: boolean; message: string; points: number }> {
  const report = reduced.get(name);
  if (report === undefined) throw new Error(`no report for ${name}`);
  return new Map(report.tests.map((t) => [t.name, { passed: t.passed, message: t.message, points: t.points }]));
}

describe('notebooks/01-initialization.ipynb', () => {
  it('is the build of notebooks/src/01-initialization.md, without outputs', () => {
    expect(fs.readFileSync(NOTEBOOK, 'utf8')).toBe(builder.renderNotebook(SOURCE));
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expect(nb.metadata['kernelspec']).toEqual({ name: 'tslab', display_name: 'TypeScript (gradlab)', language: 'typescript' });
    expect(nb.cells.every((c) => c.cell_type !== 'code' || (c.outputs.length === 0 && c.execution_count === null))).toBe(true);
  });

  it('has consistent nbgrader metadata: solution regions, hidden tests, and points that add up', () => {
    const nb = parseNotebook(fs.readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
    expectConsistentNbgrader(nb, ['kaiming-normal-tests', 'norm-ratio-tests', 'activation-norms-tests'], ['kaiming-normal', 'norm-ratio', 'activation-norms'], 10);
  });

  it('runs green headless: no cell errors, every test passes', () => {
    if (full === undefined) throw new Error('the notebook did not run');
    const failures = full.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.message}`);
    expect(failures).toEqual([]);
    expect(isFailing(full)).toBe(false);
    expect(full.tests.length).toBeGreaterThanOrEqual(20);
    expect(full.tests.reduce((s, t) => s + t.points, 0)).toBe(10);
    // The runtime goal (90 s on an unloaded machine) is reported, not asserted: timings belong to benchmarks, not unit tests.
    process.stdout.write(`notebook 01 ran headless in ${full.seconds.toFixed(1)} s\n`);
  });

  it('passes its exercise tests with the reference solutions', () => {
    const r = results('reference.ipynb');
    expect([...r.values()].every((t) => t.passed)).toBe(true);
    expect([...r.values()].reduce((s, t) => s + t.points, 0)).toBe(10);
  });

  it('fails every test that a wrong answer violates, saying what is wrong (wrong answers A)', () => {
    const r = results('wrong-a.ipynb');
    const failed = (prefix: string) => [...r.entries()].filter(([name, t]) => name.startsWith(prefix) && !t.passed).map(([, t]) => t.message);
    // heStd = √(1/fan): the visible test names the missing factor 2.
    expect(failed('heStd')).toHaveLength(2);
    expect(r.get(HE_VISIBLE)?.message).toMatch(/expected √\(2\/784\) = 0\.05051, got 0\.0357\d* \(this is √\(1\/fan\), without the factor 2/);
    // kaimingNormal with fanOut and the default generator: the visible test names the other fan.
    expect(failed('kaimingNormal')).toHaveLength(2);
    expect(r.get(DRAW_VISIBLE)?.message).toMatch(/expected std √\(2\/fanIn\) = 0\.05051, got 0\.14\d* \(this is the std for the other fan/);
    expect(r.get(DRAW_HIDDEN)?.message).toMatch(/for fanIn = 10, fanOut = 1000, got 0\.04\d* \(this is the std for the other fan/);
    // normRatio = c / 2: the linear case already fails in the visible test.
    expect(failed('normRatio')).toHaveLength(3);
    expect(r.get('normRatio for ReLU (slope 0) and a linear network (slope 1); criticalC(0) = 2')?.message).toBe('normRatio(1, 1): expected 1, got 0.5');
    expect(r.get('normRatio(1.2, 0.5) matches a simulated leaky-ReLU layer within 5 %')?.message).toMatch(/^simulation gives 0\.7\d+, normRatio\(1\.2, 0\.5\) = 0\.6$/);
    // activationNorms after every layer, summed over the batch.
    expect(failed('activationNorms')).toHaveLength(3);
    expect(r.get('activationNorms on the worked example gives [9.5]')?.message).toMatch(/expected 1 value\(s\), one per ReLU layer, got 2/);
  });

  it('fails the hidden tests that catch answers the visible tests let through (wrong answers B)', () => {
    const r = results('wrong-b.ipynb');
    // heStd from Var(a): the hint points back to Section 1.
    expect(r.get(HE_VISIBLE)?.message).toMatch(/got 0\.0611\d* \(your variance is 2π\/\(π − 1\)\/fan, from Var\(a\).*Section 1\)/);
    // The variance used as the std: the hint names the mistake.
    expect(r.get(DRAW_VISIBLE)?.message).toMatch(/did you use the variance as the std\?/);
    // α instead of α²: the visible ReLU/linear cases pass, the hidden leaky cases fail and name the mistake.
    expect(r.get('normRatio for ReLU (slope 0) and a linear network (slope 1); criticalC(0) = 2')?.passed).toBe(true);
    expect(r.get('normRatio and criticalC for leaky slopes: E[a²] = (1 + α²)/2 · E[z²]')?.message).toBe(
      'normRatio(1.6, 0.5): expected 1, got 1.2000000000000002 (this uses 1 + α: the negative half of z² is scaled by α², so E[a²] = (1 + α²)/2 · E[z²])',
    );
    expect(r.get('normRatio(1.2, 0.5) matches a simulated leaky-ReLU layer within 5 %')?.passed).toBe(false);
    // The mean over all entries instead of over the batch.
    expect(r.get('activationNorms on the worked example gives [9.5]')?.message).toBe('activationNorms(example, x): value 0 should be 9.50000, got 4.75');
    expect(r.get('activationNorms of a 6-layer He network matches its forward pass')?.passed).toBe(false);
  });

  it('names the swapped fans, a uniform draw with the right std and the Var(a) constant in the visible tests (wrong answers C)', () => {
    const r = results('wrong-c.ipynb');
    expect(r.get(HE_VISIBLE)?.message).toMatch(/heStd\(784, 100, "fanIn", 0\): expected √\(2\/784\) = 0\.05051, got 0\.1414\d* \(this is the std for the other fan: mode "fanIn" divides by fanIn/);
    // The uniform draw has the right shape, mean and std; only its distribution gives it away.
    expect(r.get(DRAW_VISIBLE)?.message).toMatch(/^0\.00 % of the weights are beyond 2 std, a normal distribution has 4\.55 % .*looks like a uniform draw, which never goes beyond √3 ≈ 1\.73 std/);
    expect(r.get(DRAW_HIDDEN)?.passed).toBe(true);
    expect(r.get('normRatio for ReLU (slope 0) and a linear network (slope 1); criticalC(0) = 2')?.message).toMatch(
      /^normRatio\(2, 0\): expected 1, got 0\.68\d* \(a factor \(π − 1\)\/π ≈ 0\.68 off: this uses Var\(a\).*Section 1\)$/,
    );
    // Exercise 3 keeps its solution in this variant: all its tests pass.
    expect([...r.entries()].filter(([name]) => name.startsWith('activationNorms')).every(([, t]) => t.passed)).toBe(true);
  });

  it('names α instead of α² in heStd and the missing 1/2 in normRatio (wrong answers D)', () => {
    const r = results('wrong-d.ipynb');
    expect(r.get(HE_VISIBLE)?.passed).toBe(true);
    expect(r.get('heStd for leaky slopes and both modes: √(2 / ((1 + α²)·fan))')?.message).toMatch(
      /^heStd\(100, 400, "fanIn", 0\.5\): expected 0\.1265\d*, got 0\.1154\d* \(this uses 1 \+ α: the negative half of z² is scaled by α²/,
    );
    expect(r.get(DRAW_VISIBLE)?.passed).toBe(true);
    expect(r.get('normRatio for ReLU (slope 0) and a linear network (slope 1); criticalC(0) = 2')?.message).toBe(
      'normRatio(2, 0): expected 1, got 2 (a factor 2 off: ReLU keeps half of E[z²], Section 1)',
    );
  });
});
