import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/conformance/runner';
import { loadSuite } from '../../src/conformance/suite';
import '../../src/ops/methods';

// PyTorch's reference values for BatchNorm1d's affine / track_running_stats / momentum null and
// LayerNorm's elementwise_affine / bias options (torch-visible-2.json, only its normalization cases).
const SUITE = path.resolve(__dirname, '../fixtures/conformance/torch-visible-2.json');
const cases = loadSuite(SUITE).cases.filter((c) => c.kind === 'batchnorm1d' || c.kind === 'layernorm');

describe('normalization options against torch-visible-2.json', () => {
  it('the suite holds the option cases this test is for', () => {
    const options = (key: string) => new Set(cases.map((c) => JSON.stringify(c.params[key])));
    expect(cases.length).toBeGreaterThanOrEqual(8);
    expect([...options('track_running_stats')]).toEqual(expect.arrayContaining(['true', 'false']));
    expect([...options('momentum')]).toContain('null');
    expect([...options('bias')]).toEqual(expect.arrayContaining(['true', 'false']));
    expect([...options('affine')]).toEqual(expect.arrayContaining(['true', 'false']));
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`passes every batchnorm1d and layernorm case in ${dtype}`, () => {
      const outcomes = cases.map((c) => runCase(c, dtype));
      expect(outcomes.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
      expect(outcomes).toHaveLength(cases.length);
    });
  }
});
