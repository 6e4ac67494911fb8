import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { MissingDependencyError } from '../../src/notebook/jupyter/kernelClient';
import { KernelManager } from '../../src/notebook/jupyter/kernelManager';
import { findKernelSpec, KernelStartError, type KernelSpec } from '../../src/notebook/jupyter/kernelSpec';

// These tests start real tslab kernels from this project's node_modules.
const ROOT = path.resolve(__dirname, '../..');
const tslab = (): KernelSpec => findKernelSpec('tslab', ROOT);

async function execute(kernel: KernelManager, code: string): Promise<{ status: unknown; stdout: string }> {
  let stdout = '';
  const request = kernel.client.request('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
  const stop = kernel.client.onIopub((message) => {
    if (message.parentHeader.msg_id === request.msgId && message.header.msg_type === 'stream') stdout += String(message.content['text']);
  });
  const reply = await request.reply;
  await new Promise((resolve) => setTimeout(resolve, 50));
  stop();
  return { status: reply.content['status'], stdout };
}

describe('KernelManager with a real tslab kernel', () => {
  it('starts tslab, answers kernel_info, heartbeats, runs code over signed messages, interrupts a busy loop with SIGINT, detects a killed kernel, and restarts with fresh state', async () => {
    const kernel = await KernelManager.start(tslab(), { cwd: ROOT });
    try {
      const info = await kernel.client.request('shell', 'kernel_info_request', {}).reply;
      expect(info.header.msg_type).toBe('kernel_info_reply');
      expect(info.content['implementation']).toBe('tslab');
      expect(await kernel.client.heartbeat(2000)).toBe(true);
      expect(await execute(kernel, 'const answer: number = 6 * 7;\nconsole.log(`answer ${answer}`)')).toEqual({ status: 'ok', stdout: 'answer 42\n' });
      expect(kernel.client.badMessages).toBe(0);

      // One kernel serves both halves: starting one is the slow part.
      await execute(kernel, 'let kept = 1');
      const loop = kernel.client.request('shell', 'execute_request', { code: 'while (true) {}', silent: false });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(kernel.interrupt()).toBe(true);
      expect((await loop.reply).content['status']).toBe('error');
      await new Promise((resolve) => setTimeout(resolve, 300)); // tslab's abort window after an error
      expect((await execute(kernel, 'console.log(kept)')).stdout).toBe('1\n');

      const pid = kernel.pid;
      process.kill(pid ?? 0, 'SIGKILL');
      expect(await kernel.exited).toMatchObject({ signal: 'SIGKILL' });
      expect(kernel.alive).toBe(false);

      await kernel.restart();
      expect(kernel.alive).toBe(true);
      expect(kernel.pid).not.toBe(pid);
      expect((await execute(kernel, 'console.log(typeof kept)')).status).toBe('error'); // state is gone
    } finally {
      await kernel.shutdown();
    }
    expect(kernel.alive).toBe(false);
  }, 120_000);

  it('reports a missing kernel, a missing tslab and a kernel that dies while starting, by name', async () => {
    expect(() => findKernelSpec('no-such-kernel', ROOT)).toThrow(KernelStartError);
    expect(() => findKernelSpec('no-such-kernel', ROOT)).toThrow(/no kernel named 'no-such-kernel' \(known kernels: .*tslab/);

    const missing = { ...tslab(), argv: [process.execPath, path.join(ROOT, 'node_modules', 'no-tslab', 'bin', 'tslab'), 'kernel'] };
    await expect(KernelManager.start(missing, { cwd: ROOT })).rejects.toThrow(MissingDependencyError);
    await expect(KernelManager.start(missing, { cwd: ROOT })).rejects.toThrow(/no-tslab\/bin\/tslab, which does not exist; run `npm install`/);

    const crashing = { ...tslab(), argv: [process.execPath, '-e', 'console.error("cannot load kernel"); process.exit(4)'] };
    await expect(KernelManager.start(crashing, { cwd: ROOT })).rejects.toThrow(/exited during start-up \(exit code 4\): cannot load kernel/);

    const absent = { ...tslab(), argv: ['gradlab-no-such-program', '{connection_file}'] };
    await expect(KernelManager.start(absent, { cwd: ROOT })).rejects.toThrow(/could not be started: spawn gradlab-no-such-program ENOENT/);
  }, 60_000);
});
