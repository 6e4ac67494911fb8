import { describe, expect, it } from 'vitest';
import { accuracy, tensor } from '../../src/index';

describe('accuracy', () => {
  const logits = tensor([
    [1, 3, 2], // predicts 1
    [5, 0, 0], // predicts 0
    [0, 0, 9], // predicts 2
    [2, 2, 1], // tie of 0 and 1: the first, 0
  ]);

  it('is the fraction of rows whose largest logit is at the label', () => {
    expect(accuracy(logits, [1, 0, 1, 0])).toBe(3 / 4);
    expect(accuracy(logits, [1, 0, 2, 0])).toBe(1);
    expect(accuracy(logits, [0, 1, 0, 2])).toBe(0);
  });

  it('breaks ties by the first largest entry, as argmax does', () => {
    expect(accuracy(tensor([[2, 2, 1]]), [0])).toBe(1);
    expect(accuracy(tensor([[2, 2, 1]]), [1])).toBe(0);
    expect(accuracy(tensor([[-3, -1, -1]]), [1])).toBe(1);
  });

  it('takes labels as a float tensor, an Int32Array or a number[]', () => {
    expect(accuracy(logits, tensor([1, 1, 2, 2]))).toBe(2 / 4);
    expect(accuracy(logits, Int32Array.from([1, 1, 2, 2]))).toBe(2 / 4);
  });

  it('is NaN for an empty batch', () => {
    expect(accuracy(tensor([], { shape: [0, 3] }), [])).toBeNaN();
  });

  it('names wrong shapes and labels', () => {
    expect(() => accuracy(tensor([1, 2, 3]), [0])).toThrow('accuracy: logits must be [N, C], got shape [3]');
    expect(() => accuracy(logits, [1, 0, 1])).toThrow('accuracy: got 3 labels for 4 examples');
    expect(() => accuracy(logits, [1, 0, 3, 0])).toThrow('accuracy: label 3 at position 2 is not an integer in [0, 2]');
  });
});
