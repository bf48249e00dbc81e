import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrataError, memory, setSeed, tensor } from '@strata/core';
import { input } from '../../src/engine/input-layer.js';
import { LayersModel, Sequential } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { Dense } from '../../src/layers/core/dense.js';
import { SavedModelError } from '../../src/saving/errors.js';
import { decodeWeight, encodeWeights, planWeights, MAX_WEIGHT_ELEMENTS } from '../../src/saving/weights-codec.js';
import { loadModelWeights, saveModelWeights } from '../../src/saving/weights-file.js';

/** Every weight of a model as plain numbers, by name. */
async function values(m: LayersModel): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const w of m.weightEntries) out[w.name] = Array.from(await w.variable.data());
  return out;
}

function mlp(seed: number, units = 3): Sequential {
  setSeed(seed);
  resetLayerNames();
  return new Sequential({ layers: [new Dense({ units: 4, inputShape: [2], activation: 'relu' }), new BatchNormalization(), new Dense({ units })] });
}

async function expectSavedModelError(p: Promise<unknown>, ...parts: string[]): Promise<SavedModelError> {
  let error: unknown = null;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a SavedModelError').to.be.instanceOf(SavedModelError);
  for (const part of parts) expect((error as Error).message).to.contain(part);
  return error as SavedModelError;
}

describe('saving: weights codec', () => {
  it('encodes float32 and int32 values little-endian in order, and decodes them across shard boundaries', async () => {
    const a = tensor([[1.5, -2], [3, 4]]);
    const b = tensor([7, -8, 9], [3], 'int32');
    const { specs, data } = await encodeWeights([{ name: 'x/a', tensor: a }, { name: 'x/b', tensor: b, group: 'optimizer' }]);
    expect(specs).to.deep.equal([{ name: 'x/a', shape: [2, 2], dtype: 'float32' }, { name: 'x/b', shape: [3], dtype: 'int32', group: 'optimizer' }]);
    expect(data.length).to.equal(28);
    expect(new DataView(data.buffer).getFloat32(0, true)).to.equal(1.5);
    expect(new DataView(data.buffer).getInt32(16, true)).to.equal(7);
    const plan = planWeights([{ paths: ['a', 'b', 'c'], weights: specs as never }], 'm.json', 'weightsManifest');
    expect(plan.weights.map((w) => [w.offset, w.byteLength])).to.deep.equal([[0, 16], [16, 12]]);
    // Shards cut mid-element: TF.js concatenates a group's shards, so boundaries are arbitrary.
    const shards = [data.subarray(0, 5), data.subarray(5, 18), data.subarray(18)];
    expect(Array.from(decodeWeight(plan.weights[0]!, shards))).to.deep.equal([1.5, -2, 3, 4]);
    const ints = decodeWeight(plan.weights[1]!, shards);
    expect(ints).to.be.instanceOf(Int32Array);
    expect(Array.from(ints)).to.deep.equal([7, -8, 9]);
    a.dispose();
    b.dispose();
  });

  it('refuses quantized weights, other dtypes, duplicate names and absurd sizes before allocating', () => {
    const plan = (weights: unknown[], paths = ['w.bin']): unknown => planWeights([{ paths, weights: weights as never }], 'm.json', 'weightsManifest');
    expect(() => plan([{ name: 'd/k', shape: [2], dtype: 'uint8', quantization: { dtype: 'uint8', scale: 1, min: 0 } }])).to.throw(SavedModelError, "weight 'd/k' is quantized (stored as uint8)");
    expect(() => plan([{ name: 'd/k', shape: [2], dtype: 'float16' }])).to.throw(SavedModelError, 'm.json: weightsManifest[0].weights[0].dtype: weight \'d/k\' has dtype "float16"; Strata loads float32 and int32 weights');
    expect(() => plan([{ name: 'd/k', shape: [2], dtype: 'float32' }, { name: 'd/k', shape: [1], dtype: 'float32' }])).to.throw(SavedModelError, "weight 'd/k' is listed twice (also at weightsManifest[0].weights[0])");
    expect(() => plan([{ name: 'd/k', shape: [2 ** 20, 2 ** 20], dtype: 'float32' }])).to.throw(SavedModelError, `more than the ${MAX_WEIGHT_ELEMENTS} elements one weight may have`);
    expect(() => plan([{ name: 'd/k', shape: [2], dtype: 'float32' }], [])).to.throw(SavedModelError, 'group 0 lists 1 weight(s) but no files to read them from');
  });
});

describe('saving: saveWeights / loadWeights', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-weights-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes weights.json (a TF.js manifest) and weights.bin, and loads them into another model by name', async () => {
    const a = mlp(1);
    const b = mlp(2);
    await saveModelWeights(a, dir);
    expect((await readdir(dir)).sort()).to.deep.equal(['weights.bin', 'weights.json']);
    const json = JSON.parse(await readFile(join(dir, 'weights.json'), 'utf8')) as { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };
    // TF.js's order: trainable weights first, then the rest (moving statistics).
    expect(json.weightsManifest[0]!.paths).to.deep.equal(['weights.bin']);
    expect(json.weightsManifest[0]!.weights.map((w) => `${w.name} ${JSON.stringify(w.shape)} ${w.dtype}`)).to.deep.equal([
      'dense/kernel [2,4] float32', 'dense/bias [4] float32', 'batch_normalization/gamma [4] float32', 'batch_normalization/beta [4] float32',
      'dense_1/kernel [4,3] float32', 'dense_1/bias [3] float32', 'batch_normalization/moving_mean [4] float32', 'batch_normalization/moving_variance [4] float32',
    ]);
    expect((await stat(join(dir, 'weights.bin'))).size).to.equal(4 * (8 + 4 + 4 + 4 + 12 + 3 + 4 + 4));
    expect(await values(b)).to.not.deep.equal(await values(a));
    const live = memory().numTensors;
    await loadModelWeights(b, dir);
    expect(memory().numTensors).to.equal(live);
    expect(await values(b)).to.deep.equal(await values(a));
    // The path of the JSON file works too.
    await loadModelWeights(b, join(dir, 'weights.json'));
    a.dispose();
    b.dispose();
  });

  it('is reached through model.saveWeights / model.loadWeights', async () => {
    const a = mlp(3);
    const b = mlp(4);
    await a.saveWeights(dir);
    await b.loadWeights(dir);
    expect(await values(b)).to.deep.equal(await values(a));
    a.dispose();
    b.dispose();
  });

  it('matches by name, whatever the order of layers in the file', async () => {
    resetLayerNames();
    const x = input({ shape: [2] });
    const first = new Dense({ units: 2, name: 'first' });
    const second = new Dense({ units: 2, name: 'second' });
    const a = new LayersModel({ inputs: x, outputs: second.apply(first.apply(x)) as never });
    await saveModelWeights(a, dir);
    const manifest = JSON.parse(await readFile(join(dir, 'weights.json'), 'utf8')) as { weightsManifest: { weights: unknown[] }[] };
    const bin = await readFile(join(dir, 'weights.bin'));
    // Swap the two layers' entries and bytes: first/kernel, first/bias (24 bytes) <-> second's.
    const w = manifest.weightsManifest[0]!.weights;
    manifest.weightsManifest[0]!.weights = [w[2], w[3], w[0], w[1]];
    await writeFile(join(dir, 'weights.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'weights.bin'), Buffer.concat([bin.subarray(24), bin.subarray(0, 24)]));
    const y = input({ shape: [2] });
    const b = new LayersModel({ inputs: y, outputs: new Dense({ units: 2, name: 'second' }).apply(new Dense({ units: 2, name: 'first' }).apply(y)) as never });
    await loadModelWeights(b, dir);
    const av = await values(a);
    const bv = await values(b);
    for (const name of Object.keys(av)) expect(bv[name], name).to.deep.equal(av[name]);
    a.dispose();
    b.dispose();
  });

  it('refuses weights of the wrong shape, missing or extra weights, and leaves the model unchanged', async () => {
    const a = mlp(5, 3);
    await saveModelWeights(a, dir);
    const b = mlp(6, 5);
    const before = await values(b);
    const live = memory().numTensors;
    const e = await expectSavedModelError(loadModelWeights(b, dir), join(dir, 'weights.json'), "weight 'dense_1/kernel' (data in weights.bin) has shape [4, 3], but the model's weight 'dense_1/kernel' has shape [4, 5]");
    expect(e.file).to.equal(join(dir, 'weights.json'));
    expect(e.where).to.equal('weightsManifest[0].weights[4].shape');
    expect(memory().numTensors).to.equal(live);
    expect(await values(b)).to.deep.equal(before);

    resetLayerNames();
    const c = new Sequential({ layers: [new Dense({ units: 4, inputShape: [2], activation: 'relu' })] });
    await expectSavedModelError(loadModelWeights(c, dir), "weight 'batch_normalization/gamma' matches no weight of model");
    resetLayerNames();
    const bigger = new Sequential({ layers: [new Dense({ units: 4, inputShape: [2] }), new BatchNormalization(), new Dense({ units: 3 }), new Dense({ units: 1, name: 'extra' })] });
    await expectSavedModelError(loadModelWeights(bigger, dir), "2 of the model's 10 weight(s) are not in the file: extra/kernel, extra/bias");
    a.dispose();
    b.dispose();
    c.dispose();
    bigger.dispose();
  });

  it('refuses a truncated or extended weights file, naming it and the byte counts', async () => {
    const a = mlp(7);
    await saveModelWeights(a, dir);
    const bin = await readFile(join(dir, 'weights.bin'));
    await writeFile(join(dir, 'weights.bin'), bin.subarray(0, bin.length - 3));
    await expectSavedModelError(loadModelWeights(a, dir), `${join(dir, 'weights.bin')}: has ${bin.length - 3} bytes, but the 8 weight(s) its manifest lists need ${bin.length} bytes (the file is truncated)`);
    await writeFile(join(dir, 'weights.bin'), Buffer.concat([bin, Buffer.alloc(4)]));
    await expectSavedModelError(loadModelWeights(a, dir), 'the file has extra bytes');
    await rm(join(dir, 'weights.bin'));
    await expectSavedModelError(loadModelWeights(a, dir), `${join(dir, 'weights.bin')}: does not exist`, 'Model files must stay together');
    a.dispose();
  });

  it('refuses a missing file, invalid JSON, a wrong schema and paths outside the directory', async () => {
    const a = mlp(8);
    await expectSavedModelError(loadModelWeights(a, join(dir, 'nope')), `${join(dir, 'nope')}: does not exist`);
    await expectSavedModelError(loadModelWeights(a, dir), `${join(dir, 'weights.json')}: does not exist (the directory holds no weights.json or model.json)`);
    await writeFile(join(dir, 'weights.json'), '{"weightsManifest": [');
    await expectSavedModelError(loadModelWeights(a, dir), 'is not valid JSON');
    await writeFile(join(dir, 'weights.json'), JSON.stringify({ weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'dense/kernel', shape: [2, -4], dtype: 'float32' }] }] }));
    await expectSavedModelError(loadModelWeights(a, dir), 'weightsManifest[0].weights[0].shape[1]: expected a number >= 0; received -4');
    await writeFile(join(dir, 'weights.json'), JSON.stringify({ weightsManifest: [{ paths: ['../../etc/passwd'], weights: [{ name: 'dense/kernel', shape: [2], dtype: 'float32' }] }] }));
    await expectSavedModelError(loadModelWeights(a, dir), 'weightsManifest[0].paths[0]: names the weights file "../../etc/passwd", which is not a file name relative to the manifest\'s directory');
    a.dispose();
  });

  it('checks its arguments and that the model is built', async () => {
    const unbuilt = new Sequential({ layers: [new Dense({ units: 2 })] });
    let error: unknown = null;
    await saveModelWeights(unbuilt, dir).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(StrataError);
    expect((error as Error).message).to.contain('is not built yet');
    error = null;
    await saveModelWeights(unbuilt, '').catch((e: unknown) => (error = e));
    expect((error as Error).message).to.contain('model.saveWeights: expected a directory path (string); received an empty string');
    unbuilt.dispose();
  });
});
