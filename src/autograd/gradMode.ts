/** Whether operations record the graph for backward: on by default, off inside `noGrad`. */

let gradEnabled = true;

/** True when new operations are recorded for backward. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording the graph (like `torch.no_grad()`); the mode is restored even if fn throws. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with graph recording on, even inside `noGrad` (like `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

let anomalyDetection = false;

/** True inside `detectAnomaly`: every backward step is checked for NaN. */
export function isAnomalyDetectionEnabled(): boolean {
  return anomalyDetection;
}

/** Runs `fn` with NaN checks on every gradient computed in backward; the error names the op. */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = anomalyDetection;
  anomalyDetection = true;
  try {
    return fn();
  } finally {
    anomalyDetection = previous;
  }
}
