/**
 * The checks of the layers and their functional forms, each error naming the op and the argument,
 * and the edge values each check must still accept (a bound of a closed range, a single feature).
 * Also: parameters and modules reached twice, BatchNorm's buffers, dropout's draws, empty penalties.
 */
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, Generator, LayerNorm, Linear, Module, Parameter, ReLU, Tensor, batchNorm, dropout, l1Penalty, l2Penalty, layerNorm, linear,
  oneHot, ones, tensor, zeros,
} from '../../src/index';

describe('modules reached twice', () => {
  it('list a parameter held by two fields once, under its first name', () => {
    class Tied extends Module {
      readonly shared = new Parameter(ones([2]));
      readonly other = new Parameter(zeros([1]));
      readonly again = this.shared;
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(new Tied().namedParameters().map(([name]) => name)).toEqual(['shared', 'other']);
  });

  it('walk a module that refers back to its parent once (no endless walk)', () => {
    class Child extends Module {
      readonly w = new Parameter(ones([3]));
      parent: Module | null = null;
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    class Parent extends Module {
      readonly child = new Child();
      readonly b = new Parameter(zeros([1]));
      constructor() {
        super();
        this.child.parent = this;
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const model = new Parent();
    expect(model.namedParameters().map(([name]) => name)).toEqual(['child.w', 'b']);
    expect(model.namedModules().map(([name]) => name)).toEqual(['', 'child']);
  });

  it('keep a buffer registered twice once', () => {
    class Twice extends Module {
      readonly count = zeros([1]);
      constructor() {
        super();
        this.registerBuffer('count');
        this.registerBuffer('count');
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(new Twice().namedBuffers().map(([name]) => name)).toEqual(['count']);
    expect(Object.keys(new Twice().stateDict())).toEqual(['count']);
  });
});

describe('loadStateDict checks', () => {
  it('lists every missing or unexpected key, and only the kind that occurs', () => {
    const s = new Linear(2, 2).stateDict();
    expect(() => new Linear(2, 2).loadStateDict({ ...s, a: s.bias, b: s.bias })).toThrow(/^Linear\.loadStateDict: unexpected keys \[a, b\]$/);
    expect(() => new Linear(2, 2).loadStateDict({})).toThrow(/^Linear\.loadStateDict: missing keys \[weight, bias\]$/);
  });

  it('refuses data with any entry that is not a number (or null for NaN), and an entry without a constructor', () => {
    const layer = new Linear(1, 2);
    const s = layer.stateDict();
    expect(() => layer.loadStateDict({ ...s, bias: { shape: [2], dtype: 'float32', data: [1, 'x' as never] } })).toThrow(
      "Linear.loadStateDict: 'bias' must be {shape, dtype, data} with arrays of numbers, as stateDict() writes it, got Object",
    );
    expect(() => layer.loadStateDict({ ...s, bias: Object.create(null) })).toThrow("as stateDict() writes it, got an object");
    expect(() => layer.loadStateDict({ ...s, bias: undefined as never })).toThrow("as stateDict() writes it, got undefined");
  });
});

describe('LayerNorm and BatchNorm1d', () => {
  it('check their sizes, naming the layer, and accept a size of 1', () => {
    expect(() => new LayerNorm(0)).toThrow('LayerNorm: dim must hold positive integers, got 0');
    expect(() => new LayerNorm([2, 1.5])).toThrow('LayerNorm: dim must hold positive integers, got [2,1.5]');
    expect(new LayerNorm(1).normalizedShape).toEqual([1]);
    expect(() => new BatchNorm1d(0)).toThrow('BatchNorm1d: numFeatures must be a positive integer, got 0');
    expect(() => new BatchNorm1d(2.5)).toThrow('BatchNorm1d: numFeatures must be a positive integer, got 2.5');
    expect(new BatchNorm1d(1).runningMean?.shape).toEqual([1]);
  });

  it('keep their own copy of the shape given', () => {
    const dims = [2, 3];
    const ln = new LayerNorm(dims);
    dims[0] = 7;
    expect(ln.normalizedShape).toEqual([2, 3]);
  });

  it('make parameters and buffers of the dtype asked for (the batch counter is always float64)', () => {
    const ln = new LayerNorm(2, { dtype: 'float64' });
    expect([ln.weight?.dtype, ln.bias?.dtype]).toEqual(['float64', 'float64']);
    const bn = new BatchNorm1d(2, { dtype: 'float64' });
    expect([bn.weight?.dtype, bn.runningMean?.dtype, bn.runningVar?.dtype, bn.numBatchesTracked?.dtype]).toEqual(['float64', 'float64', 'float64', 'float64']);
    expect(new BatchNorm1d(2).numBatchesTracked?.dtype).toBe('float64');
  });

  it('BatchNorm1d takes a momentum in [0, 1] (both ends included) or null, and names anything else', () => {
    const rule = 'BatchNorm1d: momentum must be a number in [0, 1] or null (cumulative average), got';
    expect(() => new BatchNorm1d(2, { momentum: -0.1 })).toThrow(`${rule} -0.1`);
    expect(() => new BatchNorm1d(2, { momentum: '0.5' as never })).toThrow(`${rule} 0.5`);
    expect(() => new BatchNorm1d(2, { momentum: NaN })).toThrow(`${rule} NaN`);
    expect(new BatchNorm1d(2, { momentum: 0 }).momentum).toBe(0);
    expect(new BatchNorm1d(2, { momentum: 1 }).momentum).toBe(1);
  });

  it('BatchNorm1d names a 1-D input as batchNorm does', () => {
    expect(() => new BatchNorm1d(3).call(zeros([3]))).toThrow('batchNorm: input must be [N, C] or [N, C, L], got shape [3]');
    expect(() => batchNorm(zeros([2, 2, 2, 2]), null, null, { training: true })).toThrow('batchNorm: input must be [N, C] or [N, C, L], got shape [2, 2, 2, 2]');
  });

  it('resetRunningStats puts mean 0, variance 1 and the batch count 0 back', () => {
    const bn = new BatchNorm1d(2);
    bn.call(tensor([[1, 2], [3, 6]]));
    // Batch mean [2, 4], unbiased variance [2, 8]: running = 0.9 · start + 0.1 · batch.
    expect(Array.from(bn.runningMean!.data)).toEqual([Math.fround(0.2), Math.fround(0.4)]);
    expect(Array.from(bn.runningVar!.data)).toEqual([Math.fround(0.9 + 0.2), Math.fround(0.9 + 0.8)]);
    bn.resetRunningStats();
    expect([Array.from(bn.runningMean!.data), Array.from(bn.runningVar!.data), bn.numBatchesTracked!.item()]).toEqual([[0, 0], [1, 1], 0]);
    new BatchNorm1d(2, { trackRunningStats: false }).resetRunningStats();
  });
});

describe('layerNorm and batchNorm', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });

  it('name the function and the argument that is not a tensor or has the wrong shape', () => {
    expect(() => layerNorm([1, 2] as never, 2)).toThrow('layerNorm: input must be a Tensor, got an array (wrap it with tensor())');
    expect(() => layerNorm(x, 3, { weight: 'w' as never })).toThrow('layerNorm: weight must be a Tensor, got string');
    expect(() => layerNorm(x, 3, { bias: 1 as never })).toThrow('layerNorm: bias must be a Tensor, got number');
    expect(() => layerNorm(x, 3, { weight: ones([2], { dtype: 'float64' }) })).toThrow('layerNorm: weight must have shape [3], got [2]');
    expect(() => batchNorm(null as never, null, null)).toThrow('batchNorm: input must be a Tensor, got null');
    expect(() => batchNorm(x, 'm' as never, null)).toThrow('batchNorm: runningMean must be a Tensor, got string');
    expect(() => batchNorm(x, null, 'v' as never)).toThrow('batchNorm: runningVar must be a Tensor, got string');
    expect(() => batchNorm(x, null, null, { weight: 1 as never, training: true })).toThrow('batchNorm: weight must be a Tensor, got number');
    expect(() => batchNorm(x, null, null, { bias: 1 as never, training: true })).toThrow('batchNorm: bias must be a Tensor, got number');
    expect(() => batchNorm(x, null, null, { bias: zeros([2], { dtype: 'float64' }), training: true })).toThrow('batchNorm: bias must have shape [3], got [2]');
  });

  it('take an eps >= 0 and nothing else', () => {
    expect(() => layerNorm(x, 3, { eps: -1e-5 })).toThrow('layerNorm: eps must be a number >= 0, got -0.00001');
    expect(() => layerNorm(x, 3, { eps: '1' as never })).toThrow('layerNorm: eps must be a number >= 0, got 1');
    expect(() => batchNorm(x, null, null, { training: true, eps: NaN })).toThrow('batchNorm: eps must be a number >= 0, got NaN');
    // eps 0: (x - mean) / std exactly; row [1, 2, 3] has mean 2 and biased variance 2/3.
    const s = Math.sqrt(2 / 3);
    expect(layerNorm(x, 3, { eps: 0 }).toArray()).toEqual([[-1 / s, 0, 1 / s], [-1 / s, 0, 1 / s]]);
  });

  it('layerNorm needs 1 to ndim trailing axes, and may normalize over all of them', () => {
    expect(() => layerNorm(x, [])).toThrow('layerNorm: normalizedShape [] must match the last axes of the input, got shape [2, 3]');
    const s = Math.sqrt(35 / 12); // the variance of 1..6
    const all = layerNorm(x, [2, 3], { eps: 0 }).toArray() as number[][];
    expect(all.flat().map((v) => v * s)).toEqual([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5].map((v) => expect.closeTo(v, 12)));
    const row = layerNorm(tensor([1, 3], { dtype: 'float64' }), 2, { eps: 0 });
    expect(row.toArray()).toEqual([-1, 1]);
  });

  it('batchNorm takes a momentum in [0, 1] (both ends included) and names anything else', () => {
    const rm = zeros([3], { dtype: 'float64' });
    const rv = ones([3], { dtype: 'float64' });
    expect(() => batchNorm(x, rm, rv, { training: true, momentum: 1.5 })).toThrow('batchNorm: momentum must be in [0, 1], got 1.5');
    expect(() => batchNorm(x, rm, rv, { training: true, momentum: -0.5 })).toThrow('batchNorm: momentum must be in [0, 1], got -0.5');
    expect(() => batchNorm(x, rm, rv, { training: true, momentum: '0.5' as never })).toThrow('batchNorm: momentum must be in [0, 1], got 0.5');
    batchNorm(x, rm, rv, { training: true, momentum: 0 });
    expect([Array.from(rm.data), Array.from(rv.data)]).toEqual([[0, 0, 0], [1, 1, 1]]);
    // momentum 1: the running statistics become the batch's (mean of each column, unbiased variance 4.5).
    batchNorm(x, rm, rv, { training: true, momentum: 1 });
    expect([Array.from(rm.data), Array.from(rv.data)]).toEqual([[2.5, 3.5, 4.5], [4.5, 4.5, 4.5]]);
  });

  it('batchNorm in eval mode names running statistics of another dtype', () => {
    expect(() => batchNorm(x, zeros([3]), ones([3], { dtype: 'float64' }))).toThrow(
      "batchNorm: runningMean is float32 but the input is float64; convert one with .astype('float64')",
    );
    expect(() => batchNorm(x, zeros([3], { dtype: 'float64' }), ones([3]))).toThrow('batchNorm: runningVar is float32 but the input is float64');
  });
});

describe('linear', () => {
  it('names the argument that is not a tensor or has the wrong shape or dtype', () => {
    const w = zeros([2, 3]);
    expect(() => linear('x' as never, w)).toThrow('linear: input must be a Tensor, got string');
    expect(() => linear(zeros([1, 2]), null as never)).toThrow('linear: weight must be a Tensor, got null');
    expect(() => linear(zeros([1, 2]), zeros([2]))).toThrow('linear: weight must be [in, out], got shape [2]');
    expect(() => linear(zeros([1, 2]), w, 5 as never)).toThrow('linear: bias must be a Tensor, got number');
    expect(() => linear(zeros([1, 2]), w, zeros([2]))).toThrow('linear: bias must have shape [3], got [2]');
    expect(() => linear(zeros([1, 2]), w, zeros([1, 3]))).toThrow('linear: bias must have shape [3], got [1, 3]');
    expect(() => linear(zeros([1, 2]), w, zeros([3, 1]))).toThrow('linear: bias must have shape [3], got [3, 1]');
    expect(() => linear(zeros([1, 2]), w, zeros([3], { dtype: 'float64' }))).toThrow('add: dtype mismatch, got float32 and float64');
  });
});

describe('oneHot', () => {
  it('checks the number of classes and names itself for a bad label', () => {
    expect(() => oneHot([0], 0)).toThrow('oneHot: numClasses must be a positive integer, got 0');
    expect(() => oneHot([0], 2.5)).toThrow('oneHot: numClasses must be a positive integer, got 2.5');
    expect(() => oneHot([3], 3)).toThrow('oneHot: label 3 at position 0 is not an integer in [0, 2]');
    expect(oneHot([0, 0], 1).toArray()).toEqual([[1], [1]]);
  });
});

describe('dropout', () => {
  it('draws nothing and returns the input for p = 0', () => {
    const x = tensor([1, 2, 3]);
    const g = new Generator(5);
    expect(dropout(x, 0, { generator: g })).toBe(x);
    expect(g.uniform()).toBe(new Generator(5).uniform());
  });

  it('names itself for a bad input or p', () => {
    expect(() => dropout([1] as never)).toThrow('dropout: input must be a Tensor, got an array');
    expect(() => dropout(tensor([1]), 2)).toThrow('dropout: p must be in [0, 1], got 2');
  });

  it('works on a scalar without shared axes', () => {
    const out = dropout(tensor(3), 0.5, { generator: new Generator(1) }).item();
    expect([0, 6]).toContain(out);
  });

  it('drops an element when its draw u is below p and keeps it when u = p, with or without shared axes', () => {
    // The just-below draw is the largest uniform() value under 1/2: uniform() gives multiples of 2^-53.
    const draws = [0.5, 0.25, 0.75, 0.5 - 2 ** -53];
    // A generator whose stream is these draws, through uniform() or as the raw 32-bit pairs that
    // uniform() is built from (the top 27 bits of one and the top 26 of the next: u = (hi·2^26 + lo)/2^53).
    const fake = () => {
      let i = 0;
      return {
        uniform: () => draws[i++],
        fillUint32: (out: Uint32Array) => {
          for (let j = 0; j < out.length; j += 2) {
            const k = (draws[i++] as number) * 2 ** 53;
            const hi = Math.floor(k / 2 ** 26);
            out[j] = hi * 32;
            out[j + 1] = (k - hi * 2 ** 26) * 64;
          }
        },
      } as unknown as Generator;
    };
    const x = tensor([[1, 2, 3, 4]]);
    expect(dropout(x, 0.5, { generator: fake() }).toArray()).toEqual([[2, 0, 6, 0]]);
    expect(dropout(x, 0.5, { generator: fake(), sharedAxes: 0 }).toArray()).toEqual([[2, 0, 6, 0]]);
  });

  it('with shared axes draws exactly one value per mask entry', () => {
    const g = new Generator(9);
    dropout(zeros([2, 3]), 0.5, { generator: g, sharedAxes: 0 }); // a mask of 3
    const ref = new Generator(9);
    for (let i = 0; i < 3; i++) ref.uniform();
    expect(g.uniform()).toBe(ref.uniform());
  });
});

describe('penalties of nothing', () => {
  it('are a float32 zero when there is no weight to penalize', () => {
    for (const value of [l2Penalty([]), l1Penalty(new ReLU()), l2Penalty([zeros([3], { dtype: 'float64' })])]) {
      expect([value.shape, value.dtype, value.item()]).toEqual([[], 'float32', 0]);
    }
  });
});
