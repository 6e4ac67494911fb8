import { describe, expect, it } from 'vitest';
import {
  Adagrad, Adam, AdamW, CosineAnnealingLR, CyclicLR, DataLoader, EarlyStopping, ExponentialLR, Linear, LinearLR, RMSprop, SGD, StepLR,
  clipGradNorm, fit, gaussianBlobs, l1Penalty, l2Penalty, loadMnist, polynomialRegression, spirals, tensor, trainTestSplit, twoMoons,
} from '../../src/index';

/** Calls `make` with an object that has one PyTorch-spelt key and expects the camelCase suggestion. */
const cases: [string, () => unknown][] = [];
const p = () => tensor([1], { requiresGrad: true });
const opt = () => new SGD([p()], { lr: 0.1 });
const data = { x: tensor([[1], [2]]), y: tensor([0, 1]) };
const model = new Linear(1, 1);

cases.push(
  ["SGD: unknown option 'weight_decay'; did you mean 'weightDecay'?", () => new SGD([p()], { lr: 0.1, weight_decay: 0.1 } as never)],
  ["Adam: unknown option 'weight_decay'; did you mean 'weightDecay'?", () => new Adam([p()], { weight_decay: 0.1 } as never)],
  ["AdamW: unknown option 'weight_decay'; did you mean 'weightDecay'?", () => new AdamW([p()], { weight_decay: 0.1 } as never)],
  ["RMSprop: unknown option 'weight_decay'; did you mean 'weightDecay'?", () => new RMSprop([p()], { weight_decay: 0.1 } as never)],
  ["Adagrad: unknown option 'lr_decay'; did you mean 'lrDecay'?", () => new Adagrad([p()], { lr_decay: 0.1 } as never)],
  ["StepLR: unknown option 'step_size'; did you mean 'stepSize'?", () => new StepLR(opt(), { stepSize: 1, step_size: 2 } as never)],
  ["ExponentialLR: unknown option 'last_epoch'; known options: gamma", () => new ExponentialLR(opt(), { gamma: 0.5, last_epoch: 1 } as never)],
  ["CosineAnnealingLR: unknown option 'T_max'; did you mean 'tMax'?", () => new CosineAnnealingLR(opt(), { T_max: 3 } as never)],
  ["LinearLR: unknown option 'total_iters'; did you mean 'totalIters'?", () => new LinearLR(opt(), { total_iters: 3 } as never)],
  ["CyclicLR: unknown option 'max_lr'; did you mean 'maxLr'?", () => new CyclicLR(opt(), { maxLr: 1, max_lr: 1 } as never)],
  ["clipGradNorm: unknown option 'norm_type'; did you mean 'normType'?", () => clipGradNorm([p()], 1, { norm_type: 2 } as never)],
  ["EarlyStopping: unknown option 'min_delta'; did you mean 'minDelta'?", () => new EarlyStopping({ min_delta: 0.1 } as never)],
  ["DataLoader: unknown option 'batch_size'; did you mean 'batchSize'?", () => new DataLoader(data, { batch_size: 2 } as never)],
  ["loadMnist: unknown option 'train_size'; did you mean 'trainSize'?", () => loadMnist({ train_size: 10 } as never)],
  ["trainTestSplit: unknown option 'test_size'; did you mean 'testSize'?", () => trainTestSplit([0, 1], { trainSize: 1, test_size: 1 } as never)],
  ["polynomialRegression: unknown option 'x_range'; did you mean 'xRange'?", () => polynomialRegression({ x_range: [0, 1] } as never)],
  ["twoMoons: unknown option 'noize'; did you mean 'noise'?", () => twoMoons({ noize: 0.1 } as never)],
  ["spirals: unknown option 'classs'; did you mean 'classes'?", () => spirals({ classs: 2 } as never)],
  ["gaussianBlobs: unknown option 'centres'; did you mean 'centers'?", () => gaussianBlobs({ centres: 2 } as never)],
  ["l2Penalty: unknown option 'include_biases'; did you mean 'includeBiases'?", () => l2Penalty(model, { include_biases: true } as never)],
  ["l1Penalty: unknown option 'include_biases'; did you mean 'includeBiases'?", () => l1Penalty(model, { include_biases: true } as never)],
);

describe('option objects with an unknown key are errors that suggest the camelCase name', () => {
  for (const [message, make] of cases) {
    it(message.split(':')[0], () => {
      expect(make).toThrow(message);
    });
  }

  it('fit', async () => {
    await expect(fit(model, { epochs: 1, trainLoader: [], optimizer: opt(), early_stopping: undefined } as never)).rejects.toThrow(
      "fit: unknown option 'early_stopping'; did you mean 'earlyStopping'?",
    );
  });

  it('known options still work', () => {
    expect(() => new SGD([p()], { lr: 0.1, weightDecay: 0.1, momentum: 0.9, nesterov: true, dampening: 0, maximize: false })).not.toThrow();
    expect(() => new DataLoader(data, { batchSize: 1, shuffle: true, seed: 0, dropLast: false })).not.toThrow();
  });
});
