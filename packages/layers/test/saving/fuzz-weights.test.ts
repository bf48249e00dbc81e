import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, setSeed } from '@strata/core';
import { Sequential } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import { Dense } from '../../src/layers/core/dense.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { SavedModelError } from '../../src/saving/errors.js';
import { loadModelWeights, saveModelWeights } from '../../src/saving/weights-file.js';
import { corrupt, corruptions, fuzzSeed, type SavedPair } from './fuzz-helpers.js';

describe('saving: loadWeights under random corruption (fast-check)', function () {
  this.timeout(60_000);
  let dir = '';
  let original: SavedPair;
  let model: Sequential;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-fuzz-weights-'));
    setSeed(11);
    resetLayerNames();
    model = new Sequential({ layers: [new Dense({ units: 3, inputShape: [2], activation: 'relu' }), new BatchNormalization(), new Dense({ units: 2 })] });
    await saveModelWeights(model, dir);
    original = { json: await readFile(join(dir, 'weights.json'), 'utf8'), bin: new Uint8Array(await readFile(join(dir, 'weights.bin'))) };
  });
  after(async () => {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the corrupted files or throws a SavedModelError, leaving no tensors behind and the model unchanged on failure', async () => {
    const started = Date.now();
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(corruptions, async (cs) => {
        const bad = corrupt(original, cs);
        await writeFile(join(dir, 'weights.json'), bad.json);
        await writeFile(join(dir, 'weights.bin'), bad.bin);
        const before = await Promise.all(model.weights.map(async (w) => Array.from(await w.data())));
        const live = memory().numTensors;
        try {
          await loadModelWeights(model, dir);
        } catch (e) {
          if (!(e instanceof SavedModelError)) throw new Error(`expected a SavedModelError, got ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
          failures++;
          const after = await Promise.all(model.weights.map(async (w) => Array.from(await w.data())));
          expect(after, 'weights unchanged after a failed load').to.deep.equal(before);
        }
        expect(memory().numTensors, 'live tensors').to.equal(live);
      }),
      { numRuns: 200, seed: fuzzSeed },
    );
    // Most corruptions must be caught; a few (a flipped byte in a weight value) load fine.
    expect(failures).to.be.greaterThan(100);
    expect(Date.now() - started).to.be.lessThan(30_000);
  });
});
