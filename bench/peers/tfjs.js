'use strict';
// The TensorFlow.js peers: the `cpu` backend and the `wasm` backend (XNNPACK, SIMD, one thread under
// Node), its .wasm files loaded from node_modules. Each job's tensors live on its own backend, and the
// runner switches the global backend before each timed run, so no data moves between backends.
const path = require('path');

let tf;

/** Loads tfjs-core with both backends; returns an error message instead of throwing. */
async function loadTfjs() {
  try {
    tf = require('@tensorflow/tfjs-core');
    // The gradients of tfjs's ops are registered by its ES-module build (shared global registry).
    const { register } = require('module');
    const { pathToFileURL } = require('url');
    register(pathToFileURL(path.join(__dirname, 'tfjsEsmHook.mjs')).href);
    await import(pathToFileURL(require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js')).href);
    require('@tensorflow/tfjs-backend-cpu');
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dir + path.sep);
    tf.env().set('IS_TEST', true); // silences the "install tfjs-node" banner of the cpu backend
    for (const b of ['wasm', 'cpu']) {
      if (!(await tf.setBackend(b))) return `tfjs backend '${b}' failed to initialise`;
      await tf.ready();
    }
    return null;
  } catch (err) {
    return `tfjs unavailable: ${err.message}`;
  }
}

/** Makes `backend` the active one (cheap once both are initialised). */
async function use(backend) {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

/** (m x k) @ (k x n) in float32 on `backend`. */
async function matmulJob(backend, m, k, n) {
  await use(backend);
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  return async () => {
    await use(backend);
    tf.matMul(a, b).dispose();
  };
}

/** One autograd training step of a ReLU MLP: the same maths as the gradlab peer, via optimizer.minimize. */
async function mlpJob(backend, sizes, xData, labels, lr = 0.01) {
  await use(backend);
  const batch = labels.length;
  const x = tf.tensor2d(xData, [batch, sizes[0]]);
  const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), sizes[sizes.length - 1]), 'float32');
  const vars = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    vars.push(tf.variable(tf.randomNormal([sizes[i], sizes[i + 1]], 0, Math.sqrt(2 / sizes[i]), 'float32', 3 + i)));
    vars.push(tf.variable(tf.zeros([sizes[i + 1]])));
  }
  const opt = tf.train.sgd(lr);
  const loss = () => {
    let h = x;
    for (let i = 0; i < vars.length; i += 2) {
      h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]);
      if (i + 2 < vars.length) h = tf.relu(h);
    }
    return tf.mean(tf.sub(tf.logSumExp(h, 1), tf.sum(tf.mul(h, onehot), 1)));
  };
  return async () => {
    await use(backend);
    const cost = opt.minimize(loss, true, vars);
    cost.dataSync();
    cost.dispose();
  };
}

function version() {
  return tf ? tf.version_core : 'unavailable';
}

module.exports = { loadTfjs, matmulJob, mlpJob, version };
