import { describe, expect, it } from 'vitest';
import { gaussianBlobs, polynomialRegression, spirals, twoMoons } from '../../src/data/synthetic';
import { Generator } from '../../src/tensor/random';

function classCounts(labels: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

describe('polynomialRegression', () => {
  it('is y = sum c_k x^k + noise with the given coefficients, x uniform in xRange', () => {
    const d = polynomialRegression({ n: 50, coefficients: [1, -2, 0.5], noise: 0, xRange: [2, 3], seed: 1 });
    expect(d.x.shape).toEqual([50, 1]);
    expect(d.y.shape).toEqual([50, 1]);
    for (let i = 0; i < 50; i++) {
      const x = d.x.data[i];
      expect(x).toBeGreaterThanOrEqual(2);
      expect(x).toBeLessThan(3);
      expect(d.y.data[i]).toBeCloseTo(1 - 2 * x + 0.5 * x * x, 5);
    }
    expect(d.trueFn(2)).toBe(1 - 4 + 2);
  });

  it('draws degree + 1 standard-normal coefficients first, then x, then noise', () => {
    const d = polynomialRegression({ n: 3, degree: 2, noise: 0.5, seed: 9, dtype: 'float64' });
    const g = new Generator(9);
    const c = [g.normal(), g.normal(), g.normal()];
    expect(d.coefficients).toEqual(c);
    const xs = [0, 1, 2].map(() => -1 + 2 * g.uniform());
    xs.forEach((x, i) => {
      expect(d.x.data[i]).toBe(x);
      expect(d.y.data[i]).toBeCloseTo(c[0] + c[1] * x + c[2] * x * x + 0.5 * g.normal(), 12);
    });
  });

  it('accepts any true function and has noise of the requested size', () => {
    const d = polynomialRegression({ n: 4000, fn: (x) => Math.sin(2 * Math.PI * x), noise: 0.3, seed: 2, dtype: 'float64' });
    expect(d.coefficients).toBeNull();
    let ss = 0;
    for (let i = 0; i < 4000; i++) ss += (d.y.data[i] - Math.sin(2 * Math.PI * d.x.data[i])) ** 2;
    expect(Math.sqrt(ss / 4000)).toBeCloseTo(0.3, 1);
  });

  it('is the same for the same seed and different for another', () => {
    const a = polynomialRegression({ seed: 4 });
    expect(polynomialRegression({ seed: 4 }).y.data).toEqual(a.y.data);
    expect(polynomialRegression({ seed: 5 }).y.data).not.toEqual(a.y.data);
  });

  it('rejects bad options with the function name', () => {
    expect(() => polynomialRegression({ n: 0 })).toThrow('polynomialRegression: n must be an integer >= 1, got 0');
    expect(() => polynomialRegression({ xRange: [1, 1] })).toThrow('xRange must be [lo, hi] with lo < hi, got [1, 1]');
    expect(() => polynomialRegression({ noise: -1 })).toThrow('noise must be a finite number >= 0, got -1');
  });
});

describe('twoMoons', () => {
  it('without noise puts class 0 on the unit upper half circle and class 1 on the shifted lower one', () => {
    const d = twoMoons({ n: 101, noise: 0, seed: 3 });
    expect(d.x.shape).toEqual([101, 2]);
    expect(classCounts(d.labels, 2)).toEqual([50, 51]);
    for (let i = 0; i < 101; i++) {
      const [a, b] = [d.x.data[2 * i], d.x.data[2 * i + 1]];
      expect(d.y.data[i]).toBe(d.labels[i]);
      if (d.labels[i] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 5);
        expect(b).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 5);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  it('is shuffled and deterministic per seed', () => {
    const d = twoMoons({ n: 200, seed: 1 });
    expect(new Set(Array.from(d.labels.subarray(0, 20))).size).toBe(2);
    expect(twoMoons({ n: 200, seed: 1 }).x.data).toEqual(d.x.data);
    expect(twoMoons({ n: 200, seed: 2 }).x.data).not.toEqual(d.x.data);
  });
});

describe('spirals', () => {
  it('gives `classes` arms with as-even-as-possible sizes, radius in [0, 1]', () => {
    const d = spirals({ n: 301, classes: 3, seed: 0 });
    expect(d.x.shape).toEqual([301, 2]);
    expect(d.y.shape).toEqual([301]);
    expect(classCounts(d.labels, 3)).toEqual([101, 100, 100]);
    for (let i = 0; i < 301; i++) expect(Math.hypot(d.x.data[2 * i], d.x.data[2 * i + 1])).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('without noise, arm c at radius r has angle 2 pi c / classes + 2 pi turns r', () => {
    const d = spirals({ n: 40, classes: 4, noise: 0, turns: 0.5, seed: 0, dtype: 'float64' });
    for (let i = 0; i < 40; i++) {
      const [a, b] = [d.x.data[2 * i], d.x.data[2 * i + 1]];
      const r = Math.hypot(a, b);
      if (r < 1e-9) continue;
      const angle = (2 * Math.PI * d.labels[i]) / 4 + Math.PI * r;
      expect(a).toBeCloseTo(r * Math.cos(angle), 9);
      expect(b).toBeCloseTo(r * Math.sin(angle), 9);
    }
  });

  it('is deterministic per seed', () => {
    expect(spirals({ seed: 7 }).x.data).toEqual(spirals({ seed: 7 }).x.data);
    expect(spirals({ seed: 7 }).x.data).not.toEqual(spirals({ seed: 8 }).x.data);
  });
});

describe('gaussianBlobs', () => {
  it('centres each class on its given centre with the given spread', () => {
    const centers = [
      [0, 0],
      [10, -10],
    ];
    const d = gaussianBlobs({ n: 4000, centers, std: [0.5, 2], seed: 1, dtype: 'float64' });
    expect(d.x.shape).toEqual([4000, 2]);
    expect(d.centers).toEqual(centers);
    for (let c = 0; c < 2; c++) {
      let m0 = 0;
      let m1 = 0;
      let ss = 0;
      let k = 0;
      for (let i = 0; i < 4000; i++) {
        if (d.labels[i] !== c) continue;
        m0 += d.x.data[2 * i];
        m1 += d.x.data[2 * i + 1];
        k++;
      }
      m0 /= k;
      m1 /= k;
      for (let i = 0; i < 4000; i++) if (d.labels[i] === c) ss += (d.x.data[2 * i] - m0) ** 2;
      expect(k).toBe(2000);
      expect(m0).toBeCloseTo(centers[c][0], 0);
      expect(m1).toBeCloseTo(centers[c][1], 0);
      expect(Math.sqrt(ss / k)).toBeCloseTo(c === 0 ? 0.5 : 2, 1);
    }
  });

  it('draws centres in the box when given a count, in the requested dimension', () => {
    const d = gaussianBlobs({ n: 30, centers: 4, dim: 3, box: [-1, 1], seed: 2 });
    expect(d.x.shape).toEqual([30, 3]);
    expect(d.centers.length).toBe(4);
    for (const c of d.centers) for (const v of c) expect(Math.abs(v)).toBeLessThan(1);
    expect(gaussianBlobs({ n: 30, centers: 4, dim: 3, box: [-1, 1], seed: 2 }).x.data).toEqual(d.x.data);
  });

  it('rejects mismatched options', () => {
    expect(() => gaussianBlobs({ centers: [[0, 0], [1]] })).toThrow('gaussianBlobs: every centre needs the same positive dimension');
    expect(() => gaussianBlobs({ centers: 2, std: [1, 2, 3] })).toThrow('gaussianBlobs: std needs one value per centre (2), got 3');
  });
});
