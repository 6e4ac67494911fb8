import { describe, expect, it } from 'vitest';
import { labelIndices, tensor } from '../../src/index';

describe('labelIndices', () => {
  it('turns a float tensor of whole numbers, an Int32Array or a number[] into an Int32Array', () => {
    const fromTensor = labelIndices(tensor([2, 0, 1]), 'op');
    expect(fromTensor).toBeInstanceOf(Int32Array);
    expect(Array.from(fromTensor)).toEqual([2, 0, 1]);
    expect(Array.from(labelIndices(Int32Array.from([4, 4, 0]), 'op', 5))).toEqual([4, 4, 0]);
    expect(Array.from(labelIndices([9, 3], 'op', 10, 2))).toEqual([9, 3]);
    expect(Array.from(labelIndices([], 'op', 3, 0))).toEqual([]);
  });

  it('returns a copy: changing it leaves the labels alone', () => {
    const labels = Int32Array.from([1, 2]);
    const idx = labelIndices(labels, 'op');
    idx[0] = 7;
    expect(Array.from(labels)).toEqual([1, 2]);
  });

  it('names the op, the label and its position when a label is not a class index', () => {
    expect(() => labelIndices([0, 1.5], 'crossEntropy')).toThrow('crossEntropy: label 1.5 at position 1 is not a non-negative integer');
    expect(() => labelIndices([-1], 'nllLoss')).toThrow('nllLoss: label -1 at position 0 is not a non-negative integer');
    expect(() => labelIndices(tensor([0, 3]), 'accuracy', 3)).toThrow('accuracy: label 3 at position 1 is not an integer in [0, 2]');
    expect(() => labelIndices([NaN], 'op', 2)).toThrow('op: label NaN at position 0 is not an integer in [0, 1]');
    // The largest valid label is numClasses - 1.
    expect(Array.from(labelIndices([2], 'op', 3))).toEqual([2]);
  });

  it('checks the count and the shape, and names what it got instead of labels', () => {
    expect(() => labelIndices([0, 1, 2], 'oneHot', 3, 2)).toThrow('oneHot: got 3 labels for 2 examples');
    expect(() => labelIndices(tensor([[0, 1]]), 'op')).toThrow('op: labels must be 1-D (one class index per example), got shape [1, 2]');
    expect(() => labelIndices('012' as never, 'op')).toThrow('op: labels must be a Tensor, an Int32Array or an array of numbers, got string');
  });
});
