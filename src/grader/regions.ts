/**
 * Solution and hidden-test regions in cell sources: a marker line `// BEGIN SOLUTION` opens a solution
 * region and `// END SOLUTION` closes it; likewise `// BEGIN HIDDEN TESTS` / `// END HIDDEN TESTS`.
 * A marker line is one whose text, after comment punctuation (`//`, `#`, `/*`, `<!--`) and spaces,
 * starts with the marker. nbgrader accepts the marker anywhere in a line; gradlab asks for it at the
 * start so that prose mentioning a marker (`write your code between BEGIN SOLUTION and ...`) is not
 * one. Every marker line nbgrader would see at the start of a comment is seen here too. Regions may
 * not nest or stay open.
 */

/** The two kinds of region. */
export type RegionKind = 'solution' | 'hidden-tests';

/** One region: the 0-based line numbers of its BEGIN and END marker lines. */
export interface Region {
  readonly kind: RegionKind;
  readonly begin: number;
  readonly end: number;
  /** The leading whitespace of the BEGIN marker line. */
  readonly indent: string;
}

/** A region that is unclosed, nested, or closed without being opened; `line` is 1-based. */
export class RegionError extends Error {
  override name = 'RegionError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const MARKERS: readonly { kind: RegionKind; begin: string; end: string }[] = [
  { kind: 'solution', begin: 'BEGIN SOLUTION', end: 'END SOLUTION' },
  { kind: 'hidden-tests', begin: 'BEGIN HIDDEN TESTS', end: 'END HIDDEN TESTS' },
];

const COMMENT_LEAD = /^\s*(?:\/\/+|#+|\/\*+|<!--)?\s*/;

/** True when `line` is a marker line for `marker` (see the module comment). */
export function isMarkerLine(line: string, marker: string): boolean {
  return line.replace(COMMENT_LEAD, '').startsWith(marker);
}

/** Lines of a source without their line ends. */
export function sourceLines(source: string): string[] {
  return source.split('\n');
}

/** Every region of `source` in order; throws RegionError for unclosed, nested or stray markers. */
export function findRegions(source: string): Region[] {
  const regions: Region[] = [];
  let open: { kind: RegionKind; begin: number; indent: string; marker: string } | null = null;
  sourceLines(source).forEach((line, index) => {
    for (const marker of MARKERS) {
      if (isMarkerLine(line, marker.begin)) {
        if (open !== null) {
          throw new RegionError(`line ${index + 1}: ${marker.begin} inside the ${open.marker} region opened on line ${open.begin + 1} (regions cannot nest)`, index + 1);
        }
        open = { kind: marker.kind, begin: index, indent: /^\s*/.exec(line)?.[0] ?? '', marker: marker.begin };
      } else if (isMarkerLine(line, marker.end)) {
        if (open === null || open.kind !== marker.kind) {
          throw new RegionError(`line ${index + 1}: ${marker.end} without a ${marker.begin} before it`, index + 1);
        }
        regions.push({ kind: open.kind, begin: open.begin, end: index, indent: open.indent });
        open = null;
      }
    }
  });
  const unclosed = open as { kind: RegionKind; begin: number; marker: string } | null;
  if (unclosed !== null) {
    const end = MARKERS.find((m) => m.kind === unclosed.kind)?.end ?? '';
    throw new RegionError(`line ${unclosed.begin + 1}: ${unclosed.marker} is never closed by ${end}`, unclosed.begin + 1);
  }
  return regions;
}

/**
 * The source with each region of `kind` replaced by `replace(region)` (lines without line ends; an
 * empty list removes the region and its markers).
 */
export function replaceRegions(source: string, kind: RegionKind, replace: (region: Region, lines: readonly string[]) => string[]): string {
  const lines = sourceLines(source);
  const regions = findRegions(source).filter((region) => region.kind === kind);
  const out: string[] = [];
  let next = 0;
  for (const region of regions) {
    out.push(...lines.slice(next, region.begin));
    out.push(...replace(region, lines));
    next = region.end + 1;
  }
  out.push(...lines.slice(next));
  return out.join('\n');
}

/** The source with every hidden-test region (markers included) removed. */
export function removeHiddenTests(source: string): string {
  return replaceRegions(source, 'hidden-tests', () => []);
}

/** The lines inside the regions of `kind` (markers excluded). */
export function regionBodies(source: string, kind: RegionKind): string[][] {
  const lines = sourceLines(source);
  return findRegions(source)
    .filter((region) => region.kind === kind)
    .map((region) => lines.slice(region.begin + 1, region.end));
}
