import { expect } from 'chai';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import type { Layer } from '../src/engine/layer.js';
import { LayersModel } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax, eLU, elu, leakyReLU, pReLU, prelu, reLU, softmax } from '../src/layers/activation-layers/index.js';
import { Masking } from '../src/layers/basic/index.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { checkLayerGradients } from './layer-harness.js';

// Reference values are plain float64 loops written from the Keras definitions, never the code under test.

/** Test data in [-2, 2), kept away from 0 and from ±0.5 so finite differences do not straddle a kink. */
function data(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    let v = (s / 4294967296) * 4 - 2;
    for (const kink of [0, 0.5, -0.5, 1]) if (Math.abs(v - kink) < 0.05) v = kink + 0.1;
    return Math.fround(v);
  });
}

async function values(t: Tensor | Tensor[]): Promise<number[]> {
  return Array.from(await (Array.isArray(t) ? t[0]! : t).data());
}

function roundTrip<L extends Layer>(layer: L): L {
  return layerRegistry.get({ className: layer.className, config: layer.getConfig() }) as L;
}

/** Checks output values against `ref`, the config round trip, gradients and memory. */
async function checkElementwise(layer: Layer, ref: (v: number) => number, shape = [2, 3, 4]): Promise<void> {
  const n = shape.reduce((a, b) => a * b, 1);
  const xs = data(n, 7);
  const x = tensor(xs, shape);
  const before = memory().numTensors;
  const y = layer.apply(x) as Tensor;
  expectClose(await values(y), xs.map(ref), { atol: 1e-6, rtol: 1e-5 });
  const y2 = roundTrip(layer).apply(x) as Tensor;
  expectClose(await values(y2), await values(y));
  y.dispose();
  y2.dispose();
  expect(memory().numTensors, 'no leaks').to.equal(before);
  await checkLayerGradients(layer, x);
  x.dispose();
}

beforeEach(() => resetLayerNames());

describe('ReLU layer', () => {
  it('is max(x, 0) by default', async () => {
    await checkElementwise(reLU(), (v) => Math.max(v, 0));
  });

  it('caps at maxValue', async () => {
    await checkElementwise(new ReLU({ maxValue: 1 }), (v) => Math.min(Math.max(v, 0), 1));
  });

  it('has Keras 3\'s negativeSlope and threshold', async () => {
    const ref = (v: number): number => (v > 0.5 ? Math.min(v, 1.5) : 0.1 * (v - 0.5));
    await checkElementwise(new ReLU({ maxValue: 1.5, negativeSlope: 0.1, threshold: 0.5 }), ref);
    expect(new ReLU({ threshold: 0.5 }).getConfig()).to.include({ maxValue: null, negativeSlope: 0, threshold: 0.5 });
  });

  it('keeps the shape at definition and checks its options', () => {
    expect([...(reLU().apply(input({ shape: [5, 2] })) as SymbolicTensor).shape]).to.deep.equal([null, 5, 2]);
    expect(() => new ReLU({ maxValue: -1, name: 'r' })).to.throw(LayerError, "r (ReLU): option 'maxValue' must be a finite number >= 0; received number -1");
    expect(() => new ReLU({ negativeSlope: -0.1 })).to.throw(LayerError, "option 'negativeSlope' must be a finite number >= 0; received number -0.1");
  });
});

describe('LeakyReLU layer', () => {
  it('uses alpha 0.3 by default (TF.js / Keras 2)', async () => {
    expect(leakyReLU().alpha).to.equal(0.3);
    await checkElementwise(leakyReLU(), (v) => (v >= 0 ? v : 0.3 * v));
  });

  it('accepts alpha or Keras 3\'s negativeSlope', async () => {
    await checkElementwise(new LeakyReLU({ alpha: 0.1 }), (v) => (v >= 0 ? v : 0.1 * v));
    expect(new LeakyReLU({ negativeSlope: 0.2 }).alpha).to.equal(0.2);
    expect(roundTrip(new LeakyReLU({ negativeSlope: 0.2 })).getConfig().alpha).to.equal(0.2);
    expect(() => new LeakyReLU({ alpha: 0.1, negativeSlope: 0.2, name: 'lr' })).to.throw(
      LayerError, "lr (LeakyReLU): options 'alpha' (0.1) and 'negativeSlope' (0.2) name the same slope with different values; give only one of them",
    );
  });
});

describe('ELU layer', () => {
  it('is alpha·(exp(x) - 1) below zero', async () => {
    await checkElementwise(eLU(), (v) => (v > 0 ? v : Math.expm1(v)));
    await checkElementwise(new ELU({ alpha: 0.5 }), (v) => (v > 0 ? v : 0.5 * Math.expm1(v)));
    expect(elu({ alpha: 2 }).alpha).to.equal(2);
  });
});

describe('PReLU layer', () => {
  it('learns one slope per element, starting from zeros', async () => {
    const p = pReLU();
    const x = input({ shape: [3, 4] });
    expect([...(p.apply(x) as SymbolicTensor).shape]).to.deep.equal([null, 3, 4]);
    expect([...p.weights[0]!.shape]).to.deep.equal([3, 4]);
    expect(p.weightEntries[0]!.name).to.equal('p_re_lu/alpha');
    expect(await values(p.weights[0]!)).to.deep.equal(new Array(12).fill(0));
  });

  it('shares slopes along sharedAxes and computes x or alpha·x', async () => {
    const p = new PReLU({ sharedAxes: [1, 2] });
    p.apply(input({ shape: [2, 2, 3] }));
    expect([...p.weights[0]!.shape]).to.deep.equal([1, 1, 3]);
    const alpha = [0.1, -0.5, 2];
    const a = tensor(alpha, [1, 1, 3]);
    p.setWeights([a]);
    a.dispose();
    const xs = data(24, 3);
    const x = tensor(xs, [2, 2, 2, 3]);
    const y = p.apply(x) as Tensor;
    expectClose(await values(y), xs.map((v, i) => (v >= 0 ? v : alpha[i % 3]! * v)), { atol: 1e-6 });
    y.dispose();
    await checkLayerGradients(p, x);
    const again = roundTrip(p);
    expect(again.getConfig().sharedAxes).to.deep.equal([1, 2]);
    expect(prelu({ alphaInitializer: { className: 'Constant', config: { value: 0.25 } } }).getConfig().alphaInitializer).to.deep.equal({ className: 'Constant', config: { value: 0.25 } });
    x.dispose();
  });

  it('checks the input against its slopes and its options', () => {
    const p = new PReLU({ name: 'pr' });
    p.apply(input({ shape: [4] }));
    expect(() => p.apply(input({ shape: [5] }))).to.throw(LayerError, 'pr (PReLU): expected input with dimension 1 of size 4, received shape [null, 5]');
    expect(() => new PReLU({ name: 'pr2' }).apply(input({ shape: [null, 4] }))).to.throw(
      LayerError, 'pr2 (PReLU): needs every unshared sample dim known to size alpha; received shape [null, null, 4]; share the unknown axes with sharedAxes or give a full inputShape',
    );
    expect(() => new PReLU({ sharedAxes: [0] })).to.throw(LayerError, "option 'sharedAxes' must be a positive integer or a list of them (axes counted with the batch dim as 0); received array [0]");
    expect(() => new PReLU({ sharedAxes: [3], name: 'pr3' }).apply(input({ shape: [4] }))).to.throw(
      LayerError, 'pr3 (PReLU): sharedAxes [3] includes axis 3, but the input of shape [null, 4] has axes 1..1',
    );
  });
});

describe('Softmax layer', () => {
  function refSoftmax(xs: number[], rows: number, cols: number, keep?: (r: number, c: number) => boolean): number[] {
    const out: number[] = [];
    for (let r = 0; r < rows; r++) {
      const z = xs.slice(r * cols, r * cols + cols).map((v, c) => (keep && !keep(r, c) ? -1e9 : v));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      out.push(...e.map((v) => v / s));
    }
    return out;
  }

  it('normalizes over the last axis', async () => {
    const xs = data(12, 2);
    const x = tensor(xs, [3, 4]);
    const y = softmax().apply(x) as Tensor;
    expectClose(await values(y), refSoftmax(xs, 3, 4), { atol: 1e-6 });
    y.dispose();
    await checkLayerGradients(new Softmax(), x);
    x.dispose();
  });

  it('normalizes over another axis or several axes', async () => {
    const xs = data(12, 4);
    const x = tensor(xs, [1, 3, 4]);
    const col = await values(new Softmax({ axis: 1 }).apply(x) as Tensor);
    const transposed = Array.from({ length: 12 }, (_, i) => xs[(i % 3) * 4 + Math.floor(i / 3)]!);
    const refT = refSoftmax(transposed, 4, 3);
    expectClose(col, Array.from({ length: 12 }, (_, i) => refT[(i % 4) * 3 + Math.floor(i / 4)]!), { atol: 1e-6 });
    const both = await values(new Softmax({ axis: [1, 2] }).apply(x) as Tensor);
    expectClose(both, refSoftmax(xs, 1, 12), { atol: 1e-6 });
    expect(roundTrip(new Softmax({ axis: [1, 2] })).getConfig().axis).to.deep.equal([1, 2]);
    x.dispose();
  });

  it('gives masked positions ~0 probability (mask of the input rank, size-1 dims broadcast)', async () => {
    const xs = data(8, 5);
    const x = tensor(xs, [2, 4]);
    const keepRows = [[1, 0, 1, 1], [0, 1, 1, 0]];
    const mask = tensor(keepRows.flat().map((v) => v === 1), [2, 4], 'bool');
    const y = await values(new Softmax().apply(x, { mask }) as Tensor);
    expectClose(y, refSoftmax(xs, 2, 4, (r, c) => keepRows[r]![c] === 1), { atol: 1e-6 });
    y.forEach((v, i) => {
      if (keepRows.flat()[i] === 0) expect(v).to.be.below(1e-6);
    });
    // [batch, 1, keys] masks every query row of [batch, queries, keys] scores.
    const scores = tensor(data(12, 6), [1, 3, 4]);
    const keyMask = tensor([1, 1, 0, 1], [1, 1, 4]);
    const attended = await values(new Softmax().apply(scores, { mask: keyMask }) as Tensor);
    for (let q = 0; q < 3; q++) expect(attended[q * 4 + 2]).to.be.below(1e-6);
    expect(() => new Softmax({ name: 'sm' }).apply(scores, { mask: tensor([1, 0], [1, 1, 2]) })).to.throw(
      LayerError, "sm (Softmax): mask of shape [1, 1, 2] does not broadcast to the input's shape [1, 3, 4]; give a mask of the input's shape (or with size-1 dims to broadcast)",
    );
    [x, mask, scores, keyMask].forEach((t) => t.dispose());
  });

  it('passes a per-timestep mask on without applying it', async () => {
    const x = input({ shape: [2, 3] });
    const out = new Softmax().apply(new Masking().apply(x) as SymbolicTensor) as SymbolicTensor;
    const model = new LayersModel({ inputs: x, outputs: out });
    const xs = [0, 0, 0, 1, 2, 3];
    const t = tensor(xs, [1, 2, 3]);
    const y = model.apply(t) as Tensor;
    expectClose(await values(y), refSoftmax(xs, 2, 3), { atol: 1e-6 });
    const mask = new Softmax().computeMask(t, tensor([true, false], [1, 2], 'bool'));
    expect(await values(mask as Tensor)).to.deep.equal([1, 0]);
    [t, y, mask as Tensor].forEach((u) => u.dispose());
  });
});
