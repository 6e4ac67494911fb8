import { describe, expect, it } from 'vitest';
import { findTestCalls } from '../../src/notebook/testCalls';

describe('test(...) calls read from a cell source', () => {
  it('reads names and points of literal calls, with their lines', () => {
    const source = [
      '// Tests f: test(x) in a comment does not count',
      'test("f(1) = 2", 1, () => {});',
      "await test('async one', 2.5, async () => {});",
      'test(`template`, 3, () => { const s = "test(\\"inside a string\\", 9, f)"; });',
      '/* test("in a block comment", 4, f) */',
    ].join('\n');
    expect(findTestCalls(source)).toEqual([
      { name: 'f(1) = 2', points: 1, line: 2 },
      { name: 'async one', points: 2.5, line: 3 },
      { name: 'template', points: 3, line: 4 },
    ]);
  });

  it('reports calls whose name or points it cannot read as null', () => {
    expect(findTestCalls('test(name, 1, f);\ntest("x", points, f);\ntest(`a ${b}`, 1, f);')).toEqual([
      { name: null, points: null, line: 1 },
      { name: 'x', points: null, line: 2 },
      { name: null, points: null, line: 3 },
    ]);
  });

  it('ignores methods, other identifiers and a cell that defines its own test function', () => {
    expect(findTestCalls('obj.test(1); myTest(2); tests(3); const latest = 1;')).toEqual([]);
    expect(findTestCalls('function test(a: number) { return a; }\ntest(1);')).toEqual([]);
  });
});
