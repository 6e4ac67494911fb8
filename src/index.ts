/** gradlab's public API: named re-exports only. */
import './ops/methods';

// tensor storage and randomness
export type { DType, DataArray } from './tensor/dtype';
export type { Shape } from './tensor/shape';
export { Generator, manualSeed, defaultGenerator } from './tensor/random';

// kernels: which implementation runs the tight loops (WebAssembly SIMD or plain TypeScript)
export {
  kernelBackend, setKernelBackend, setKernelThreads, kernelThreads, wasmKernelsUnavailableReason,
  type KernelBackendName,
} from './tensor/kernels/backend';

// autograd
export { Tensor, type NestedArray, type GradNode } from './autograd/tensor';
export { backward, type BackwardOptions } from './autograd/backward';
export { noGrad, enableGrad, isGradEnabled, detectAnomaly } from './autograd/gradMode';

// ops
export {
  tensor, zeros, ones, full, zerosLike, onesLike, arange, linspace, eye, rand, randn, randint, bernoulli,
  type CreateOptions, type TensorOptions, type RandomOptions, type TensorData,
} from './ops/creation';
export {
  neg, exp, log, sqrt, abs, tanh, sigmoid, relu, pow, add, sub, mul, div, maximum, minimum,
  gt, lt, ge, le, eq, where,
} from './ops/elementwise';
export { matmul } from './ops/matmul';
export { sum, mean, max, min, variance, logsumexp, argmax, argmin, type Axis, type VarianceOptions } from './ops/reduce';
export {
  reshape, flatten, squeeze, unsqueeze, permute, transpose, broadcastTo, astype, clone, cat, stack, narrow, slice, indexSelect,
} from './ops/movement';
export type { TensorLike } from './ops/util';

// testing helpers
export { assertClose, type CloseOptions, type Comparable } from './testing/assertClose';
export { gradcheck, type GradcheckOptions } from './testing/gradcheck';
export { test, runTest, formatTestResult, TEST_RESULT_MIME, type TestResult } from './testing/notebookTest';

// plots
export {
  lineChart, scatter, histogram, errorBand, barChart, heatmap, imageGrid, subplots, describeFigure, show, liveChart,
  type Figure, type Trace, type Layout, type Numbers, type Grid, type ChartLabels, type AxisOptions,
  type LineSeries, type LineChartOptions, type ScatterSeries, type ScatterOptions, type HistogramSeries,
  type HistogramOptions, type BandSeries, type ErrorBandOptions, type HeatmapOptions, type ImageGridOptions,
  type SubplotOptions, type LiveChart, type BarSeries, type BarChartOptions,
} from './plot/index';

// data: datasets, splits and mini-batches
export { type Dataset, datasetLength, gatherRows, subset } from './data/dataset';
export { DataLoader, type DataLoaderOptions, type Batch } from './data/dataLoader';
export { trainTestSplit, sampleIndices, proportionalAllocation, type SplitOptions, type SplitIndices } from './data/split';
export {
  loadMnist, findMnistIdxFiles, readMnistIdx, MNIST_IDX_NAMES,
  type MnistOptions, type MnistSplit, type MnistSource, type MnistIdxFiles,
} from './data/mnist';
export { loadMnistPackageBytes, type MnistBytes, type MnistCacheStatus } from './data/mnistCache';
export { readIdx, parseIdx, writeIdx, encodeIdx, type IdxArray, type IdxType, type IdxData } from './data/idx';
export { datasetsDir, DATA_DIR_ENV } from './data/paths';
export {
  polynomialRegression, twoMoons, spirals, gaussianBlobs,
  type RegressionData, type ClassificationData, type PolynomialOptions, type MoonsOptions, type SpiralsOptions,
  type BlobsOptions,
} from './data/synthetic';

// nn: modules, layers, functional forms, losses and penalties
export { Parameter } from './nn/parameter';
export { Module, type AnyModule, type StateDict, type TensorState, type LoadStateDictOptions } from './nn/module';
export { Linear, type LinearOptions } from './nn/linear';
export { ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Identity } from './nn/activations';
export { Sequential, Residual, Flatten } from './nn/containers';
export { LayerNorm, BatchNorm1d, type LayerNormLayerOptions, type BatchNormLayerOptions } from './nn/normalization';
export { Dropout, type DropoutLayerOptions } from './nn/dropout';
export { CrossEntropyLoss, MSELoss } from './nn/losses';
export { isWeightMatrix, l1Penalty, l2Penalty, type PenaltyOptions } from './nn/penalties';
export { softmax, logSoftmax, leakyRelu, gelu, erf } from './nn/functional/activations';
export { crossEntropy, nllLoss, mseLoss, type Reduction, type CrossEntropyOptions, type LossOptions } from './nn/functional/losses';
export { oneHot, labelIndices, type Labels } from './nn/functional/labels';
export { dropout, type DropoutOptions } from './nn/functional/dropout';
export { layerNorm, batchNorm, type LayerNormOptions, type BatchNormOptions } from './nn/functional/normalization';
export { linear } from './nn/functional/linear';

// init: in-place initializers, as a namespace (init.kaimingNormal(w), init.zeros(b))
export * as init from './init/index';

// optim: optimizers, learning-rate schedules, clipping, early stopping
export {
  Optimizer, ParamState, type BaseHyper, type HasLearningRate, type ParamGroup, type ParamGroupSpec, type ParamsOrGroups,
} from './optim/optimizer';
export { weightDecayGroups, type WeightDecayGroup } from './optim/paramGroups';
export { SGD, type SGDHyper, type SGDOptions } from './optim/sgd';
export { Adam, type AdamHyper, type AdamOptions } from './optim/adam';
export { AdamW, type AdamWOptions } from './optim/adamw';
export { RMSprop, type RMSpropHyper, type RMSpropOptions } from './optim/rmsprop';
export { Adagrad, type AdagradHyper, type AdagradOptions } from './optim/adagrad';
export { LRScheduler } from './optim/lrScheduler';
export {
  StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, CyclicLR,
  type StepLROptions, type ExponentialLROptions, type CosineAnnealingLROptions, type LinearLROptions, type CyclicLROptions, type CyclicMode,
} from './optim/schedules';
export { clipGradNorm, type ClipGradNormOptions } from './optim/clipGradNorm';
export { EarlyStopping, type EarlyStoppingOptions, type Checkpointable } from './optim/earlyStopping';

// train: the notebook training loop
export { fit, formatEpochLog, type FitOptions, type History, type EpochLog, type LossFn } from './train/fit';
export { accuracy, type Metric } from './train/metrics';
export { normsPerLayer, type LayerNorms } from './train/normsPerLayer';
