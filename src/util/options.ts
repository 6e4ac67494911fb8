/**
 * Checking option objects: plain JavaScript (a notebook cell, a student's code) can pass any key, and a
 * misspelt or PyTorch-spelt option (`weight_decay`, `track_running_stats`) must be an error, not
 * silently ignored.
 */

/** snake_case to camelCase: `track_running_stats` → `trackRunningStats`. */
function camelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());
}

/** Levenshtein distance, for suggesting the nearest known name. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known option a misspelt `name` most likely meant, or undefined when none is close. */
export function suggestOption(name: string, known: readonly string[]): string | undefined {
  const camel = camelCase(name);
  const exact = known.find((k) => k === camel || k.toLowerCase() === name.toLowerCase() || k.toLowerCase() === camel.toLowerCase());
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(camel.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(1, Math.floor(camel.length / 3)) ? best : undefined;
}

/**
 * Throws a TypeError naming `where`, the unknown key and the nearest known one when `options` holds a
 * key outside `known`: `SGD: unknown option 'weight_decay'; did you mean 'weightDecay'?`.
 */
export function checkOptions(where: string, options: object | null | undefined, known: readonly string[]): void {
  if (options === null || options === undefined) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = suggestOption(key, known);
    const hint = suggestion === undefined ? `; known options: ${known.join(', ')}` : `; did you mean '${suggestion}'?`;
    throw new TypeError(`${where}: unknown option '${key}'${hint}`);
  }
}
