/**
 * Fused normalization primitives: layer norm per row and batch norm per channel, each one op with
 * its backward beside it (the kernels are in tensor/kernels/normalizationTs). They compute exactly
 * what their compositions of sub, mean, mul, sqrt, div and add compute; the tests hold them to it.
 * Argument checks that name the public function live in nn/functional/normalization.
 */
import { fromOp } from '../autograd/record';
import { Tensor } from '../autograd/tensor';
import { allocate, type DataArray } from '../tensor/dtype';
import { normalizationKernels } from '../tensor/kernels/normalization';

function checkDtype(t: Tensor | null, x: Tensor, op: string, name: string): DataArray | null {
  if (t === null) return null;
  if (t.dtype !== x.dtype) throw new TypeError(`${op}: ${name} is ${t.dtype} but the input is ${x.dtype}; convert one with .astype('${x.dtype}')`);
  return t.data;
}

/** The graph inputs of a fused op: x, then γ and β where given. */
function graphInputs(x: Tensor, weight: Tensor | null, bias: Tensor | null): Tensor[] {
  const inputs = [x];
  if (weight !== null) inputs.push(weight);
  if (bias !== null) inputs.push(bias);
  return inputs;
}

/** A zeroed gradient buffer for `t` if it needs one. */
function gradBuffer(t: Tensor | null): Tensor | null {
  return t !== null && t.requiresGrad ? new Tensor(allocate(t.dtype, t.size), t.shape) : null;
}

/** The gradients in the order of `graphInputs`. */
function gradsFor(gx: Tensor | null, weight: Tensor | null, gw: Tensor | null, bias: Tensor | null, gb: Tensor | null): (Tensor | null)[] {
  const grads = [gx];
  if (weight !== null) grads.push(gw);
  if (bias !== null) grads.push(gb);
  return grads;
}

/**
 * Layer norm of x over its last `d` elements (d divides x.size): y = (x - μ) / sqrt(σ² + eps) · γ + β
 * per row of d, biased σ²; γ and β (d elements each, either may be null) apply per position.
 */
export function layerNormRows(x: Tensor, d: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const w = checkDtype(weight, x, 'layerNorm', 'weight');
  const b = checkDtype(bias, x, 'layerNorm', 'bias');
  const rows = d === 0 ? 0 : x.size / d;
  const k = normalizationKernels();
  const mean = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  const y = allocate(x.dtype, x.size);
  k.layerNormForward(x.data, rows, d, eps, w, b, y, mean, rstd);
  return fromOp('layerNorm', y, x.shape, graphInputs(x, weight, bias), (g) => {
    const gx = gradBuffer(x);
    const gw = gradBuffer(weight);
    const gb = gradBuffer(bias);
    normalizationKernels().layerNormBackward(g.data, x.data, rows, d, mean, rstd, w, gx && gx.data, gw && gw.data, gb && gb.data);
    return gradsFor(gx, weight, gw, bias, gb);
  });
}

/** Per-channel statistics of a batch: mean and biased variance, in float64. */
export interface ChannelMoments {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/** The mean and biased variance of each channel of x [N, C] or [N, C, L] (over N, or N and L); not differentiable. */
export function channelMoments(x: Tensor): ChannelMoments {
  const [n, c, l] = [x.shape[0], x.shape[1], x.ndim === 3 ? x.shape[2] : 1];
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  normalizationKernels().channelMoments(x.data, n, c, l, mean, variance);
  return { mean, variance };
}

/**
 * Batch norm of x [N, C] or [N, C, L] per channel: y = (x - μ_c) / sqrt(σ²_c + eps) · γ_c + β_c with
 * the given moments. With `batchStats` the moments are x's own (from `channelMoments(x)`) and the
 * gradient flows through them, as through the composition's mean and variance; without, they are
 * constants (running statistics) and only the scaling reaches x.
 */
export function batchNormChannels(
  x: Tensor, moments: ChannelMoments, batchStats: boolean, weight: Tensor | null, bias: Tensor | null, eps: number,
): Tensor {
  const w = checkDtype(weight, x, 'batchNorm', 'weight');
  const b = checkDtype(bias, x, 'batchNorm', 'bias');
  const [n, c, l] = [x.shape[0], x.shape[1], x.ndim === 3 ? x.shape[2] : 1];
  const { mean, variance } = moments;
  const rstd = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) rstd[ch] = 1 / Math.sqrt(variance[ch] + eps);
  const y = allocate(x.dtype, x.size);
  normalizationKernels().batchNormForward(x.data, n, c, l, mean, rstd, w, b, y);
  return fromOp('batchNorm', y, x.shape, graphInputs(x, weight, bias), (g) => {
    const gx = gradBuffer(x);
    const gw = gradBuffer(weight);
    const gb = gradBuffer(bias);
    normalizationKernels().batchNormBackward(g.data, x.data, n, c, l, mean, rstd, w, batchStats, gx && gx.data, gw && gw.data, gb && gb.data);
    return gradsFor(gx, weight, gw, bias, gb);
  });
}
