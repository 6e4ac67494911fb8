/**
 * Seeded train/test splits of example indices.
 *
 * The rule, so that a split can be reproduced by hand: a `Generator` is seeded with `seed`.
 * - Not stratified: `p = generator.permutation(N)`; the test set is `p[0 .. testSize)`, the
 *   training set `p[testSize .. testSize + trainSize)`.
 * - Stratified: the classes are the distinct labels in ascending order. For each class in that
 *   order, its example indices (ascending) are shuffled with `generator.permutation(n_c)`. Class c
 *   gives the first `t_c` of its shuffled indices to the test set and the next `r_c` to the training
 *   set, where `t_c` and `r_c` are proportional shares of `testSize` and `trainSize` (see
 *   `proportionalAllocation`). Each set is then put in a random order with one more permutation
 *   (test first, then train), so the classes are interleaved.
 * Either way the test set is drawn first and depends only on `seed`, `testSize` and the labels, so
 * changing `trainSize` never moves an example between the two sets.
 */
import { Generator } from '../tensor/random';
import { checkOptions } from '../util/options';

/** Options of `trainTestSplit`. */
export interface SplitOptions {
  /** Number of training examples. */
  trainSize: number;
  /** Number of test examples. */
  testSize: number;
  /** Seed of the split's own generator (default 0). */
  seed?: number;
  /** Keep each class's share in both sets equal to its share overall (default true). */
  stratified?: boolean;
}

/** Indices into the examples, in the order the split returns them. */
export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Largest-remainder apportionment: splits `total` into integers proportional to `weights`, each at
 * most `caps[i]` (default: unlimited). Every share starts at floor(total * w_i / sum w), capped; the
 * units left over go one at a time to the share with the largest unrounded remainder that still has
 * room, ties to the lower index.
 */
export function proportionalAllocation(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const cap = (i: number): number => (caps === undefined ? Infinity : caps[i]);
  const room = weights.reduce((a, _w, i) => a + cap(i), 0);
  if (!Number.isInteger(total) || total < 0) {
    throw new RangeError(`proportionalAllocation: total must be a non-negative integer, got ${total}`);
  }
  if (total > room) throw new RangeError(`proportionalAllocation: total ${total} exceeds the caps' sum ${room}`);
  if (total > 0 && !(sum > 0)) throw new RangeError(`proportionalAllocation: weights must have a positive sum, got ${sum}`);
  const quota = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const shares = quota.map((q, i) => Math.min(Math.floor(q), cap(i)));
  let left = total - shares.reduce((a, b) => a + b, 0);
  while (left > 0) {
    let best = -1;
    for (let i = 0; i < shares.length; i++) {
      if (shares[i] >= cap(i)) continue;
      if (best < 0 || quota[i] - shares[i] > quota[best] - shares[best]) best = i;
    }
    shares[best]++;
    left--;
  }
  return shares;
}

function checkSize(value: number, name: string, n: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`trainTestSplit: ${name} must be a non-negative integer, got ${value}`);
  }
  if (value > n) throw new RangeError(`trainTestSplit: ${name} ${value} exceeds the ${n} examples`);
}

function shuffled(indices: Int32Array, generator: Generator): Int32Array {
  const p = generator.permutation(indices.length);
  const out = new Int32Array(indices.length);
  for (let i = 0; i < p.length; i++) out[i] = indices[p[i]];
  return out;
}

/** Splits example indices 0..N-1 (N = labels.length) into seeded train and test sets; see the rule above. */
export function trainTestSplit(labels: ArrayLike<number>, options: SplitOptions): SplitIndices {
  checkOptions('trainTestSplit', options, ['trainSize', 'testSize', 'seed', 'stratified']);
  const n = labels.length;
  const { trainSize, testSize, seed = 0, stratified = true } = options;
  checkSize(trainSize, 'trainSize', n);
  checkSize(testSize, 'testSize', n);
  if (trainSize + testSize > n) {
    throw new RangeError(`trainTestSplit: trainSize + testSize = ${trainSize} + ${testSize} exceeds the ${n} examples`);
  }
  const generator = new Generator(seed);
  if (!stratified) {
    const p = generator.permutation(n);
    return { train: p.slice(testSize, testSize + trainSize), test: p.slice(0, testSize) };
  }
  const members = groupByClass(labels);
  const counts = members.map((m) => m.length);
  const shuffledMembers = members.map((m) => shuffled(m, generator));
  const testShares = proportionalAllocation(testSize, counts);
  const trainShares = proportionalAllocation(
    trainSize,
    counts,
    counts.map((c, i) => c - testShares[i]),
  );
  const test = new Int32Array(testSize);
  const train = new Int32Array(trainSize);
  let t = 0;
  let r = 0;
  shuffledMembers.forEach((m, c) => {
    test.set(m.subarray(0, testShares[c]), t);
    train.set(m.subarray(testShares[c], testShares[c] + trainShares[c]), r);
    t += testShares[c];
    r += trainShares[c];
  });
  const testOut = shuffled(test, generator);
  return { train: shuffled(train, generator), test: testOut };
}

/** A seeded subset of `size` example indices (the training set of a split with an empty test set). */
export function sampleIndices(labels: ArrayLike<number>, size: number, seed = 0, stratified = true): Int32Array {
  return trainTestSplit(labels, { trainSize: size, testSize: 0, seed, stratified }).train;
}

/** The example indices of each class, classes in ascending label order, indices ascending. */
function groupByClass(labels: ArrayLike<number>): Int32Array[] {
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y)) {
      throw new TypeError(`trainTestSplit: a stratified split needs integer class labels, got ${y} at index ${i}`);
    }
    const list = byLabel.get(y);
    if (list === undefined) byLabel.set(y, [i]);
    else list.push(i);
  }
  const classes = Array.from(byLabel.keys()).sort((a, b) => a - b);
  return classes.map((c) => Int32Array.from(byLabel.get(c) ?? []));
}
