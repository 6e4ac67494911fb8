import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/autograd/tensor';
import { DataLoader } from '../../src/data/dataLoader';
import { datasetLength, gatherRows, subset } from '../../src/data/dataset';
import { Generator } from '../../src/tensor/random';

/** x[i] = [i, 100 + i, 200 + i] (so each row names its example), y[i] = i % 3. */
function toy(n: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(3 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x.set([i, 100 + i, 200 + i], 3 * i);
    y[i] = i % 3;
  }
  return { x: new Tensor(x, [n, 3]), y: new Tensor(y, [n]) };
}

function rowIds(batch: { x: Tensor }): number[] {
  const out: number[] = [];
  for (let i = 0; i < batch.x.shape[0]; i++) out.push(batch.x.data[3 * i]);
  return out;
}

describe('gatherRows and subset', () => {
  it('copies the chosen rows in order, keeping the trailing shape and dtype', () => {
    const x = new Tensor(Float64Array.from({ length: 24 }, (_, i) => i), [4, 2, 3]);
    const g = gatherRows(x, [3, 0, 3]);
    expect(g.shape).toEqual([3, 2, 3]);
    expect(g.dtype).toBe('float64');
    expect(Array.from(g.data)).toEqual([18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23]);
    g.data[0] = -1;
    expect(x.data[18]).toBe(18); // a copy, not a view
  });

  it('rejects out-of-range indices and mismatched datasets', () => {
    expect(() => gatherRows(toy(4).x, [4])).toThrow('gatherRows: index 4 is out of range for 4 rows (shape [4, 3])');
    const bad = { x: toy(4).x, y: toy(5).y };
    expect(() => datasetLength(bad)).toThrow('Dataset: x and y must have the same number of examples (first axis), got x [4, 3] and y [5]');
    const s = subset(toy(6), [5, 1]);
    expect(rowIds(s)).toEqual([5, 1]);
    expect(Array.from(s.y.data)).toEqual([2, 1]);
  });
});

describe('DataLoader', () => {
  it('in order: batches of batchSize and a smaller last batch; length = ceil(N / B)', () => {
    const loader = new DataLoader(toy(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = Array.from(loader);
    expect(batches.map((b) => b.x.shape)).toEqual([[4, 3], [4, 3], [2, 3]]);
    expect(batches.map((b) => b.y.shape)).toEqual([[4], [4], [2]]);
    expect(batches.map(rowIds)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(Array.from(batches[2].y.data)).toEqual([2, 0]);
  });

  it('dropLast skips the short batch; length = floor(N / B)', () => {
    const loader = new DataLoader(toy(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(Array.from(loader).map(rowIds)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new DataLoader(toy(8), { batchSize: 4, dropLast: true }).length).toBe(2);
  });

  it('shuffle visits every example once per epoch, in the order generator.permutation(N) draws', () => {
    const loader = new DataLoader(toy(10), { batchSize: 3, shuffle: true, seed: 42 });
    const g = new Generator(42);
    const epoch1 = Array.from(loader).flatMap(rowIds);
    const epoch2 = Array.from(loader).flatMap(rowIds);
    expect(epoch1).toEqual(Array.from(g.permutation(10)));
    expect(epoch2).toEqual(Array.from(g.permutation(10)));
    expect(epoch1).not.toEqual(epoch2);
    expect([...epoch1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives the same epochs for the same seed, and keeps x and y rows together', () => {
    const a = new DataLoader(toy(50), { batchSize: 8, shuffle: true, seed: 1 });
    const b = new DataLoader(toy(50), { batchSize: 8, shuffle: true, seed: 1 });
    for (let e = 0; e < 3; e++) {
      const ea = Array.from(a);
      const eb = Array.from(b);
      expect(ea.map(rowIds)).toEqual(eb.map(rowIds));
      for (const batch of ea) rowIds(batch).forEach((id, i) => expect(batch.y.data[i]).toBe(id % 3));
    }
  });

  it('uses the given generator and rejects bad options', () => {
    const loader = new DataLoader(toy(6), { batchSize: 6, shuffle: true, generator: new Generator(3) });
    expect(Array.from(loader).flatMap(rowIds)).toEqual(Array.from(new Generator(3).permutation(6)));
    expect(() => new DataLoader(toy(6), { batchSize: 0 })).toThrow('DataLoader: batchSize must be a positive integer, got 0');
    expect(() => new DataLoader(toy(6), { seed: 1, generator: new Generator(1) })).toThrow('pass either seed or generator');
  });

  it('covers 60,000 rows in 468 full batches of 128 with drop-last (timing is in npm run bench)', () => {
    const n = 60000;
    const x = new Tensor(new Float32Array(n * 784), [n, 784]);
    const y = new Tensor(new Float32Array(n), [n]);
    const loader = new DataLoader({ x, y }, { batchSize: 128, shuffle: true, seed: 0, dropLast: true });
    let rows = 0;
    let batches = 0;
    for (const batch of loader) {
      rows += batch.x.shape[0];
      batches++;
    }
    expect(batches).toBe(468);
    expect(rows).toBe(128 * 468);
  });
});
