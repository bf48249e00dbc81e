import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, setSeed, tensor } from '@strata/core';
import { input } from '../../src/engine/input-layer.js';
import { LayersModel } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { Dense } from '../../src/layers/core/dense.js';
import { Concatenate } from '../../src/layers/merge/concatenate.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { SavedModelError } from '../../src/saving/errors.js';
import { loadModel } from '../../src/saving/load-model.js';
import { corrupt, corruptions, fuzzSeed, type SavedPair } from './fuzz-helpers.js';

describe('saving: loadModel under random corruption (fast-check)', function () {
  this.timeout(60_000);
  let dir = '';
  let original: SavedPair;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-fuzz-model-'));
    setSeed(12);
    resetLayerNames();
    // A small Functional model with a shared layer, a merge and batch statistics, compiled and
    // trained a step so that the file has a training config and optimizer state.
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const shared = new Dense({ units: 4, activation: 'relu', name: 'shared' });
    const merged = new Concatenate().apply([shared.apply(a) as SymbolicTensor, shared.apply(b) as SymbolicTensor]) as SymbolicTensor;
    const out = new Dense({ units: 2, name: 'head' }).apply(new BatchNormalization().apply(merged) as SymbolicTensor) as SymbolicTensor;
    const model = new LayersModel({ inputs: [a, b], outputs: out, name: 'fuzzed' });
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const x = tensor([[1, 2, 3], [0, -1, 0.5]]);
    const y = tensor([[1, 0], [0, 1]]);
    await model.trainOnBatch([x, x], y);
    await model.save(dir);
    model.dispose();
    x.dispose();
    y.dispose();
    original = { json: await readFile(join(dir, 'model.json'), 'utf8'), bin: new Uint8Array(await readFile(join(dir, 'weights.bin'))) };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the corrupted files or throws a SavedModelError, never another error, a hang or a leak', async () => {
    const started = Date.now();
    let failures = 0;
    const live = memory().numTensors;
    await fc.assert(
      fc.asyncProperty(corruptions, async (cs) => {
        const bad = corrupt(original, cs);
        await writeFile(join(dir, 'model.json'), bad.json);
        await writeFile(join(dir, 'weights.bin'), bad.bin);
        try {
          (await loadModel(dir)).dispose();
        } catch (e) {
          if (!(e instanceof SavedModelError)) throw new Error(`expected a SavedModelError, got ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
          failures++;
        }
        expect(memory().numTensors, 'live tensors').to.equal(live);
      }),
      { numRuns: 200, seed: fuzzSeed },
    );
    expect(failures).to.be.greaterThan(100);
    expect(Date.now() - started).to.be.lessThan(30_000);
  });
});
