// Float32 matrix multiply for WebAssembly SIMD, compiled by AssemblyScript (not tsc) into
// dist/tensor/kernels/wasm/gemm.wasm. All pointers are byte offsets into the one linear memory, which
// the JavaScript side owns and lays out (see ../module.ts and ../gemmWasm.ts); nothing here allocates.
//
// C[m, n] = op(A)[m, k] · op(B)[k, n], with op(A)[i, p] = transA ? A[p*lda + i] : A[i*lda + p] and
// op(B)[p, j] = transB ? B[j*ldb + p] : B[p*ldb + j]. The blocked loop follows the usual BLAS plan:
// a KC x NC block of op(B) and an MC x KC block of op(A) are packed into slivers, so the 4x8 register
// tile below always streams contiguous memory whatever the transposition; the transposed products of
// backpropagation therefore run exactly as fast as the forward one.
//
// Edges cost no scratch copies: C must have room for m rounded up to 4 rows and `paddedColumns(n)`
// columns (the caller owns that memory and copies out the m x n corner), so every tile is written
// whole. A last panel of 1 to 4 columns is packed 4 wide and runs a 4x4 tile, so a 10-column product
// computes 12 columns, not 16.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;
const PACK_A_BYTES: i32 = MC * KC * 4;
const PACK_B_BYTES: i32 = KC * NC * 4;
const SPARSE_CHUNK: i32 = 24;

/** Rows of op(A) whose nonzeros `gemmSparseA` gathers at a time: about 1 MiB of scratch. */
function sparseRows(k: i32): i32 {
  return max(1, (1 << 20) / (k * 8));
}

/** Rows of B that one pass of `gemmSparseA` reads: a column block of them stays in the 32 KiB L1 cache. */
const SPARSE_PASS_ROWS: i32 = 128;

/** Passes of `gemmSparseA` over B for inner size k. */
function sparsePasses(k: i32): i32 {
  return (k + SPARSE_PASS_ROWS - 1) / SPARSE_PASS_ROWS;
}

/** Bytes of scratch that one call of `gemm` (m rows of C, inner size k) or `gemmSparseA` needs at `work`. */
export function workBytes(m: i32, k: i32): i32 {
  const dense = PACK_A_BYTES + PACK_B_BYTES;
  const rows = min(m, sparseRows(k));
  const sparse = rows * (sparsePasses(k) + 1) * 4 + rows * k * 8;
  return dense > sparse ? dense : sparse;
}

/** Columns `gemm` writes for n columns of C: n rounded up to 8, or to 4 when that is enough. */
export function paddedColumns(n: i32): i32 {
  const r = n & 7;
  return r == 0 ? n : n - r + (r <= 4 ? 4 : 8);
}

/** Width of the packed panel that starts at column jr of an nc-column block: 8, or 4 for a last 1 to 4. */
@inline
function panelWidth(jr: i32, nc: i32): i32 {
  return nc - jr <= 4 ? 4 : NR;
}

// The 4x4 register tile of a narrow last panel: 4 accumulators, one load of B and four splats per p.
@inline
function tile4x4(ap: usize, bp: usize, cp: usize, ldc: usize, kc: i32, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  if (acc) {
    c0 = v128.load(cp); c1 = v128.load(cp + ldc); c2 = v128.load(cp + 2 * ldc); c3 = v128.load(cp + 3 * ldc);
  }
  const bEnd = bp + <usize>kc * 16;
  do {
    const b0 = v128.load(bp);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ap), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(ap, 4), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(ap, 8), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(ap, 12), b0));
    ap += 16;
    bp += 16;
  } while (bp < bEnd);
  v128.store(cp, c0);
  v128.store(cp + ldc, c1);
  v128.store(cp + 2 * ldc, c2);
  v128.store(cp + 3 * ldc, c3);
}

// The 4x8 register tile: 8 accumulators of 4 lanes; per step of p, two loads of B, four splats of A.
// The accumulators start from C when `acc` (later KC blocks), so each element sums p in order.
// The loop runs on B's pointer against its end (kc ≥ 1): V8 then keeps the bound in a register and
// checks it once per unrolled step, which makes the tile 10-20% faster than a counted loop. It is not
// unrolled by hand: V8 issues all loads of a step first, and twice the loads no longer fit 15 registers.
@inline
function tile4x8(ap: usize, bp: usize, cp: usize, ldc: usize, kc: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (acc) {
    c00 = v128.load(cp); c01 = v128.load(cp, 16);
    c10 = v128.load(cp + ldc); c11 = v128.load(cp + ldc, 16);
    c20 = v128.load(cp + 2 * ldc); c21 = v128.load(cp + 2 * ldc, 16);
    c30 = v128.load(cp + 3 * ldc); c31 = v128.load(cp + 3 * ldc, 16);
  }
  const bEnd = bp + <usize>kc * 32;
  do {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  } while (bp < bEnd);
  v128.store(cp, c00); v128.store(cp, c01, 16);
  cp += ldc;
  v128.store(cp, c10); v128.store(cp, c11, 16);
  cp += ldc;
  v128.store(cp, c20); v128.store(cp, c21, 16);
  cp += ldc;
  v128.store(cp, c30); v128.store(cp, c31, 16);
}

// Writes four rows r0..r3 (4 floats each, starting at the given addresses) as four columns at dst,
// dst + stride, ...: a 4x4 transpose by shuffles.
@inline
function transpose4(r0: usize, r1: usize, r2: usize, r3: usize, dst: usize, stride: usize): void {
  const x0 = v128.load(r0), x1 = v128.load(r1), x2 = v128.load(r2), x3 = v128.load(r3);
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

// op(A)[ic .. ic+mc, pc .. pc+kc] -> slivers of MR rows, each laid out p-major: [kc][MR], zero-padded.
function packA(a: usize, lda: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const out = dst + <usize>(ir * kc) * 4;
    if (transA) {
      let src = a + (<usize>pc * lda + ic + ir) * 4;
      if (mr == MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(out + <usize>p * 16, v128.load(src));
          src += <usize>lda * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(out + <usize>(p * MR + r) * 4, r < mr ? load<f32>(src + <usize>r * 4) : 0);
          }
          src += <usize>lda * 4;
        }
      }
    } else {
      const row = a + (<usize>(ic + ir) * lda + pc) * 4;
      const rs = <usize>lda * 4;
      if (mr == MR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p * 4;
          transpose4(row + o, row + rs + o, row + 2 * rs + o, row + 3 * rs + o, out + <usize>p * 16, 16);
        }
        for (; p < kc; p++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(out + <usize>(p * MR + r) * 4, load<f32>(row + <usize>r * rs + <usize>p * 4));
          }
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(out + <usize>(p * MR + r) * 4, r < mr ? load<f32>(row + <usize>r * rs + <usize>p * 4) : 0);
          }
        }
      }
    }
  }
}

// op(B)[pc .. pc+kc, jc .. jc+nc] -> panels of NR columns, each laid out p-major: [kc][NR], zero-padded;
// a last panel of 1 to 4 columns is [kc][4].
function packB(b: usize, ldb: i32, transB: bool, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const w = panelWidth(jr, nc);
    const out = dst + <usize>(jr * kc) * 4;
    if (!transB) {
      let src = b + (<usize>pc * ldb + jc + jr) * 4;
      if (nr == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(out + <usize>p * 32, v128.load(src));
          v128.store(out + <usize>p * 32, v128.load(src, 16), 16);
          src += <usize>ldb * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let q = 0; q < w; q++) {
            store<f32>(out + <usize>(p * w + q) * 4, q < nr ? load<f32>(src + <usize>q * 4) : 0);
          }
          src += <usize>ldb * 4;
        }
      }
    } else {
      const row = b + (<usize>(jc + jr) * ldb + pc) * 4;
      const rs = <usize>ldb * 4;
      if (nr == NR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p * 4;
          const d = out + <usize>p * 32;
          transpose4(row + o, row + rs + o, row + 2 * rs + o, row + 3 * rs + o, d, 32);
          const r4 = row + 4 * rs;
          transpose4(r4 + o, r4 + rs + o, r4 + 2 * rs + o, r4 + 3 * rs + o, d + 16, 32);
        }
        for (; p < kc; p++) {
          for (let q = 0; q < NR; q++) {
            store<f32>(out + <usize>(p * NR + q) * 4, load<f32>(row + <usize>q * rs + <usize>p * 4));
          }
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let q = 0; q < w; q++) {
            store<f32>(out + <usize>(p * w + q) * 4, q < nr ? load<f32>(row + <usize>q * rs + <usize>p * 4) : 0);
          }
        }
      }
    }
  }
}

/**
 * C[m, n] (row stride ldc) = op(A) · op(B); C is overwritten, with room for m rounded up to 4 rows
 * and ldc ≥ paddedColumns(n) columns (the padding receives sums of zero-padded operands). `work`
 * holds workBytes(m, k) bytes.
 */
export function gemm(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  m: i32, k: i32, n: i32, transA: bool, transB: bool, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc * 4, 0, <usize>n * 4);
    return;
  }
  const pa = work;
  const pb = work + PACK_A_BYTES;
  const cs = <usize>ldc * 4;
  const blocks = (k + KC - 1) / KC;
  const kstep = (k + blocks - 1) / blocks; // even KC blocks: 784 = 3 x 262, not 256 + 256 + 256 + 16
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kstep) {
      const kc = min(kstep, k - pc);
      const acc = pc > 0;
      packB(b, ldb, transB, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, lda, transA, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const bp = pb + <usize>(jr * kc) * 4;
          const cj = c + <usize>(jc + jr) * 4;
          if (panelWidth(jr, nc) == NR) {
            for (let ir = 0; ir < mc; ir += MR) {
              tile4x8(pa + <usize>(ir * kc) * 4, bp, cj + <usize>(ic + ir) * cs, cs, kc, acc);
            }
          } else {
            for (let ir = 0; ir < mc; ir += MR) {
              tile4x4(pa + <usize>(ir * kc) * 4, bp, cj + <usize>(ic + ir) * cs, cs, kc, acc);
            }
          }
        }
      }
    }
  }
}

/** Moves the m rows of C (row stride ldc) together to row stride n, in place (n ≤ ldc). */
export function compactRows(c: usize, ldc: i32, m: i32, n: i32): void {
  for (let i = 1; i < m; i++) memory.copy(c + <usize>i * n * 4, c + <usize>i * ldc * 4, <usize>n * 4);
}

/** Number of entries equal to zero (either sign) among the `count` floats at `x`. */
export function countZeros(x: usize, count: i32): i32 {
  let zeros = i32x4.splat(0);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    zeros = i32x4.sub(zeros, f32x4.eq(v128.load(x + <usize>i * 4), zero)); // true lanes are -1
  }
  let total = i32x4.extract_lane(zeros, 0) + i32x4.extract_lane(zeros, 1);
  total += i32x4.extract_lane(zeros, 2) + i32x4.extract_lane(zeros, 3);
  for (; i < count; i++) if (load<f32>(x + <usize>i * 4) == 0) total++;
  return total;
}

/** 1 when all `count` floats at `x` are finite, else 0 (x - x is 0 for finite x, NaN otherwise). */
export function allFinite(x: usize, count: i32): i32 {
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    s = f32x4.add(s, f32x4.sub(v, v));
  }
  let t: f32 = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
  t += f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; i < count; i++) {
    const v = load<f32>(x + <usize>i * 4);
    t += v - v;
  }
  return t == 0 ? 1 : 0;
}

/**
 * C[m, n] = op(A) · B for B not transposed, skipping the zero entries of op(A). Exact, and bit for
 * bit equal to `gemm`, when B is finite: each C entry still sums its nonzero products in order of p,
 * and adding a zero product to a sum that starts at +0 changes nothing. `work` holds
 * workBytes(m, k) bytes.
 *
 * The nonzeros of a block of rows of op(A) are gathered first (where each row's nonzeros start in
 * each pass, B-row offsets, values); then C is filled a block of 24 columns at a time, every row of A
 * against the same narrow column block of B, in passes over 128 of B's rows, so that block (96 bytes
 * of each of those rows) stays in the L1 cache while consecutive rows, whose nonzeros mostly sit in
 * the same places (MNIST's centre pixels), reuse it.
 */
export function gemmSparseA(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  m: i32, k: i32, n: i32, transA: bool, work: usize,
): void {
  const rows = sparseRows(k);
  for (let i0 = 0; i0 < m; i0 += rows) {
    const ai = transA ? a + <usize>i0 * 4 : a + <usize>i0 * lda * 4;
    sparseBlock(ai, lda, b, ldb, c + <usize>i0 * ldc * 4, ldc, min(rows, m - i0), k, n, transA, work);
  }
}

function sparseBlock(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  m: i32, k: i32, n: i32, transA: bool, work: usize,
): void {
  const kb = sparsePasses(k);
  const starts = work; // [m][kb + 1]: where row i's nonzeros of pass q start, then where they end
  const idx = starts + <usize>(m * (kb + 1)) * 4; // byte offsets of B's rows, one per nonzero
  const val = idx + <usize>m * k * 4; // the nonzero values of op(A)
  let nnz = 0;
  const step = transA ? <usize>lda * 4 : 4;
  for (let i = 0; i < m; i++) {
    let src = transA ? a + <usize>i * 4 : a + <usize>i * lda * 4;
    const row = starts + <usize>(i * (kb + 1)) * 4;
    for (let q = 0; q < kb; q++) {
      store<i32>(row + <usize>q * 4, nnz);
      const pEnd = min(k, (q + 1) * SPARSE_PASS_ROWS);
      for (let p = q * SPARSE_PASS_ROWS; p < pEnd; p++) {
        // Branch-free: always write the slot, advance only past a nonzero (zeros are unpredictable).
        const v = load<f32>(src);
        store<i32>(idx + <usize>nnz * 4, p * ldb * 4);
        store<f32>(val + <usize>nnz * 4, v);
        nnz += i32(v != 0);
        src += step;
      }
    }
    store<i32>(row + <usize>kb * 4, nnz);
  }
  const cs = <usize>ldc * 4;
  // Pass q adds the products of B's rows q·SPARSE_PASS_ROWS onwards to the sums of the passes before,
  // so each entry still sums its products in order of p.
  for (let q = 0; q < kb; q++) {
    const acc = q > 0;
    const rowStarts = starts + <usize>q * 4;
    const rowStride = <usize>(kb + 1) * 4;
    let j = 0;
    // 24 columns (six accumulators) at a time: V8 issues a step's B loads before its arithmetic, so
    // with eight accumulators the loaded values no longer fit the 15 vector registers it allocates.
    for (; j + SPARSE_CHUNK <= n; j += SPARSE_CHUNK) {
      const bj = b + <usize>j * 4;
      for (let i = 0; i < m; i++) {
        const cj = c + <usize>i * cs + <usize>j * 4;
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0);
        let s3 = f32x4.splat(0), s4 = f32x4.splat(0), s5 = f32x4.splat(0);
        if (acc) {
          s0 = v128.load(cj); s1 = v128.load(cj, 16); s2 = v128.load(cj, 32);
          s3 = v128.load(cj, 48); s4 = v128.load(cj, 64); s5 = v128.load(cj, 80);
        }
        const r = rowStarts + <usize>i * rowStride;
        const end = load<i32>(r, 4);
        for (let t = load<i32>(r); t < end; t++) {
          const av = v128.load32_splat(val + <usize>t * 4);
          const br = bj + <usize>load<i32>(idx + <usize>t * 4);
          s0 = f32x4.add(s0, f32x4.mul(av, v128.load(br)));
          s1 = f32x4.add(s1, f32x4.mul(av, v128.load(br, 16)));
          s2 = f32x4.add(s2, f32x4.mul(av, v128.load(br, 32)));
          s3 = f32x4.add(s3, f32x4.mul(av, v128.load(br, 48)));
          s4 = f32x4.add(s4, f32x4.mul(av, v128.load(br, 64)));
          s5 = f32x4.add(s5, f32x4.mul(av, v128.load(br, 80)));
        }
        v128.store(cj, s0); v128.store(cj, s1, 16); v128.store(cj, s2, 32);
        v128.store(cj, s3, 48); v128.store(cj, s4, 64); v128.store(cj, s5, 80);
      }
    }
    if (j + 16 <= n) {
      const bj = b + <usize>j * 4;
      for (let i = 0; i < m; i++) {
        const cj = c + <usize>i * cs + <usize>j * 4;
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        if (acc) {
          s0 = v128.load(cj); s1 = v128.load(cj, 16); s2 = v128.load(cj, 32); s3 = v128.load(cj, 48);
        }
        const r = rowStarts + <usize>i * rowStride;
        const end = load<i32>(r, 4);
        for (let t = load<i32>(r); t < end; t++) {
          const av = v128.load32_splat(val + <usize>t * 4);
          const br = bj + <usize>load<i32>(idx + <usize>t * 4);
          s0 = f32x4.add(s0, f32x4.mul(av, v128.load(br)));
          s1 = f32x4.add(s1, f32x4.mul(av, v128.load(br, 16)));
          s2 = f32x4.add(s2, f32x4.mul(av, v128.load(br, 32)));
          s3 = f32x4.add(s3, f32x4.mul(av, v128.load(br, 48)));
        }
        v128.store(cj, s0); v128.store(cj, s1, 16); v128.store(cj, s2, 32); v128.store(cj, s3, 48);
      }
      j += 16;
    }
    for (; j + 4 <= n; j += 4) {
      const bj = b + <usize>j * 4;
      for (let i = 0; i < m; i++) {
        const cj = c + <usize>i * cs + <usize>j * 4;
        let s = acc ? v128.load(cj) : f32x4.splat(0);
        const r = rowStarts + <usize>i * rowStride;
        const end = load<i32>(r, 4);
        for (let t = load<i32>(r); t < end; t++) {
          const av = v128.load32_splat(val + <usize>t * 4);
          s = f32x4.add(s, f32x4.mul(av, v128.load(bj + <usize>load<i32>(idx + <usize>t * 4))));
        }
        v128.store(cj, s);
      }
    }
    // The last 1 to 3 columns: one row at a time, the columns side by side.
    if (j < n) {
      const left = n - j;
      const bj = b + <usize>j * 4;
      for (let i = 0; i < m; i++) {
        const cj = c + <usize>i * cs + <usize>j * 4;
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0;
        if (acc) {
          s0 = load<f32>(cj);
          if (left > 1) s1 = load<f32>(cj, 4);
          if (left > 2) s2 = load<f32>(cj, 8);
        }
        const r = rowStarts + <usize>i * rowStride;
        const end = load<i32>(r, 4);
        for (let t = load<i32>(r); t < end; t++) {
          const av = load<f32>(val + <usize>t * 4);
          const br = bj + <usize>load<i32>(idx + <usize>t * 4);
          s0 += av * load<f32>(br);
          if (left > 1) s1 += av * load<f32>(br, 4);
          if (left > 2) s2 += av * load<f32>(br, 8);
        }
        store<f32>(cj, s0);
        if (left > 1) store<f32>(cj, s1, 4);
        if (left > 2) store<f32>(cj, s2, 8);
      }
    }
  }
}
