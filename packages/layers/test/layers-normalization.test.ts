import { expect } from 'chai';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import type { Layer } from '../src/engine/layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { Masking } from '../src/layers/basic/index.js';
import { Dense } from '../src/layers/core/dense.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import {
  BatchNormalization, GroupNormalization, LayerNormalization, batchNormalization, groupNormalization, layerNormalization,
} from '../src/layers/normalization/index.js';
import { checkLayerGradients } from './layer-harness.js';

// Reference values are plain float64 loops written from the Keras definitions, never the code under test.

function data(n: number, seed: number, scale = 1, shift = 0): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return Math.fround(((s / 4294967296) * 2 - 1) * scale + shift);
  });
}

async function values(t: Tensor | Tensor[]): Promise<number[]> {
  return Array.from(await (Array.isArray(t) ? t[0]! : t).data());
}

function roundTrip<L extends Layer>(layer: L): L {
  return layerRegistry.get({ className: layer.className, config: layer.getConfig() }) as L;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Every multi-index of `shape`, row-major. */
function indices(shape: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < prod(shape); i++) {
    const idx: number[] = [];
    let r = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(r % shape[d]!);
      r = Math.floor(r / shape[d]!);
    }
    out.push(idx);
  }
  return out;
}

/**
 * Normalizes `xs` in groups: `key(idx)` names the group whose mean and biased variance normalize an
 * element; `param(idx)` picks its gamma/beta.
 */
function refNormalize(
  xs: number[], shape: number[], key: (idx: number[]) => string, eps: number,
  gamma: (idx: number[]) => number, beta: (idx: number[]) => number,
): { out: number[]; stats: Map<string, { mean: number; variance: number; n: number }> } {
  const all = indices(shape);
  const groups = new Map<string, number[]>();
  all.forEach((idx, i) => groups.set(key(idx), [...(groups.get(key(idx)) ?? []), xs[i]!]));
  const stats = new Map<string, { mean: number; variance: number; n: number }>();
  for (const [k, v] of groups) {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    stats.set(k, { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length, n: v.length });
  }
  const out = all.map((idx, i) => {
    const s = stats.get(key(idx))!;
    return gamma(idx) * (xs[i]! - s.mean) / Math.sqrt(s.variance + eps) + beta(idx);
  });
  return { out, stats };
}

beforeEach(() => resetLayerNames());

describe('BatchNormalization', () => {
  const shape = [6, 4];
  const xs = data(24, 1, 2, 3);
  const gamma = [1.5, 0.5, 2, 1];
  const beta = [0.1, -0.2, 0.3, 0];
  const movingMean = [3, 2.5, 3.5, 2];
  const movingVariance = [1, 2, 0.5, 4];

  function fixed(args: ConstructorParameters<typeof BatchNormalization>[0] = {}): BatchNormalization {
    const bn = new BatchNormalization(args);
    bn.build([null, 4]);
    bn.setWeights([tensor(gamma), tensor(beta), tensor(movingMean), tensor(movingVariance)]);
    return bn;
  }

  it('creates gamma, beta and the moving statistics with Keras names, and infers shapes', () => {
    const bn = batchNormalization();
    expect([...(bn.apply(input({ shape: [5, 4] })) as SymbolicTensor).shape]).to.deep.equal([null, 5, 4]);
    expect(bn.weightEntries.map((w) => w.name)).to.deep.equal([
      'batch_normalization/gamma', 'batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance',
    ]);
    expect(bn.trainableWeights).to.have.length(2);
    expect(bn.nonTrainableWeights).to.have.length(2);
    const bare = new BatchNormalization({ center: false, scale: false, name: 'bare' });
    bare.apply(input({ shape: [3] }));
    expect(bare.weightEntries.map((w) => w.name)).to.deep.equal(['bare/moving_mean', 'bare/moving_variance']);
    expect(bare.trainableWeights).to.have.length(0);
  });

  it('uses the moving statistics at inference', async () => {
    const bn = fixed();
    const x = tensor(xs, shape);
    const y = bn.apply(x) as Tensor;
    const ref = xs.map((v, i) => gamma[i % 4]! * (v - movingMean[i % 4]!) / Math.sqrt(movingVariance[i % 4]! + 1e-3) + beta[i % 4]!);
    expectClose(await values(y), ref, { atol: 1e-5 });
    expectClose(await values(bn.apply(x, { training: false }) as Tensor), ref, { atol: 1e-5 });
    expectClose(await values(bn.weights[2]!), movingMean, { atol: 0 });
    await checkLayerGradients(bn, x);
    x.dispose();
  });

  it('normalizes with batch statistics while training and updates the moving statistics', async () => {
    const bn = fixed({ momentum: 0.9 });
    const x = tensor(xs, shape);
    const { out, stats } = refNormalize(xs, shape, (idx) => String(idx[1]), 1e-3, (idx) => gamma[idx[1]!]!, (idx) => beta[idx[1]!]!);
    const before = memory().numTensors;
    const y = bn.apply(x, { training: true }) as Tensor;
    expect(memory().numTensors, 'only the output is new').to.equal(before + 1);
    expectClose(await values(y), out, { atol: 1e-5 });
    const batchMean = [0, 1, 2, 3].map((c) => stats.get(String(c))!.mean);
    const batchVar = [0, 1, 2, 3].map((c) => stats.get(String(c))!.variance);
    const mean1 = movingMean.map((m, c) => m * 0.9 + batchMean[c]! * 0.1);
    const var1 = movingVariance.map((v, c) => v * 0.9 + batchVar[c]! * 0.1);
    expectClose(await values(bn.movingMean!), mean1, { atol: 1e-5 });
    expectClose(await values(bn.movingVariance!), var1, { atol: 1e-5 });
    // A second step compounds.
    (bn.apply(x, { training: true }) as Tensor).dispose();
    expectClose(await values(bn.movingMean!), mean1.map((m, c) => m * 0.9 + batchMean[c]! * 0.1), { atol: 1e-5 });
    expectClose(await values(bn.movingVariance!), var1.map((v, c) => v * 0.9 + batchVar[c]! * 0.1), { atol: 1e-5 });
    // Gamma and beta were not touched.
    expectClose(await values(bn.gamma!), gamma, { atol: 0 });
    y.dispose();
    x.dispose();
  });

  it('differentiates through the batch statistics in training mode', async () => {
    const bn = fixed({ momentum: 0.5 });
    const x = tensor(data(12, 4, 1.5), [3, 4]);
    await checkLayerGradients(bn, x, { args: { training: true }, atol: 3e-2, rtol: 3e-2 });
    x.dispose();
  });

  it('stays in inference mode when frozen (trainable = false), as Keras 3', async () => {
    const bn = fixed({ momentum: 0.9 });
    bn.trainable = false;
    const x = tensor(xs, shape);
    const y = bn.apply(x, { training: true }) as Tensor;
    const ref = xs.map((v, i) => gamma[i % 4]! * (v - movingMean[i % 4]!) / Math.sqrt(movingVariance[i % 4]! + 1e-3) + beta[i % 4]!);
    expectClose(await values(y), ref, { atol: 1e-5 });
    expectClose(await values(bn.movingMean!), movingMean, { atol: 0 });
    [x, y].forEach((t) => t.dispose());
  });

  it('normalizes any axis (channels-first images)', async () => {
    const s = [2, 3, 2, 2];
    const v = data(prod(s), 5, 1, 1);
    const bn = new BatchNormalization({ axis: 1 });
    expect([...(bn.apply(input({ shape: [3, 2, 2] })) as SymbolicTensor).shape]).to.deep.equal([null, 3, 2, 2]);
    expect([...bn.weights[0]!.shape]).to.deep.equal([3]);
    const x = tensor(v, s);
    const { out } = refNormalize(v, s, (idx) => String(idx[1]), 1e-3, () => 1, () => 0);
    expectClose(await values(bn.apply(x, { training: true }) as Tensor), out, { atol: 1e-5 });
    x.dispose();
  });

  it('leaves masked steps out of the batch statistics', async () => {
    const x = input({ shape: [3, 2] });
    const bn = new BatchNormalization({ momentum: 0 });
    const model = new LayersModel({ inputs: x, outputs: bn.apply(new Masking({ maskValue: 0 }).apply(x) as SymbolicTensor) as SymbolicTensor });
    // Sample 0 has steps 0 and 2 padded; sample 1 has step 1 padded.
    const v = [0, 0, 1, 2, 0, 0, 3, 5, 0, 0, 5, 8];
    const t = tensor(v, [2, 3, 2]);
    (model.apply(t, { training: true }) as Tensor).dispose();
    const kept = [[1, 2], [3, 5], [5, 8]];
    const mean = [0, 1].map((c) => kept.reduce((s, r) => s + r[c]!, 0) / 3);
    const variance = [0, 1].map((c) => kept.reduce((s, r) => s + (r[c]! - mean[c]!) ** 2, 0) / 3);
    expectClose(await values(bn.movingMean!), mean, { atol: 1e-5 });
    expectClose(await values(bn.movingVariance!), variance, { atol: 1e-4 });
    t.dispose();
  });

  it('updates the moving statistics once per step inside fit, and never in evaluate or predict', async () => {
    const n = 16;
    const v = data(n * 2, 6, 2, 1);
    const x = tensor(v, [n, 2]);
    const y = tensor(data(n, 7), [n, 1]);
    const bn = new BatchNormalization({ momentum: 0.5, inputShape: [2] });
    const model = new Sequential({ layers: [bn, new Dense({ units: 1 })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { stats } = refNormalize(v, [n, 2], (idx) => String(idx[1]), 1e-3, () => 1, () => 0);
    const before = memory().numTensors;
    await model.fit(x, y, { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
    expect(memory().numTensors, 'fit leaks nothing').to.equal(before);
    const decay = 0.5 ** 3;
    expectClose(await values(bn.movingMean!), [0, 1].map((c) => stats.get(String(c))!.mean * (1 - decay)), { atol: 1e-5 });
    expectClose(await values(bn.movingVariance!), [0, 1].map((c) => stats.get(String(c))!.variance * (1 - decay) + decay), { atol: 1e-5 });
    const snapshot = await values(bn.movingMean!);
    await model.evaluate(x, y, { verbose: 0 });
    ((await model.predict(x)) as Tensor).dispose();
    expect(await values(bn.movingMean!)).to.deep.equal(snapshot);
    // Frozen: fit changes neither the moving statistics nor gamma and beta.
    bn.trainable = false;
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const gammaBefore = await values(bn.gamma!);
    await model.fit(x, y, { epochs: 2, batchSize: n, shuffle: false, verbose: 0 });
    expect(await values(bn.movingMean!)).to.deep.equal(snapshot);
    expect(await values(bn.gamma!)).to.deep.equal(gammaBefore);
    [x, y].forEach((t) => t.dispose());
  });

  it('round-trips its config', async () => {
    const bn = new BatchNormalization({ axis: 1, momentum: 0.8, epsilon: 1e-5, center: false, gammaInitializer: 'ones', gammaRegularizer: { className: 'L2', config: { l2: 0.01 } } });
    const c = roundTrip(bn).getConfig();
    expect(c).to.include({ axis: 1, momentum: 0.8, epsilon: 1e-5, center: false, scale: true });
    expect(c.gammaRegularizer).to.deep.equal(bn.getConfig().gammaRegularizer);
  });

  it('reports bad inputs and options with the layer name', () => {
    expect(() => new BatchNormalization({ name: 'bn' }).apply(input({ shape: [null] }))).to.throw(
      LayerError, 'bn (BatchNormalization): the size of axis -1 must be known to create the weights; received shape [null, null]',
    );
    expect(() => new BatchNormalization({ axis: 3, name: 'bn2' }).apply(input({ shape: [4] }))).to.throw(
      LayerError, 'bn2 (BatchNormalization): option \'axis\' is 3, which is out of range for input of rank 2; use axes in [1, 1] or [-1, -1] (axis 0 is the batch)',
    );
    const bn = new BatchNormalization({ name: 'bn3' });
    bn.apply(input({ shape: [4] }));
    expect(() => bn.apply(input({ shape: [5] }))).to.throw(LayerError, 'bn3 (BatchNormalization): expected input with dimension 1 of size 4, received shape [null, 5]');
    expect(() => new BatchNormalization({ momentum: 2, name: 'bn4' })).to.throw(LayerError, "bn4 (BatchNormalization): option 'momentum' must be a number in [0, 1]; received number 2");
  });
});

describe('LayerNormalization', () => {
  it('normalizes each sample over the last axis', async () => {
    const s = [3, 2, 4];
    const v = data(prod(s), 8, 2, 1);
    const ln = layerNormalization();
    expect([...(ln.apply(input({ shape: [2, 4] })) as SymbolicTensor).shape]).to.deep.equal([null, 2, 4]);
    expect(ln.weightEntries.map((w) => w.name)).to.deep.equal(['layer_normalization/gamma', 'layer_normalization/beta']);
    const gamma = [1, 2, 0.5, -1];
    const beta = [0, 0.1, 0.2, 0.3];
    ln.setWeights([tensor(gamma), tensor(beta)]);
    const x = tensor(v, s);
    const { out } = refNormalize(v, s, (idx) => `${idx[0]},${idx[1]}`, 1e-3, (idx) => gamma[idx[2]!]!, (idx) => beta[idx[2]!]!);
    const before = memory().numTensors;
    const y = ln.apply(x) as Tensor;
    expect(memory().numTensors).to.equal(before + 1);
    expectClose(await values(y), out, { atol: 1e-5 });
    expectClose(await values(ln.apply(x, { training: true }) as Tensor), out, { atol: 1e-5 });
    await checkLayerGradients(ln, x, { atol: 3e-2, rtol: 3e-2 });
    [x, y].forEach((t) => t.dispose());
  });

  it('normalizes over several axes, with one gamma per element of them', async () => {
    const s = [2, 3, 2];
    const v = data(prod(s), 9, 1, 2);
    const ln = new LayerNormalization({ axis: [1, 2], epsilon: 1e-5 });
    ln.build([null, 3, 2]);
    expect([...ln.weights[0]!.shape]).to.deep.equal([3, 2]);
    const gamma = data(6, 10, 0.5, 1);
    ln.setWeights([tensor(gamma, [3, 2]), tensor(new Float32Array(6), [3, 2])]);
    const x = tensor(v, s);
    const { out } = refNormalize(v, s, (idx) => String(idx[0]), 1e-5, (idx) => gamma[idx[1]! * 2 + idx[2]!]!, () => 0);
    expectClose(await values(ln.apply(x) as Tensor), out, { atol: 1e-5 });
    await checkLayerGradients(ln, x, { atol: 3e-2, rtol: 3e-2 });
    expect(roundTrip(ln).getConfig()).to.deep.include({ axis: [1, 2], epsilon: 1e-5, center: true, scale: true });
    x.dispose();
  });

  it('reports unknown normalized dims', () => {
    expect(() => new LayerNormalization({ name: 'ln' }).apply(input({ shape: [3, null] }))).to.throw(
      LayerError, 'ln (LayerNormalization): the normalized axes -1 must have known sizes; received shape [null, 3, null]',
    );
  });
});

describe('GroupNormalization', () => {
  it('normalizes each group of channels per sample (channels last)', async () => {
    const s = [2, 3, 4];
    const v = data(prod(s), 11, 2, 1);
    const gn = groupNormalization({ groups: 2 });
    expect([...(gn.apply(input({ shape: [3, 4] })) as SymbolicTensor).shape]).to.deep.equal([null, 3, 4]);
    const gamma = [1, 2, 0.5, -1];
    const beta = [0, 0.1, 0.2, 0.3];
    gn.setWeights([tensor(gamma), tensor(beta)]);
    const x = tensor(v, s);
    const { out } = refNormalize(v, s, (idx) => `${idx[0]},${Math.floor(idx[2]! / 2)}`, 1e-3, (idx) => gamma[idx[2]!]!, (idx) => beta[idx[2]!]!);
    const before = memory().numTensors;
    const y = gn.apply(x) as Tensor;
    expect(memory().numTensors).to.equal(before + 1);
    expectClose(await values(y), out, { atol: 1e-5 });
    await checkLayerGradients(gn, x, { atol: 3e-2, rtol: 3e-2 });
    expect(roundTrip(gn).getConfig()).to.include({ groups: 2, axis: -1, epsilon: 1e-3 });
    [x, y].forEach((t) => t.dispose());
  });

  it('supports channels-first inputs and instance normalization (groups -1)', async () => {
    const s = [2, 4, 3];
    const v = data(prod(s), 12, 1, -1);
    const x = tensor(v, s);
    const first = new GroupNormalization({ groups: 2, axis: 1 });
    const { out } = refNormalize(v, s, (idx) => `${idx[0]},${Math.floor(idx[1]! / 2)}`, 1e-3, () => 1, () => 0);
    expectClose(await values(first.apply(x) as Tensor), out, { atol: 1e-5 });
    const instance = new GroupNormalization({ groups: -1 });
    const inst = refNormalize(v, s, (idx) => `${idx[0]},${idx[2]}`, 1e-3, () => 1, () => 0);
    expectClose(await values(instance.apply(x) as Tensor), inst.out, { atol: 1e-5 });
    x.dispose();
  });

  it('requires channels divisible by groups', () => {
    expect(() => new GroupNormalization({ groups: 4, name: 'gn' }).apply(input({ shape: [8, 6] }))).to.throw(
      LayerError, 'gn (GroupNormalization): the number of channels (6) in input shape [null, 8, 6] must be divisible by groups (4); choose groups dividing 6',
    );
    expect(() => new GroupNormalization({ name: 'gn2' }).apply(input({ shape: [8, 16] }))).to.throw(
      LayerError, 'gn2 (GroupNormalization): groups (32) cannot be more than the number of channels (16) in input shape [null, 8, 16]; use at most 16 groups',
    );
    expect(() => new GroupNormalization({ groups: 0, name: 'gn3' })).to.throw(LayerError, "gn3 (GroupNormalization): option 'groups' must be a positive integer (or -1 for one group per channel); received number 0");
    expect(() => new GroupNormalization({ name: 'gn4' }).apply(input({ shape: [4, null] }))).to.throw(
      LayerError, 'gn4 (GroupNormalization): the channels axis -1 must have a known size; received shape [null, 4, null]',
    );
  });
});
