/**
 * The matrix-multiply entry point the ops call: out = op(A) · op(B) on contiguous row-major typed
 * arrays, where op transposes when asked. A is [m, k] ([k, m] when transA), B is [k, n] ([n, k] when
 * transB), out is [m, n] and is overwritten; it must not overlap a or b (the TypeScript kernel writes
 * rows of out while it still reads the operands). The work goes to the active kernel backend (./backend).
 */
import { kernels, type GemmKernel } from './backend';

/** out[m, n] = op(a) @ op(b); transposed operands are read in place at the speed of the plain product. */
export const gemm: GemmKernel = (a, b, out, m, k, n, transA, transB) => kernels().gemm(a, b, out, m, k, n, transA, transB);
