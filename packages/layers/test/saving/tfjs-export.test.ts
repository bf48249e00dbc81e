import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose, randomValues } from '@strata/conformance';
import { input, layers as L, model as functional, optimizers, sequential, type LayersModel, type SymbolicTensor } from '../../src/index.js';
import { tfjsTrainingReady } from './tfjs-gradients.js';
import { tf, tfl } from './tfjs-setup.js';
import { fixtureInputs, maxErrors, tfjsPredict, type FixtureArray, type FixtureInput } from './tfjs-fixtures.js';
import { fileHandler } from './tfjs-io.js';
import { tfjsWeights } from './tfjs-training.js';

// The other direction: models built and saved by Strata load in the real TF.js 4.22
// (`tf.loadLayersModel` with an IOHandler that reads our files as tfjs-node's `file://` does) and
// predict what Strata predicts; a compiled, trained model brings its optimizer state along.

type Sym = SymbolicTensor;
const apply = (layer: { apply(x: Sym | Sym[]): unknown }, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

interface ExportCase {
  name: string;
  build(): LayersModel;
  inputs: FixtureInput[];
}

const CASES: ExportCase[] = [
  {
    name: 'Sequential MLP (Dense relu, Dense softmax)',
    build: () => sequential({ layers: [L.dense({ units: 6, activation: 'relu', inputShape: [4] }), L.dense({ units: 3, activation: 'softmax' })] }),
    inputs: [{ shape: [4] }],
  },
  {
    name: 'CNN (Conv2D same, MaxPooling2D, BatchNormalization, DepthwiseConv2D, Flatten, Dense)',
    build: () => sequential({
      layers: [
        L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2] }), L.maxPooling2d({ poolSize: 2 }),
        L.batchNormalization({}), L.depthwiseConv2d({ kernelSize: 2 }), L.flatten(), L.dense({ units: 2 }),
      ],
    }),
    inputs: [{ shape: [6, 6, 2] }],
  },
  {
    name: 'Recurrent (LSTM returnSequences, GRU resetAfter false — the only GRU TF.js has)',
    build: () => sequential({ layers: [L.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }), L.gru({ units: 3, resetAfter: false }), L.dense({ units: 2 })] }),
    inputs: [{ shape: [5, 3] }],
  },
  {
    name: 'Embedding (maskZero) into a Bidirectional LSTM',
    build: () => sequential({ layers: [L.embedding({ inputDim: 9, outputDim: 4, maskZero: true, inputLength: 6 }), L.bidirectional({ layer: L.lstm({ units: 3 }) }), L.dense({ units: 1 })] }),
    inputs: [{ shape: [6], ints: 9, zeroTail: 2 }],
  },
  {
    name: 'Functional: two inputs, a shared Dense, Concatenate and Add, two outputs',
    build: () => {
      const a = input({ shape: [3], name: 'a' });
      const b = input({ shape: [3], name: 'b' });
      const shared = L.dense({ units: 4, activation: 'tanh' });
      const ha = apply(shared, a);
      const hb = apply(shared, b);
      return functional({ inputs: [a, b], outputs: [apply(L.dense({ units: 2 }), apply(L.concatenate(), [ha, hb])), apply(L.add(), [ha, hb])] });
    },
    inputs: [{ shape: [3] }, { shape: [3] }],
  },
  {
    name: 'A Sequential model nested in a Functional model',
    build: () => {
      const inner = sequential({ layers: [L.dense({ units: 4, activation: 'relu', inputShape: [3] }), L.dense({ units: 3 })] });
      const x = input({ shape: [3] });
      return functional({ inputs: x, outputs: apply(L.dense({ units: 2 }), apply(inner, x)) });
    },
    inputs: [{ shape: [3] }],
  },
];

async function strataPredict(model: LayersModel, inputs: readonly FixtureArray[]): Promise<FixtureArray[]> {
  const xs = inputs.map((x) => tensor(x.values, x.shape, x.dtype));
  const ys = await model.predict(xs.length === 1 ? xs[0]! : xs);
  const list: Tensor[] = Array.isArray(ys) ? ys : [ys];
  const out: FixtureArray[] = [];
  for (const y of list) out.push({ values: (await y.data()) as Float32Array, shape: [...y.shape], dtype: 'float32' });
  [...xs, ...list].forEach((t) => t.dispose());
  return out;
}

describe('Strata files load in TF.js 4.22 and predict the same', function () {
  this.timeout(120_000);
  let root = '';

  before(async () => {
    await tfjsTrainingReady();
    root = await mkdtemp(join(tmpdir(), 'strata-to-tfjs-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const dir = join(root, String(i));
      const live = memory().numTensors;
      const model = c.build();
      const inputs = fixtureInputs(c.inputs, 100 + i);
      const expected = await strataPredict(model, inputs);
      await model.save(dir);
      model.dispose();
      expect(memory().numTensors, 'live tensors after predict, save and dispose').to.equal(live);
      const loaded = await tfl.loadLayersModel(fileHandler(join(dir, 'model.json')));
      const actual = await tfjsPredict(loaded, inputs);
      loaded.dispose();
      expect(actual.map((a) => a.shape), 'output shapes').to.deep.equal(expected.map((e) => e.shape));
      expected.forEach((e, k) => {
        const err = maxErrors(actual[k]!.values, e.values);
        expectClose(actual[k]!.values, e.values, { atol: 1e-5, rtol: 1e-5 }, `${c.name}, output ${k} (max |diff| ${err.abs.toExponential(2)})`);
      });
    });
  });

  it('a compiled, trained model: TF.js compiles it from our trainingConfig, restores the Adam state, and trains on to the same weights', async () => {
    const dir = join(root, 'trained');
    const x = randomValues(8 * 4, 7, -2, 2);
    const y = randomValues(8 * 2, 8);
    const live = memory().numTensors;
    const model = sequential({ layers: [L.dense({ units: 5, activation: 'tanh', inputShape: [4] }), L.dense({ units: 2 })] });
    // An instance stays ours to free (model.dispose() frees only optimizers given by name).
    const optimizer = optimizers.adam({ learningRate: 0.01, epsilon: 1e-10 });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const xs = tensor(x, [8, 4]);
    const ys = tensor(y, [8, 2]);
    for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
    await model.save(dir);
    for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
    const expected = new Map<string, Float32Array>();
    for (const w of model.weightEntries) expected.set(w.name, (await w.variable.data()) as Float32Array);
    [xs, ys].forEach((t) => t.dispose());
    model.dispose();
    optimizer.dispose();
    expect(memory().numTensors, 'live tensors after training, saving and dispose').to.equal(live);

    const loaded = await tfl.loadLayersModel(fileHandler(join(dir, 'model.json')));
    expect(loaded.optimizer, 'TF.js compiled the model from trainingConfig').to.not.equal(undefined);
    expect(loaded.optimizer.getClassName()).to.equal('Adam');
    const txs = tf.tensor(x, [8, 4]);
    const tys = tf.tensor(y, [8, 2]);
    for (let i = 0; i < 3; i++) await loaded.trainOnBatch(txs, tys);
    tf.dispose([txs, tys]);
    const actual = await tfjsWeights(loaded);
    loaded.optimizer.dispose();
    loaded.dispose();
    expect([...actual.keys()].sort()).to.deep.equal([...expected.keys()].sort());
    // epsilon 1e-10: TF.js's and Keras 3's epsilon placements agree to float32 rounding.
    for (const [name, e] of expected) expectClose(actual.get(name)!, e, { atol: 1e-5, rtol: 1e-5 }, `${name} after 3 steps in Strata, save, 3 steps in TF.js`);
  });
});
