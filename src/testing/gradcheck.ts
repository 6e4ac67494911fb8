/**
 * `gradcheck`: compares autograd's gradients with central differences in float64. The output is
 * contracted with a fixed random tensor rather than summed, so a wrong gradient cannot hide behind
 * symmetric errors that a plain sum would cancel.
 */
import { backward } from '../autograd/backward';
import { noGrad } from '../autograd/gradMode';
import { Tensor } from '../autograd/tensor';
import { allocate } from '../tensor/dtype';
import { formatShape } from '../tensor/shape';
import { Generator } from '../tensor/random';

/** Options of gradcheck: finite-difference step and tolerances. */
export interface GradcheckOptions {
  readonly eps?: number;
  readonly atol?: number;
  readonly rtol?: number;
  readonly seed?: number;
}

function contract(y: Tensor, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += y.data[i] * w[i];
  return s;
}

/**
 * Checks d<w, fn(inputs)>/d input for every input that requires grad; inputs must be float64.
 * Returns true or throws an error naming the input, the element and both values.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`gradcheck: inputs[${i}] must be a Tensor`);
    if (t.dtype !== 'float64') throw new TypeError(`gradcheck: inputs[${i}] must be float64 for finite differences, got ${t.dtype}`);
  });
  const leaves = inputs.map((t) => new Tensor(t.data, t.shape, t.requiresGrad));
  const y = fn(...leaves);
  if (!(y instanceof Tensor)) throw new TypeError('gradcheck: fn must return a Tensor');
  const g = new Generator(options.seed ?? 1234);
  const w = new Float64Array(y.size);
  for (let i = 0; i < w.length; i++) w[i] = g.normal();
  if (!y.requiresGrad) throw new Error('gradcheck: the output does not require grad (no input has requiresGrad: true?)');
  const wt = new Tensor(allocate('float64', y.size), y.shape);
  wt.data.set(w);
  backward(y, y.dtype === 'float64' ? wt : new Tensor(Float32Array.from(w), y.shape));
  leaves.forEach((leaf, i) => {
    if (!leaf.requiresGrad) return;
    const analytic = leaf.grad?.data ?? new Float64Array(leaf.size);
    const data = leaf.data;
    for (let j = 0; j < data.length; j++) {
      const orig = data[j];
      const f = (v: number): number => {
        data[j] = v;
        const out = noGrad(() => fn(...leaves.map((l) => new Tensor(l.data, l.shape))));
        return contract(out, w);
      };
      const numeric = (f(orig + eps) - f(orig - eps)) / (2 * eps);
      data[j] = orig;
      const a = analytic[j];
      // Infinite values agree only when equal (an infinite tolerance would accept anything).
      const agree = a === numeric || (Number.isFinite(a) && Number.isFinite(numeric) && Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric));
      if (!agree) {
        throw new Error(
          `gradcheck: gradient of input ${i} (shape ${formatShape(leaf.shape)}) is wrong at element ${j}: ` +
            `autograd ${a}, finite differences ${numeric}`,
        );
      }
    }
  });
  return true;
}
