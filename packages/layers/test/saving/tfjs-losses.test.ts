import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@strata/core';
import { expectClose, randomValues } from '@strata/conformance';
import { loadModel, optimizers } from '../../src/index.js';
import { tfjsTrainingReady } from './tfjs-gradients.js';
import { tf, tfl } from './tfjs-setup.js';
import { seedTfjsWeights } from './tfjs-fixtures.js';
import { saveTfjsModel } from './tfjs-io.js';
import { tfjsWeights } from './tfjs-training.js';

// Every loss TF.js 4.22 compiles by name, trained two sgd steps from the same TF.js file in both
// libraries: the losses trainOnBatch reports and the weights after the steps must agree, so the
// loss values and their gradients match TF.js's definitions — including where Keras 3 differs and
// Strata follows TF.js (hinge and squared hinge take their labels as given, 0/1 labels unconverted).

const N = 6;
const UNITS = 3;

interface LossCase {
  /** TF.js's name, which Strata's compile takes as well. */
  loss: string;
  /** The output activation that gives the loss valid predictions. */
  activation: 'linear' | 'softmax' | 'sigmoid' | 'softplus';
  /** Labels `[N, UNITS]` (or `[N]` class ids). */
  labels(): { values: Float32Array; shape: number[] };
}

const uniform = (lo: number, hi: number, seed = 5) => () => ({ values: randomValues(N * UNITS, seed, lo, hi), shape: [N, UNITS] });
const oneHot = () => {
  const values = new Float32Array(N * UNITS);
  for (let i = 0; i < N; i++) values[i * UNITS + (i % UNITS)] = 1;
  return { values, shape: [N, UNITS] };
};
const bits = () => ({ values: Float32Array.from(randomValues(N * UNITS, 6), (v) => (v > 0 ? 1 : 0)), shape: [N, UNITS] });
const signs = () => ({ values: Float32Array.from(randomValues(N * UNITS, 7), (v) => (v > 0 ? 1 : -1)), shape: [N, UNITS] });

const CASES: LossCase[] = [
  { loss: 'meanSquaredError', activation: 'linear', labels: uniform(-1, 1) },
  { loss: 'meanAbsoluteError', activation: 'linear', labels: uniform(-1, 1) },
  { loss: 'meanAbsolutePercentageError', activation: 'linear', labels: uniform(0.5, 2) },
  { loss: 'meanSquaredLogarithmicError', activation: 'softplus', labels: uniform(0, 2) },
  { loss: 'logcosh', activation: 'linear', labels: uniform(-1, 1) },
  { loss: 'binaryCrossentropy', activation: 'sigmoid', labels: bits },
  { loss: 'categoricalCrossentropy', activation: 'softmax', labels: oneHot },
  { loss: 'sparseCategoricalCrossentropy', activation: 'softmax', labels: () => ({ values: Float32Array.from({ length: N }, (_, i) => i % UNITS), shape: [N, 1] }) },
  { loss: 'kullbackLeiblerDivergence', activation: 'softmax', labels: () => {
    const { values } = uniform(0.1, 1, 8)();
    for (let i = 0; i < N; i++) {
      const row = values.subarray(i * UNITS, (i + 1) * UNITS);
      const s = row.reduce((a, b) => a + b, 0);
      row.forEach((v, j) => (row[j] = v / s));
    }
    return { values, shape: [N, UNITS] };
  } },
  { loss: 'poisson', activation: 'softplus', labels: uniform(0, 3) },
  { loss: 'hinge', activation: 'linear', labels: signs },
  { loss: 'hinge', activation: 'linear', labels: bits },
  { loss: 'squaredHinge', activation: 'linear', labels: bits },
  { loss: 'categoricalHinge', activation: 'linear', labels: oneHot },
  { loss: 'cosineProximity', activation: 'linear', labels: uniform(-1, 1) },
];

describe('TF.js 4.22 losses: the same loss values and gradients', function () {
  this.timeout(60_000);
  let root = '';
  before(async () => {
    await tfjsTrainingReady();
    root = await mkdtemp(join(tmpdir(), 'strata-tfjs-losses-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  CASES.forEach((c, i) => {
    const labels = c.labels();
    const labelKind = c.labels === bits ? ', 0/1 labels' : c.labels === signs ? ', -1/1 labels' : '';
    it(`${c.loss} (${c.activation} output${labelKind})`, async () => {
      const dir = join(root, String(i));
      const x = randomValues(N * 4, 40 + i, -1.5, 1.5);
      const reference = tfl.sequential({ layers: [tfl.layers.dense({ units: UNITS, activation: c.activation, inputShape: [4] })] });
      seedTfjsWeights(reference, 60 + i);
      await saveTfjsModel(reference, dir);
      const tfOptimizer = tf.train.sgd(0.1);
      reference.compile({ optimizer: tfOptimizer, loss: c.loss });
      const [tx, ty] = [tf.tensor(x, [N, 4]), tf.tensor(labels.values, labels.shape)];
      const expectedLosses: number[] = [];
      for (let s = 0; s < 2; s++) expectedLosses.push(Number(await reference.trainOnBatch(tx, ty)));
      tf.dispose([tx, ty]);
      const expected = await tfjsWeights(reference);
      tfOptimizer.dispose();
      reference.dispose();

      const model = await loadModel(dir, { compile: false });
      const optimizer = optimizers.sgd({ learningRate: 0.1 });
      model.compile({ optimizer, loss: c.loss });
      const [sx, sy] = [tensor(x, [N, 4]), tensor(labels.values, labels.shape)];
      const losses: number[] = [];
      for (let s = 0; s < 2; s++) losses.push((await model.trainOnBatch(sx, sy)).loss!);
      [sx, sy].forEach((t) => t.dispose());
      expectClose(losses, expectedLosses, { atol: 1e-5, rtol: 1e-5 }, `${c.loss}: the loss of each step`);
      for (const w of model.weightEntries) {
        expect(expected.has(w.name), `TF.js has weight ${w.name}`).to.equal(true);
        expectClose(await w.variable.data(), expected.get(w.name)!, { atol: 1e-5, rtol: 1e-5 }, `${c.loss}: ${w.name} after two sgd steps`);
      }
      model.dispose();
      optimizer.dispose();
    });
  });
});
