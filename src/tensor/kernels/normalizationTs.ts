/**
 * Layer and batch normalization in plain TypeScript, forward and backward in one pass each over
 * memory instead of the ~10 passes of their composition. Statistics and the per-element maths run
 * in float64 whatever the dtype (one rounding per stored value). The forward keeps only each row's
 * or channel's mean and r = 1/sqrt(var + eps); the backward recomputes x̂ = (x - mean) · r from x.
 */
import type { DataArray } from '../dtype';

/**
 * Layer norm over `rows` rows of `d` elements: y = (x - μ) · r · γ + β per row, with the biased
 * variance; γ, β (length d, either may be null) apply per position. Writes μ and r of each row.
 */
export function layerNormForwardTs(
  x: DataArray, rows: number, d: number, eps: number, weight: DataArray | null, bias: DataArray | null,
  y: DataArray, mean: Float64Array, rstd: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[o + j];
    const mu = s / d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const t = x[o + j] - mu;
      v += t * t;
    }
    const rs = 1 / Math.sqrt(v / d + eps);
    mean[r] = mu;
    rstd[r] = rs;
    if (weight !== null && bias !== null) {
      for (let j = 0; j < d; j++) y[o + j] = (x[o + j] - mu) * rs * weight[j] + bias[j];
    } else if (weight === null && bias === null) {
      for (let j = 0; j < d; j++) y[o + j] = (x[o + j] - mu) * rs;
    } else {
      for (let j = 0; j < d; j++) y[o + j] = (x[o + j] - mu) * rs * (weight === null ? 1 : weight[j]) + (bias === null ? 0 : bias[j]);
    }
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
  // γ's and β's gradients are summed over rows in float64, then added once.
  const sw = gw === null ? null : new Float64Array(d);
  const sb = gb === null ? null : new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const mu = mean[r];
    const rs = rstd[r];
    // One pass for the row sums and the parameter gradients, one for gx.
    let sg = 0;
    let sgx = 0;
    for (let j = 0; j < d; j++) {
      const gv = g[o + j];
      const xh = (x[o + j] - mu) * rs;
      const gh = weight === null ? gv : gv * weight[j];
      sg += gh;
      sgx += gh * xh;
      if (sw !== null) sw[j] += gv * xh;
      if (sb !== null) sb[j] += gv;
    }
    if (gx === null) continue;
    const mg = sg / d;
    const mgx = sgx / d;
    for (let j = 0; j < d; j++) {
      const gh = weight === null ? g[o + j] : g[o + j] * weight[j];
      gx[o + j] = rs * (gh - mg - (x[o + j] - mu) * rs * mgx);
    }
  }
  for (let j = 0; j < d; j++) {
    if (gw !== null && sw !== null) gw[j] += sw[j];
    if (gb !== null && sb !== null) gb[j] += sb[j];
  }
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
  const shift = new Float64Array(c);
  if (bias !== null) for (let ch = 0; ch < c; ch++) shift[ch] = bias[ch];
  if (l === 1) {
    for (let i = 0; i < n; i++) for (let ch = 0, o = i * c; ch < c; ch++) y[o + ch] = (x[o + ch] - mean[ch]) * scale[ch] + shift[ch];
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
    // Two rows per update of the sums.
    const n2 = n - (n % 2);
    for (let i = 0; i < n2; i += 2) {
      for (let ch = 0, o = i * c; ch < c; ch++) {
        const mu = mean[ch];
        const g0 = g[o + ch];
        const g1 = g[o + c + ch];
        sg[ch] += g0 + g1;
        sgx[ch] += g0 * (x[o + ch] - mu) + g1 * (x[o + c + ch] - mu);
      }
    }
    for (let i = n2; i < n; i++) {
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
    for (let i = 0; i < n; i++) {
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
