import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, setSeed, tensor, type Tensor } from '@strata/core';
import { Sequential } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import { Dense } from '../../src/layers/core/dense.js';
import { optimizers, type Optimizer } from '../../src/optimizers/index.js';
import { fileHandler } from './tfjs-io.js';
import { tf, tfjsReady, tfl } from './tfjs-setup.js';

// A compiled Strata save read by TF.js's own loader: TF.js compiles the model from the training
// config and takes the optimizer state by position, so the state must be in TF.js's layout and
// units. TF.js then trains on, as Strata does, and the weights must agree.

const cases: { name: string; strata: () => Optimizer; tfjsClass: string; tfjsSlots: string[] }[] = [
  { name: 'sgd with momentum (TF.js Momentum: its accumulator is -velocity / lr)', strata: () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), tfjsClass: 'Momentum', tfjsSlots: ['momentum'] },
  // epsilon 1e-10: where epsilon goes (TF.js: sqrt(vHat) + eps, Keras: sqrt(v) + eps) no longer matters.
  { name: 'adam', strata: () => optimizers.adam({ learningRate: 0.01, epsilon: 1e-10 }), tfjsClass: 'Adam', tfjsSlots: ['m', 'v'] },
  { name: 'rmsprop (TF.js keeps a momentum slot even at momentum 0)', strata: () => optimizers.rmsprop({ learningRate: 0.01, epsilon: 1e-7 }), tfjsClass: 'RMSProp', tfjsSlots: ['rms', 'momentum'] },
];

describe('saving: TF.js 4.22 resumes training from a Strata save with its optimizer state', function () {
  this.timeout(60_000);
  let dir = '';
  let x: Tensor;
  let y: Tensor;
  const xs = [[0.1, 0.5, -0.3], [1, -1, 0.2], [0.3, 0.3, 0.9], [-0.7, 0.2, 0.4], [0.5, -0.5, -0.5], [0.9, 0.1, 0]];
  const ys = [[0.2, 1], [1, -0.5], [0, 0.3], [-1, 0.4], [0.5, 0.5], [0.1, -0.2]];
  before(async () => {
    await tfjsReady();
    dir = await mkdtemp(join(tmpdir(), 'strata-tfjs-state-'));
  });
  beforeEach(() => {
    x = tensor(xs);
    y = tensor(ys);
  });
  afterEach(() => {
    x.dispose();
    y.dispose();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`under ${c.name}`, async () => {
      const live = memory().numTensors;
      setSeed(3);
      resetLayerNames();
      const model = new Sequential({ layers: [new Dense({ units: 4, inputShape: [3], activation: 'tanh' }), new Dense({ units: 2 })] });
      model.compile({ optimizer: c.strata(), loss: 'mse' });
      await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
      const path = join(dir, c.tfjsClass);
      await model.save(path);

      const tfModel = await tfl.loadLayersModel(fileHandler(join(path, 'model.json')));
      const optimizer = tfModel.optimizer as unknown as tf.Optimizer;
      expect(optimizer.getClassName()).to.equal(c.tfjsClass);
      const state = await optimizer.getWeights();
      const trained = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'];
      expect(state.map((s) => s.name)).to.deep.equal(['iter', ...c.tfjsSlots.flatMap((s) => trained.map((t) => `${t}/${s}`))]);
      expect((await state[0]!.tensor.data())[0]).to.equal(9);

      // Both train two more epochs from the saved state.
      const tx = tf.tensor(xs);
      const ty = tf.tensor(ys);
      await tfModel.fit(tx, ty, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
      await model.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
      for (const w of model.weightEntries) {
        const ours = await w.variable.data();
        const theirs = await tfModel.weights.find((v) => v.originalName === w.name)!.read().data();
        ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!), `${w.name}[${i}]`).to.be.at.most(2e-5 + 1e-4 * Math.abs(theirs[i]!)));
      }
      tf.dispose([tx, ty]);
      optimizer.dispose();
      tfModel.dispose();
      model.compiled!.optimizer.dispose();
      model.dispose();
      expect(memory().numTensors).to.equal(live);
    });
  }
});
