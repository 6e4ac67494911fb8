/** Conformance kinds of the tensor core: elementwise, matmul, reductions and movement ops. */
import { Tensor } from '../../autograd/tensor';
import * as ew from '../../ops/elementwise';
import { matmul } from '../../ops/matmul';
import { broadcastTo, permute, reshape, transpose } from '../../ops/movement';
import { logsumexp, max, mean, sum, variance, type Axis } from '../../ops/reduce';
import { UnsupportedError, type CaseContext, type KindResult, type KindRunner } from '../kind';

/** y = f(inputs...), then backward with the upstream `gy`; grads of the named inputs. */
function withUpstream(c: CaseContext, names: readonly string[], f: (...xs: Tensor[]) => Tensor): KindResult {
  const xs = names.map((n) => c.input(n, true));
  const y = f(...xs);
  const gy = c.has('gy') ? c.input('gy') : undefined;
  y.backward(gy === undefined ? undefined : reshape(gy, y.shape));
  const grads: Record<string, Tensor | null> = {};
  names.forEach((n, i) => (grads[n] = xs[i].grad));
  return { outputs: { y }, grads };
}

const unaryOps: Record<string, (x: Tensor) => Tensor> = {
  exp: ew.exp, log: ew.log, tanh: ew.tanh, sigmoid: ew.sigmoid, relu: ew.relu, sqrt: ew.sqrt, neg: ew.neg, abs: ew.abs,
};

const binaryOps: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: ew.add, sub: ew.sub, mul: ew.mul, div: ew.div, maximum: ew.maximum, minimum: ew.minimum,
};

function lookup<T>(table: Record<string, T>, c: CaseContext): T {
  const op = c.string('op');
  const f = Object.prototype.hasOwnProperty.call(table, op) ? table[op] : undefined;
  if (f === undefined) throw new UnsupportedError(`kind '${c.kind}' has no op '${op}'`);
  return f;
}

function axisParam(c: CaseContext): Axis {
  const a = c.param('axis');
  if (a === null || a === undefined) return null;
  if (typeof a === 'number') return a;
  if (Array.isArray(a) && a.every((v) => typeof v === 'number')) return a as number[];
  throw new Error(`param 'axis' must be null, a number or a list, got ${JSON.stringify(a)}`);
}

const reductions: Record<string, (x: Tensor, axis: Axis, keepdim: boolean) => Tensor> = {
  sum, mean, max, logsumexp,
  var: (x, axis, keepdim) => variance(x, axis, { unbiased: true, keepdim }),
  var_biased: (x, axis, keepdim) => variance(x, axis, { unbiased: false, keepdim }),
};

/** The core kinds by name. */
export const coreKinds: Record<string, KindRunner> = {
  unary: (c) => {
    c.checkParams(['op']);
    return withUpstream(c, ['x'], lookup(unaryOps, c));
  },
  binary: (c) => {
    c.checkParams(['op']);
    return withUpstream(c, ['a', 'b'], lookup(binaryOps, c));
  },
  pow: (c) => {
    c.checkParams(['exponent']);
    const e = c.number('exponent');
    return withUpstream(c, ['x'], (x) => ew.pow(x, e));
  },
  matmul: (c) => {
    c.checkParams([]);
    return withUpstream(c, ['a', 'b'], matmul);
  },
  reduce: (c) => {
    c.checkParams(['op', 'axis', 'keepdim']);
    const f = lookup(reductions, c);
    const axis = axisParam(c);
    const keepdim = c.boolean('keepdim');
    return withUpstream(c, ['x'], (x) => f(x, axis, keepdim));
  },
  reshape: (c) => {
    c.checkParams(['shape']);
    const shape = c.numbers('shape');
    return withUpstream(c, ['x'], (x) => reshape(x, shape));
  },
  permute: (c) => {
    c.checkParams(['axes']);
    const axes = c.numbers('axes');
    return withUpstream(c, ['x'], (x) => permute(x, axes));
  },
  broadcast_to: (c) => {
    c.checkParams(['shape']);
    const shape = c.numbers('shape');
    return withUpstream(c, ['x'], (x) => broadcastTo(x, shape));
  },
  transpose: (c) => {
    c.checkParams(['axes', 'dim0', 'dim1']);
    const d0 = c.number('dim0', -2);
    const d1 = c.number('dim1', -1);
    if (c.param('axes') !== undefined) return withUpstream(c, ['x'], (x) => permute(x, c.numbers('axes')));
    return withUpstream(c, ['x'], (x) => transpose(x, d0, d1));
  },
};
