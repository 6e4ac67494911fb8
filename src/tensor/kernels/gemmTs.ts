/**
 * Plain TypeScript matrix multiply for both dtypes: out[m, n] = op(A) · op(B). op(A) is A [m, k], or
 * the transpose of A stored as [k, m] when transA; op(B) likewise is [k, n] or stored [n, k].
 *
 * Dense path: op(B) is packed into panels of 4 columns and op(A) into slivers of 4 rows, both as
 * float64 laid out p-major, so a 4x4 tile of 16 accumulators streams two contiguous arrays whatever
 * the transposition (the backward products run as fast as the forward one). Sums run in float64 and
 * are rounded once on the store.
 *
 * Sparse path: when most entries of op(A) are zero (ReLU activations, MNIST pixels) and op(B) is
 * finite, zero entries are skipped. That is exact: each output still sums its nonzero products in
 * order of p in float64, and 0 · b is ±0 for finite b, which leaves a sum that started at +0 unchanged.
 */
import type { DataArray } from '../dtype';

const MR = 4;
const NR = 4;
/** Columns of op(B) packed at a time, so the packed block stays small for a huge B. */
const NC = 256;
/** Fraction of zeros in op(A) above which skipping them beats the dense tile. */
const SPARSE_THRESHOLD = 0.75;

let packA = new Float64Array(0);
let packB = new Float64Array(0);
let rowAcc = new Float64Array(0);
let rowVal = new Float64Array(0);
let rowIdx = new Int32Array(0);

/** out[m, n] = op(a) @ op(b) in plain TypeScript; out is overwritten and may not alias a or b. */
export function gemmTs(
  a: DataArray,
  b: DataArray,
  out: DataArray,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, 0, m * n);
    return;
  }
  if (!transB && zeroFraction(a, m * k) >= SPARSE_THRESHOLD && allFinite(b, k * n)) {
    sparseRows(a, b, out, m, k, n, transA);
    return;
  }
  dense(a, b, out, m, k, n, transA, transB);
}

/** Fraction of the first `count` entries of x equal to zero. */
function zeroFraction(x: DataArray, count: number): number {
  let zeros = 0;
  for (let i = 0; i < count; i++) if (x[i] === 0) zeros++;
  return zeros / count;
}

/** True when the first `count` entries of x are all finite. */
function allFinite(x: DataArray, count: number): boolean {
  let s = 0;
  for (let i = 0; i < count; i++) s += x[i] - x[i]; // 0 for finite x, NaN for ±Infinity and NaN
  return s === 0;
}

function dense(
  a: DataArray,
  b: DataArray,
  out: DataArray,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (packA.length < MR * k) packA = new Float64Array(MR * k);
  if (packB.length < Math.min(n + NR, NC) * k) packB = new Float64Array(Math.min(n + NR, NC) * k);
  const pa = packA;
  const pb = packB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    // Pack op(B)[:, jc .. jc+nc] into panels [k][NR], zero-padded on the right.
    for (let jr = 0; jr < nc; jr += NR) {
      const base = jr * k;
      for (let q = 0; q < NR; q++) {
        const j = jc + jr + q;
        if (j >= jc + nc) {
          for (let p = 0; p < k; p++) pb[base + p * NR + q] = 0;
        } else if (transB) {
          const row = j * k;
          for (let p = 0; p < k; p++) pb[base + p * NR + q] = b[row + p];
        } else {
          for (let p = 0, s = j; p < k; p++, s += n) pb[base + p * NR + q] = b[s];
        }
      }
    }
    for (let i0 = 0; i0 < m; i0 += MR) {
      const mr = Math.min(MR, m - i0);
      // Pack op(A)[i0 .. i0+MR, :] into [k][MR], zero-padded below.
      if (transA && mr === MR) {
        for (let p = 0, s = i0; p < k; p++, s += m) {
          pa[p * MR] = a[s];
          pa[p * MR + 1] = a[s + 1];
          pa[p * MR + 2] = a[s + 2];
          pa[p * MR + 3] = a[s + 3];
        }
      } else {
        for (let r = 0; r < MR; r++) {
          const i = i0 + r;
          if (i >= m) {
            for (let p = 0; p < k; p++) pa[p * MR + r] = 0;
          } else if (transA) {
            for (let p = 0; p < k; p++) pa[p * MR + r] = a[p * m + i];
          } else {
            const row = i * k;
            for (let p = 0; p < k; p++) pa[p * MR + r] = a[row + p];
          }
        }
      }
      for (let jr = 0; jr < nc; jr += NR) {
        tile4x4(pa, pb, jr * k, k, out, i0 * n + jc + jr, n, mr, Math.min(NR, nc - jr));
      }
    }
  }
}

// The 4x4 register tile: 16 float64 accumulators, 4 loads of A and 4 of B per step of p.
function tile4x4(
  pa: Float64Array,
  pb: Float64Array,
  bo: number,
  k: number,
  out: DataArray,
  o: number,
  n: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0, ao = 0; p < k; p++, ao += 4, bo += 4) {
    const b0 = pb[bo], b1 = pb[bo + 1], b2 = pb[bo + 2], b3 = pb[bo + 3];
    let x = pa[ao];
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
    x = pa[ao + 1];
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
    x = pa[ao + 2];
    c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
    x = pa[ao + 3];
    c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
  }
  if (mr === MR && nr === NR) {
    out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
    o += n;
    out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13;
    o += n;
    out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23;
    o += n;
    out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
    return;
  }
  const t = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < mr; r++) for (let q = 0; q < nr; q++) out[o + r * n + q] = t[r * NR + q];
}

// Row by row of op(A): gather its nonzero entries, then acc[:] += a[i, p] * B[p, :] over them only,
// four at a time. Written as acc + a0·b0 + a1·b1 + ..., left to right, so each sum still runs in
// order of p with one float64 rounding per term, exactly as in the dense tile.
function sparseRows(
  a: DataArray,
  b: DataArray,
  out: DataArray,
  m: number,
  k: number,
  n: number,
  transA: boolean,
): void {
  if (rowAcc.length < n) rowAcc = new Float64Array(n);
  if (rowVal.length < k) {
    rowVal = new Float64Array(k);
    rowIdx = new Int32Array(k);
  }
  const acc = rowAcc;
  const val = rowVal;
  const idx = rowIdx;
  for (let i = 0; i < m; i++) {
    let nnz = 0;
    for (let p = 0; p < k; p++) {
      const av = transA ? a[p * m + i] : a[i * k + p];
      idx[nnz] = p * n; // branch-free gather: always write, advance past nonzeros only
      val[nnz] = av;
      nnz += av !== 0 ? 1 : 0;
    }
    acc.fill(0, 0, n);
    let t = 0;
    for (; t + 4 <= nnz; t += 4) {
      const a0 = val[t], a1 = val[t + 1], a2 = val[t + 2], a3 = val[t + 3];
      const o0 = idx[t], o1 = idx[t + 1], o2 = idx[t + 2], o3 = idx[t + 3];
      for (let j = 0; j < n; j++) acc[j] = acc[j] + a0 * b[o0 + j] + a1 * b[o1 + j] + a2 * b[o2 + j] + a3 * b[o3 + j];
    }
    for (; t < nnz; t++) {
      const a0 = val[t], o0 = idx[t];
      for (let j = 0; j < n; j++) acc[j] += a0 * b[o0 + j];
    }
    const o = i * n;
    for (let j = 0; j < n; j++) out[o + j] = acc[j];
  }
}
