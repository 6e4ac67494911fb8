import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/conformance/runner';
import { loadSuite, parseSuite } from '../../src/conformance/suite';
import '../../src/ops/methods';

const ROOT = path.resolve(__dirname, '../..');
const VISIBLE = path.resolve(ROOT, 'test/fixtures/conformance/torch-visible.json');
const CLI = path.join(ROOT, 'dist/cli/conformance.js');

describe('conformance runner', () => {
  it('passes every case of torch-visible.json through the command line', () => {
    const out = execFileSync('node', [CLI, VISIBLE], { encoding: 'utf8' });
    const closing = out.trim().split('\n').pop();
    const total = loadSuite(VISIBLE).cases.length;
    expect(closing).toBe(`${total} passed, 0 failed`);
  });

  it('passes every case in float32 with either kernel backend (WebAssembly SIMD and plain TypeScript)', () => {
    const total = loadSuite(VISIBLE).cases.length;
    for (const kernels of ['wasm', 'ts']) {
      const out = execFileSync('node', [CLI, VISIBLE, '--dtype', 'float32'], { encoding: 'utf8', env: { ...process.env, GRADLAB_KERNELS: kernels } });
      expect(`${kernels}: ${out.trim().split('\n').pop()}`).toBe(`${kernels}: ${total} passed, 0 failed`);
    }
  });

  it('fails (never skips) an unknown kind or an unsupported option, and exits non-zero', () => {
    const suite = {
      suite: 'made-up',
      cases: [
        { name: 'unknown', kind: 'conv2d', params: {}, inputs: {}, outputs: { y: { shape: [], data: [1] } } },
        { name: 'bad-option', kind: 'unary', params: { op: 'exp', approximate: true }, inputs: { x: { shape: [1], data: [0] } }, outputs: { y: { shape: [1], data: [1] } } },
        { name: 'wrong-value', kind: 'unary', params: { op: 'exp' }, inputs: { x: { shape: [1], data: [0] } }, outputs: { y: { shape: [1], data: [2] } } },
      ],
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-conf-')), 'made-up.json');
    fs.writeFileSync(file, JSON.stringify(suite));
    const run = spawnSync('node', [CLI, file], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL unknown .* unknown kind 'conv2d'/);
    expect(run.stdout).toMatch(/FAIL bad-option .* unsupported: kind 'unary' does not support option 'approximate'/);
    expect(run.stdout).toMatch(/FAIL wrong-value .* outputs.y: 1 element\(s\) off, first at element 0: got 1, expected 2/);
    expect(run.stdout.trim().split('\n').pop()).toBe('0 passed, 3 failed');
  });

  it('matches an expected infinity only with the same infinity', () => {
    const exp = (x: number, y: number | string) =>
      parseSuite(JSON.stringify({ cases: [{ name: 'e', kind: 'unary', params: { op: 'exp' }, inputs: { x: { shape: [1], data: [x] } }, outputs: { y: { shape: [1], data: [y] } } }] }), 'inf.json').cases[0];
    expect(runCase(exp(1000, 'Infinity')).passed).toBe(true);
    const finite = runCase(exp(1, 'Infinity'));
    expect(finite.passed).toBe(false);
    expect(finite.problems).toEqual([`outputs.y: 1 element(s) off, first at element 0: got ${Math.E}, expected Infinity`]);
    expect(runCase(exp(1000, '-Infinity')).passed).toBe(false);
  });

  it('explains a bad --dtype on the command line (no stack trace) and exits 2', () => {
    for (const args of [['--dtype'], ['--dtype=float16', VISIBLE]]) {
      const run = spawnSync('node', [CLI, ...args], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^conformance: --dtype must be float32 or float64, got (nothing|"float16")\n$/);
    }
  });

  it('names the file and case of a malformed suite', () => {
    expect(() => parseSuite('{"cases": [{"name": "a", "kind": "unary", "inputs": {"x": {"shape": [2], "data": [1]}}}]}', 's.json')).toThrow(
      "s.json: case 'a': inputs.x: 1 values do not fit shape [2]",
    );
    expect(() => parseSuite('not json', 's.json')).toThrow(/^s.json: not valid JSON/);
  });

  it('runs the core kinds in float32 within the float32 tolerance too', () => {
    const core = new Set(['unary', 'binary', 'pow', 'matmul', 'reduce', 'reshape', 'permute', 'broadcast_to', 'transpose']);
    const failures = loadSuite(VISIBLE).cases.filter((c) => core.has(c.kind)).map((c) => runCase(c, 'float32')).filter((r) => !r.passed);
    expect(failures.map((f) => `${f.name}: ${f.problems.join('; ')}`)).toEqual([]);
  });
});
