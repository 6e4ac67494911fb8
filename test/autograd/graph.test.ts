import { describe, expect, it } from 'vitest';
import { Tensor, backward, detectAnomaly, enableGrad, isGradEnabled, noGrad, tensor, zeros } from '../../src/index';
import { fromOp } from '../../src/autograd/record';
import { emptyTensor } from '../../src/autograd/tensor';

describe('Tensor bookkeeping', () => {
  it('checks that the data fits the shape, and freezes a copy of the shape', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow('Tensor: 5 elements do not fit shape [2, 3] (needs 6)');
    const shape = [2, 2];
    const t = new Tensor(new Float64Array(4), shape);
    shape[0] = 9;
    expect(t.shape).toEqual([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect([t.dtype, t.size, t.ndim, t.isLeaf, t.requiresGrad, t.grad]).toEqual(['float64', 4, 2, true, false, null]);
  });

  it('item() reads a one-element tensor of any rank and names the shape otherwise', () => {
    expect(tensor([[2.5]]).item()).toBe(2.5);
    expect(() => tensor([1, 2]).item()).toThrow('item: only a one-element tensor converts to a number, got shape [2]');
  });

  it('toArray() nests by axis, and gives a number for a scalar', () => {
    expect(tensor(3).toArray()).toBe(3);
    expect(tensor([[[1, 2], [3, 4], [5, 6]]]).toArray()).toEqual([[[1, 2], [3, 4], [5, 6]]]);
    expect(emptyTensor([2, 0], 'float32').toArray()).toEqual([[], []]);
  });

  it('emptyTensor is a zero-filled leaf of the shape and dtype', () => {
    const t = emptyTensor([2, 3], 'float64');
    expect([t.dtype, t.shape, Array.from(t.data), t.isLeaf]).toEqual(['float64', [2, 3], [0, 0, 0, 0, 0, 0], true]);
  });

  it('detach shares the data but not the graph; requiresGrad_ sets the flag on leaves only', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect([d.requiresGrad, d.isLeaf, d.data === y.data]).toEqual([false, true, true]);
    expect(() => y.requiresGrad_(false)).toThrow('requiresGrad_: cannot turn off gradients of a non-leaf tensor; use detach()');
    expect(y.requiresGrad_(true)).toBe(y);
    const leaf = tensor([1]);
    expect(leaf.requiresGrad_().requiresGrad).toBe(true);
    expect(leaf.requiresGrad_(false).requiresGrad).toBe(false);
  });

  it('prints like PyTorch through toString and console.log', () => {
    const t = tensor([1, 2]);
    expect(t.toString()).toBe('tensor([1., 2.])');
    const inspect = (t as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')];
    expect(inspect.call(t)).toBe('tensor([1., 2.])');
  });
});

describe('recording', () => {
  it('records a node only when grad mode is on and an input requires grad', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([2]);
    const back = (): Tensor[] => [];
    const both = fromOp('op', new Float32Array(1), [1], [b, a], back);
    expect([both.requiresGrad, both.gradNode?.op, both.gradNode?.inputs]).toEqual([true, 'op', [b, a]]);
    const none = fromOp('op', new Float32Array(1), [1], [b], back);
    expect([none.requiresGrad, none.gradNode]).toEqual([false, null]);
    const off = noGrad(() => fromOp('op', new Float32Array(1), [1], [a], back));
    expect([off.requiresGrad, off.gradNode]).toEqual([false, null]);
  });

  it('grad modes nest and restore the previous mode, also after a throw', () => {
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      enableGrad(() => expect(isGradEnabled()).toBe(true));
      expect(() => enableGrad(() => { throw new Error('inner'); })).toThrow('inner');
      expect(isGradEnabled()).toBe(false);
    });
    expect(enableGrad(() => 7)).toBe(7);
    expect(noGrad(() => 'x')).toBe('x');
    expect(isGradEnabled()).toBe(true);
  });
});

describe('backward through the graph', () => {
  it('keeps the gradient of a non-leaf tensor that asked for it with retainGrad, and accumulates it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    const other = x.mul(5);
    h.mul(h).sum().backward();
    expect(h.grad?.toArray()).toEqual([6, 12]); // d(h²)/dh = 2h = [6, 12]
    expect(other.grad).toBeNull();
    expect(x.grad?.toArray()).toEqual([18, 36]); // dh/dx = 3
  });

  it('gives leaves a gradient of their own, never the seed or a buffer shared with another tensor', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seed = tensor([3, 4]);
    x.backward(seed);
    expect(x.grad?.toArray()).toEqual([3, 4]);
    expect(x.grad?.data).not.toBe(seed.data);
    x.grad?.data.fill(0);
    expect(seed.toArray()).toEqual([3, 4]);
    // A tensor used by three ops gets the sum, and the sum does not write into any op's gradient.
    const y = tensor([1, 1], { requiresGrad: true });
    const keep = tensor([1, 1]);
    const outs = [y.add(keep), y.mul(2), y.sub(0)];
    outs[0].add(outs[1]).add(outs[2]).sum().backward();
    expect(y.grad?.toArray()).toEqual([4, 4]);
  });

  it('checks the upstream gradient: dtype and shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward(tensor([1, 1], { dtype: 'float64' }))).toThrow(
      'backward: gradient dtype float64 does not match output dtype float32',
    );
    expect(() => backward(x.mul(2), tensor([[1, 1]]))).toThrow('backward: gradient shape [1, 2] does not match output shape [2]');
  });

  it("names the op whose backward returns a gradient of the wrong shape", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const bad = fromOp('badOp', new Float32Array(1), [], [x], () => [zeros([2])]);
    expect(() => bad.backward()).toThrow("backward: 'badOp' produced a gradient of shape [2] for an input of shape [3]");
  });

  it('skips inputs that need no gradient and inputs whose gradient is null', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([5, 5]);
    let calls = 0;
    const y = fromOp('pick', new Float32Array(1), [], [c, x], (g) => {
      calls++;
      return [tensor([9, 9]), null];
    });
    y.backward();
    expect(calls).toBe(1);
    expect(c.grad).toBeNull();
    expect(x.grad).toBeNull();
  });

  it('visits each node once even when reached by many paths, inputs before users', () => {
    const x = tensor(1, { requiresGrad: true });
    let calls = 0;
    const shared = fromOp('shared', new Float32Array([1]), [], [x], (g) => {
      calls++;
      return [g];
    });
    let y = shared;
    for (let i = 0; i < 5; i++) y = y.add(shared);
    y.backward();
    expect(calls).toBe(1);
    expect(x.grad?.item()).toBe(6);
  });

  it('detectAnomaly stays off outside its scope and names the element with NaN', () => {
    const x = tensor([1, -1, 4], { requiresGrad: true });
    expect(() => detectAnomaly(() => x.sqrt().sum().backward(undefined, { retainGraph: true }))).toThrow(
      "detectAnomaly: the backward of 'sqrt' returned NaN in the gradient of its input 0 (element 1)",
    );
    const z = tensor([-1], { requiresGrad: true });
    z.sqrt().sum().backward();
    expect(Number.isNaN(z.grad?.item())).toBe(true);
  });
});
