import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrataError, memory, setSeed, sub, tensor, type Tensor } from '@strata/core';
import { input } from '../../src/engine/input-layer.js';
import { LayersModel, Sequential } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { Dense } from '../../src/layers/core/dense.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { optimizers, schedules } from '../../src/optimizers/index.js';
import { SavedModelError } from '../../src/saving/errors.js';
import { nodeIo, type FileIo, type NodeFs } from '../../src/saving/files.js';
import { loadModel } from '../../src/saving/load-model.js';
import { saveModel } from '../../src/saving/save-model.js';
import type { CompileArgs } from '../../src/training/compile.js';

interface ModelJson {
  modelTopology: Record<string, unknown>;
  format: string;
  generatedBy: string;
  convertedBy: null;
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; group?: string }[] }[];
  trainingConfig?: Record<string, unknown>;
}

async function readModelJson(dir: string): Promise<ModelJson> {
  return JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelJson;
}

async function weightsByName(m: LayersModel): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const w of m.weightEntries) out[w.name] = Array.from(await w.variable.data());
  return out;
}

async function expectClose(a: Record<string, number[]>, b: Record<string, number[]>, tolerance: number): Promise<void> {
  expect(Object.keys(a).sort()).to.deep.equal(Object.keys(b).sort());
  for (const [name, values] of Object.entries(a)) {
    const other = b[name]!;
    const worst = Math.max(...values.map((v, i) => Math.abs(v - other[i]!)));
    expect(worst, `${name} differs by ${worst}`).to.be.at.most(tolerance);
  }
}

/** An MLP without dropout (its random streams are not saved), with a BatchNormalization's moving statistics. */
function mlp(seed: number): Sequential {
  setSeed(seed);
  resetLayerNames();
  return new Sequential({ layers: [new Dense({ units: 8, inputShape: [3], activation: 'tanh' }), new BatchNormalization(), new Dense({ units: 2, activation: 'softmax' })] });
}

function data(): { x: Tensor; y: Tensor } {
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < 24; i++) {
    const a = Math.sin(i * 1.3);
    const b = Math.cos(i * 0.7);
    const c = (i % 5) / 5;
    xs.push([a, b, c]);
    ys.push(a + b * c > 0 ? [1, 0] : [0, 1]);
  }
  return { x: tensor(xs), y: tensor(ys) };
}

describe('saving: model.save / loadModel', function () {
  this.timeout(60_000);
  let dir = '';
  let x: Tensor;
  let y: Tensor;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-save-'));
    ({ x, y } = data());
  });
  afterEach(async () => {
    x.dispose();
    y.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes TF.js's layers-model format: model.json (topology, manifest) and weights.bin", async () => {
    const m = mlp(1);
    await m.save(dir);
    expect((await readdir(dir)).sort()).to.deep.equal(['model.json', 'weights.bin']);
    const json = await readModelJson(dir);
    expect(Object.keys(json)).to.deep.equal(['modelTopology', 'format', 'generatedBy', 'convertedBy', 'weightsManifest']);
    expect(json.format).to.equal('layers-model');
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(json.generatedBy, 'generatedBy names the package version').to.equal(`Strata @strata/layers v${version}`);
    expect(json.convertedBy).to.equal(null);
    expect(json.modelTopology.class_name).to.equal('Sequential');
    expect(json.modelTopology).to.have.property('keras_version');
    expect(json.modelTopology.backend).to.equal('tensor_flow.js');
    expect(json.weightsManifest).to.have.length(1);
    expect(json.weightsManifest[0]!.paths).to.deep.equal(['weights.bin']);
    expect(json.weightsManifest[0]!.weights.map((w) => w.name)).to.deep.equal([
      'dense/kernel', 'dense/bias', 'batch_normalization/gamma', 'batch_normalization/beta', 'dense_1/kernel', 'dense_1/bias',
      'batch_normalization/moving_mean', 'batch_normalization/moving_variance',
    ]);
    m.dispose();
  });

  it('loads a saved model that predicts as the original, from the directory or its model.json', async () => {
    const m = mlp(2);
    await m.save(dir);
    const live = memory().numTensors;
    const loaded = await loadModel(dir);
    expect(loaded).to.be.instanceOf(Sequential);
    expect(loaded.compiled).to.equal(null);
    expect(await weightsByName(loaded)).to.deep.equal(await weightsByName(m));
    const p1 = m.predictOnBatch(x) as Tensor;
    const p2 = loaded.predictOnBatch(x) as Tensor;
    expect(Array.from(await p2.data())).to.deep.equal(Array.from(await p1.data()));
    p1.dispose();
    p2.dispose();
    loaded.dispose();
    expect(memory().numTensors).to.equal(live);
    const again = await loadModel(join(dir, 'model.json'));
    expect(await weightsByName(again)).to.deep.equal(await weightsByName(m));
    again.dispose();
    m.dispose();
  });

  it('saves Functional models with a nested model, naming weights as TF.js does (the inner layers by their own names)', async () => {
    setSeed(3);
    resetLayerNames();
    const innerIn = input({ shape: [4] });
    const inner = new LayersModel({ name: 'inner', inputs: innerIn, outputs: new Dense({ units: 3, name: 'inner_dense' }).apply(innerIn) as SymbolicTensor });
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const shared = new Dense({ units: 4, name: 'shared', activation: 'relu' });
    const ha = inner.apply(shared.apply(a) as SymbolicTensor) as SymbolicTensor;
    const hb = shared.apply(b) as SymbolicTensor;
    const m = new LayersModel({ name: 'outer', inputs: [a, b], outputs: [ha, new Dense({ units: 1, name: 'head' }).apply(hb) as SymbolicTensor] });
    await m.save(dir);
    const json = await readModelJson(dir);
    expect(json.weightsManifest[0]!.weights.map((w) => w.name)).to.have.members(['shared/kernel', 'shared/bias', 'inner_dense/kernel', 'inner_dense/bias', 'head/kernel', 'head/bias']);
    const loaded = await loadModel(dir);
    expect(await weightsByName(loaded)).to.deep.equal(await weightsByName(m));
    const xa = tensor([[1, 2, 3, 4], [0, -1, 2, 0.5]]);
    const xb = tensor([[0.5, 0, -2, 1], [1, 1, 1, 1]]);
    const p1 = m.predictOnBatch([xa, xb]) as Tensor[];
    const p2 = loaded.predictOnBatch([xa, xb]) as Tensor[];
    for (let i = 0; i < 2; i++) expect(Array.from(await p2[i]!.data())).to.deep.equal(Array.from(await p1[i]!.data()));
    [xa, xb, ...p1, ...p2].forEach((t) => t.dispose());
    loaded.dispose();
    m.dispose();
  });

  const resumeCases: { name: string; compile: () => CompileArgs; className: string; slots: string[] }[] = [
    { name: 'adam', compile: () => ({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] }), className: 'Adam', slots: ['m', 'v'] },
    { name: 'sgd with momentum', compile: () => ({ optimizer: optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), loss: 'categorical_crossentropy' }), className: 'Momentum', slots: ['momentum'] },
    { name: 'sgd with Nesterov momentum and a schedule', compile: () => ({ optimizer: optimizers.sgd({ learningRate: schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.8 }), momentum: 0.5, nesterov: true }), loss: 'mse' }), className: 'SGD', slots: ['momentum'] },
    { name: 'rmsprop centered', compile: () => ({ optimizer: optimizers.rmsprop({ learningRate: 0.01, centered: true }), loss: 'mse', metrics: ['mae'] }), className: 'RMSProp', slots: ['rms', 'momentum', 'mg'] },
    { name: 'nadam (no TF.js counterpart)', compile: () => ({ optimizer: 'nadam', loss: 'categorical_crossentropy' }), className: 'Nadam', slots: ['momentum', 'velocity'] },
  ];

  for (const c of resumeCases) {
    it(`resumes training exactly under ${c.name}: 2 epochs, save, load, 2 epochs equal 4 epochs`, async () => {
      const fitArgs = { batchSize: 8, shuffle: false, verbose: 0 as const };
      const reference = mlp(7);
      reference.compile(c.compile());
      await reference.fit(x, y, { ...fitArgs, epochs: 4 });

      const first = mlp(7);
      first.compile(c.compile());
      await first.fit(x, y, { ...fitArgs, epochs: 2 });
      await first.save(dir);
      const json = await readModelJson(dir);
      expect((json.trainingConfig!.optimizer_config as { class_name: string }).class_name).to.equal(c.className);
      const optimizerEntries = json.weightsManifest[0]!.weights.filter((w) => w.group === 'optimizer');
      const trained = ['dense/kernel', 'dense/bias', 'batch_normalization/gamma', 'batch_normalization/beta', 'dense_1/kernel', 'dense_1/bias'];
      expect(optimizerEntries.map((w) => w.name)).to.deep.equal(['iter', ...c.slots.flatMap((s) => trained.map((t) => `${t}/${s}`))]);
      expect(optimizerEntries[0]).to.deep.equal({ name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' });
      first.dispose();

      const live = memory().numTensors;
      const resumed = await loadModel(dir);
      expect(resumed.optimizer!.iterations).to.equal(6);
      await resumed.fit(x, y, { ...fitArgs, epochs: 2 });
      await expectClose(await weightsByName(resumed), await weightsByName(reference), 1e-6);
      resumed.dispose();
      expect(memory().numTensors, 'live tensors after loading, training and disposing').to.equal(live);
      reference.dispose();
    });
  }

  it('writes the training config as TF.js does, and leaves it out with includeOptimizer: false', async () => {
    const m = mlp(4);
    m.compile({ optimizer: optimizers.rmsprop({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy', 'mae'] });
    await m.save(dir);
    const json = await readModelJson(dir);
    expect(Object.keys(json)).to.deep.equal(['modelTopology', 'format', 'generatedBy', 'convertedBy', 'weightsManifest', 'trainingConfig']);
    const tc = json.trainingConfig!;
    expect(tc.loss).to.equal('categorical_crossentropy');
    expect(tc.metrics).to.deep.equal(['accuracy', 'mae']);
    expect(tc.optimizer_config).to.deep.include({ class_name: 'RMSProp' });
    expect((tc.optimizer_config as { config: Record<string, unknown> }).config).to.include({ learningRate: 0.01, decay: 0.9 });
    // Before any step the optimizer state is the update count alone.
    expect(json.weightsManifest[0]!.weights.filter((w) => w.group === 'optimizer').map((w) => w.name)).to.deep.equal(['iter']);
    const loaded = await loadModel(dir);
    expect(loaded.optimizer!.className).to.equal('RMSprop');
    expect((loaded.optimizer as unknown as { rho: number }).rho).to.equal(0.9);
    loaded.dispose();
    const uncompiled = await loadModel(dir, { compile: false });
    expect(uncompiled.compiled).to.equal(null);
    uncompiled.dispose();

    await m.save(dir, { includeOptimizer: false });
    const bare = await readModelJson(dir);
    expect(bare).to.not.have.property('trainingConfig');
    expect(bare.weightsManifest[0]!.weights.some((w) => w.group === 'optimizer')).to.equal(false);
    const plain = await loadModel(dir);
    expect(plain.compiled).to.equal(null);
    plain.dispose();
    m.dispose();
  });

  it('refuses a loss that cannot be saved by name, and saves the rest with includeOptimizer: false', async () => {
    const m = mlp(5);
    m.compile({ optimizer: 'sgd', loss: (t: Tensor, p: Tensor) => sub(p, t) });
    let error: unknown = null;
    await m.save(dir).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(StrataError);
    expect((error as Error).message).to.contain("the loss of output 'dense_1' (LossFunctionWrapper").and.contain('{ includeOptimizer: false }');
    expect(await readdir(dir)).to.deep.equal([]);
    await m.save(dir, { includeOptimizer: false });
    m.dispose();
  });

  it('leaves the previous save byte-identical when the write fails mid-way', async () => {
    const a = mlp(6);
    a.compile({ optimizer: 'adam', loss: 'mse' });
    await a.fit(x, y, { epochs: 1, verbose: 0 });
    await a.save(dir);
    const before = { json: await readFile(join(dir, 'model.json')), bin: await readFile(join(dir, 'weights.bin')) };
    const real = await nodeIo('test');
    let writes = 0;
    const io: FileIo = {
      path: real.path,
      fs: { ...real.fs, writeFile: async (...args: Parameters<NodeFs['writeFile']>) => { if (++writes === 2) throw new Error('disk full (injected)'); return real.fs.writeFile(...args); } } as NodeFs,
    };
    const b = mlp(8);
    let error: unknown = null;
    await saveModel(b, dir, {}, io).catch((e: unknown) => (error = e));
    expect(writes).to.equal(2);
    expect((error as Error).message).to.contain('disk full (injected)');
    expect(await readdir(dir)).to.have.members(['model.json', 'weights.bin']);
    expect(await readFile(join(dir, 'model.json'))).to.deep.equal(before.json);
    expect(await readFile(join(dir, 'weights.bin'))).to.deep.equal(before.bin);
    const loaded = await loadModel(dir);
    expect(await weightsByName(loaded)).to.deep.equal(await weightsByName(a));
    loaded.dispose();
    a.dispose();
    b.dispose();
  });

  it('checks its arguments', async () => {
    const m = mlp(9);
    const failure = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
      } catch (e) {
        expect(e).to.be.instanceOf(StrataError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(await failure(m.save(''))).to.contain('model.save: expected a directory path');
    expect(await failure(m.save(dir, { includeOptimizer: 'yes' } as never))).to.contain("option 'includeOptimizer' must be true or false");
    expect(await failure(m.save(dir, { weights: true } as never))).to.contain("unknown option 'weights'");
    expect(await failure(loadModel(dir, { compile: 1 } as never))).to.contain("option 'compile' must be true or false");
    expect(await failure(new Sequential({ layers: [new Dense({ units: 1 })] }).save(dir))).to.contain('is not built yet');
    m.dispose();
  });
});

describe('saving: loadModel refuses bad files with a SavedModelError naming the file and the problem', function () {
  this.timeout(60_000);
  let dir = '';
  let modelJson: ModelJson;
  let bin: Buffer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-bad-'));
    const m = mlp(10);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    await m.save(join(dir, 'good'));
    m.dispose();
    modelJson = await readModelJson(join(dir, 'good'));
    bin = await readFile(join(dir, 'good', 'weights.bin'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let n = 0;
  async function write(json: unknown, weights: Uint8Array = bin): Promise<string> {
    const d = join(dir, `case-${n++}`);
    await mkdir(d);
    await writeFile(join(d, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
    await writeFile(join(d, 'weights.bin'), weights);
    return d;
  }

  async function refused(d: string, ...parts: string[]): Promise<SavedModelError> {
    const live = memory().numTensors;
    let error: unknown = null;
    try {
      (await loadModel(d)).dispose();
    } catch (e) {
      error = e;
    }
    expect(error, 'a SavedModelError').to.be.instanceOf(SavedModelError);
    for (const p of parts) expect((error as Error).message, (error as Error).message).to.contain(p);
    expect(memory().numTensors, 'live tensors after the failed load').to.equal(live);
    return error as SavedModelError;
  }

  const clone = (): ModelJson => structuredClone(modelJson);

  it('a missing directory or file', async () => {
    await refused(join(dir, 'nowhere'), `${join(dir, 'nowhere')}: does not exist`);
    await mkdir(join(dir, 'empty'));
    await refused(join(dir, 'empty'), `${join(dir, 'empty', 'model.json')}: does not exist`);
    const d = await write(modelJson);
    await rm(join(d, 'weights.bin'));
    await refused(d, `${join(d, 'weights.bin')}: does not exist`);
  });

  it('invalid JSON and a wrong schema, naming the key path', async () => {
    await refused(await write('{"modelTopology": {'), 'model.json: is not valid JSON');
    await refused(await write('[1, 2]'), 'model.json: (top level): expected object; received [1,2]');
    const noTopology = clone() as Partial<ModelJson>;
    delete noTopology.modelTopology;
    await refused(await write(noTopology), 'model.json: modelTopology: is missing (expected an object)');
    const badShape = clone();
    badShape.weightsManifest[0]!.weights[0]!.shape = [3, 1.5];
    await refused(await write(badShape), 'weightsManifest[0].weights[0].shape[1]: expected int; received 1.5');
    const graph = clone();
    graph.format = 'graph-model';
    await refused(await write(graph), 'has format "graph-model"', '--output_format tfjs_layers_model');
  });

  it('a weight of the wrong shape, naming the weight, the file and both shapes', async () => {
    const wrong = clone();
    wrong.weightsManifest[0]!.weights[0]!.shape = [8, 3];
    const e = await refused(await write(wrong), "weight 'dense/kernel' (data in weights.bin) has shape [8, 3], but the model's weight 'dense/kernel' has shape [3, 8]");
    expect(e.where).to.equal('weightsManifest[0].weights[0].shape');
  });

  it('missing and extra weights', async () => {
    const missing = clone();
    const dropped = missing.weightsManifest[0]!.weights.splice(1, 1)[0]!;
    const d1 = await write(missing, Buffer.concat([bin.subarray(0, 3 * 8 * 4), bin.subarray(3 * 8 * 4 + dropped.shape[0]! * 4)]));
    await refused(d1, "1 of the model's 8 weight(s) are not in the file: dense/bias");
    const extra = clone();
    extra.weightsManifest[0]!.weights.splice(2, 0, { name: 'ghost/kernel', shape: [1], dtype: 'float32' });
    const cut = 3 * 8 * 4 + 8 * 4;
    await refused(await write(extra, Buffer.concat([bin.subarray(0, cut), Buffer.alloc(4), bin.subarray(cut)])), "weight 'ghost/kernel' matches no weight of model");
  });

  it('a truncated or extended weights file, and absurd claimed sizes, before reading', async () => {
    await refused(await write(modelJson, bin.subarray(0, bin.length - 1)), 'weights.bin: has', 'the file is truncated');
    await refused(await write(modelJson, Buffer.concat([bin, Buffer.alloc(8)])), 'the file has extra bytes');
    const huge = clone();
    huge.weightsManifest[0]!.weights[0]!.shape = [2 ** 26, 2 ** 26];
    await refused(await write(huge), 'more than the 536870912 elements one weight may have');
    const many = clone();
    many.weightsManifest[0]!.weights[0]!.shape = [3, 2 ** 25];
    await refused(await write(many), 'the file is truncated');
  });

  it('quantized weights and unsupported dtypes', async () => {
    const q = clone();
    Object.assign(q.weightsManifest[0]!.weights[0]!, { dtype: 'uint8', quantization: { dtype: 'uint8', scale: 0.1, min: -1 } });
    await refused(await write(q), "weight 'dense/kernel' is quantized (stored as uint8)", '--quantize_uint8');
    const f16 = clone();
    f16.weightsManifest[0]!.weights[0]!.dtype = 'float16';
    await refused(await write(f16), 'has dtype "float16"; Strata loads float32 and int32 weights');
  });

  it('an unknown layer class, naming the class and registerLayer', async () => {
    const unknown = clone();
    const layers = (unknown.modelTopology.config as { layers: { class_name: string }[] }).layers;
    layers[1]!.class_name = 'MyCustomNorm';
    await refused(await write(unknown), 'MyCustomNorm', 'registerLayer');
  });

  it('a topology whose weights are bigger than the weights files', async () => {
    const big = clone();
    const layers = (big.modelTopology.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;
    layers[0]!.config.units = 100_000_000;
    await refused(await write(big), 'model.json');
  });

  it('a bad training config or optimizer state, suggesting compile: false', async () => {
    const badLoss = clone();
    badLoss.trainingConfig!.loss = 'no_such_loss';
    const e = await refused(await write(badLoss), 'trainingConfig.loss', 'no_such_loss', 'compile: false');
    expect(e.where).to.equal('trainingConfig.loss');
    const badOptimizer = clone();
    badOptimizer.trainingConfig!.optimizer_config = { class_name: 'Adam', config: { learningRate: -1 } };
    await refused(await write(badOptimizer), 'trainingConfig.optimizer_config', 'learningRate');
    // Before any step the optimizer state is `iter` alone, the last 4 bytes.
    const negative = Buffer.from(bin);
    negative.writeInt32LE(-3, bin.length - 4);
    await refused(await write(modelJson, negative), "the optimizer's update count 'iter' must be one non-negative integer", 'holding -3');
    const loaded = await loadModel(await write(badLoss), { compile: false });
    loaded.dispose();
  });
});
