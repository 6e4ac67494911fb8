'use strict';
// The PyTorch peer: bench/torch_peer.py on the CPU with a fixed number of threads, run by the
// project's .venv Python if it has torch, else by a python3 that has it. Nothing is installed here.
const path = require('path');
const { findPython, startPythonPeer } = require('./python');

const ROOT = path.join(__dirname, '..', '..');
const VENV_PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

/** How to get PyTorch for the bench, printed when it is missing. */
const INSTALL_HINT =
  'install it with `.venv/bin/pip install --retries 0 torch numpy` (the project\'s .venv, made by `npm run pretest`; ' +
  'a CPU wheel, about a minute) or `pip install torch` for python3';

/** A path inside the project relative to its root, anything else as given. */
const shortName = (p) => (p.startsWith(ROOT + path.sep) ? path.relative(ROOT, p) : p);

/** The Pythons searched for torch, in order: the project's .venv, then python3 on PATH. */
const PYTHONS = [VENV_PYTHON, 'python3'];

/** Starts a PyTorch peer on `threads` intra-op threads, or returns why it cannot run. */
async function startTorch(threads, pythons = PYTHONS) {
  const python = findPython(pythons, 'torch');
  if (python === null) return { error: `PyTorch not found in ${pythons.map(shortName).join(' or ')}; ${INSTALL_HINT}` };
  const n = String(threads);
  const env = { OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, TORCH_PEER_THREADS: n };
  const peer = await startPythonPeer(python, path.join(__dirname, '..', 'torch_peer.py'), env);
  if (!peer.error) peer.info.python_path = shortName(python);
  return peer;
}

module.exports = { startTorch, INSTALL_HINT };
