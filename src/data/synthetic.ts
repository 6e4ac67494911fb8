/**
 * Small seeded datasets for the lectures: noisy 1-D polynomial regression (overfitting, weight
 * decay), two moons and spirals (2-D classification with curved boundaries), Gaussian blobs.
 * Each function draws from its own `Generator(seed)`, so the same options give the same data on
 * every machine. Classification sets are generated class by class and then put in one random
 * order; y holds the class as a float, `labels` the same classes as integers.
 */
import { Tensor } from '../autograd/tensor';
import { allocate, checkDType, type DType } from '../tensor/dtype';
import { Generator } from '../tensor/random';
import { checkOptions } from '../util/options';

/** A regression set: x [n, 1], y [n, 1], and the noise-free function that made y. */
export interface RegressionData {
  x: Tensor;
  y: Tensor;
  /** The function without noise, for plotting the truth beside a fit. */
  trueFn: (x: number) => number;
  /** Its coefficients c0, c1, ... (f(x) = sum c_k x^k), or null when `fn` was given. */
  coefficients: number[] | null;
}

/** A classification set: x [n, d], y [n] class numbers as floats, and the same as integers. */
export interface ClassificationData {
  x: Tensor;
  y: Tensor;
  labels: Int32Array;
}

/** Options shared by the synthetic sets. */
export interface SyntheticOptions {
  /** Number of examples. */
  n?: number;
  /** Seed of the set's own generator (default 0). */
  seed?: number;
  /** dtype of x and y (default 'float32'). */
  dtype?: DType;
}

/** Options of `polynomialRegression`. */
export interface PolynomialOptions extends SyntheticOptions {
  /** Degree of a polynomial with standard-normal coefficients (default 3), if neither of the next two is given. */
  degree?: number;
  /** Coefficients c0, c1, ... of the true polynomial. */
  coefficients?: readonly number[];
  /** Any true function instead of a polynomial. */
  fn?: (x: number) => number;
  /** Standard deviation of the Gaussian noise added to y (default 0.1). */
  noise?: number;
  /** x is drawn uniformly from [lo, hi) (default [-1, 1]). */
  xRange?: readonly [number, number];
}

/** Options of `twoMoons`. */
export interface MoonsOptions extends SyntheticOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
}

/** Options of `spirals`. */
export interface SpiralsOptions extends SyntheticOptions {
  /** Number of arms, one per class (default 3). */
  classes?: number;
  /** Standard deviation of the Gaussian noise added to each point's angle, in radians (default 0.2). */
  noise?: number;
  /** How many full turns each arm makes from the centre to radius 1 (default 0.75). */
  turns?: number;
}

/** Options of `gaussianBlobs`. */
export interface BlobsOptions extends SyntheticOptions {
  /** A number of centres drawn uniformly in `box` (default 3), or the centres themselves. */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each blob, one for all or one per centre (default 1). */
  std?: number | readonly number[];
  /** Dimension of drawn centres (default 2). */
  dim?: number;
  /** Drawn centres' coordinates are uniform in [lo, hi) (default [-10, 10]). */
  box?: readonly [number, number];
}

function checkCount(value: number, name: string, where: string, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${where}: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

function checkNonNegative(value: number, name: string, where: string): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number >= 0, got ${value}`);
  }
}

/** How many of n examples each of k classes gets: floor(n / k), the first n % k classes one more. */
function classSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

/** Puts class-ordered points in one random order drawn from `g` and wraps them as tensors. */
function shuffledClassification(
  points: Float64Array,
  classes: Int32Array,
  dim: number,
  g: Generator,
  dtype: DType,
): ClassificationData {
  const n = classes.length;
  const order = g.permutation(n);
  const x = allocate(dtype, n * dim);
  const y = allocate(dtype, n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = order[i];
    for (let d = 0; d < dim; d++) x[i * dim + d] = points[j * dim + d];
    labels[i] = classes[j];
    y[i] = classes[j];
  }
  return { x: new Tensor(x, [n, dim]), y: new Tensor(y, [n]), labels };
}

/**
 * y = f(x) + noise * N(0, 1) with x ~ U[xRange), f a polynomial (given or drawn) or any `fn`.
 * Draw order: the coefficients (if drawn), then every x, then every noise value.
 */
export function polynomialRegression(options: PolynomialOptions = {}): RegressionData {
  const where = 'polynomialRegression';
  checkOptions(where, options, ['n', 'seed', 'dtype', 'degree', 'coefficients', 'fn', 'noise', 'xRange']);
  const { n = 100, seed = 0, noise = 0.1, degree = 3 } = options;
  const [lo, hi] = options.xRange ?? [-1, 1];
  const dtype = checkDType(options.dtype ?? 'float32', where);
  checkCount(n, 'n', where);
  checkNonNegative(noise, 'noise', where);
  if (!(hi > lo)) throw new RangeError(`${where}: xRange must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
  const g = new Generator(seed);
  let coefficients: number[] | null = null;
  let trueFn: (x: number) => number;
  if (options.fn !== undefined) {
    trueFn = options.fn;
  } else {
    if (options.coefficients === undefined) checkCount(degree, 'degree', where, 0);
    const c = options.coefficients !== undefined ? options.coefficients.slice() : Array.from({ length: degree + 1 }, () => g.normal());
    if (c.length === 0) throw new RangeError(`${where}: coefficients must not be empty`);
    coefficients = c;
    trueFn = (t: number): number => {
      let acc = 0;
      for (let k = c.length - 1; k >= 0; k--) acc = acc * t + c[k]; // Horner's rule
      return acc;
    };
  }
  const x = allocate(dtype, n);
  const y = allocate(dtype, n);
  for (let i = 0; i < n; i++) x[i] = lo + (hi - lo) * g.uniform();
  for (let i = 0; i < n; i++) y[i] = trueFn(x[i]) + noise * g.normal();
  return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n, 1]), trueFn, coefficients };
}

/**
 * Two interleaving half circles: class 0 at (cos t, sin t), class 1 at (1 - cos t, 0.5 - sin t),
 * t evenly spaced in [0, pi] (floor(n/2) points in class 0, the rest in class 1), plus
 * noise * N(0, 1) on each coordinate, then shuffled.
 */
export function twoMoons(options: MoonsOptions = {}): ClassificationData {
  const where = 'twoMoons';
  checkOptions(where, options, ['n', 'seed', 'dtype', 'noise']);
  const { n = 200, seed = 0, noise = 0.1 } = options;
  const dtype = checkDType(options.dtype ?? 'float32', where);
  checkCount(n, 'n', where, 2);
  checkNonNegative(noise, 'noise', where);
  const g = new Generator(seed);
  const nOuter = Math.floor(n / 2);
  const points = new Float64Array(2 * n);
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i >= nOuter;
    const m = inner ? n - nOuter : nOuter;
    const k = inner ? i - nOuter : i;
    const t = m === 1 ? 0 : (Math.PI * k) / (m - 1);
    points[2 * i] = (inner ? 1 - Math.cos(t) : Math.cos(t)) + noise * g.normal();
    points[2 * i + 1] = (inner ? 0.5 - Math.sin(t) : Math.sin(t)) + noise * g.normal();
    classes[i] = inner ? 1 : 0;
  }
  return shuffledClassification(points, classes, 2, g, dtype);
}

/**
 * `classes` spiral arms around the origin: arm c's j-th of m points has radius r = j / (m - 1) and
 * angle 2 pi c / classes + 2 pi turns r + noise * N(0, 1); the point is (r cos angle, r sin angle).
 */
export function spirals(options: SpiralsOptions = {}): ClassificationData {
  const where = 'spirals';
  checkOptions(where, options, ['n', 'seed', 'dtype', 'classes', 'noise', 'turns']);
  const { n = 300, seed = 0, classes = 3, noise = 0.2, turns = 0.75 } = options;
  const dtype = checkDType(options.dtype ?? 'float32', where);
  checkCount(classes, 'classes', where);
  checkCount(n, 'n', where, classes);
  checkNonNegative(noise, 'noise', where);
  checkNonNegative(turns, 'turns', where);
  const g = new Generator(seed);
  const points = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  let i = 0;
  classSizes(n, classes).forEach((m, c) => {
    for (let j = 0; j < m; j++, i++) {
      const r = m === 1 ? 1 : j / (m - 1);
      const angle = (2 * Math.PI * c) / classes + 2 * Math.PI * turns * r + noise * g.normal();
      points[2 * i] = r * Math.cos(angle);
      points[2 * i + 1] = r * Math.sin(angle);
      labels[i] = c;
    }
  });
  return shuffledClassification(points, labels, 2, g, dtype);
}

/**
 * Isotropic Gaussian blobs: class c's points are centre_c + std_c * N(0, I). Centres are given or
 * drawn uniformly in `box` (drawn first); class sizes are as even as possible; then shuffled.
 */
export function gaussianBlobs(options: BlobsOptions = {}): ClassificationData & { centers: number[][] } {
  const where = 'gaussianBlobs';
  checkOptions(where, options, ['n', 'seed', 'dtype', 'centers', 'std', 'dim', 'box']);
  const { n = 300, seed = 0, dim = 2 } = options;
  const [lo, hi] = options.box ?? [-10, 10];
  const dtype = checkDType(options.dtype ?? 'float32', where);
  const g = new Generator(seed);
  const spec = options.centers ?? 3;
  let centers: number[][];
  if (typeof spec === 'number') {
    checkCount(spec, 'centers', where);
    checkCount(dim, 'dim', where);
    if (!(hi > lo)) throw new RangeError(`${where}: box must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
    centers = Array.from({ length: spec }, () => Array.from({ length: dim }, () => lo + (hi - lo) * g.uniform()));
  } else {
    centers = spec.map((c) => c.slice());
    if (centers.length === 0) throw new RangeError(`${where}: centers must not be empty`);
    const d0 = centers[0].length;
    centers.forEach((c, k) => {
      if (c.length !== d0 || d0 === 0) {
        throw new RangeError(`${where}: every centre needs the same positive dimension, centre 0 has ${d0}, centre ${k} has ${c.length}`);
      }
    });
  }
  const k = centers.length;
  const d = centers[0].length;
  const stds = typeof options.std === 'object' ? options.std.slice() : new Array<number>(k).fill(options.std ?? 1);
  if (stds.length !== k) throw new RangeError(`${where}: std needs one value per centre (${k}), got ${stds.length}`);
  stds.forEach((s) => checkNonNegative(s, 'std', where));
  checkCount(n, 'n', where, k);
  const points = new Float64Array(n * d);
  const labels = new Int32Array(n);
  let i = 0;
  classSizes(n, k).forEach((m, c) => {
    for (let j = 0; j < m; j++, i++) {
      for (let a = 0; a < d; a++) points[i * d + a] = centers[c][a] + stds[c] * g.normal();
      labels[i] = c;
    }
  });
  return { ...shuffledClassification(points, labels, d, g, dtype), centers };
}
