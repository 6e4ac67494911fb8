import { describe, expect, it } from 'vitest';
import {
  CyclicLR, DataLoader, Dropout, EarlyStopping, Generator, Linear, MSELoss, ReLU, SGD, Sequential, StepLR, fit, formatEpochLog, loadMnist,
  mseLoss, polynomialRegression, twoMoons, type EpochLog, type History, type StateDict,
} from '../../src/index';

function moonsModel(seed: number): Sequential {
  const g = new Generator(seed);
  return new Sequential(new Linear(2, 16, { generator: g }), new ReLU(), new Dropout(0.1, { generator: g }), new Linear(16, 2, { generator: g }));
}

async function trainMoons(seed: number, options: { epochs?: number } = {}): Promise<History> {
  const train = twoMoons({ n: 200, seed: 1 });
  const val = twoMoons({ n: 100, seed: 2 });
  const model = moonsModel(seed);
  return fit(model, {
    epochs: options.epochs ?? 5,
    trainLoader: new DataLoader(train, { batchSize: 20, shuffle: true, seed }),
    valLoader: new DataLoader(val, { batchSize: 50 }),
    optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
    verbose: false,
  });
}

describe('fit', () => {
  it('trains a 784-100-10 MLP on the real MNIST digits to >= 90% test accuracy in 2 epochs', async () => {
    const train = loadMnist({ split: 'train' });
    const test = loadMnist({ split: 'test' });
    const g = new Generator(0);
    const model = new Sequential(new Linear(784, 100, { generator: g }), new ReLU(), new Linear(100, 10, { generator: g }));
    const lines: string[] = [];
    const history = await fit(model, {
      epochs: 2,
      trainLoader: new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 }),
      valLoader: new DataLoader(test, { batchSize: 500 }),
      optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
      print: (line) => lines.push(line),
    });
    expect(history.val.accuracy[1]).toBeGreaterThanOrEqual(0.9);
    expect(history.train.loss[1]).toBeLessThan(history.train.loss[0]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^epoch 2\/2 {2}loss \d\.\d{4} {2}accuracy \d+\.\d\d% {2}\| val loss \d\.\d{4} {2}accuracy \d+\.\d\d% {2}\| lr 0\.1 {2}\d+\.\d\d s$/);
  }, 60_000);

  it('gives the same history for the same seeds (dropout and shuffling included)', async () => {
    const a = await trainMoons(3);
    const b = await trainMoons(3);
    const c = await trainMoons(4);
    expect(b.train).toEqual(a.train);
    expect(b.val).toEqual(a.val);
    expect(c.train.loss).not.toEqual(a.train.loss);
    expect(a.epoch).toEqual([1, 2, 3, 4, 5]);
  });

  it('calls onEpoch with each epoch and awaits it; returning false stops', async () => {
    const seen: EpochLog[] = [];
    const model = moonsModel(1);
    const history = await fit(model, {
      epochs: 10,
      trainLoader: new DataLoader(twoMoons({ n: 50 }), { batchSize: 10 }),
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      verbose: false,
      onEpoch: async (log, h) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(log);
        expect(h.epoch[h.epoch.length - 1]).toBe(log.epoch);
        return log.epoch < 3;
      },
    });
    expect(seen.map((l) => l.epoch)).toEqual([1, 2, 3]);
    expect(seen[0].val).toBeNull();
    expect(Object.keys(seen[0].train)).toEqual(['loss', 'accuracy']);
    expect(history.stopped).toBe(true);
    expect(history.val).toEqual({});
  });

  it('steps a schedule once per epoch and records the rate used', async () => {
    const model = moonsModel(2);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const history = await fit(model, {
      epochs: 4,
      trainLoader: new DataLoader(twoMoons({ n: 40 }), { batchSize: 10 }),
      optimizer,
      scheduler: new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }),
      verbose: false,
    });
    expect(history.lr.map((lr) => Number(lr.toFixed(12)))).toEqual([0.1, 0.1, 0.05, 0.05]);
    expect(optimizer.lr).toBeCloseTo(0.025, 12);
  });

  it('steps a schedule per batch when asked, and clips gradients before each step', async () => {
    const model = moonsModel(3);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const before = model.parameters().map((p) => Array.from(p.data));
    const history = await fit(model, {
      epochs: 2,
      trainLoader: new DataLoader(twoMoons({ n: 40 }), { batchSize: 10 }),
      optimizer,
      scheduler: new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2 }),
      scheduleEvery: 'batch',
      clipGradNorm: 0,
      verbose: false,
    });
    // 4 batches per epoch: the cycle 0.1, 0.3, 0.5, 0.3 repeats, so each epoch starts at 0.1.
    expect(history.lr.map((lr) => Number(lr.toFixed(12)))).toEqual([0.1, 0.1]);
    // Clipping to norm 0 zeroes every gradient, so plain SGD leaves the weights where they were.
    model.parameters().forEach((p, i) => expect(Array.from(p.data)).toEqual(before[i]));
  });

  it('steps a per-batch schedule after every batch: with 3 batches an epoch, each epoch starts further along the cycle', async () => {
    const model = moonsModel(3);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const history = await fit(model, {
      epochs: 3,
      trainLoader: new DataLoader(twoMoons({ n: 30 }), { batchSize: 10 }),
      optimizer,
      scheduler: new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2 }),
      scheduleEvery: 'batch',
      verbose: false,
    });
    // Triangular cycle over batch steps 0, 1, 2, 3, ...: 0.1, 0.3, 0.5, 0.3, 0.1, 0.3, 0.5, 0.3, 0.1, 0.3.
    // Epochs start at steps 0, 3 and 6; after 9 steps the rate is that of step 9.
    expect(history.lr.map((lr) => Number(lr.toFixed(12)))).toEqual([0.1, 0.3, 0.5]);
    expect(optimizer.lr).toBeCloseTo(0.3, 12);
  });

  it('stops early on a worsening validation loss and restores the best weights', async () => {
    const data = polynomialRegression({ n: 40, seed: 1 });
    const val = polynomialRegression({ n: 40, seed: 2 });
    const reshape = (d: { x: typeof data.x; y: typeof data.y }) => ({ x: d.x.reshape([-1, 1]), y: d.y.reshape([-1, 1]) });
    const model = new Sequential(new Linear(1, 32, { generator: new Generator(5) }), new ReLU(), new Linear(32, 1, { generator: new Generator(6) }));
    // A learning rate this high makes the loss oscillate, so early stopping must trigger.
    const stopper = new EarlyStopping<StateDict>({ patience: 2 });
    const valLoader = new DataLoader(reshape(val), { batchSize: 40 });
    const history = await fit(model, {
      epochs: 200,
      trainLoader: new DataLoader(reshape(data), { batchSize: 40 }),
      valLoader,
      optimizer: new SGD(model.parameters(), { lr: 0.5, momentum: 0.9 }),
      loss: new MSELoss(),
      earlyStopping: stopper,
      verbose: false,
    });
    expect(history.stopped).toBe(true);
    expect(history.epoch.length).toBeLessThan(200);
    expect(history.bestEpoch).toBe(stopper.bestEpoch);
    const best = Math.min(...history.val.loss);
    expect(history.val.loss[(history.bestEpoch ?? 0) - 1]).toBe(best);
    // After restoring, the model's validation loss is the best one again.
    let restored = 0;
    for (const b of valLoader) restored = mseLoss(model.call(b.x), b.y).item();
    expect(restored).toBeCloseTo(best, 5);
    expect(Object.keys(history.train)).toEqual(['loss']);
  });

  it('formats epoch lines and explains bad options', async () => {
    const log: EpochLog = { epoch: 3, epochs: 12, train: { loss: 0.23456, accuracy: 0.9312 }, val: null, lr: 0.1, seconds: 1.234 };
    expect(formatEpochLog(log)).toBe('epoch  3/12  loss 0.2346  accuracy 93.12%  | lr 0.1  1.23 s');
    const model = moonsModel(1);
    const trainLoader = new DataLoader(twoMoons({ n: 20 }), { batchSize: 10 });
    await expect(fit(model, { epochs: 1, trainLoader } as never)).rejects.toThrow('fit: optimizer is required');
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    await expect(fit(model, { epochs: 1.5, trainLoader, optimizer })).rejects.toThrow('fit: epochs must be an integer >= 0, got 1.5');
    await expect(fit(model, { epochs: 1, trainLoader, optimizer, earlyStopping: new EarlyStopping(), monitor: 'val.loss', verbose: false }))
      .rejects.toThrow("fit: cannot monitor 'val.loss'; it is not among the logged values (train.loss, train.accuracy)");
    // A monitor typo is reported before any training step runs.
    let epochsRun = 0;
    await expect(fit(model, { epochs: 3, trainLoader, optimizer, earlyStopping: new EarlyStopping(), monitor: 'train.acc', verbose: false, onEpoch: () => { epochsRun++; } }))
      .rejects.toThrow("fit: cannot monitor 'train.acc'");
    expect(epochsRun).toBe(0);
  });
});
