import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// The bench's Python peers through their real line protocol: PyTorch found (or its absence
// explained), a training step with each normalization variant timed by the peer itself.
const requireCjs = createRequire(__filename);
const { findPython } = requireCjs('../../bench/peers/python.js') as {
  findPython: (candidates: string[], module: string) => string | null;
};
interface Peer {
  error?: string;
  info: Record<string, unknown>;
  ask: (cmd: object) => Promise<Record<string, unknown>>;
  stop: () => void;
}
const { startTorch, INSTALL_HINT } = requireCjs('../../bench/peers/torch.js') as {
  startTorch: (threads: number, pythons?: string[]) => Promise<Peer>;
  INSTALL_HINT: string;
};


describe('the bench finding Python peers', () => {
  it('takes the first interpreter that imports the module, skipping missing paths', () => {
    expect(findPython(['/nonexistent/bin/python', 'python3'], 'json')).toBe('python3');
    expect(findPython(['python3'], 'no_such_module_for_the_bench')).toBeNull();
  });

  it('says where it looked for PyTorch and how to install it when no Python has it', async () => {
    const peer = await startTorch(1, ['/nonexistent/bin/python']);
    expect(peer.error).toBe(`PyTorch not found in /nonexistent/bin/python; ${INSTALL_HINT}`);
    expect(INSTALL_HINT).toContain('.venv/bin/pip install --retries 0 torch');
  });
});

// `npm test`'s pretest step installs PyTorch into the project venv, so the real peer always runs here.
describe('the PyTorch peer', () => {
  it('runs one-thread training steps with BatchNorm1d, LayerNorm and Dropout and times them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-torch-peer-'));
    const x = path.join(dir, 'x.f32');
    const y = path.join(dir, 'y.i32');
    fs.writeFileSync(x, Buffer.from(new Float32Array(8 * 20).map((_, i) => (i % 7) / 7).buffer));
    fs.writeFileSync(y, Buffer.from(new Int32Array(8).map((_, i) => i % 3).buffer));
    const peer = await startTorch(1);
    try {
      expect(peer.error).toBeUndefined();
      expect(peer.info.threads).toBe(1);
      const variants = [{ norm: 'batchnorm' }, { norm: 'layernorm' }, { dropout: 0.5 }, {}];
      for (const [i, v] of variants.entries()) {
        expect(await peer.ask({ cmd: 'mlp', id: `m${i}`, sizes: [20, 6, 3], x, y, batch: 8, ...v })).toEqual({ ok: true });
        const run = await peer.ask({ cmd: 'run', id: `m${i}` });
        expect(run.ms).toBeGreaterThan(0);
      }
      expect(await peer.ask({ cmd: 'nonsense' })).toEqual({ error: 'unknown command nonsense' });
    } finally {
      peer.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // importing torch takes seconds, more on a busy machine
});
