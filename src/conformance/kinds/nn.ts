/**
 * Conformance kinds of the nn layer: cross-entropy, log-softmax, mse, layernorm, batchnorm1d and the
 * MLP. PyTorch option names are mapped to gradlab's; any other option fails the case.
 */
import { noGrad } from '../../autograd/gradMode';
import { Tensor } from '../../autograd/tensor';
import { clone, reshape, transpose } from '../../ops/movement';
import { logSoftmax } from '../../nn/functional/activations';
import { crossEntropy, mseLoss } from '../../nn/functional/losses';
import { ReLU } from '../../nn/activations';
import { Sequential } from '../../nn/containers';
import { Linear } from '../../nn/linear';
import { BatchNorm1d, LayerNorm } from '../../nn/normalization';
import { UnsupportedError, type CaseContext, type KindResult, type KindRunner } from '../kind';

function copyInto(target: Tensor, source: Tensor, what: string): void {
  if (target.size !== source.size) throw new Error(`${what}: expected ${target.size} values, the case gives ${source.size}`);
  target.data.set(source.data);
}

/** Running statistics record their values at this point; a layer without them records nothing. */
function recordStats(outputs: Record<string, Tensor>, bn: BatchNorm1d, step: number): void {
  const snapshot = (t: Tensor): Tensor => noGrad(() => clone(t.detach()));
  if (bn.runningMean !== null) outputs[`running_mean${step}`] = snapshot(bn.runningMean);
  if (bn.runningVar !== null) outputs[`running_var${step}`] = snapshot(bn.runningVar);
}

function layernormCase(c: CaseContext): KindResult {
  c.checkParams(['dim', 'eps', 'normalized_shape', 'elementwise_affine', 'bias']);
  const x = c.input('x', true);
  const dim = c.param('normalized_shape') ?? c.param('dim');
  let shape: number[];
  if (typeof dim === 'number') shape = [dim];
  else if (Array.isArray(dim) && dim.every((d) => typeof d === 'number')) shape = dim as number[];
  else shape = [x.shape[x.ndim - 1]];
  const ln = new LayerNorm(shape, {
    eps: c.number('eps', 1e-5), elementwiseAffine: c.boolean('elementwise_affine', c.has('weight')), bias: c.boolean('bias', true), dtype: c.dtype,
  });
  if (ln.weight !== null && c.has('weight')) copyInto(ln.weight, c.input('weight'), 'weight');
  if (ln.bias !== null && c.has('bias')) copyInto(ln.bias, c.input('bias'), 'bias');
  const y = ln.forward(x);
  y.backward(c.has('gy') ? reshape(c.input('gy'), y.shape) : undefined);
  return { outputs: { y }, grads: { x: x.grad, weight: ln.weight?.grad ?? null, bias: ln.bias?.grad ?? null } };
}

function batchnormCase(c: CaseContext): KindResult {
  c.checkParams(['dim', 'num_features', 'eps', 'momentum', 'affine', 'track_running_stats']);
  const x1 = c.input('x1', true);
  const features = c.number('num_features', c.number('dim', x1.shape[1]));
  const m = c.param('momentum');
  if (m !== undefined && m !== null && typeof m !== 'number') throw new Error(`param 'momentum' must be a number or null, got ${JSON.stringify(m)}`);
  const affine = c.boolean('affine', c.has('weight'));
  const bn = new BatchNorm1d(features, {
    eps: c.number('eps', 1e-5), momentum: m === undefined ? 0.1 : m, affine, trackRunningStats: c.boolean('track_running_stats', true), dtype: c.dtype,
  });
  if (bn.weight !== null && c.has('weight')) copyInto(bn.weight, c.input('weight'), 'weight');
  if (bn.bias !== null && c.has('bias')) copyInto(bn.bias, c.input('bias'), 'bias');
  const outputs: Record<string, Tensor> = {};
  bn.train();
  const y1 = bn.forward(x1);
  y1.backward(c.has('gy1') ? reshape(c.input('gy1'), y1.shape) : undefined);
  outputs.y1 = y1;
  recordStats(outputs, bn, 1);
  if (c.has('x2')) {
    outputs.y2 = noGrad(() => bn.forward(c.input('x2')));
    recordStats(outputs, bn, 2);
  }
  if (c.has('x3')) {
    bn.eval();
    outputs.y3_eval = noGrad(() => bn.forward(c.input('x3')));
  }
  return { outputs, grads: { x1: x1.grad, weight: bn.weight?.grad ?? null, bias: bn.bias?.grad ?? null } };
}

function mlpCase(c: CaseContext): KindResult {
  c.checkParams(['note', 'label_smoothing']);
  // Layers w1, b1, w2, b2, ... with ReLU between them. The case's weights are PyTorch's [out, in];
  // gradlab's Linear stores [in, out], so they are transposed in and the gradients transposed out.
  const layers: Linear[] = [];
  for (let k = 1; c.has(`w${k}`); k++) {
    const w = c.input(`w${k}`);
    const layer = new Linear(w.shape[1], w.shape[0], { dtype: c.dtype, bias: c.has(`b${k}`) });
    copyInto(layer.weight, transpose(w), `w${k}`);
    if (layer.bias !== null) copyInto(layer.bias, c.input(`b${k}`), `b${k}`);
    layers.push(layer);
  }
  if (layers.length === 0) throw new Error('mlp: the case has no weights w1, w2, ...');
  const modules = layers.flatMap((layer, i) => (i === 0 ? [layer] : [new ReLU(), layer]));
  const model = new Sequential(...modules);
  const loss = crossEntropy(model.forward(c.input('x')), c.input('labels'), { labelSmoothing: c.number('label_smoothing', 0) });
  loss.backward();
  const grads: Record<string, Tensor | null> = {};
  layers.forEach((layer, i) => {
    grads[`w${i + 1}`] = layer.weight.grad === null ? null : transpose(layer.weight.grad);
    if (layer.bias !== null) grads[`b${i + 1}`] = layer.bias.grad;
  });
  return { outputs: { loss }, grads };
}

/** The nn kinds by name. */
export const nnKinds: Record<string, KindRunner> = {
  cross_entropy: (c) => {
    c.checkParams(['label_smoothing', 'reduction']);
    const reduction = c.param('reduction') ?? 'mean';
    if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new UnsupportedError(`reduction ${JSON.stringify(reduction)}`);
    const logits = c.input('logits', true);
    const loss = crossEntropy(logits, c.input('labels'), { labelSmoothing: c.number('label_smoothing', 0), reduction });
    loss.backward(c.has('gy') ? reshape(c.input('gy'), loss.shape) : undefined);
    return { outputs: { loss }, grads: { logits: logits.grad } };
  },
  log_softmax: (c) => {
    c.checkParams(['axis', 'dim']);
    const axis = c.number('axis', c.number('dim', -1));
    const x = c.input('x', true);
    const y = logSoftmax(x, axis);
    if (Object.keys(c.spec.grads).length > 0) y.backward(c.has('gy') ? reshape(c.input('gy'), y.shape) : undefined);
    return { outputs: { y }, grads: { x: x.grad } };
  },
  mse: (c) => {
    c.checkParams(['reduction']);
    const reduction = c.param('reduction') ?? 'mean';
    if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new UnsupportedError(`reduction ${JSON.stringify(reduction)}`);
    const x = c.input('x', true);
    const loss = mseLoss(x, c.input('target'), { reduction });
    loss.backward(c.has('gy') ? reshape(c.input('gy'), loss.shape) : undefined);
    return { outputs: { loss }, grads: { x: x.grad } };
  },
  layernorm: layernormCase,
  batchnorm1d: batchnormCase,
  mlp: mlpCase,
};
