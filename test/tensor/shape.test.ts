import { describe, expect, it } from 'vitest';
import { broadcastShapes, formatShape, normalizeAxes, normalizeAxis, reducedShape, stridesOf } from '../../src/tensor/shape';

describe('shape arithmetic', () => {
  it('formats shapes with brackets and a scalar as []', () => {
    expect(formatShape([2, 3])).toBe('[2, 3]');
    expect(formatShape([])).toBe('[]');
  });

  it('computes row-major strides', () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });

  it('broadcasts like NumPy: trailing axes align, 1 stretches', () => {
    expect(broadcastShapes([2, 1, 5], [3, 1], 'add')).toEqual([2, 3, 5]);
    expect(broadcastShapes([4, 1], [1, 6], 'add')).toEqual([4, 6]);
    expect(broadcastShapes([], [3], 'add')).toEqual([3]);
  });

  it('names the op, both shapes and the clashing axis when broadcasting fails', () => {
    expect(() => broadcastShapes([2, 3], [4], 'mul')).toThrow('mul: shapes [2, 3] and [4] cannot be broadcast (axis -1 has 3 vs 4; sizes must match or be 1)');
  });

  it('normalizes axes, negative ones included, and rejects out-of-range or repeated axes', () => {
    expect(normalizeAxis(-1, 3, 'sum')).toBe(2);
    expect(normalizeAxes([-1, 0], 3, 'sum')).toEqual([0, 2]);
    expect(normalizeAxes(undefined, 2, 'sum')).toEqual([0, 1]);
    expect(() => normalizeAxis(3, 3, 'sum')).toThrow('sum: axis 3 is out of range for a tensor with 3 dimension(s)');
    expect(() => normalizeAxes([1, -1], 2, 'sum')).toThrow(/repeats an axis/);
    expect(() => normalizeAxes({} as never, 2, 'var')).toThrow('var: axis must be a number, a list of numbers, or null for all axes, got {}');
  });

  it('computes reduced shapes with and without keepdim', () => {
    expect(reducedShape([2, 3, 4], [1], false)).toEqual([2, 4]);
    expect(reducedShape([2, 3, 4], [0, 2], true)).toEqual([1, 3, 1]);
  });
});
