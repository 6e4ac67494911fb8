'use strict';
// The gradlab peer: matmul and training steps through the public API (dist/), with the kernel
// backend ('wasm' or 'ts') and thread count chosen per variant just before each timed run.
const gl = require('../../dist/index.js');

/** A variant of the peer: which kernels and how many threads. */
function variant(backend, threads) {
  return () => {
    gl.setKernelBackend(backend);
    gl.setKernelThreads(threads);
  };
}

/** (m x k) @ (k x n) in float32, outside autograd. */
function matmulJob(m, k, n, seed) {
  const gen = new gl.Generator(seed);
  const a = gl.randn([m, k], { generator: gen });
  const b = gl.randn([k, n], { generator: gen });
  return () => gl.noGrad(() => gl.matmul(a, b));
}

/**
 * One training step as a student writes it: a Sequential of Linear layers (Kaiming-normal weights,
 * zero biases), each hidden one followed by the normalization layer if any ('batchnorm' or
 * 'layernorm'), ReLU and Dropout(p) if p > 0; crossEntropy on integer labels; backward; SGD step.
 */
function modelJob(sizes, x, labels, seed, options = {}, lr = 0.01) {
  const gen = new gl.Generator(seed);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const linear = new gl.Linear(sizes[i], sizes[i + 1], { generator: gen });
    gl.noGrad(() => {
      gl.init.kaimingNormal(linear.weight, { generator: gen });
      linear.bias.data.fill(0);
    });
    layers.push(linear);
    if (i + 2 < sizes.length) {
      if (options.norm === 'batchnorm') layers.push(new gl.BatchNorm1d(sizes[i + 1]));
      else if (options.norm === 'layernorm') layers.push(new gl.LayerNorm(sizes[i + 1]));
      layers.push(new gl.ReLU());
      if (options.dropout) layers.push(new gl.Dropout(options.dropout, { generator: gen }));
    }
  }
  const model = new gl.Sequential(...layers);
  model.train();
  const opt = new gl.SGD(model.parameters(), { lr });
  return () => {
    opt.zeroGrad();
    const loss = gl.crossEntropy(model.call(x), labels);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

module.exports = { gl, variant, matmulJob, modelJob };
