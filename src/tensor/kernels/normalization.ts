/**
 * The normalization kernels the ops call (layer norm per row, batch norm per channel), forward and
 * backward; the work goes to the active kernel backend (./backend). Both backends run the TypeScript
 * loops (./normalizationTs): they are bound by memory passes, not arithmetic, and computing in
 * float64 either way keeps float32 results the same whichever backend is active.
 */
import { kernels } from './backend';
import type { NormalizationKernels } from './normalizationTs';

/** The normalization kernels of the active backend. */
export function normalizationKernels(): NormalizationKernels {
  return kernels().normalization;
}
