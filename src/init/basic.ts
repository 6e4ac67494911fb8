/**
 * Filling a tensor in place with constants or seeded random draws (like `torch.nn.init.*_`). Every
 * function writes into `t.data` without recording a graph and returns `t`, so it works on parameters.
 */
import type { Tensor } from '../autograd/tensor';
import { defaultGenerator, type Generator } from '../tensor/random';

/** Options of random initializers: the generator to draw from (default: the default generator). */
export interface InitOptions {
  readonly generator?: Generator;
}

/** Fills `t` with draws from U(a, b): mean (a + b)/2, std (b - a)/√12. */
export function uniform(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a <= b)) throw new RangeError(`init.uniform: need finite a <= b, got a=${a}, b=${b}`);
  const g = options.generator ?? defaultGenerator();
  const d = t.data;
  const width = b - a;
  for (let i = 0; i < d.length; i++) d[i] = a + width * g.uniform();
  return t;
}

/** Fills `t` with draws from N(mean, std²). */
export function normal(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) throw new RangeError(`init.normal: need finite mean and std >= 0, got mean=${mean}, std=${std}`);
  const g = options.generator ?? defaultGenerator();
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  return t;
}

/** Fills `t` with `value`. */
export function constant(t: Tensor, value: number): Tensor {
  if (typeof value !== 'number') throw new TypeError(`init.constant: value must be a number, got ${typeof value}`);
  t.data.fill(value);
  return t;
}

/** Fills `t` with 0. */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** Fills `t` with 1. */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}
