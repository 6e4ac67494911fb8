'use strict';
// The gradlab peer: matmul and MLP training steps through the public API (dist/), with the kernel
// backend ('wasm' or 'ts') and thread count chosen per variant just before each timed run.
const gl = require('../../dist/index.js');

/** Kaiming-normal weights [fanIn, fanOut] and zero biases, as leaves that require grad. */
function mlpParams(sizes, gen) {
  const params = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const w = gl.randn([sizes[i], sizes[i + 1]], { generator: gen }).mul(Math.sqrt(2 / sizes[i])).detach();
    w.requiresGrad_(true);
    const b = gl.zeros([sizes[i + 1]]);
    b.requiresGrad_(true);
    params.push(w, b);
  }
  return params;
}

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
 * One training step of a ReLU MLP: forward, cross-entropy composed from core ops
 * (mean of logsumexp(z) - z[y]), backward, and a plain SGD update of the parameters under noGrad.
 */
function mlpJob(sizes, x, onehot, seed, lr = 0.01) {
  const gen = new gl.Generator(seed);
  const params = mlpParams(sizes, gen);
  return () => {
    let h = x;
    for (let i = 0; i < params.length; i += 2) {
      h = h.matmul(params[i]).add(params[i + 1]);
      if (i + 2 < params.length) h = h.relu();
    }
    const loss = h.logsumexp(1).sub(h.mul(onehot).sum(1)).mean();
    loss.backward();
    gl.noGrad(() => {
      for (const p of params) {
        const g = p.grad;
        if (g === null) continue;
        const d = p.data;
        const gd = g.data;
        for (let i = 0; i < d.length; i++) d[i] -= lr * gd[i];
        p.zeroGrad();
      }
    });
    return loss.item();
  };
}

module.exports = { gl, variant, matmulJob, mlpJob };
