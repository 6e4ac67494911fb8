/**
 * Strided iteration: the one loop behind broadcasting, permuting and reducing. An operand is read
 * (or written) through strides over the output's shape; a stride of 0 repeats (broadcasts) or
 * accumulates (reduces) along that axis.
 */
import type { Shape } from '../shape';

/** Strides of `shape` (right-aligned against `outShape`) with 0 on broadcast axes. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const j = i + outShape.length - shape.length;
    strides[j] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Calls `body(outIndex, aOffset, bOffset, count, aStep, bStep)` once per run along the innermost axis
 * of `shape`, with operand offsets computed from their strides. This keeps the per-element work in the
 * caller's tight loop and the index bookkeeping per row.
 */
export function forEachRow(
  shape: Shape,
  aStrides: readonly number[],
  bStrides: readonly number[],
  body: (outIndex: number, aOffset: number, bOffset: number, count: number, aStep: number, bStep: number) => void,
): void {
  const nd = shape.length;
  if (nd === 0) {
    body(0, 0, 0, 1, 0, 0);
    return;
  }
  const inner = shape[nd - 1];
  const aStep = aStrides[nd - 1];
  const bStep = bStrides[nd - 1];
  let rows = 1;
  for (let i = 0; i < nd - 1; i++) rows *= shape[i];
  if (inner === 0 || rows === 0) return;
  const counter = new Array<number>(nd - 1).fill(0);
  let aOff = 0;
  let bOff = 0;
  for (let r = 0; r < rows; r++) {
    body(r * inner, aOff, bOff, inner, aStep, bStep);
    // Odometer increment over the outer axes.
    for (let ax = nd - 2; ax >= 0; ax--) {
      counter[ax]++;
      aOff += aStrides[ax];
      bOff += bStrides[ax];
      if (counter[ax] < shape[ax]) break;
      aOff -= aStrides[ax] * shape[ax];
      bOff -= bStrides[ax] * shape[ax];
      counter[ax] = 0;
    }
  }
}
