import { describe, expect, it } from 'vitest';
import { proportionalAllocation, sampleIndices, trainTestSplit } from '../../src/data/split';
import { Generator } from '../../src/tensor/random';

/** 1000 labels with unequal classes: 500 of class 0, 300 of class 1, 200 of class 2, interleaved. */
function labels(): Int32Array {
  const out = new Int32Array(1000);
  for (let i = 0; i < 1000; i++) out[i] = i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2;
  return out;
}

function classCounts(idx: Int32Array, y: Int32Array): number[] {
  const c = [0, 0, 0];
  for (const i of idx) c[y[i]]++;
  return c;
}

describe('proportionalAllocation', () => {
  it('gives floor(quota) and hands the rest to the largest remainders', () => {
    // quotas 10 * [1, 1, 1] / 3 = 3.33 each: one leftover unit goes to index 0 (tie -> lower index).
    expect(proportionalAllocation(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // quotas 7 * [5, 3, 2] / 10 = [3.5, 2.1, 1.4]: floors 3, 2, 1 and the leftover unit to index 0.
    expect(proportionalAllocation(7, [5, 3, 2])).toEqual([4, 2, 1]);
  });

  it('respects caps and still sums to the total', () => {
    const shares = proportionalAllocation(9, [5, 3, 2], [4, 3, 2]);
    expect(shares).toEqual([4, 3, 2]);
    expect(() => proportionalAllocation(10, [5, 3, 2], [4, 3, 2])).toThrow('total 10 exceeds the caps');
  });
});

describe('trainTestSplit', () => {
  it('without stratification is the seeded permutation: test first, then train', () => {
    const y = labels();
    const split = trainTestSplit(y, { trainSize: 600, testSize: 200, seed: 7, stratified: false });
    const p = new Generator(7).permutation(1000);
    expect(split.test).toEqual(p.slice(0, 200));
    expect(split.train).toEqual(p.slice(200, 800));
  });

  it('is disjoint and reproducible for a seed, different for another seed', () => {
    const y = labels();
    const a = trainTestSplit(y, { trainSize: 800, testSize: 200, seed: 1 });
    const b = trainTestSplit(y, { trainSize: 800, testSize: 200, seed: 1 });
    const c = trainTestSplit(y, { trainSize: 800, testSize: 200, seed: 2 });
    expect(a.train).toEqual(b.train);
    expect(a.test).toEqual(b.test);
    expect(a.test).not.toEqual(c.test);
    const all = new Set([...a.train, ...a.test]);
    expect(all.size).toBe(1000);
  });

  it('stratified keeps each class share exactly in both sets', () => {
    const y = labels();
    const split = trainTestSplit(y, { trainSize: 800, testSize: 200, seed: 3 });
    expect(classCounts(split.test, y)).toEqual([100, 60, 40]);
    expect(classCounts(split.train, y)).toEqual([400, 240, 160]);
  });

  it('stratified sets are interleaved, not grouped by class', () => {
    const y = labels();
    const split = trainTestSplit(y, { trainSize: 800, testSize: 200, seed: 3 });
    const first = Array.from(split.train.subarray(0, 50), (i) => y[i]);
    expect(new Set(first).size).toBe(3);
  });

  it('keeps the test set when only trainSize changes', () => {
    const y = labels();
    for (const stratified of [true, false]) {
      const big = trainTestSplit(y, { trainSize: 800, testSize: 200, seed: 5, stratified });
      const small = trainTestSplit(y, { trainSize: 100, testSize: 200, seed: 5, stratified });
      expect(new Set(small.test)).toEqual(new Set(big.test));
    }
  });

  it('rejects sizes that do not fit', () => {
    expect(() => trainTestSplit(labels(), { trainSize: 900, testSize: 200 })).toThrow(
      'trainTestSplit: trainSize + testSize = 900 + 200 exceeds the 1000 examples',
    );
    expect(() => trainTestSplit(labels(), { trainSize: -1, testSize: 2 })).toThrow('trainSize must be a non-negative integer, got -1');
    expect(() => trainTestSplit([0.5, 1], { trainSize: 1, testSize: 1 })).toThrow('needs integer class labels, got 0.5 at index 0');
  });

  it('sampleIndices draws a stratified subset', () => {
    const y = labels();
    const s = sampleIndices(y, 50, 0);
    expect(s.length).toBe(50);
    expect(classCounts(s, y)).toEqual([25, 15, 10]);
  });
});
