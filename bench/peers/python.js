'use strict';
// A Python peer of the bench: a script in a child Python process, driven one JSON line at a time so
// that its runs interleave with the JavaScript peers' runs. The script times its own runs.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const readline = require('readline');

/** The first interpreter of `candidates` (paths or names on PATH) that can import `module`, or null. */
function findPython(candidates, module) {
  for (const python of candidates) {
    if (python.includes('/') && !fs.existsSync(python)) continue;
    const probe = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return python;
  }
  return null;
}

/**
 * Starts `script` under `python` with `env` added to the environment. Returns `ask(cmd)`, which
 * sends one command and resolves with the script's one-line JSON reply, the reply to `info`, and `stop`.
 */
async function startPythonPeer(python, script, env) {
  // No __pycache__ beside the scripts: the bench leaves the checkout as it found it.
  const childEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env };
  const child = spawn(python, [script], { env: childEnv, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => {
    const resolve = waiting.shift();
    if (resolve) resolve(JSON.parse(line));
  });
  child.on('exit', () => {
    while (waiting.length > 0) waiting.shift()({ error: `${script} exited` });
  });
  const ask = (cmd) =>
    new Promise((resolve) => {
      waiting.push(resolve);
      child.stdin.write(JSON.stringify(cmd) + '\n');
    });
  const info = await ask({ cmd: 'info' });
  if (info.error) return { error: info.error };
  return { ask, info, stop: () => child.stdin.end() };
}

module.exports = { findPython, startPythonPeer };
