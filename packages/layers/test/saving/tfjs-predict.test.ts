import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { loadModel } from '../../src/index.js';
import { tfjsReady } from './tfjs-setup.js';
import { generateFixture, maxErrors, type FixtureArray, type TfjsFixture } from './tfjs-fixtures.js';
import { LAYER_FIXTURES } from './tfjs-fixture-layers.js';
import { GRAPH_FIXTURES } from './tfjs-fixture-graphs.js';

// Proof against the real TF.js: each fixture model is built in @tensorflow/tfjs-layers 4.22 with
// seeded weights, saved into a temp folder in TF.js's own files, and predicted by TF.js; Strata
// then loads the folder (cpu engine) and must predict the same numbers. Both sides compute in
// float32, in different orders, so the default tolerance is 1e-5 absolute + 1e-5 relative.
const TOLERANCE = { atol: 1e-5, rtol: 1e-5 };

/** Strata's predictions for a fixture's inputs, read back; nothing stays alive. */
async function strataPredict(path: string, inputs: readonly FixtureArray[]): Promise<FixtureArray[]> {
  const model = await loadModel(path);
  const xs = inputs.map((x) => tensor(x.values, x.shape, x.dtype));
  try {
    const ys = await model.predict(xs.length === 1 ? xs[0]! : xs);
    const list: Tensor[] = Array.isArray(ys) ? ys : [ys];
    const out: FixtureArray[] = [];
    for (const y of list) out.push({ values: (await y.data()) as Float32Array, shape: [...y.shape], dtype: 'float32' });
    list.forEach((y) => y.dispose());
    return out;
  } finally {
    xs.forEach((x) => x.dispose());
    model.dispose();
  }
}

function describeError(fixture: TfjsFixture, k: number, actual: FixtureArray, expected: FixtureArray): string {
  const e = maxErrors(actual.values, expected.values);
  return `${fixture.name}, output ${k}: max |diff| ${e.abs.toExponential(2)} at flat index ${e.at}, max relative ${e.rel.toExponential(2)}`;
}

describe('TF.js 4.22 files: loadModel predicts what TF.js predicts', function () {
  this.timeout(120_000);
  let root = '';

  before(async () => {
    await tfjsReady();
    root = await mkdtemp(join(tmpdir(), 'strata-tfjs-fixtures-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  [...LAYER_FIXTURES, ...GRAPH_FIXTURES].forEach((fixture, i) => {
    const title = fixture.knownDifference ? `${fixture.name} (expected difference from TF.js: ${fixture.knownDifference})` : fixture.name;
    it(title, async () => {
      const generated = await generateFixture(fixture, join(root, String(i)), i + 1);
      const live = memory().numTensors;
      // Both forms loadModel takes: the folder, and (every other fixture) the model.json in it.
      const path = i % 2 ? join(generated.dir, 'model.json') : generated.dir;
      const tol = fixture.tolerance ?? TOLERANCE;
      if (fixture.knownDifference) {
        // An expected failure (loading fails, or the numbers differ): when Strata reproduces TF.js
        // here, this fails, and `knownDifference` is to be removed.
        let agrees = false;
        try {
          const actual = await strataPredict(path, generated.inputs);
          agrees = generated.expected.every((e, k) => e.shape.join() === actual[k]!.shape.join() && maxErrors(actual[k]!.values, e.values).abs <= tol.atol);
        } catch {
          agrees = false;
        }
        expect(memory().numTensors, 'live tensors after loadModel, predict and dispose').to.equal(live);
        expect(agrees, `${fixture.name} now agrees with TF.js: remove its knownDifference`).to.equal(false);
        return;
      }
      const actual = await strataPredict(path, generated.inputs);
      expect(memory().numTensors, 'live tensors after loadModel, predict and dispose').to.equal(live);
      expect(actual.map((a) => a.shape), 'output shapes').to.deep.equal(generated.expected.map((e) => e.shape));
      generated.expected.forEach((e, k) => {
        expectClose(actual[k]!.values, e.values, tol, describeError(fixture, k, actual[k]!, e));
      });
    });
  });
});
