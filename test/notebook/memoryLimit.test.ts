import { execFileSync, spawnSync } from 'child_process';
import { describe, expect, it } from 'vitest';
import { checkMemoryLimit, isOutOfMemory, memoryLimitedCommand, withHeapLimit } from '../../src/notebook/jupyter/memoryLimit';

describe('a memory cap for a kernel process', () => {
  it('runs the command under a data limit of the cap, in KB, then execs it', () => {
    const command = memoryLimitedCommand([process.execPath, '-e', 'require("fs").writeSync(1, require("fs").readFileSync("/proc/self/limits", "utf8"))'], 300);
    const limits = execFileSync(command[0] ?? '', command.slice(1), { encoding: 'utf8' });
    const data = limits.split('\n').find((line) => line.startsWith('Max data size'));
    expect(data?.split(/\s{2,}/).slice(1, 3)).toEqual([String(300 * 2 ** 20), String(300 * 2 ** 20)]);
  });

  it('makes a typed array past the cap fail with a RangeError, and V8 abort past its heap share', () => {
    const run = (code: string): { status: number | null; signal: string | null; output: string } => {
      const command = memoryLimitedCommand([process.execPath, '-e', code], 256);
      const result = spawnSync(command[0] ?? '', command.slice(1), { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: withHeapLimit(undefined, 256) } });
      return { status: result.status, signal: result.signal, output: result.stdout + result.stderr };
    };
    const arrays = run('const keep = []; try { while (true) keep.push(new Float64Array(4 << 20).fill(1)); } catch (e) { console.log(`${e.name}: ${e.message} after ${keep.length}`); }');
    expect(arrays.status).toBe(0);
    expect(arrays.output).toMatch(/^RangeError: Array buffer allocation failed after \d+\n$/);
    expect(Number(/after (\d+)/.exec(arrays.output)?.[1]) * 32).toBeLessThan(256);
    const heap = run('const keep = []; while (true) keep.push(new Array(1e6).fill(1.5));');
    expect(heap.signal).toBe('SIGABRT');
    expect(isOutOfMemory(heap.output)).toBe(true);
  });

  it('adds V8\'s old-space limit, three quarters of the cap, to NODE_OPTIONS', () => {
    expect(withHeapLimit(undefined, 2048)).toBe('--max-old-space-size=1536');
    expect(withHeapLimit('--require "/p/kernelPreload.js"', 512)).toBe('--require "/p/kernelPreload.js" --max-old-space-size=384');
  });

  it('recognizes out-of-memory messages and nothing else', () => {
    expect(isOutOfMemory('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')).toBe(true);
    expect(isOutOfMemory('RangeError: Array buffer allocation failed')).toBe(true);
    expect(isOutOfMemory('RangeError: Invalid array length')).toBe(false);
    expect(isOutOfMemory('Error: boom')).toBe(false);
  });

  it('refuses a cap too small for a kernel to start', () => {
    expect(() => checkMemoryLimit(32, 'grade: --memory')).toThrow('grade: --memory: the memory cap must be a whole number of MB >= 64, got 32');
    expect(() => checkMemoryLimit(100.5, 'x')).toThrow(RangeError);
    expect(() => checkMemoryLimit(64, 'x')).not.toThrow();
  });
});
