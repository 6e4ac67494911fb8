/**
 * The plain-JSON shapes the plot module builds and accepts.
 *
 * A figure is exactly what `Plotly.newPlot(div, data, layout)` and the
 * `application/vnd.plotly.v1+json` MIME type take, so a student can print it, edit it, or hand it to
 * any Plotly front end. Inputs are structural: arrays, typed arrays, or anything with `.data` and
 * `.shape` (a gradlab Tensor qualifies without this module importing it).
 */

/** One Plotly trace as plain JSON, e.g. `{type: 'scatter', x, y, name}`. */
export interface Trace {
  type: string;
  [attribute: string]: unknown;
}

/** Plotly layout attributes (title, axes, annotations, ...) as plain JSON. */
export type Layout = Record<string, unknown>;

/** A Plotly figure: traces plus layout. */
export interface Figure {
  data: Trace[];
  layout: Layout;
}

/** Anything tensor-like: row-major numbers with a shape (a gradlab Tensor qualifies). */
export interface TensorLike {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** A 1-D run of numbers: a plain array, a typed array, or a 1-D tensor-like. */
export type Numbers = ArrayLike<number> | TensorLike;

/** A 2-D grid of numbers: rows of numbers, or a 2-D tensor-like `[rows, cols]`. */
export type Grid = ArrayLike<ArrayLike<number>> | TensorLike;

/** The text every chart carries: a title and both axis labels. */
export interface ChartLabels {
  /** The chart's title: what the reader should look at. */
  title: string;
  /** The x axis label, with units where there are any. */
  xLabel: string;
  /** The y axis label, with units where there are any. */
  yLabel: string;
}

/** Axis scaling shared by the x-y charts. */
export interface AxisOptions {
  /** Logarithmic x axis (all x must be positive). */
  logX?: boolean;
  /** Logarithmic y axis (all y must be positive): loss curves spanning decades. */
  logY?: boolean;
  /** Fixed x range `[min, max]` in data units (for log axes too). */
  xRange?: readonly [number, number];
  /** Fixed y range `[min, max]` in data units (for log axes too). */
  yRange?: readonly [number, number];
  /** Figure height in pixels (default 400). */
  height?: number;
}
