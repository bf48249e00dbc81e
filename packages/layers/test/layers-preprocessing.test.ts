import { expect } from 'chai';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import type { Layer } from '../src/engine/layer.js';
import { Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { Normalization, Rescaling, normalization, rescaling } from '../src/layers/preprocessing/index.js';
import { Dense } from '../src/layers/core/dense.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
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

/** Per-column mean and population variance of a row-major [rows, cols] matrix. */
function columnStats(xs: number[], rows: number, cols: number): { mean: number[]; variance: number[] } {
  const mean = Array.from({ length: cols }, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += xs[r * cols + c]!;
    return s / rows;
  });
  const variance = Array.from({ length: cols }, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += (xs[r * cols + c]! - mean[c]!) ** 2;
    return s / rows;
  });
  return { mean, variance };
}

beforeEach(() => resetLayerNames());

describe('Rescaling', () => {
  it('computes x·scale + offset in float32 (integer inputs cast)', async () => {
    const r = rescaling({ scale: 1 / 127.5, offset: -1 });
    expect([...(r.apply(input({ shape: [2, 2, 3], dtype: 'int32' })) as SymbolicTensor).shape]).to.deep.equal([null, 2, 2, 3]);
    expect((r.apply(input({ shape: [3], dtype: 'int32' })) as SymbolicTensor).dtype).to.equal('float32');
    const x = tensor([0, 51, 255, 127], [2, 2], 'int32');
    const y = r.apply(x) as Tensor;
    expect(y.dtype).to.equal('float32');
    expectClose(await values(y), [0, 51, 255, 127].map((v) => v / 127.5 - 1), { atol: 1e-6 });
    expect(roundTrip(r).getConfig()).to.include({ scale: 1 / 127.5, offset: -1 });
    const before = memory().numTensors;
    (new Rescaling({ scale: 2 }).apply(x) as Tensor).dispose();
    expect(memory().numTensors).to.equal(before);
    await checkLayerGradients(new Rescaling({ scale: 3, offset: 1 }), tensor(data(6, 1), [2, 3]));
    [x, y].forEach((t) => t.dispose());
  });

  it('requires scale', () => {
    expect(() => new Rescaling({} as never)).to.throw(LayerError, "rescaling (Rescaling): option 'scale' must be given (a finite number); received undefined");
  });
});

describe('Normalization', () => {
  it('adapt learns per-feature mean, variance and count as non-trainable weights', async () => {
    const rows = 50;
    const cols = 3;
    const xs = data(rows * cols, 3, 4, 10);
    const x = tensor(xs, [rows, cols]);
    const norm = normalization();
    const before = memory().numTensors;
    await norm.adapt(x);
    expect(memory().numTensors, 'only the three weights remain').to.equal(before + 3);
    expect(norm.weightEntries.map((w) => w.name)).to.deep.equal(['normalization/mean', 'normalization/variance', 'normalization/count']);
    expect(norm.trainableWeights).to.have.length(0);
    const ref = columnStats(xs, rows, cols);
    const [mean, variance, count] = norm.getWeights();
    expectClose(await values(mean!), ref.mean, { atol: 1e-4, rtol: 1e-5 });
    expectClose(await values(variance!), ref.variance, { atol: 1e-4, rtol: 1e-4 });
    expect(await values(count!)).to.deep.equal([rows]);
    expect(count!.dtype).to.equal('int32');
    const y = norm.apply(x) as Tensor;
    expectClose(await values(y), xs.map((v, i) => (v - ref.mean[i % cols]!) / Math.sqrt(ref.variance[i % cols]!)), { atol: 1e-4 });
    [mean, variance, count, y, x].forEach((t) => t!.dispose());
  });

  it('adapt over several kept axes, or none (axis null)', async () => {
    const xs = data(4 * 2 * 3, 5);
    const x = tensor(xs, [4, 2, 3]);
    const kept = new Normalization({ axis: [1, 2] });
    await kept.adapt(x);
    const ref = columnStats(xs, 4, 6);
    expectClose(await values(kept.weights[0]!), ref.mean, { atol: 1e-6 });
    expect([...kept.weights[0]!.shape]).to.deep.equal([2, 3]);
    const whole = new Normalization({ axis: null });
    await whole.adapt(x);
    const all = columnStats(xs, 24, 1);
    expectClose(await values(whole.weights[0]!), all.mean, { atol: 1e-6 });
    expectClose(await values(whole.weights[1]!), all.variance, { atol: 1e-6 });
    expect([...whole.weights[0]!.shape]).to.deep.equal([]);
    expect(await values(whole.weights[2]!)).to.deep.equal([24]);
    const y = whole.apply(x) as Tensor;
    expectClose(await values(y), xs.map((v) => (v - all.mean[0]!) / Math.sqrt(all.variance[0]!)), { atol: 1e-5 });
    // adapt again replaces the statistics.
    const small = tensor([1, 3], [2, 1, 1]);
    await whole.adapt(small);
    expect([await values(whole.weights[0]!), await values(whole.weights[1]!), await values(whole.weights[2]!)]).to.deep.equal([[2], [1], [2]]);
    [x, y, small].forEach((t) => t.dispose());
  });

  it('uses given mean and variance (broadcast), inverts, and round-trips its config', async () => {
    const norm = new Normalization({ mean: [1, 2], variance: [4, 0.25] });
    const x = tensor([3, 2.5, -1, 1], [2, 2]);
    const y = norm.apply(x) as Tensor;
    expectClose(await values(y), [1, 1, -1, -2], { atol: 1e-6 });
    expect(norm.weights).to.have.length(0);
    const inv = new Normalization({ mean: [1, 2], variance: [4, 0.25], invert: true });
    expectClose(await values(inv.apply(y) as Tensor), [3, 2.5, -1, 1], { atol: 1e-6 });
    const again = roundTrip(norm);
    expect(again.getConfig()).to.deep.include({ axis: -1, mean: [1, 2], variance: [4, 0.25], invert: false });
    expectClose(await values(again.apply(x) as Tensor), [1, 1, -1, -2], { atol: 1e-6 });
    const scalarStats = new Normalization({ mean: 2, variance: 4 });
    expectClose(await values(scalarStats.apply(x) as Tensor), [0.5, 0.25, -1.5, -0.5], { atol: 1e-6 });
    await checkLayerGradients(new Normalization({ mean: [1, 2], variance: [4, 0.25] }), x);
    const before = memory().numTensors;
    norm.dispose();
    expect(memory().numTensors, 'dispose frees the given statistics').to.equal(before - 2);
    [x, y].forEach((t) => t.dispose());
  });

  it('standardizes inside a model after adapt', async () => {
    const xs = data(40, 9, 3, -5);
    const x = tensor(xs, [20, 2]);
    const norm = new Normalization({ inputShape: [2] });
    await norm.adapt(x);
    const dense = new Dense({ units: 1, kernelInitializer: 'ones', useBias: false });
    const model = new Sequential({ layers: [norm, dense] });
    const y = await values(model.apply(x) as Tensor);
    const ref = columnStats(xs, 20, 2);
    const expected = Array.from({ length: 20 }, (_, r) => [0, 1].reduce((s, c) => s + (xs[r * 2 + c]! - ref.mean[c]!) / Math.sqrt(ref.variance[c]!), 0));
    expectClose(y, expected, { atol: 1e-4 });
    x.dispose();
  });

  it('fails clearly when used before adapt or misconfigured', async () => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    expect(() => new Normalization({ name: 'n' }).apply(x)).to.throw(
      LayerError, "n (Normalization): has no mean and variance yet: call 'await layer.adapt(data)' before using it, or give 'mean' and 'variance' in its options",
    );
    expect(() => new Normalization({ mean: [1, 2], name: 'n1' })).to.throw(
      LayerError, "n1 (Normalization): options 'mean' and 'variance' must be given together (received only 'mean'); give both, or neither and call adapt()",
    );
    const given = new Normalization({ mean: 0, variance: 1, name: 'n2' });
    let error: unknown;
    try {
      await given.adapt(x);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.include("n2 (Normalization): was given 'mean' and 'variance' in its options, so there is nothing to adapt; remove them to learn the statistics from data");
    expect(() => new Normalization({ mean: [1, 2, 3], variance: [1, 1, 1], name: 'n3' }).apply(x)).to.throw(
      LayerError, "n3 (Normalization): option 'mean' has shape [3], which does not broadcast to the statistics' shape [1, 2] (one value per kept axis [-1])",
    );
    expect(() => new Normalization({ name: 'n4' }).apply(input({ shape: [null] }))).to.throw(
      LayerError, 'n4 (Normalization): the kept axes [-1] must have known sizes; received input shape [null, null]',
    );
    const adapted = new Normalization({ name: 'n5' });
    await adapted.adapt(x);
    expect(() => adapted.apply(tensor([1, 2, 3], [1, 3]))).to.throw(LayerError, 'n5 (Normalization): expected input with dimension 1 of size 2, received shape [1, 3]');
    expect(() => new Normalization({ axis: 'last' as never })).to.throw(LayerError, "option 'axis' must be an integer, a list of distinct integers, or null (one mean and variance for everything); received string \"last\"");
    x.dispose();
  });

  it('counts as adapted once its weights are set (as when a saved model loads)', async () => {
    const norm = new Normalization();
    norm.build([null, 2]);
    norm.setWeights([tensor([1, 1]), tensor([4, 4]), tensor(5, [], 'int32')]);
    const y = norm.apply(tensor([3, -1], [1, 2])) as Tensor;
    expectClose(await values(y), [1, -1]);
  });
});
