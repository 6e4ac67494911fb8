/** The plot module: Plotly figure builders and notebook display. */
export type { Figure, Trace, Layout, Numbers, Grid, ChartLabels, AxisOptions } from './types';
export {
  lineChart, scatter, histogram, errorBand,
  type LineSeries, type LineChartOptions, type ScatterSeries, type ScatterOptions,
  type HistogramSeries, type HistogramOptions, type BandSeries, type ErrorBandOptions,
} from './figures';
export { barChart, type BarSeries, type BarChartOptions } from './bars';
export { heatmap, imageGrid, type HeatmapOptions, type ImageGridOptions } from './images';
export { subplots, type SubplotOptions } from './subplots';
export { describeFigure } from './describe';
export { show, liveChart, figureBundle, PLOTLY_MIME, type LiveChart } from './show';
