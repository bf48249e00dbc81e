import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { loadModel, type LayersModel } from '../../src/index.js';
import { tfjsTrainingReady } from './tfjs-gradients.js';
import { tf, tfl } from './tfjs-setup.js';
import { maxErrors, seedTfjsWeights, type FixtureArray } from './tfjs-fixtures.js';
import { saveTfjsModel } from './tfjs-io.js';
import { STEPS, optimizerCases, tfjsWeights, trainTfjs, trainingCases, type OptimizerCase, type TrainingCase } from './tfjs-training.js';

// Training parity with the real TF.js: the same model (weights seeded in TF.js and loaded from
// TF.js's files), the same data and the same steps (three trainOnBatch on all samples, then fit
// for two epochs of batches of 4, unshuffled) under each optimizer, in TF.js and in Strata; then
// every weight — trainable, and BatchNormalization's moving statistics — is compared by name.

/** {@link STEPS} in Strata. */
async function trainStrata(model: LayersModel, x: FixtureArray, y: FixtureArray, onBatch: number = STEPS.onBatch): Promise<void> {
  const xs = tensor(x.values, x.shape);
  const ys = tensor(y.values, y.shape);
  try {
    for (let i = 0; i < onBatch; i++) await model.trainOnBatch(xs, ys);
    await model.fit(xs, ys, { epochs: STEPS.epochs, batchSize: STEPS.batchSize, shuffle: false, verbose: 0 });
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

async function strataWeights(model: LayersModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const w of model.weightEntries) out.set(w.name, (await w.variable.data()) as Float32Array);
  return out;
}

function compareWeights(actual: Map<string, Float32Array>, expected: Map<string, Float32Array>, o: OptimizerCase): void {
  expect([...actual.keys()].sort(), 'weight names').to.deep.equal([...expected.keys()].sort());
  for (const [name, e] of expected) {
    const a = actual.get(name)!;
    const err = maxErrors(a, e);
    expectClose(a, e, o.tolerance, `${name} under ${o.name} (max |diff| ${err.abs.toExponential(2)}; tolerance ${o.tolerance.atol} + ${o.tolerance.rtol}·|w|: ${o.tolerance.why})`);
  }
}

/** Builds, seeds and compiles the TF.js model of a case; the caller disposes model and optimizer. */
function tfjsModel(c: TrainingCase, o: OptimizerCase, seed: number): tfl.LayersModel {
  const model = c.build();
  seedTfjsWeights(model, seed);
  model.compile({ optimizer: o.tfjs(), loss: c.loss });
  return model;
}

function disposeTfjs(model: tfl.LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}

describe('TF.js 4.22 training parity: the same steps give the same weights', function () {
  this.timeout(120_000);
  let root = '';
  let n = 0;
  const nextDir = (): string => join(root, String(n++));

  before(async () => {
    await tfjsTrainingReady();
    root = await mkdtemp(join(tmpdir(), 'strata-tfjs-training-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  trainingCases().forEach((c, ci) => {
    describe(c.name, () => {
      optimizerCases().forEach((o, oi) => {
        it(`under ${o.name}, compiled in Strata after loadModel`, async () => {
          const dir = nextDir();
          const reference = tfjsModel(c, o, 10 * ci + oi + 1);
          await saveTfjsModel(reference, dir);
          await trainTfjs(reference, c.x, c.y);
          const expected = await tfjsWeights(reference);
          disposeTfjs(reference);

          const live = memory().numTensors;
          const model = await loadModel(dir, { compile: false });
          // An optimizer instance stays the caller's to free (a name would be the model's).
          const optimizer = o.strata();
          model.compile({ optimizer, loss: c.loss });
          await trainStrata(model, c.x, c.y);
          compareWeights(await strataWeights(model), expected, o);
          model.dispose();
          optimizer.dispose();
          expect(memory().numTensors, 'live tensors after training and dispose').to.equal(live);
        });

        it(`under ${o.name}, compiled from TF.js's trainingConfig and resumed from TF.js's optimizer state`, async () => {
          // TF.js trains three steps and saves with its optimizer (trainingConfig, `iter` and the
          // slots, group 'optimizer'), then runs the fit; Strata loads that mid-training save,
          // compiled from the file, and runs the same fit.
          const dir = nextDir();
          const reference = tfjsModel(c, o, 10 * ci + oi + 1);
          const xs = tf.tensor(c.x.values, c.x.shape);
          const ys = tf.tensor(c.y.values, c.y.shape);
          for (let i = 0; i < STEPS.onBatch; i++) await reference.trainOnBatch(xs, ys);
          await saveTfjsModel(reference, dir, { includeOptimizer: true });
          await reference.fit(xs, ys, { epochs: STEPS.epochs, batchSize: STEPS.batchSize, shuffle: false, verbose: 0 });
          tf.dispose([xs, ys]);
          const expected = await tfjsWeights(reference);
          disposeTfjs(reference);

          const model = await loadModel(dir);
          expect(model.optimizer, "the optimizer from TF.js's trainingConfig").to.not.equal(undefined);
          const same = o.strata();
          expect({ className: model.optimizer!.className, config: model.optimizer!.getConfig() }, "the optimizer from TF.js's trainingConfig").to.deep.equal({ className: same.className, config: same.getConfig() });
          same.dispose();
          await trainStrata(model, c.x, c.y, 0);
          compareWeights(await strataWeights(model), expected, o);
          model.dispose();
        });
      });
    });
  });
});
