import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, Dropout, Generator, Linear, Module, Parameter, ReLU, Sequential, Tensor, assertClose, ones, tensor,
  type StateDict, type TensorState,
} from '../../src/index';

class MLP extends Module {
  readonly layers = [new Linear(4, 3, { generator: new Generator(1) }), new ReLU(), new Linear(3, 2, { generator: new Generator(2) })];
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.call(h), x);
  }
}

class Net extends Module {
  readonly body = new Sequential(new Linear(2, 5), new BatchNorm1d(5), new ReLU(), new Dropout(0.5));
  readonly head = new Linear(5, 1);
  readonly scale = new Parameter(ones([1]));
  notAParameter = tensor([1, 2, 3], { requiresGrad: true });
  forward(x: Tensor): Tensor {
    return this.head.call(this.body.call(x)).mul(this.scale);
  }
}

describe('Module parameters', () => {
  it('finds parameters by walking fields and arrays, with dotted names in definition order', () => {
    const names = new MLP().namedParameters().map(([n]) => n);
    expect(names).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias']);
  });

  it('names Sequential children by index (as PyTorch) and skips plain tensors', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'body.0.weight', 'body.0.bias', 'body.1.weight', 'body.1.bias', 'head.weight', 'head.bias', 'scale',
    ]);
    expect(net.parameters()).not.toContain(net.notAParameter);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['body.1.runningMean', 'body.1.runningVar', 'body.1.numBatchesTracked']);
  });

  it('keeps field order between own parameters and submodules', () => {
    class Scaled extends Module {
      readonly gain = new Parameter(ones([1]));
      readonly inner = new Linear(2, 2);
      readonly shift = new Parameter(ones([1]));
      forward(x: Tensor): Tensor {
        return this.inner.call(x.mul(this.gain)).add(this.shift);
      }
    }
    expect(new Scaled().namedParameters().map(([n]) => n)).toEqual(['gain', 'inner.weight', 'inner.bias', 'shift']);
  });

  it('lists a shared parameter once', () => {
    const shared = new Linear(3, 3);
    const model = new Sequential(shared, new ReLU(), shared);
    expect(model.parameters()).toHaveLength(2);
    expect(model.numParameters()).toBe(12);
  });

  it('lists modules parents first, and train()/eval() set every submodule', () => {
    const net = new Net();
    expect(net.modules().map((m) => m.constructor.name)).toEqual([
      'Net', 'Sequential', 'Linear', 'BatchNorm1d', 'ReLU', 'Dropout', 'Linear',
    ]);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'body', 'body.0', 'body.1', 'body.2', 'body.3', 'head']);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.body.train();
    expect(net.training).toBe(false);
    expect(net.body.modules().every((m) => m.training)).toBe(true);
  });

  it('zeroGrad clears every gradient', () => {
    const m = new MLP();
    m.call(tensor([[1, 2, 3, 4]])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('call is forward', () => {
    const m = new MLP();
    const x = tensor([[1, -2, 3, 0.5]]);
    assertClose(m.call(x), m.forward(x), { atol: 0, rtol: 0 });
  });
});

describe('Module state dicts', () => {
  it('round-trip through JSON and restore parameters and buffers in place', () => {
    const a = new Net();
    a.call(tensor([[1, 2], [3, 5], [0, 1]]));
    const json = JSON.stringify(a.stateDict());
    const b = new Net();
    const weightBefore = b.head.weight;
    b.loadStateDict(JSON.parse(json));
    expect(b.head.weight).toBe(weightBefore);
    for (const [name, t] of a.namedParameters()) {
      const other = b.namedParameters().find(([n]) => n === name);
      assertClose(other?.[1] ?? tensor(0), t, { atol: 0, rtol: 0 });
    }
    const bn = b.body.at(1) as BatchNorm1d;
    assertClose(bn.runningMean as Tensor, (a.body.at(1) as BatchNorm1d).runningMean as Tensor, { atol: 0, rtol: 0 });
    expect((bn.numBatchesTracked as Tensor).item()).toBe(1);
  });

  it('state entries are plain data', () => {
    const s = new Linear(2, 3).stateDict();
    expect(Object.keys(s)).toEqual(['weight', 'bias']);
    expect(s.weight.shape).toEqual([2, 3]);
    expect(s.weight.dtype).toBe('float32');
    expect(Array.isArray(s.weight.data)).toBe(true);
  });

  it('names missing and unexpected keys, and mismatched shapes', () => {
    const s = new Linear(2, 3).stateDict();
    const { bias, ...noBias } = s;
    expect(() => new Linear(2, 3).loadStateDict(noBias)).toThrow('Linear.loadStateDict: missing keys [bias]');
    expect(() => new Linear(2, 3).loadStateDict({ ...s, extra: bias })).toThrow('unexpected keys [extra]');
    expect(() => new Linear(2, 3).loadStateDict(noBias, { strict: false })).not.toThrow();
    expect(() => new Linear(3, 3).loadStateDict(s)).toThrow("Linear.loadStateDict: 'weight' has shape [3, 3] but the state holds [2, 3]");
  });

  it('names a malformed entry instead of failing inside it, and changes nothing then', () => {
    const layer = new Linear(2, 3);
    const before = Array.from(layer.weight.data);
    const s = layer.stateDict();
    const broken = (entry: unknown): StateDict => ({ ...s, bias: entry as TensorState });
    const rule = "Linear.loadStateDict: 'bias' must be {shape, dtype, data} with arrays of numbers, as stateDict() writes it, got";
    expect(() => layer.loadStateDict(broken(null))).toThrow(`${rule} null`);
    expect(() => layer.loadStateDict(broken({ shape: [3], dtype: 'float32' }))).toThrow(`${rule} Object`);
    expect(() => layer.loadStateDict(broken({ shape: [3], dtype: 'float32', data: ['1', '2', '3'] }))).toThrow(rule);
    expect(Array.from(layer.weight.data)).toEqual(before);
  });

  it('reads back NaN weights, which JSON writes as null', () => {
    const layer = new Linear(1, 2);
    layer.bias?.data.set([NaN, 1]);
    const restored = new Linear(1, 2);
    restored.loadStateDict(JSON.parse(JSON.stringify(layer.stateDict())));
    expect(Array.from(restored.bias?.data ?? [])).toEqual([NaN, 1]);
  });
});

describe('Module summary', () => {
  it('prints the tree with parameter counts and totals', () => {
    const model = new Sequential(new Linear(784, 100), new ReLU(), new Linear(100, 10, { bias: false }));
    expect(model.summary()).toBe(
      [
        'Sequential(',
        '  (0): Linear(784 → 100, bias=true)  # 78,500 params',
        '  (1): ReLU()',
        '  (2): Linear(100 → 10, bias=false)  # 1,000 params',
        ')  # 79,500 params',
        'Total: 79,500 parameters (79,500 trainable)',
      ].join('\n'),
    );
    expect(String(model)).toBe(model.summary());
  });

  it('prints no totals for a module without parameters', () => {
    expect(new ReLU().summary()).toBe('ReLU()');
  });

  it('counts frozen parameters apart', () => {
    const model = new Linear(3, 2);
    model.weight.requiresGrad = false;
    expect(model.summary()).toMatch(/Total: 8 parameters \(2 trainable\)$/);
  });
});

describe('buffers', () => {
  it('must be tensors that are not parameters', () => {
    class Bad extends Module {
      readonly w = new Parameter(ones([1]));
      readonly n = 3;
      constructor(which: string) {
        super();
        this.registerBuffer(which);
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Bad('n')).toThrow("Bad.registerBuffer: field 'n' must hold a Tensor, got number");
    expect(() => new Bad('w')).toThrow("field 'w' is a Parameter");
  });
});
