/**
 * Exact behaviour of the module machinery and the layers' descriptions: nested summaries, names of
 * buffers and submodules, state-dict errors, containers' indexing and errors, and each layer's
 * extraRepr. Expected texts are written out by hand from the documented formats.
 */
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, Dropout, Flatten, LayerNorm, Linear, Module, Parameter, ReLU, Residual, Sequential, Tensor, ones, tensor, zeros,
  type StateDict,
} from '../../src/index';

class Scaled extends Module {
  readonly gain = new Parameter(ones([2]));
  readonly inner = new Sequential(new Linear(2, 2), new ReLU());
  forward(x: Tensor): Tensor {
    return this.inner.call(x).mul(this.gain);
  }
  override extraRepr(): string {
    return 'gain';
  }
}

describe('summary of nested modules', () => {
  it('indents each level by two spaces, adds a comma after a non-empty extraRepr, and groups digits by three', () => {
    const model = new Sequential(new Flatten(), new Sequential(new Linear(1000, 1000), new Scaled()));
    expect(model.summary()).toBe(
      [
        'Sequential(',
        '  (0): Flatten()',
        '  (1): Sequential(',
        '    (0): Linear(1000 → 1000, bias=true)  # 1,001,000 params',
        '    (1): Scaled(gain,',
        '      (inner): Sequential(',
        '        (0): Linear(2 → 2, bias=true)  # 6 params',
        '        (1): ReLU()',
        '      )  # 6 params',
        '    )  # 8 params',
        '  )  # 1,001,008 params',
        ')  # 1,001,008 params',
        'Total: 1,001,008 parameters (1,001,008 trainable)',
      ].join('\n'),
    );
    const inspect = (model as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')];
    expect(inspect.call(model)).toBe(model.summary());
  });

  it('prints a container without parameters with no counts', () => {
    expect(new Sequential(new ReLU(), new Flatten(0, 2)).summary()).toBe(['Sequential(', '  (0): ReLU()', '  (1): Flatten(startDim=0, endDim=2)', ')'].join('\n'));
  });
});

describe('walking the module tree', () => {
  it('names buffers and modules with dotted paths, parents first, each shared module once', () => {
    const bn = new BatchNorm1d(2);
    const model = new Sequential(new Linear(2, 2), bn, new Sequential(bn, new ReLU()));
    expect(model.namedBuffers().map(([name]) => name)).toEqual(['1.runningMean', '1.runningVar', '1.numBatchesTracked']);
    expect(model.namedModules().map(([name, m]) => [name, m.constructor.name])).toEqual([
      ['', 'Sequential'], ['0', 'Linear'], ['1', 'BatchNorm1d'], ['2', 'Sequential'], ['2.1', 'ReLU'],
    ]);
    expect(model.modules().length).toBe(5);
    expect(model.namedChildren().map(([name]) => name)).toEqual(['0', '1', '2']);
  });

  it('counts parameters, all or only trainable ones', () => {
    const layer = new Linear(3, 4); // 12 weights, 4 biases
    expect(layer.numParameters()).toBe(16);
    layer.bias!.requiresGrad = false;
    expect(layer.numParameters(true)).toBe(12);
    expect(layer.numParameters(false)).toBe(16);
  });

  it('train() and eval() return the module and set the mode given', () => {
    const model = new Sequential(new Dropout(0.5));
    expect(model.eval()).toBe(model);
    expect(model.modules().map((m) => m.training)).toEqual([false, false]);
    expect(model.train()).toBe(model);
    expect(model.modules().map((m) => m.training)).toEqual([true, true]);
    model.train(false);
    expect(model.at(0).training).toBe(false);
  });
});

describe('loadStateDict', () => {
  it('names the module and what is wrong with the state or the options', () => {
    const layer = new Linear(2, 1);
    expect(() => layer.loadStateDict(null as unknown as StateDict)).toThrow('Linear.loadStateDict: state must be an object, got null');
    expect(() => layer.loadStateDict(7 as unknown as StateDict)).toThrow('Linear.loadStateDict: state must be an object, got number');
    expect(() => layer.loadStateDict(layer.stateDict(), { strikt: true } as never)).toThrow("Linear.loadStateDict: unknown option 'strikt'");
    const s = layer.stateDict();
    const { bias, ...noBias } = s;
    expect(() => layer.loadStateDict({ ...noBias, extra: bias })).toThrow('Linear.loadStateDict: missing keys [bias]; unexpected keys [extra]');
    expect(() => layer.loadStateDict({ ...s, bias: { shape: [1], dtype: 'float32', data: [1, 2] } })).toThrow(
      "Linear.loadStateDict: 'bias' needs 1 values, the state holds 2",
    );
    expect(() => layer.loadStateDict({ ...s, bias: [1] as never })).toThrow("must be {shape, dtype, data} with arrays of numbers, as stateDict() writes it, got an array");
    expect(() => layer.loadStateDict({ ...s, bias: { shape: ['1'], dtype: 'float32', data: [1] } as never })).toThrow("'bias' must be {shape, dtype, data}");
  });

  it('loads what it has when not strict, and the values exactly', () => {
    const layer = new Linear(2, 1);
    layer.weight.data.set([0.25, -0.5]);
    layer.bias!.data.set([3]);
    layer.loadStateDict({ bias: { shape: [1], dtype: 'float32', data: [-7] }, other: { shape: [], dtype: 'float32', data: [1] } }, { strict: false });
    expect([Array.from(layer.weight.data), Array.from(layer.bias!.data)]).toEqual([[0.25, -0.5], [-7]]);
    expect(() => layer.loadStateDict({ bias: { shape: [1], dtype: 'float32', data: [1] } }, { strict: true })).toThrow('missing keys [weight]');
  });
});

describe('containers', () => {
  it('Sequential indexes from either end, has a length, and names a bad index or argument', () => {
    const a = new ReLU();
    const b = new Flatten();
    const seq = new Sequential(a, b);
    expect([seq.length, seq.at(0), seq.at(1), seq.at(-1), seq.at(-2)]).toEqual([2, a, b, b, a]);
    expect(() => seq.at(2)).toThrow('Sequential.at: index 2 is out of range for 2 layers');
    expect(() => seq.at(-3)).toThrow('Sequential.at: index -3 is out of range for 2 layers');
    expect(() => new Sequential(a, 'x' as never)).toThrow('Sequential: argument 1 is not a Module');
  });

  it('Residual adds the input to the inner output and names a shape change', () => {
    const res = new Residual(new Linear(2, 2, { bias: false }));
    (res.module as Linear).weight.data.set([1, 2, 3, 4]);
    expect(res.call(tensor([[1, 1]])).toArray()).toEqual([[1 + 4, 1 + 6]]);
    expect(() => new Residual('x' as never)).toThrow('Residual: the argument must be a Module');
    expect(() => new Residual(new Linear(2, 3)).call(zeros([1, 2]))).toThrow(
      'Residual: the inner Linear must keep the shape, got input [1, 2] and output [1, 3]',
    );
  });

  it('Flatten joins the axes it is given', () => {
    expect(new Flatten(0, 1).call(zeros([2, 3, 4])).shape).toEqual([6, 4]);
    expect(new Flatten().call(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect([new Flatten().extraRepr(), new Flatten(1, 2).extraRepr(), new Flatten(0).extraRepr()]).toEqual(['', 'startDim=1, endDim=2', 'startDim=0, endDim=-1']);
  });
});

describe('layer descriptions', () => {
  it('say what each layer was made with', () => {
    expect(new LayerNorm([2, 3]).extraRepr()).toBe('[2, 3], eps=0.00001, elementwiseAffine=true, bias=true');
    expect(new LayerNorm(4, { eps: 0.5, elementwiseAffine: false }).extraRepr()).toBe('[4], eps=0.5, elementwiseAffine=false, bias=false');
    expect(new BatchNorm1d(3).extraRepr()).toBe('3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true');
    expect(new BatchNorm1d(3, { momentum: null, affine: false, trackRunningStats: false, eps: 0.1 }).extraRepr()).toBe(
      '3, eps=0.1, momentum=null, affine=false, trackRunningStats=false',
    );
    expect(new Dropout().extraRepr()).toBe('p=0.5');
    expect(new Dropout(0.25, { sharedAxes: [1, 2] }).extraRepr()).toBe('p=0.25, sharedAxes=[1,2]');
    expect(new Linear(3, 2, { bias: false }).extraRepr()).toBe('3 → 2, bias=false');
  });
});
