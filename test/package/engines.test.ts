// The README promises Node 20.19 or newer. Every package the lock file installs must accept that
// version in its `engines.node`, or `npm install` warns (EBADENGINE) on a fresh clone.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/project';

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const parts = text.replace(/^v/, '').split('.').map((p) => (p === 'x' || p === '*' ? 0 : Number(p)));
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i += 1) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** Whether `version` satisfies one comparator: `>=x.y`, `>x`, `<=x`, `<x`, `=x`, `^x.y.z`, `~x.y`, `x.x`, `*`. */
function satisfiesOne(version: Version, comparator: string): boolean {
  if (comparator === '*' || comparator === '') return true;
  const match = /^(>=|<=|>|<|=|\^|~)?v?([\dx*]+(?:\.[\dx*]+){0,2})$/.exec(comparator);
  if (match === null) throw new Error(`engines check: cannot read the comparator ${JSON.stringify(comparator)}`);
  const [, op = '', text = ''] = match;
  const bound = parseVersion(text);
  const given = text.split('.').filter((p) => p !== 'x' && p !== '*').length;
  const c = compare(version, bound);
  if (op === '>=') return c >= 0;
  if (op === '>') return c > 0;
  if (op === '<=') return c <= 0;
  if (op === '<') return c < 0;
  if (op === '^') return c >= 0 && version[0] === bound[0] && (bound[0] > 0 || version[1] === bound[1]);
  if (op === '~') return c >= 0 && version[0] === bound[0] && (given < 2 || version[1] === bound[1]);
  if (op === '' && given < 3) return version.slice(0, given).every((v, i) => v === bound[i]); // 20.x, 4
  return c === 0;
}

/** Whether `version` satisfies an npm range: `||` alternatives of space-separated comparators. */
function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split('||').some((alternative) =>
    alternative.trim().replace(/(>=|<=|>|<|=)\s+/g, '$1').split(/\s+/).every((comparator) => satisfiesOne(v, comparator)),
  );
}

describe("the lock file's packages and the promised Node version", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const minimum = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(pkg.engines.node)?.[1] ?? '';

  it('reads npm ranges as npm does for the forms the lock file uses', () => {
    expect(minimum).toBe('20.19');
    expect(satisfies('20.19.0', '>=22.12.0')).toBe(false); // commander 15, through katex 0.18.5 and later
    expect(satisfies('20.19.0', '^20.19.0 || ^22.13.0 || >=23.5.0')).toBe(true);
    expect(satisfies('20.18.9', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.19.0', '^18 || ^20 || >= 21')).toBe(true);
    expect(satisfies('20.19.0', '^10 || ^12 || >=14')).toBe(true);
    expect(satisfies('20.19.0', '^10 || ^12 || ^13.7')).toBe(false);
    expect(satisfies('20.19.0', '4.x || >=6.0.0')).toBe(true);
    expect(satisfies('20.19.0', '20.x')).toBe(true);
    expect(satisfies('20.19.0', '18.x')).toBe(false);
    expect(satisfies('20.19.0', '>= 12.0.0')).toBe(true);
    expect(satisfies('20.19.0', '*')).toBe(true);
    expect(satisfies('20.19.0', '~20.18')).toBe(false);
    expect(satisfies('20.19.3', '~20.19.1')).toBe(true);
  });

  it('every installed package accepts Node 20.19', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([, entry]) => !Array.isArray(entry.engines) && typeof entry.engines?.node === 'string')
      .filter(([, entry]) => !satisfies(`${minimum}.0`, (entry.engines as { node: string }).node))
      .map(([where, entry]) => `${where || 'gradlab'}@${entry.version ?? '?'} needs node ${(entry.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
