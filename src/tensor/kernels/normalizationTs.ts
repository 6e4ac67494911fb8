/**
 * Layer and batch normalization in plain TypeScript, forward and backward in one pass each over
 * memory instead of the ~10 passes of their composition. Statistics and the per-element maths run
 * in float64 whatever the dtype (one rounding per stored value). The forward keeps only each row's
 * or channel's mean and r = 1/sqrt(var + eps); the backward recomputes x̂ = (x - mean) · r from x.
 */
import type { DataArray } from '../dtype';

/** A float64 copy of γ or β (length d; `fill` for null), so the inner loops read one array type and branch on nothing. */
function float64Copy(values: DataArray | null, d: number, fill: number): Float64Array {
  const out = new Float64Array(d);
  if (values === null) out.fill(fill);
  else for (let j = 0; j < d; j++) out[j] = values[j];
  return out;
}

/** Σ x[o .. o + d) with two running sums, each taking a pair of elements (short chains of dependent additions). */
function rowSum(x: DataArray, o: number, d: number): number {
  const d4 = o + d - (d % 4);
  let s0 = 0;
  let s1 = 0;
  for (let j = o; j < d4; j += 4) {
    s0 += x[j] + x[j + 2];
    s1 += x[j + 1] + x[j + 3];
  }
  for (let j = d4; j < o + d; j++) s0 += x[j];
  return s0 + s1;
}

/** Σ (x - mu)² over x[o .. o + d), with four running sums. */
function rowSquaredDeviations(x: DataArray, o: number, d: number, mu: number): number {
  const d4 = o + d - (d % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let j = o; j < d4; j += 4) {
    const t0 = x[j] - mu;
    const t1 = x[j + 1] - mu;
    const t2 = x[j + 2] - mu;
    const t3 = x[j + 3] - mu;
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
  }
  for (let j = d4; j < o + d; j++) {
    const t = x[j] - mu;
    s0 += t * t;
  }
  return s0 + s1 + (s2 + s3);
}

/**
 * Layer norm over `rows` rows of `d` elements: y = (x - μ) · r · γ + β per row, with the biased
 * variance; γ, β (length d, either may be null) apply per position. Writes μ and r of each row.
 */
export function layerNormForwardTs(
  x: DataArray, rows: number, d: number, eps: number, weight: DataArray | null, bias: DataArray | null,
  y: DataArray, mean: Float64Array, rstd: Float64Array,
): void {
  const w = float64Copy(weight, d, 1);
  const b = float64Copy(bias, d, 0);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const mu = rowSum(x, o, d) / d;
    const rs = 1 / Math.sqrt(rowSquaredDeviations(x, o, d, mu) / d + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (let j = 0; j < d; j++) y[o + j] = (x[o + j] - mu) * rs * w[j] + b[j];
  }
}

/**
 * Layer norm backward from dL/dy = g: with ĝ = g · γ, gx = r · (ĝ - mean(ĝ) - x̂ · mean(ĝ x̂)) per row
 * (gx may be null when x needs no gradient); gw += Σ_rows g · x̂ and gb += Σ_rows g (either may be null).
 */
export function layerNormBackwardTs(
  g: DataArray, x: DataArray, rows: number, d: number, mean: Float64Array, rstd: Float64Array, weight: DataArray | null,
  gx: DataArray | null, gw: DataArray | null, gb: DataArray | null,
): void {
  const w = float64Copy(weight, d, 1);
  // γ's and β's gradients are summed over rows in float64, then added once (both are always
  // summed: skipping them when not wanted would cost a branch per element).
  const sw = new Float64Array(d);
  const sb = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const mu = mean[r];
    const rs = rstd[r];
    // One pass for the row sums and the parameter gradients (two running sums each), one for gx.
    let sg0 = 0;
    let sg1 = 0;
    let sgx0 = 0;
    let sgx1 = 0;
    const d2 = d - (d % 2);
    for (let j = 0; j < d2; j += 2) {
      const g0 = g[o + j];
      const g1 = g[o + j + 1];
      const xh0 = (x[o + j] - mu) * rs;
      const xh1 = (x[o + j + 1] - mu) * rs;
      const gh0 = g0 * w[j];
      const gh1 = g1 * w[j + 1];
      sg0 += gh0;
      sg1 += gh1;
      sgx0 += gh0 * xh0;
      sgx1 += gh1 * xh1;
      sw[j] += g0 * xh0;
      sw[j + 1] += g1 * xh1;
      sb[j] += g0;
      sb[j + 1] += g1;
    }
    if (d2 < d) {
      const gv = g[o + d2];
      const xh = (x[o + d2] - mu) * rs;
      const gh = gv * w[d2];
      sg0 += gh;
      sgx0 += gh * xh;
      sw[d2] += gv * xh;
      sb[d2] += gv;
    }
    if (gx === null) continue;
    const mg = (sg0 + sg1) / d;
    const mgx = (sgx0 + sgx1) / d;
    for (let j = 0; j < d; j++) gx[o + j] = rs * (g[o + j] * w[j] - mg - (x[o + j] - mu) * rs * mgx);
  }
  if (gw !== null) for (let j = 0; j < d; j++) gw[j] += sw[j];
  if (gb !== null) for (let j = 0; j < d; j++) gb[j] += sb[j];
}

/** Per-channel mean and biased variance of x viewed as [n, c, l] (each channel over n · l values). */
export function channelMomentsTs(x: DataArray, n: number, c: number, l: number, mean: Float64Array, variance: Float64Array): void {
  mean.fill(0);
  variance.fill(0);
  const m = n * l;
  if (l === 1) {
    // [N, C]: rows of channels, read in memory order, four rows per update of the sums.
    const n4 = n - (n % 4);
    for (let i = 0; i < n4; i += 4) {
      for (let ch = 0, o = i * c; ch < c; ch++) mean[ch] += x[o + ch] + x[o + c + ch] + x[o + 2 * c + ch] + x[o + 3 * c + ch];
    }
    for (let i = n4; i < n; i++) for (let ch = 0, o = i * c; ch < c; ch++) mean[ch] += x[o + ch];
    for (let ch = 0; ch < c; ch++) mean[ch] /= m;
    for (let i = 0; i < n4; i += 4) {
      for (let ch = 0, o = i * c; ch < c; ch++) {
        const mu = mean[ch];
        const t0 = x[o + ch] - mu;
        const t1 = x[o + c + ch] - mu;
        const t2 = x[o + 2 * c + ch] - mu;
        const t3 = x[o + 3 * c + ch] - mu;
        variance[ch] += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
      }
    }
    for (let i = n4; i < n; i++) {
      for (let ch = 0, o = i * c; ch < c; ch++) {
        const t = x[o + ch] - mean[ch];
        variance[ch] += t * t;
      }
    }
    for (let ch = 0; ch < c; ch++) variance[ch] /= m;
    return;
  }
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const o = (i * c + ch) * l;
      let s = 0;
      for (let k = 0; k < l; k++) s += x[o + k];
      mean[ch] += s;
    }
  }
  for (let ch = 0; ch < c; ch++) mean[ch] /= m;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const o = (i * c + ch) * l;
      const mu = mean[ch];
      let s = 0;
      for (let k = 0; k < l; k++) {
        const t = x[o + k] - mu;
        s += t * t;
      }
      variance[ch] += s;
    }
  }
  for (let ch = 0; ch < c; ch++) variance[ch] /= m;
}

/** Per-channel factor r · γ (γ = 1 when weight is null). */
function channelScale(c: number, rstd: Float64Array, weight: DataArray | null): Float64Array {
  const scale = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) scale[ch] = weight === null ? rstd[ch] : rstd[ch] * weight[ch];
  return scale;
}

/** Batch norm of x viewed as [n, c, l] with given per-channel μ and r: y = (x - μ) · r · γ + β (γ, β may be null). */
export function batchNormForwardTs(
  x: DataArray, n: number, c: number, l: number, mean: Float64Array, rstd: Float64Array,
  weight: DataArray | null, bias: DataArray | null, y: DataArray,
): void {
  const scale = channelScale(c, rstd, weight);
  const shift = float64Copy(bias, c, 0);
  if (l === 1) {
    // [N, C]: two rows per read of a channel's factors.
    const n2 = n - (n % 2);
    for (let i = 0; i < n2; i += 2) {
      for (let ch = 0, o = i * c; ch < c; ch++) {
        const mu = mean[ch];
        const sc = scale[ch];
        const b = shift[ch];
        y[o + ch] = (x[o + ch] - mu) * sc + b;
        y[o + c + ch] = (x[o + c + ch] - mu) * sc + b;
      }
    }
    for (let i = n2; i < n; i++) for (let ch = 0, o = i * c; ch < c; ch++) y[o + ch] = (x[o + ch] - mean[ch]) * scale[ch] + shift[ch];
    return;
  }
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const o = (i * c + ch) * l;
      const mu = mean[ch];
      const sc = scale[ch];
      const b = shift[ch];
      for (let k = 0; k < l; k++) y[o + k] = (x[o + k] - mu) * sc + b;
    }
  }
}

/**
 * Batch norm backward from dL/dy = g over x viewed as [n, c, l], with m = n · l values per channel.
 * With the batch's own statistics (`batchStats`), the gradient also flows through μ and σ²:
 * gx = r γ (g - Σg/m - x̂ · Σ(g x̂)/m); with fixed (running) statistics gx = r γ g. gx may be null;
 * gw += Σ g x̂ and gb += Σ g per channel (either may be null).
 */
export function batchNormBackwardTs(
  g: DataArray, x: DataArray, n: number, c: number, l: number, mean: Float64Array, rstd: Float64Array,
  weight: DataArray | null, batchStats: boolean, gx: DataArray | null, gw: DataArray | null, gb: DataArray | null,
): void {
  const sg = new Float64Array(c);
  const sgx = new Float64Array(c);
  if (l === 1) {
    // Four rows per update of the sums.
    const n4 = n - (n % 4);
    for (let i = 0; i < n4; i += 4) {
      for (let ch = 0, o = i * c; ch < c; ch++) {
        const mu = mean[ch];
        const g0 = g[o + ch];
        const g1 = g[o + c + ch];
        const g2 = g[o + 2 * c + ch];
        const g3 = g[o + 3 * c + ch];
        sg[ch] += g0 + g1 + (g2 + g3);
        sgx[ch] += g0 * (x[o + ch] - mu) + g1 * (x[o + c + ch] - mu) + (g2 * (x[o + 2 * c + ch] - mu) + g3 * (x[o + 3 * c + ch] - mu));
      }
    }
    for (let i = n4; i < n; i++) {
      for (let ch = 0, o = i * c; ch < c; ch++) {
        const gv = g[o + ch];
        sg[ch] += gv;
        sgx[ch] += gv * (x[o + ch] - mean[ch]);
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let ch = 0; ch < c; ch++) {
        const o = (i * c + ch) * l;
        const mu = mean[ch];
        let a = 0;
        let b = 0;
        for (let k = 0; k < l; k++) {
          a += g[o + k];
          b += g[o + k] * (x[o + k] - mu);
        }
        sg[ch] += a;
        sgx[ch] += b;
      }
    }
  }
  for (let ch = 0; ch < c; ch++) {
    sgx[ch] *= rstd[ch];
    if (gw !== null) gw[ch] += sgx[ch];
    if (gb !== null) gb[ch] += sg[ch];
  }
  if (gx === null) return;
  // gx = sc · (g - mg - (x - μ) · k) per channel: sc = r γ, and with batch statistics mg = Σg/m,
  // k = r · Σ(g x̂)/m; with fixed statistics both are 0.
  const scale = channelScale(c, rstd, weight);
  const m = n * l;
  const mg = new Float64Array(c);
  const k = new Float64Array(c);
  if (batchStats) {
    for (let ch = 0; ch < c; ch++) {
      mg[ch] = sg[ch] / m;
      k[ch] = (rstd[ch] * sgx[ch]) / m;
    }
  }
  if (l === 1) {
    // Two rows per read of a channel's factors.
    const n2 = n - (n % 2);
    for (let i = 0; i < n2; i += 2) {
      for (let ch = 0, o = i * c; ch < c; ch++) {
        const sc = scale[ch];
        const a = mg[ch];
        const mu = mean[ch];
        const b = k[ch];
        gx[o + ch] = sc * (g[o + ch] - a - (x[o + ch] - mu) * b);
        gx[o + c + ch] = sc * (g[o + c + ch] - a - (x[o + c + ch] - mu) * b);
      }
    }
    for (let i = n2; i < n; i++) {
      for (let ch = 0, o = i * c; ch < c; ch++) gx[o + ch] = scale[ch] * (g[o + ch] - mg[ch] - (x[o + ch] - mean[ch]) * k[ch]);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const o = (i * c + ch) * l;
      const sc = scale[ch];
      const mu = mean[ch];
      const a = mg[ch];
      const b = k[ch];
      for (let q = 0; q < l; q++) gx[o + q] = sc * (g[o + q] - a - (x[o + q] - mu) * b);
    }
  }
}

/** One implementation of the normalization kernels (the contracts above). */
export interface NormalizationKernels {
  readonly layerNormForward: typeof layerNormForwardTs;
  readonly layerNormBackward: typeof layerNormBackwardTs;
  readonly channelMoments: typeof channelMomentsTs;
  readonly batchNormForward: typeof batchNormForwardTs;
  readonly batchNormBackward: typeof batchNormBackwardTs;
}

/** The TypeScript normalization kernels. */
export const normalizationTs: NormalizationKernels = {
  layerNormForward: layerNormForwardTs,
  layerNormBackward: layerNormBackwardTs,
  channelMoments: channelMomentsTs,
  batchNormForward: batchNormForwardTs,
  batchNormBackward: batchNormBackwardTs,
};
