'use strict';
// `npm run bench [-- --json] [-- --quick] [-- --threads 2] [-- --only TEXT]`: gradlab side by side
// with PyTorch (when a Python with torch is found), TensorFlow.js (cpu and wasm backends) and, when
// python3 has numpy, numpy + OpenBLAS on one thread. All peers run in this one process run, their
// timed runs interleaved round by round so that machine noise hits all of them; each number is a
// median. `--threads 2` also times gradlab and PyTorch at two threads each; `--only TEXT` keeps the
// workloads whose name contains TEXT. Progress goes to stderr; the table (or with --json one JSON
// object) to stdout.
const os = require('os');
const fs = require('fs');
const path = require('path');
const gradlab = require('./peers/gradlab');
const tfjs = require('./peers/tfjs');
const { startNumpy } = require('./peers/numpy');
const { startTorch } = require('./peers/torch');

const argv = process.argv.slice(2);
const args = new Set(argv);
const JSON_OUT = args.has('--json');
const QUICK = args.has('--quick');
const optionValue = (name) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const THREADS = Number(optionValue('--threads') ?? 1);
if (THREADS !== 1 && THREADS !== 2) {
  process.stderr.write(`bench: --threads must be 1 or 2, got ${optionValue('--threads')}\n`);
  process.exit(2);
}
const ONLY = optionValue('--only');
const { gl } = gradlab;
const log = (msg) => process.stderr.write(msg + '\n');

const BATCH = 128;
const WORKLOADS = [
  { name: 'matmul (128x784)@(784x100)', kind: 'matmul', m: 128, k: 784, n: 100 },
  { name: 'matmul 512x512x512', kind: 'matmul', m: 512, k: 512, n: 512 },
  { name: 'step 784-100-10', kind: 'mlp', sizes: [784, 100, 10] },
  { name: 'step 784-256-256-10', kind: 'mlp', sizes: [784, 256, 256, 10] },
  { name: 'step 784-(100x50)-10, 50 ReLU layers', kind: 'mlp', sizes: [784, ...new Array(50).fill(100), 10] },
  { name: 'step 784-256-256-10 + BatchNorm1d', kind: 'mlp', sizes: [784, 256, 256, 10], norm: 'batchnorm' },
  { name: 'step 784-256-256-10 + LayerNorm', kind: 'mlp', sizes: [784, 256, 256, 10], norm: 'layernorm' },
  { name: 'step 784-256-256-10 + Dropout(0.5)', kind: 'mlp', sizes: [784, 256, 256, 10], dropout: 0.5 },
].filter((w) => ONLY === undefined || w.name.includes(ONLY));
const PEERS = ['gradlab', 'gradlab_ts', 'gradlab_2t', 'torch', 'torch_2t', 'tfjs_wasm', 'tfjs_cpu', 'numpy'];
/** tfjs and numpy run only the plain MLPs (no normalization or dropout variant). */
const plain = (w) => w.kind === 'matmul' || (!w.norm && !w.dropout);

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function flops(w) {
  if (w.kind === 'matmul') return 2 * w.m * w.k * w.n;
  // forward x·W, backward Xᵀ·dZ for every layer and dZ·Wᵀ for all but the first: dense maths only
  let f = 0;
  for (let i = 0; i + 1 < w.sizes.length; i++) f += 2 * BATCH * w.sizes[i] * w.sizes[i + 1] * (i === 0 ? 2 : 3);
  return f;
}

/** 128 MNIST training digits and their labels; random dense pixels if the digits cannot be loaded. */
function inputBatch() {
  try {
    const mnist = gl.loadMnist({ split: 'train' });
    const perm = new gl.Generator(1).permutation(mnist.labels.length);
    const x = new Float32Array(BATCH * 784);
    const labels = new Int32Array(BATCH);
    for (let i = 0; i < BATCH; i++) {
      const r = perm[i];
      x.set(mnist.x.data.subarray(r * 784, (r + 1) * 784), i * 784);
      labels[i] = mnist.labels[r];
    }
    return { x, labels, source: 'MNIST digits' };
  } catch (err) {
    const gen = new gl.Generator(1);
    const x = new Float32Array(BATCH * 784).map(() => gen.uniform());
    const labels = new Int32Array(BATCH).map(() => gen.integer(0, 10));
    return { x, labels, source: `random dense pixels (MNIST failed to load: ${err.message})` };
  }
}

async function main() {
  const notes = [];
  const loadBefore = os.loadavg()[0];
  const tfError = await tfjs.loadTfjs();
  if (tfError) notes.push(tfError);
  const numpy = await startNumpy();
  if (numpy.error) notes.push(`numpy peer not run: ${numpy.error}`);
  const torch = await startTorch(1);
  if (torch.error) notes.push(`PyTorch peer not run: ${torch.error}`);
  const torch2 = THREADS === 2 && !torch.error ? await startTorch(2) : null;
  if (torch2 && torch2.error) notes.push(`PyTorch two-thread peer not run: ${torch2.error}`);
  const wasmReason = gl.wasmKernelsUnavailableReason();
  if (wasmReason) notes.push(`gradlab wasm kernels unavailable: ${wasmReason}`);

  const batch = inputBatch();
  let zeros = 0;
  for (const v of batch.x) if (v === 0) zeros++;
  const zeroShare = zeros / batch.x.length;
  notes.push(`input batch: ${BATCH} ${batch.source}, ${(100 * zeroShare).toFixed(0)}% zero pixels`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-bench-'));
  const xFile = path.join(tmp, 'x.f32');
  const yFile = path.join(tmp, 'y.i32');
  fs.writeFileSync(xFile, Buffer.from(batch.x.buffer));
  fs.writeFileSync(yFile, Buffer.from(batch.labels.buffer));
  const xT = gl.tensor(batch.x, { shape: [BATCH, 784] });
  const labels = Array.from(batch.labels);

  const results = [];
  let id = 0;
  for (const w of WORKLOADS) {
    log(`${w.name} ...`);
    const jobs = {};
    const variants = {
      gradlab: gradlab.variant('wasm', 1),
      gradlab_ts: gradlab.variant('ts', 1),
      gradlab_2t: gradlab.variant('wasm', 2),
    };
    for (const [peer, setup] of Object.entries(variants)) {
      if (wasmReason && peer !== 'gradlab_ts') continue;
      const job = w.kind === 'matmul' ? gradlab.matmulJob(w.m, w.k, w.n, 5) : gradlab.modelJob(w.sizes, xT, labels, 5, w);
      jobs[peer] = async () => {
        setup();
        job();
      };
    }
    if (!tfError && plain(w)) {
      for (const backend of ['wasm', 'cpu']) {
        jobs[`tfjs_${backend}`] =
          w.kind === 'matmul'
            ? await tfjs.matmulJob(backend, w.m, w.k, w.n)
            : await tfjs.mlpJob(backend, w.sizes, batch.x, batch.labels);
      }
    }
    const key = `w${id++}`;
    const pythonCmd = w.kind === 'matmul'
      ? { cmd: 'matmul', id: key, m: w.m, k: w.k, n: w.n }
      : { cmd: 'mlp', id: key, sizes: w.sizes, x: xFile, y: yFile, batch: BATCH, norm: w.norm ?? null, dropout: w.dropout ?? 0 };
    for (const [peer, py] of [['torch', torch], ['torch_2t', torch2]]) {
      if (py === null || py.error) continue;
      const reply = await py.ask(pythonCmd);
      if (reply.error) throw new Error(`${peer} peer: ${reply.error}`);
      jobs[peer] = async () => py.ask({ cmd: 'run', id: key });
    }
    if (!numpy.error && plain(w)) {
      const cmd = w.kind === 'matmul'
        ? { cmd: 'matmul', id: key, m: w.m, k: w.k, n: w.n }
        : { cmd: 'mlp', id: key, sizes: w.sizes, x: xFile, y: yFile, batch: BATCH };
      await numpy.ask(cmd);
      jobs.numpy = async () => numpy.ask({ cmd: 'run', id: key });
    }
    // Helper threads start asynchronously: give them a moment before the first timed round.
    if (jobs.gradlab_2t) {
      gl.setKernelThreads(2);
      await new Promise((r) => setTimeout(r, 200));
    }
    const rounds = (w.kind === 'matmul' ? 30 : 20) >> (QUICK ? 1 : 0);
    const slowRounds = QUICK ? 3 : 7; // tfjs-cpu takes up to seconds per step
    const times = {};
    const peers = PEERS.filter((p) => jobs[p]);
    for (const p of peers) {
      times[p] = [];
      for (let i = 0; i < (p === 'tfjs_cpu' ? 2 : 5); i++) await jobs[p]();
    }
    for (let r = 0; r < rounds; r++) {
      for (let j = 0; j < peers.length; j++) {
        const p = peers[(r + j) % peers.length];
        if (p === 'tfjs_cpu' && r >= slowRounds) continue;
        const t0 = process.hrtime.bigint();
        const reply = await jobs[p]();
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        times[p].push(p === 'numpy' || p.startsWith('torch') ? reply.ms : ms);
      }
    }
    const row = { name: w.name, gflop: flops(w) / 1e9 };
    for (const p of PEERS) row[`${p}_ms`] = times[p] ? median(times[p]) : null;
    row.torch_ratio = row.gradlab_ms !== null && row.torch_ms !== null ? row.gradlab_ms / row.torch_ms : null;
    row.torch_2t_ratio = row.gradlab_2t_ms !== null && row.torch_2t_ms !== null ? row.gradlab_2t_ms / row.torch_2t_ms : null;
    results.push(row);
  }

  gl.setKernelBackend(wasmReason ? 'ts' : 'wasm');
  gl.setKernelThreads(1);
  const memory = {};
  const memoryRuns = [];
  for (const backend of wasmReason ? ['ts'] : ['wasm', 'ts']) memoryRuns.push({ backend, w: { name: 'step 784-100-10', sizes: [784, 100, 10] } });
  if (!wasmReason) for (const w of WORKLOADS) if (w.norm || w.dropout) memoryRuns.push({ backend: 'wasm', w });
  for (const { backend, w } of memoryRuns) {
    // The plain MLP keeps its historical key (the backend's name).
    const label = w.norm || w.dropout ? `${w.name} (${backend})` : backend;
    log(`memory over 500 steps of ${w.name} (${backend}) ...`);
    gl.setKernelBackend(backend);
    const step = gradlab.modelJob(w.sizes, xT, labels, 9, w);
    for (let i = 0; i < 20; i++) step();
    if (global.gc) global.gc();
    const before = process.memoryUsage();
    for (let i = 0; i < 500; i++) step();
    if (global.gc) global.gc();
    const after = process.memoryUsage();
    memory[label] = {
      rss_before_mb: before.rss / 2 ** 20,
      rss_after_mb: after.rss / 2 ** 20,
      heap_before_mb: before.heapUsed / 2 ** 20,
      heap_after_mb: after.heapUsed / 2 ** 20,
    };
  }
  gl.setKernelBackend(wasmReason ? 'ts' : 'wasm');
  if (!numpy.error) numpy.stop();
  for (const py of [torch, torch2]) if (py !== null && !py.error) py.stop();
  fs.rmSync(tmp, { recursive: true, force: true });

  const environment = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    load_average: os.loadavg()[0],
    tfjs: tfjs.version(),
    numpy: numpy.error ? null : numpy.info.numpy,
    torch: torch.error ? null : torch.info.torch,
    torch_python: torch.error ? null : torch.info.python_path,
    threads: THREADS,
    gradlab_kernels: wasmReason ? 'ts' : 'wasm',
    input: batch.source,
    input_zero_share: zeroShare,
  };
  if (Math.max(loadBefore, environment.load_average) > 0.5 * environment.cores) {
    notes.push(
      `other processes were busy (load average ${loadBefore.toFixed(1)} at start, ` +
        `${environment.load_average.toFixed(1)} at the end, on ${environment.cores} cores): expect noisy times and little two-thread gain`,
    );
  }
  if (JSON_OUT) {
    process.stdout.write(JSON.stringify({ workloads: results, memory, environment, notes }, null, 2) + '\n');
  } else {
    printTable(results, memory, environment, notes);
  }
}

function printTable(results, memory, env, notes) {
  const f = (x) => (x === null ? '—' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
  const ratio = (a, b) => (a === null || b === null ? '—' : `${(a / b).toFixed(a / b < 10 ? 2 : 1)}x`);
  const table = (widths, rows) =>
    rows.map((cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' '));
  const lines = [];
  lines.push(
    `gradlab bench: Node ${env.node}, ${env.cpu}, ${env.cores} cores; PyTorch ${env.torch ?? 'not run'}; ` +
      `tfjs ${env.tfjs}; numpy ${env.numpy ?? 'not run'}; load average ${env.load_average.toFixed(2)}`,
  );
  lines.push('');
  lines.push('Median milliseconds (lower is better), one thread each. gradlab = wasm kernels; ts = plain TypeScript kernels.');
  lines.push(
    ...table([40, 9, 9, 9, 10, 9, 8], [
      ['workload', 'gradlab', 'ts', 'torch', 'tfjs-wasm', 'tfjs-cpu', 'numpy'],
      ...results.map((r) => [r.name, f(r.gradlab_ms), f(r.gradlab_ts_ms), f(r.torch_ms), f(r.tfjs_wasm_ms), f(r.tfjs_cpu_ms), f(r.numpy_ms)]),
    ]),
  );
  lines.push('');
  lines.push('Ratios. x torch, x numpy: gradlab time / peer time (the goal is <= 1.25x torch); /tfjs: peer time / gradlab time.');
  lines.push(
    ...table([40, 8, 8, 10, 10, 12, 8], [
      ['workload', 'GFLOP/s', 'x torch', '/tfjs-wasm', '/tfjs-cpu', 'ts/tfjs-wasm', 'x numpy'],
      ...results.map((r) => [
        r.name,
        r.gradlab_ms === null ? '—' : (r.gflop / (r.gradlab_ms / 1000)).toFixed(1),
        ratio(r.gradlab_ms, r.torch_ms),
        ratio(r.tfjs_wasm_ms, r.gradlab_ms),
        ratio(r.tfjs_cpu_ms, r.gradlab_ms),
        ratio(r.tfjs_wasm_ms, r.gradlab_ts_ms),
        ratio(r.gradlab_ms, r.numpy_ms),
      ]),
    ]),
  );
  lines.push('');
  if (env.threads === 2) {
    lines.push('Two threads each (gradlab: products split across a helper thread on shared memory; PyTorch: set_num_threads(2)):');
    lines.push(
      ...table([40, 9, 9, 8, 10], [
        ['workload', 'gradlab', 'torch', 'x torch', 'gradlab 2t/1t'],
        ...results.map((r) => [r.name, f(r.gradlab_2t_ms), f(r.torch_2t_ms), ratio(r.gradlab_2t_ms, r.torch_2t_ms), ratio(r.gradlab_2t_ms, r.gradlab_ms)]),
      ]),
    );
  } else {
    lines.push('Two threads (wasm kernels, products split across a helper thread on shared memory; --threads 2 adds PyTorch at two threads):');
    for (const r of results) {
      lines.push(`  ${r.name.padEnd(40)} ${f(r.gradlab_2t_ms).padStart(8)} ms   speed-up ${ratio(r.gradlab_ms, r.gradlab_2t_ms)}`);
    }
  }
  lines.push('');
  lines.push('Resident memory around 500 training steps (after 20 warm-up steps):');
  for (const [label, m] of Object.entries(memory)) {
    const name = label === 'wasm' || label === 'ts' ? `step 784-100-10 (${label})` : label;
    lines.push(
      `  ${name.padEnd(48)} rss ${m.rss_before_mb.toFixed(1)} -> ${m.rss_after_mb.toFixed(1)} MB, ` +
        `heap ${m.heap_before_mb.toFixed(1)} -> ${m.heap_after_mb.toFixed(1)} MB`,
    );
  }
  lines.push('');
  for (const n of notes) lines.push(`note: ${n}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack || err}\n`);
  process.exit(1);
});
