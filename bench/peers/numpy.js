'use strict';
// The numpy + OpenBLAS peer: bench/numpy_peer.py in a child python3 on one BLAS thread, driven line by
// line so that its runs interleave with the JavaScript peers' runs.
const { spawn, spawnSync } = require('child_process');
const path = require('path');
const readline = require('readline');

/** Starts the peer, or returns the reason it cannot run (no python3, no numpy). */
async function startNumpy() {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error) return { error: `python3 not found (${probe.error.code})` };
  if (probe.status !== 0) return { error: 'python3 has no numpy' };
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const child = spawn('python3', [path.join(__dirname, '..', 'numpy_peer.py')], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => {
    const resolve = waiting.shift();
    if (resolve) resolve(JSON.parse(line));
  });
  child.on('exit', () => {
    while (waiting.length > 0) waiting.shift()({ error: 'numpy peer exited' });
  });
  const ask = (cmd) =>
    new Promise((resolve) => {
      waiting.push(resolve);
      child.stdin.write(JSON.stringify(cmd) + '\n');
    });
  const info = await ask({ cmd: 'info' });
  return { ask, info, stop: () => child.stdin.end() };
}

module.exports = { startNumpy };
