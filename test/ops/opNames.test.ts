import { describe, expect, it } from 'vitest';
import {
  add, astype, broadcastTo, cat, div, exp, indexSelect, layerNorm, batchNorm, log, matmul, max, mul, narrow, permute, pow, relu, reshape,
  sigmoid, sqrt, sum, tanh, tensor, where, type Tensor,
} from '../../src/index';

// Every primitive records its own name in the graph: that name is what a second backward through a
// released graph reports ("the graph through 'narrow' was already used").
describe('graph nodes name their op', () => {
  const x = (): Tensor => tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const cases: [string, () => Tensor][] = [
    ['reshape', () => reshape(x(), [4])],
    ['permute', () => permute(x(), [1, 0])],
    ['broadcastTo', () => broadcastTo(tensor([1, 2], { requiresGrad: true }), [2, 2])],
    ['astype', () => astype(x(), 'float64')],
    ['cat', () => cat([x(), x()])],
    ['narrow', () => narrow(x(), 0, 1, 1)],
    ['indexSelect', () => indexSelect(x(), 1, [0])],
    ['exp', () => exp(x())],
    ['log', () => log(x())],
    ['sqrt', () => sqrt(x())],
    ['tanh', () => tanh(x())],
    ['sigmoid', () => sigmoid(x())],
    ['relu', () => relu(x())],
    ['pow', () => pow(x(), 2)],
    ['add', () => add(x(), 1)],
    ['mul', () => mul(x(), 2)],
    ['div', () => div(x(), 2)],
    ['where', () => where(tensor([1, 0]), x(), 0)],
    ['sum', () => sum(x())],
    ['max', () => max(x())],
    ['matmul', () => matmul(x(), x())],
    ['layerNorm', () => layerNorm(x(), 2)],
    ['batchNorm', () => batchNorm(x(), null, null, { training: true })],
  ];

  it.each(cases)('%s', (name, make) => {
    const y = make();
    expect(y.gradNode?.op).toBe(name);
    y.sum().backward();
    expect(() => y.sum().backward()).toThrow(`backward: the graph through '${name}' was already used and released`);
  });
});
