import { expect } from 'chai';
import { dispose, memory, setEngine, setSeed, tensor, type Engine, type Tensor } from '@strata/core';
import { CpuEngine } from '@strata/engine-cpu';
import { layers, sequential, type LayersModel } from '@strata/layers';
import { sharedEngine } from './shared-engine.js';

/** What a short training run leaves: the loss after each epoch and every weight. */
interface Run {
  losses: number[];
  weights: Float32Array[];
}

/** Deterministic data from a tiny LCG, so both engines see identical inputs. */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  });
}

interface Case {
  name: string;
  build: () => LayersModel;
  optimizer: string;
  loss: string;
  x: { values: Float32Array; shape: number[] };
  y: { values: Float32Array; shape: number[] };
  /** Weights after a few steps agree within this absolute + relative tolerance. */
  tolerance: number;
}

function labels(n: number, classes: number, seed: number): Float32Array {
  return Float32Array.from(values(n, seed), (v) => Math.min(classes - 1, Math.floor(((v + 1) / 2) * classes)));
}

const CASES: Case[] = [
  {
    name: 'MLP (dense relu/tanh/softmax, adam, sparse categorical crossentropy)',
    build: () => sequential({ layers: [
      layers.dense({ units: 32, activation: 'relu', inputShape: [20] }),
      layers.dense({ units: 16, activation: 'tanh' }),
      layers.dense({ units: 4, activation: 'softmax' }),
    ] }),
    optimizer: 'adam',
    loss: 'sparse_categorical_crossentropy',
    x: { values: values(64 * 20, 1), shape: [64, 20] },
    y: { values: labels(64, 4, 2), shape: [64] },
    tolerance: 1e-4,
  },
  {
    name: 'CNN (conv2d, max pooling, batch norm, dense, sgd with momentum)',
    build: () => sequential({ layers: [
      layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 2] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.batchNormalization(),
      layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', strides: 2 }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ] }),
    optimizer: 'sgd',
    loss: 'sparse_categorical_crossentropy',
    x: { values: values(16 * 10 * 10 * 2, 3), shape: [16, 10, 10, 2] },
    y: { values: labels(16, 3, 4), shape: [16] },
    tolerance: 1e-4,
  },
  {
    name: 'LSTM (lstm, dense, rmsprop, binary crossentropy)',
    build: () => sequential({ layers: [
      layers.lstm({ units: 8, inputShape: [6, 3] }),
      layers.dense({ units: 1, activation: 'sigmoid' }),
    ] }),
    optimizer: 'rmsprop',
    loss: 'binary_crossentropy',
    x: { values: values(24 * 6 * 3, 5), shape: [24, 6, 3] },
    y: { values: labels(24, 2, 6), shape: [24, 1] },
    tolerance: 1e-4,
  },
];

const EPOCHS = 3;
const SEED = 1234;

/** Trains one case from the same seed on `engine` and returns losses and weights; leaves nothing alive. */
async function train(engine: Engine, c: Case): Promise<Run> {
  setEngine(engine, { kind: 'direct' });
  setSeed(SEED);
  const model = c.build();
  model.compile({ optimizer: c.optimizer, loss: c.loss });
  const x = tensor(c.x.values, c.x.shape);
  const y = tensor(c.y.values, c.y.shape);
  try {
    const history = await model.fit(x, y, { epochs: EPOCHS, batchSize: 8, shuffle: true, verbose: 0 });
    const copies = model.getWeights();
    const weights = await Promise.all(copies.map(async (w: Tensor) => (await w.data()) as Float32Array));
    dispose(copies);
    return { losses: history.history.loss as number[], weights };
  } finally {
    dispose([x, y]);
    model.dispose();
  }
}

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  expect(actual.length, `${label}: length`).to.equal(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
    worst = Math.max(worst, err);
  }
  expect(worst, `${label}: largest |webgpu - cpu| / (1 + |cpu|)`).to.be.at.most(tol);
}

// The same seeded model, trained a few epochs on the CPU engine (the reference) and on WebGPU,
// must give the same losses and the same weights: the "same numbers on every engine" promise.
describe('whole-model parity: webgpu against cpu', () => {
  const cpu = new CpuEngine();

  for (const c of CASES) {
    it(c.name, async () => {
      const reference = await train(cpu, c);
      const gpu = await sharedEngine();
      const before = gpu.memory().numBuffers;
      const run = await train(gpu, c);
      expect(memory().numTensors, 'live tensors after training').to.equal(0);
      expect(gpu.memory().numBuffers, 'live webgpu buffers after training').to.equal(before);
      expect(run.losses[run.losses.length - 1]!, 'loss falls').to.be.below(run.losses[0]!);
      expectNear(run.losses, reference.losses, c.tolerance, 'epoch losses');
      expect(run.weights.length).to.equal(reference.weights.length);
      run.weights.forEach((w, i) => expectNear(w, reference.weights[i]!, c.tolerance, `weight ${i}`));
    });
  }
});
