import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/conformance/runner';
import { loadSuite, parseSuite } from '../../src/conformance/suite';
import '../../src/ops/methods';

const SUITE = path.resolve(__dirname, '../fixtures/conformance/torch-visible-2.json');

describe('conformance kind optimizer_groups', () => {
  const cases = loadSuite(SUITE).cases.filter((c) => c.kind === 'optimizer_groups');

  it('torch-visible-2.json has optimizer_groups cases for SGD, Adam and AdamW', () => {
    expect(cases.map((c) => c.params.optimizer)).toEqual(expect.arrayContaining(['sgd', 'adam', 'adamw']));
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`passes every optimizer_groups case of torch-visible-2.json in ${dtype}`, () => {
      const outcomes = cases.map((c) => runCase(c, dtype));
      expect(outcomes.filter((o) => !o.passed).map((o) => `${o.name}: ${o.problems.join('; ')}`)).toEqual([]);
      expect(outcomes).toHaveLength(cases.length);
    });
  }

  it('fails a case whose group option the optimizer does not have, and a wrong trajectory', () => {
    const base = cases.find((c) => c.params.optimizer === 'sgd');
    if (base === undefined) throw new Error('no sgd case');
    const text = JSON.stringify({ cases: [base] });
    const unknown = JSON.parse(text);
    unknown.cases[0].params.groups = [{}, { betas: [0.9, 0.99] }];
    const outcome = runCase(parseSuite(JSON.stringify(unknown), 'u.json').cases[0]);
    expect(outcome.passed).toBe(false);
    expect(outcome.problems[0]).toMatch(/^unsupported: kind 'optimizer_groups' does not support option 'betas' in groups\[1\]/);
    const wrong = JSON.parse(text);
    wrong.cases[0].params.groups = [{}, {}];
    expect(runCase(parseSuite(JSON.stringify(wrong), 'w.json').cases[0]).passed).toBe(false);
  });
});
