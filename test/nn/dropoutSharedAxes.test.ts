import { describe, expect, it } from 'vitest';
import { Dropout, Generator, dropout, gradcheck, ones, randn } from '../../src/index';

/** The value at [i, j, k] of a row-major [I, J, K] array. */
const at3 = (data: ArrayLike<number>, shape: readonly number[], i: number, j: number, k: number): number =>
  data[(i * (shape[1] ?? 0) + j) * (shape[2] ?? 0) + k] as number;

describe('dropout with sharedAxes', () => {
  it('without sharedAxes draws one uniform per element in row-major order (the stream seeded code relies on)', () => {
    const y = dropout(ones([3, 4], { dtype: 'float64' }), 0.5, { generator: new Generator(1) });
    const g = new Generator(1);
    expect(Array.from(y.data)).toEqual(Array.from({ length: 12 }, () => (g.uniform() < 0.5 ? 0 : 2)));
  });

  it('sharedAxes: 1 on [batch, time, features] drops the same features at every time step', () => {
    const shape = [8, 20, 16];
    const y = dropout(ones(shape), 0.4, { generator: new Generator(2), sharedAxes: 1 });
    let dropped = 0;
    for (let b = 0; b < 8; b++) {
      for (let f = 0; f < 16; f++) {
        const first = at3(y.data, shape, b, 0, f);
        expect(first === 0 || first === Math.fround(1 / 0.6)).toBe(true);
        for (let t = 1; t < 20; t++) expect(at3(y.data, shape, b, t, f)).toBe(first);
        if (first === 0) dropped++;
      }
    }
    // 128 independent (batch, feature) draws with p = 0.4: the dropped count is 51.2 ± 5.5 (one SD).
    expect(Math.abs(dropped - 51.2)).toBeLessThan(4 * Math.sqrt(128 * 0.4 * 0.6));
    // Different sequences and different features get different masks.
    const masks = new Set<string>();
    for (let b = 0; b < 8; b++) masks.add(Array.from({ length: 16 }, (_, f) => at3(y.data, shape, b, 0, f)).join(','));
    expect(masks.size).toBeGreaterThan(1);
  });

  it('draws the mask of the reduced shape from the same stream, and a negative axis means the same axis', () => {
    const x = randn([2, 5, 3], { generator: new Generator(3) });
    const a = dropout(x, 0.5, { generator: new Generator(4), sharedAxes: 1 });
    const b = dropout(x, 0.5, { generator: new Generator(4), sharedAxes: [-2] });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const g = new Generator(4);
    const mask = Array.from({ length: 6 }, () => (g.uniform() < 0.5 ? 0 : 2)); // shape [2, 1, 3]
    for (let i = 0; i < 2; i++) for (let t = 0; t < 5; t++) for (let f = 0; f < 3; f++) {
      expect(at3(a.data, [2, 5, 3], i, t, f)).toBe(Math.fround(at3(x.data, [2, 5, 3], i, t, f) * (mask[i * 3 + f] as number)));
    }
  });

  it('shares along several axes: sharedAxes [0, 1] gives one mask value per feature', () => {
    const y = dropout(ones([6, 7, 50]), 0.5, { generator: new Generator(5), sharedAxes: [0, 1] });
    for (let f = 0; f < 50; f++) {
      const v = at3(y.data, [6, 7, 50], 0, 0, f);
      for (let b = 0; b < 6; b++) for (let t = 0; t < 7; t++) expect(at3(y.data, [6, 7, 50], b, t, f)).toBe(v);
    }
  });

  it('backpropagates through the shared mask: the gradient sums over the shared axis (gradcheck in float64)', () => {
    const x = randn([3, 4, 5], { dtype: 'float64', generator: new Generator(6), requiresGrad: true });
    expect(gradcheck((t) => dropout(t, 0.3, { generator: new Generator(7), sharedAxes: 1 }), [x])).toBe(true);
    const y = dropout(x, 0.3, { generator: new Generator(7), sharedAxes: 1 });
    y.sum().backward();
    const g = x.grad;
    if (g === null) throw new Error('no gradient');
    for (let i = 0; i < x.size; i++) expect(g.data[i]).toBeCloseTo(y.data[i] === 0 ? 0 : 1 / 0.7, 12);
  });

  it('the Dropout layer passes sharedAxes on, shows it, and is the identity in eval mode', () => {
    const layer = new Dropout(0.5, { generator: new Generator(8), sharedAxes: 1 });
    expect(layer.toString()).toContain('p=0.5, sharedAxes=1');
    const x = ones([2, 9, 4]);
    const y = layer.call(x);
    for (let b = 0; b < 2; b++) for (let f = 0; f < 4; f++) for (let t = 1; t < 9; t++) {
      expect(at3(y.data, [2, 9, 4], b, t, f)).toBe(at3(y.data, [2, 9, 4], b, 0, f));
    }
    expect(layer.eval().call(x)).toBe(x);
    expect(layer.parameters()).toEqual([]);
  });

  it('names the option, the axis and the shape when they are wrong', () => {
    const x = ones([2, 3, 4]);
    expect(() => dropout(x, 0.5, { shared_axes: 1 } as never)).toThrow("dropout: unknown option 'shared_axes'; did you mean 'sharedAxes'?");
    expect(() => new Dropout(0.5, { seed: 1 } as never)).toThrow("Dropout: unknown option 'seed'; known options: generator, sharedAxes");
    expect(() => dropout(x, 0.5, { sharedAxes: 3 })).toThrow('dropout (sharedAxes 3, input [2, 3, 4]): axis 3 is out of range for a tensor with 3 dimension(s)');
    expect(() => dropout(x, 0.5, { sharedAxes: [1, -2] })).toThrow('repeats an axis');
    expect(() => dropout(ones([]), 0.5, { sharedAxes: 0 })).toThrow('a scalar has no axis to share a mask along');
    // Checked in eval mode too: a wrong axis must not wait for the first training step to surface.
    expect(() => dropout(x, 0.5, { training: false, sharedAxes: 5 })).toThrow('out of range');
    expect(() => new Dropout(-0.1)).toThrow('Dropout: p must be in [0, 1], got -0.1');
  });
});
