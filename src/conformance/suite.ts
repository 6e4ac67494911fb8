/**
 * Conformance suites: reference results (PyTorch, float64) for explicit inputs. This file reads a
 * suite and checks its shape, so a malformed file fails with the case and field named.
 */
import * as fs from 'fs';
import { formatShape, sizeOf } from '../tensor/shape';

/** A stored array: row-major data with its shape (`[]` for a scalar). */
export interface StoredArray {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** One reference case. */
export interface ConformanceCase {
  readonly name: string;
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, StoredArray>>;
  readonly outputs: Readonly<Record<string, StoredArray>>;
  readonly grads: Readonly<Record<string, StoredArray>>;
}

/** A whole suite file. */
export interface ConformanceSuite {
  readonly suite: string;
  readonly file: string;
  readonly cases: readonly ConformanceCase[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readArrays(value: unknown, where: string): Record<string, StoredArray> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error(`${where} must be an object of arrays`);
  const out: Record<string, StoredArray> = {};
  for (const [name, arr] of Object.entries(value)) {
    if (!isRecord(arr) || !Array.isArray(arr.shape) || !Array.isArray(arr.data)) {
      throw new Error(`${where}.${name} must be {shape: [...], data: [...]}`);
    }
    const shape = arr.shape as unknown[];
    const data = arr.data as unknown[];
    if (!shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw new Error(`${where}.${name}.shape must hold non-negative integers`);
    if (!data.every((d) => typeof d === 'number' || d === null || typeof d === 'string')) {
      throw new Error(`${where}.${name}.data must hold numbers`);
    }
    const nums = data.map((d) => (typeof d === 'number' ? d : parseSpecial(d, `${where}.${name}`)));
    if (sizeOf(shape as number[]) !== nums.length) {
      throw new Error(`${where}.${name}: ${nums.length} values do not fit shape ${formatShape(shape as number[])}`);
    }
    out[name] = { shape: shape as number[], data: nums };
  }
  return out;
}

function parseSpecial(d: unknown, where: string): number {
  // JSON has no NaN/Infinity; accept the spellings writers commonly use.
  if (d === null || d === 'NaN' || d === 'nan') return NaN;
  if (d === 'Infinity' || d === 'inf') return Infinity;
  if (d === '-Infinity' || d === '-inf') return -Infinity;
  throw new Error(`${where}.data holds ${JSON.stringify(d)}, not a number`);
}

/** Parses and validates suite JSON text; `file` names it in errors. */
export function parseSuite(text: string, file: string): ConformanceSuite {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw) || !Array.isArray(raw.cases)) throw new Error(`${file}: expected an object with a "cases" array`);
  const cases = raw.cases.map((c: unknown, i: number): ConformanceCase => {
    const where = `${file}: cases[${i}]`;
    if (!isRecord(c)) throw new Error(`${where} is not an object`);
    if (typeof c.name !== 'string' || typeof c.kind !== 'string') throw new Error(`${where} needs string "name" and "kind"`);
    const at = `${file}: case '${c.name}'`;
    if (c.params !== undefined && !isRecord(c.params)) throw new Error(`${at}: params must be an object`);
    return {
      name: c.name,
      kind: c.kind,
      params: (c.params as Record<string, unknown> | undefined) ?? {},
      inputs: readArrays(c.inputs, `${at}: inputs`),
      outputs: readArrays(c.outputs, `${at}: outputs`),
      grads: readArrays(c.grads, `${at}: grads`),
    };
  });
  return { suite: typeof raw.suite === 'string' ? raw.suite : file, file, cases };
}

/** Reads a suite file. */
export function loadSuite(file: string): ConformanceSuite {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`conformance: cannot read suite ${file}: ${(e as Error).message}`);
  }
  return parseSuite(text, file);
}
