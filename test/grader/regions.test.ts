import { describe, expect, it } from 'vitest';
import { findRegions, isMarkerLine, RegionError, regionBodies, removeHiddenTests } from '../../src/grader/regions';

const SOURCE = [
  'function f(x: number): number {', //          0
  '  // BEGIN SOLUTION', //                      1
  '  return 2 * x;', //                          2
  '  // END SOLUTION', //                        3
  '}', //                                        4
  'test("visible", 1, () => {});', //            5
  '// BEGIN HIDDEN TESTS', //                    6
  'test("hidden", 1, () => {});', //             7
  '// END HIDDEN TESTS', //                      8
].join('\n');

function errorOf(source: string): RegionError {
  try {
    findRegions(source);
  } catch (error) {
    if (error instanceof RegionError) return error;
    throw error;
  }
  throw new Error('expected a RegionError');
}

describe('solution and hidden-test regions', () => {
  it('finds each region with its marker lines and indentation', () => {
    expect(findRegions(SOURCE)).toEqual([
      { kind: 'solution', begin: 1, end: 3, indent: '  ' },
      { kind: 'hidden-tests', begin: 6, end: 8, indent: '' },
    ]);
    expect(regionBodies(SOURCE, 'solution')).toEqual([['  return 2 * x;']]);
  });

  it('takes markers after comment punctuation, but not prose that mentions them', () => {
    expect(isMarkerLine('  // BEGIN SOLUTION', 'BEGIN SOLUTION')).toBe(true);
    expect(isMarkerLine('# BEGIN SOLUTION', 'BEGIN SOLUTION')).toBe(true);
    expect(isMarkerLine('<!-- BEGIN SOLUTION -->', 'BEGIN SOLUTION')).toBe(true);
    expect(isMarkerLine('BEGIN SOLUTION', 'BEGIN SOLUTION')).toBe(true);
    expect(isMarkerLine('Write your code between the `BEGIN SOLUTION` and `END SOLUTION` lines', 'BEGIN SOLUTION')).toBe(false);
    expect(findRegions('Write your code between `BEGIN SOLUTION` and `END SOLUTION`.')).toEqual([]);
  });

  it('removes hidden tests with their markers and keeps the rest', () => {
    expect(removeHiddenTests(SOURCE)).toBe(SOURCE.split('\n').slice(0, 6).join('\n'));
  });

  it('names the line of an unclosed, nested or stray marker', () => {
    const unclosed = errorOf('a\n// BEGIN SOLUTION\nb');
    expect(unclosed.message).toBe('line 2: BEGIN SOLUTION is never closed by END SOLUTION');
    expect(unclosed.line).toBe(2);
    expect(errorOf('// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n// END SOLUTION').message).toBe(
      'line 2: BEGIN SOLUTION inside the BEGIN SOLUTION region opened on line 1 (regions cannot nest)',
    );
    expect(errorOf('// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n// END SOLUTION').message).toMatch(/^line 2: BEGIN HIDDEN TESTS inside the BEGIN SOLUTION region/);
    expect(errorOf('x\n// END HIDDEN TESTS').message).toBe('line 2: END HIDDEN TESTS without a BEGIN HIDDEN TESTS before it');
    expect(errorOf('// BEGIN SOLUTION\n// END HIDDEN TESTS').message).toBe('line 2: END HIDDEN TESTS without a BEGIN HIDDEN TESTS before it');
  });
});
