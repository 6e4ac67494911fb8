import { describe, expect, it } from 'vitest';
import { barChart, describeFigure, subplots } from '../../src/index';

describe('barChart', () => {
  const base = { title: 'Final test accuracy', xLabel: 'configuration', yLabel: 'accuracy' };

  it('draws one bar per category and series, grouped, with error bars when given', () => {
    const fig = barChart({
      ...base,
      categories: ['p = 0', 'p = 0.5'],
      series: [{ name: 'train', y: [1, 0.99] }, { name: 'test', y: [0.88, 0.9], error: [0.004, 0.003] }],
    });
    expect(fig.data).toHaveLength(2);
    expect(fig.data[0]).toMatchObject({ type: 'bar', name: 'train', x: ['p = 0', 'p = 0.5'], y: [1, 0.99] });
    expect(fig.data[0]?.['error_y']).toBeUndefined();
    expect(fig.data[1]?.['error_y']).toEqual({ type: 'data', array: [0.004, 0.003], visible: true });
    expect(fig.data[0]?.['marker']).not.toEqual(fig.data[1]?.['marker']);
    expect(fig.layout['barmode']).toBe('group');
    expect(fig.layout['xaxis']).toMatchObject({ type: 'category', title: { text: 'configuration' } });
    expect(fig.layout['title']).toEqual({ text: 'Final test accuracy' });
    expect(describeFigure(fig)).toContain('train (2 bars)');
  });

  it('goes into subplots like the other charts', () => {
    const bars = barChart({ ...base, categories: ['a'], series: [{ name: 's', y: [1] }] });
    const fig = subplots([bars, bars], { rows: 1, cols: 2, title: 'two panels' });
    expect(fig.data.map((t) => t.type)).toEqual(['bar', 'bar']);
  });

  it('names what is wrong: lengths, categories, values, error bars, log axes, labels', () => {
    const one = (y: number[], extra = {}) => barChart({ ...base, categories: ['a', 'b'], series: [{ name: 's', y, ...extra }] });
    expect(() => one([1])).toThrow('barChart');
    expect(() => one([1, Number.NaN])).toThrow('barChart: series "s" y must be finite, got NaN for "b"');
    expect(() => one([1, 2], { error: [0.1, -1] })).toThrow('barChart: series "s" error must be >= 0, got -1 for "b"');
    expect(() => barChart({ ...base, logY: true, categories: ['a'], series: [{ name: 's', y: [0] }] })).toThrow('logY needs positive values');
    expect(() => barChart({ ...base, categories: ['a', 'a'], series: [{ name: 's', y: [1, 2] }] })).toThrow('categories must be different');
    expect(() => barChart({ ...base, categories: [], series: [{ name: 's', y: [] }] })).toThrow('categories must be a non-empty list');
    expect(() => barChart({ ...base, yLabel: '', categories: ['a'], series: [{ name: 's', y: [1] }] })).toThrow('barChart');
  });
});
