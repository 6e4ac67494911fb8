'use strict';
// The numpy + OpenBLAS peer: bench/numpy_peer.py in a child python3 on one BLAS thread.
const path = require('path');
const { findPython, startPythonPeer } = require('./python');

/** Starts the peer, or returns the reason it cannot run (no python3, no numpy). */
async function startNumpy() {
  const python = findPython(['python3'], 'numpy');
  if (python === null) return { error: 'python3 not found, or it has no numpy' };
  const env = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  return startPythonPeer(python, path.join(__dirname, '..', 'numpy_peer.py'), env);
}

module.exports = { startNumpy };
