import { expect } from 'chai';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import type { CallArgs, Layer } from '../src/engine/layer.js';
import { Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { SymbolicTensor } from '../src/engine/symbolic.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  MaxPooling1D, MaxPooling2D, averagePooling2d, avgPool1d, globalAveragePooling2d, maxPool2d, maxPooling1d,
} from '../src/layers/pooling/index.js';
import { checkLayerGradients } from './layer-harness.js';

// Reference values come from float64 loops written here from the TensorFlow definitions: windows
// every `stride` cells, 'same' padding giving ceil(in / stride) outputs with the odd padded cell
// after, padded cells never winning a max nor counted by an average.

/**
 * Distinct values spaced 0.07 apart in a shuffled order, so a max has no near-ties and finite
 * differences (eps 1e-2) never change which cell wins.
 */
function distinct(n: number, seed: number): number[] {
  const vals = Array.from({ length: n }, (_, i) => Math.fround((i - n / 2) * 0.07));
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1664525 + 1013904223) % 4294967296;
    const j = s % (i + 1);
    [vals[i], vals[j]] = [vals[j]!, vals[i]!];
  }
  return vals;
}

const prod = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function axis(size: number, k: number, s: number, padding: 'valid' | 'same'): { out: number; before: number } {
  if (padding === 'valid') return { out: Math.floor((size - k) / s) + 1, before: 0 };
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
}

/** Direct NHWC pooling. */
function refPool2d(kind: 'max' | 'avg', x: number[], xs: number[], pool: [number, number], strides: [number, number], padding: 'valid' | 'same'): { values: number[]; shape: number[] } {
  const [n, h, w, c] = xs as [number, number, number, number];
  const ah = axis(h, pool[0], strides[0], padding);
  const aw = axis(w, pool[1], strides[1], padding);
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let oh = 0; oh < ah.out; oh++) for (let ow = 0; ow < aw.out; ow++) for (let cc = 0; cc < c; cc++) {
    let best = -Infinity;
    let total = 0;
    let count = 0;
    for (let a = 0; a < pool[0]; a++) for (let bb = 0; bb < pool[1]; bb++) {
      const ih = oh * strides[0] + a - ah.before;
      const iw = ow * strides[1] + bb - aw.before;
      if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
      const v = x[((b * h + ih) * w + iw) * c + cc]!;
      best = Math.max(best, v);
      total += v;
      count++;
    }
    out.push(kind === 'max' ? best : total / count);
  }
  return { values: out, shape: [n, ah.out, aw.out, c] };
}

/** Reduces an NHWC (or NWC) host array over its spatial axes, per sample and channel. */
function refGlobal(kind: 'max' | 'avg', x: number[], xs: number[]): number[] {
  const n = xs[0]!;
  const c = xs[xs.length - 1]!;
  const inner = prod(xs.slice(1, -1));
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let cc = 0; cc < c; cc++) {
    const cells = Array.from({ length: inner }, (_, p) => x[(b * inner + p) * c + cc]!);
    out.push(kind === 'max' ? Math.max(...cells) : cells.reduce((a, v) => a + v, 0) / inner);
  }
  return out;
}

function toChannelsFirst(values: number[], shape: number[]): number[] {
  const c = shape[shape.length - 1]!;
  const inner = prod(shape.slice(1, -1));
  const out: number[] = [];
  for (let b = 0; b < shape[0]!; b++) for (let cc = 0; cc < c; cc++) for (let p = 0; p < inner; p++) out.push(values[(b * inner + p) * c + cc]!);
  return out;
}

async function run(layer: Layer, x: number[], shape: number[], args: CallArgs = {}): Promise<{ values: number[]; shape: number[] }> {
  const t = tensor(x, shape);
  const y = layer.invoke(t, args) as Tensor;
  const out = { values: Array.from(await y.data()), shape: [...y.shape] };
  t.dispose();
  y.dispose();
  return out;
}

function shapeOf(t: unknown): readonly (number | null)[] {
  expect(t).to.be.instanceOf(SymbolicTensor);
  return (t as SymbolicTensor).shape;
}

describe('MaxPooling2D and AveragePooling2D', () => {
  beforeEach(() => resetLayerNames());

  it('infer output shapes with Keras defaults (poolSize 2, strides = poolSize, valid)', () => {
    const x = input({ shape: [28, 28, 8] });
    expect(shapeOf(new MaxPooling2D().apply(x))).to.deep.equal([null, 14, 14, 8]);
    expect(shapeOf(new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }).apply(x))).to.deep.equal([null, 14, 14, 8]);
    expect(shapeOf(new MaxPooling2D({ poolSize: [3, 2], strides: [1, 2] }).apply(input({ shape: [7, 7, 3] })))).to.deep.equal([null, 5, 3, 3]);
    expect(shapeOf(new AveragePooling2D({ dataFormat: 'channelsFirst' }).apply(input({ shape: [3, 9, 10] })))).to.deep.equal([null, 3, 4, 5]);
    expect(shapeOf(new MaxPooling2D().apply(input({ shape: [null, 10, 2] })))).to.deep.equal([null, null, 5, 2]);
    const cfg = new MaxPooling2D({ poolSize: 3 }).getConfig();
    expect(cfg.poolSize).to.deep.equal([3, 3]);
    expect(cfg.strides).to.deep.equal([3, 3]);
  });

  it('name the layer, the sizes and the fix in errors', () => {
    expect(() => new MaxPooling2D().apply(input({ shape: [28, 28] })))
      .to.throw(LayerError, 'max_pooling2d (MaxPooling2D): expected input of rank 4, received shape [null, 28, 28]');
    expect(() => new AveragePooling2D({ poolSize: 3, name: 'p' }).apply(input({ shape: [2, 6, 1] })))
      .to.throw(LayerError, "p (AveragePooling2D): the pool height 3 does not fit in the input height 2 with padding 'valid' (stride 3), leaving an empty output; received input shape [null, 2, 6, 1]. Use padding 'same', a smaller poolSize, or a larger input");
    expect(() => new MaxPooling2D({ poolSize: 0, name: 'p' })).to.throw(LayerError, 'p (MaxPooling2D): poolSize must be a positive integer or a list of 2 of them; received 0');
    expect(() => new MaxPooling2D({ strides: [1, 0] as never, name: 'p' })).to.throw(LayerError, 'p (MaxPooling2D): strides must be a positive integer or a list of 2 of them; received [1,0]');
    expect(() => new MaxPooling2D({ padding: 'causal' as never, name: 'p' })).to.throw(LayerError, `p (MaxPooling2D): padding must be 'valid' or 'same'; received "causal"`);
    const p = new MaxPooling2D({ poolSize: 4, name: 'big' });
    expect(() => p.invoke(tensor(new Array(12).fill(0), [1, 3, 4, 1]))).to.throw(LayerError, 'big (MaxPooling2D): the pool height 4 does not fit in the input height 3');
  });

  for (const kind of ['max', 'avg'] as const) {
    for (const [padding, pool, strides] of [['valid', [2, 3], [2, 1]], ['same', [3, 3], [2, 2]], ['same', [2, 2], [1, 3]]] as const) {
      it(`${kind} pooling, ${padding}, pool ${JSON.stringify(pool)}, strides ${JSON.stringify(strides)} matches the reference loops`, async () => {
        const xs = [2, 5, 7, 3];
        const x = distinct(prod(xs), 1);
        const layer = kind === 'max' ? new MaxPooling2D({ poolSize: pool, strides, padding }) : new AveragePooling2D({ poolSize: pool, strides, padding });
        const ref = refPool2d(kind, x, xs, [...pool], [...strides], padding);
        const got = await run(layer, x, xs);
        expect(got.shape).to.deep.equal(ref.shape);
        expectClose(got.values, ref.values, { atol: 1e-6, rtol: 1e-6 });
      });
    }
  }

  it('pool channels-first input', async () => {
    const xs = [1, 4, 6, 2];
    const x = distinct(prod(xs), 2);
    for (const kind of ['max', 'avg'] as const) {
      const layer = kind === 'max' ? new MaxPooling2D({ dataFormat: 'channelsFirst' }) : new AveragePooling2D({ dataFormat: 'channelsFirst', padding: 'same', poolSize: 3 });
      const ref = kind === 'max' ? refPool2d('max', x, xs, [2, 2], [2, 2], 'valid') : refPool2d('avg', x, xs, [3, 3], [3, 3], 'same');
      const got = await run(layer, toChannelsFirst(x, xs), [1, 2, 4, 6]);
      expect(got.shape).to.deep.equal([1, 2, ref.shape[1], ref.shape[2]]);
      expectClose(got.values, toChannelsFirst(ref.values, ref.shape), { atol: 1e-6, rtol: 1e-6 });
    }
  });

  it('have correct input gradients', async () => {
    const x = tensor(distinct(1 * 5 * 4 * 2, 3), [1, 5, 4, 2]);
    await checkLayerGradients(new MaxPooling2D({ poolSize: 2, strides: 1, padding: 'same' }), x);
    await checkLayerGradients(new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }), x);
    await checkLayerGradients(new AveragePooling2D({ dataFormat: 'channelsFirst' }), x);
    x.dispose();
  });

  it('round-trip their configs through the registry', async () => {
    const xs = [1, 6, 6, 1];
    const x = distinct(36, 4);
    for (const layer of [new MaxPooling2D({ poolSize: [3, 2], strides: [1, 2], padding: 'same' }), new AveragePooling2D({ poolSize: 2, dataFormat: 'channelsFirst' })]) {
      const config = layer.getConfig();
      const copy = layerRegistry.get({ className: layer.className, config });
      expect(copy.getConfig()).to.deep.equal(config);
      const shape = layer.dataFormat === 'channelsFirst' ? [1, 1, 6, 6] : xs;
      expectClose((await run(copy, x, shape)).values, (await run(layer, x, shape)).values);
    }
  });
});

describe('MaxPooling1D and AveragePooling1D', () => {
  beforeEach(() => resetLayerNames());

  it('infer shapes and report errors', () => {
    const x = input({ shape: [10, 4] });
    expect(shapeOf(new MaxPooling1D().apply(x))).to.deep.equal([null, 5, 4]);
    expect(shapeOf(new AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same' }).apply(x))).to.deep.equal([null, 5, 4]);
    expect(shapeOf(new MaxPooling1D({ poolSize: 3, strides: 1 }).apply(x))).to.deep.equal([null, 8, 4]);
    expect(shapeOf(new AveragePooling1D({ dataFormat: 'channelsFirst' }).apply(input({ shape: [4, 10] })))).to.deep.equal([null, 4, 5]);
    resetLayerNames();
    expect(() => new MaxPooling1D().apply(input({ shape: [10, 4, 1] })))
      .to.throw(LayerError, 'max_pooling1d (MaxPooling1D): expected input of rank 3, received shape [null, 10, 4, 1]');
    expect(() => new AveragePooling1D({ poolSize: 5, name: 'p' }).apply(input({ shape: [4, 1] })))
      .to.throw(LayerError, "p (AveragePooling1D): the pool length 5 does not fit in the input length 4 with padding 'valid' (stride 5)");
    expect(() => new MaxPooling1D({ poolSize: [2, 2] as never, name: 'p' })).to.throw(LayerError, 'p (MaxPooling1D): poolSize must be a positive integer (or a list of one); received [2,2]');
  });

  for (const kind of ['max', 'avg'] as const) {
    for (const [padding, pool, stride] of [['valid', 3, 2], ['same', 3, 2], ['same', 2, 2]] as const) {
      it(`${kind} pooling, ${padding}, pool ${pool}, stride ${stride} matches the reference loops`, async () => {
        const xs = [2, 9, 3];
        const x = distinct(prod(xs), 5);
        const layer = kind === 'max' ? new MaxPooling1D({ poolSize: pool, strides: stride, padding }) : new AveragePooling1D({ poolSize: pool, strides: stride, padding });
        // 1-D pooling is 2-D pooling over a height of 1.
        const ref = refPool2d(kind, x, [2, 1, 9, 3], [1, pool], [1, stride], padding);
        const got = await run(layer, x, xs);
        expect(got.shape).to.deep.equal([2, ref.shape[2], 3]);
        expectClose(got.values, ref.values, { atol: 1e-6, rtol: 1e-6 });
      });
    }
  }

  it('pool channels-first input and have correct input gradients', async () => {
    const xs = [1, 6, 2];
    const x = distinct(12, 6);
    const got = await run(new MaxPooling1D({ dataFormat: 'channelsFirst' }), toChannelsFirst(x, xs), [1, 2, 6]);
    const ref = refPool2d('max', x, [1, 1, 6, 2], [1, 2], [1, 2], 'valid');
    expectClose(got.values, toChannelsFirst(ref.values, [1, 3, 2]));
    const t = tensor(distinct(2 * 7 * 2, 7), [2, 7, 2]);
    await checkLayerGradients(new MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same' }), t);
    await checkLayerGradients(new AveragePooling1D({ poolSize: 2, strides: 1 }), t);
    t.dispose();
  });

  it('round-trip their configs', () => {
    const layer = new AveragePooling1D({ poolSize: 4, strides: 2, padding: 'same' });
    const config = layer.getConfig();
    expect(config).to.include({ padding: 'same', dataFormat: 'channelsLast' });
    expect(config.poolSize).to.deep.equal([4]);
    expect(config.strides).to.deep.equal([2]);
    expect(new AveragePooling1D(config as never).getConfig()).to.deep.equal(config);
  });
});

describe('global pooling', () => {
  beforeEach(() => resetLayerNames());

  it('infers shapes with and without keepDims, in both data formats', () => {
    const img = input({ shape: [7, 6, 5] });
    expect(shapeOf(new GlobalAveragePooling2D().apply(img))).to.deep.equal([null, 5]);
    expect(shapeOf(new GlobalMaxPooling2D({ keepDims: true }).apply(img))).to.deep.equal([null, 1, 1, 5]);
    expect(shapeOf(new GlobalMaxPooling2D({ dataFormat: 'channelsFirst' }).apply(img))).to.deep.equal([null, 7]);
    expect(shapeOf(new GlobalAveragePooling2D({ dataFormat: 'channelsFirst', keepDims: true }).apply(img))).to.deep.equal([null, 7, 1, 1]);
    const seq = input({ shape: [null, 4] });
    expect(shapeOf(new GlobalMaxPooling1D().apply(seq))).to.deep.equal([null, 4]);
    expect(shapeOf(new GlobalAveragePooling1D({ keepDims: true }).apply(seq))).to.deep.equal([null, 1, 4]);
    resetLayerNames();
    expect(() => new GlobalAveragePooling2D().apply(seq))
      .to.throw(LayerError, 'global_average_pooling2d (GlobalAveragePooling2D): expected input of rank 4, received shape [null, null, 4]');
    expect(() => new GlobalMaxPooling1D({ keepDims: 'yes' as never, name: 'g' })).to.throw(LayerError, 'g (GlobalMaxPooling1D): keepDims must be true or false; received "yes"');
  });

  it('computes the max and the mean like the reference loops', async () => {
    const xs = [2, 3, 4, 5];
    const x = distinct(prod(xs), 8);
    expectClose((await run(new GlobalMaxPooling2D(), x, xs)).values, refGlobal('max', x, xs));
    expectClose((await run(new GlobalAveragePooling2D(), x, xs)).values, refGlobal('avg', x, xs), { atol: 1e-6, rtol: 1e-5 });
    const kept = await run(new GlobalAveragePooling2D({ keepDims: true }), x, xs);
    expect(kept.shape).to.deep.equal([2, 1, 1, 5]);
    const cf = await run(new GlobalMaxPooling2D({ dataFormat: 'channelsFirst' }), toChannelsFirst(x, xs), [2, 5, 3, 4]);
    expectClose(cf.values, refGlobal('max', x, xs));
    const ss = [3, 6, 2];
    const s = distinct(prod(ss), 9);
    expectClose((await run(new GlobalMaxPooling1D(), s, ss)).values, refGlobal('max', s, ss));
    expectClose((await run(new GlobalAveragePooling1D(), s, ss)).values, refGlobal('avg', s, ss), { atol: 1e-6, rtol: 1e-5 });
  });

  it('GlobalAveragePooling1D averages only unmasked steps and stops the mask', async () => {
    const xs = [3, 4, 2];
    const x = distinct(prod(xs), 10);
    const maskRows = [[1, 1, 0, 0], [1, 0, 1, 1], [0, 0, 0, 0]];
    const expected: number[] = [];
    for (let b = 0; b < 3; b++) for (let c = 0; c < 2; c++) {
      let total = 0;
      let count = 0;
      for (let t = 0; t < 4; t++) if (maskRows[b]![t]) { total += x[(b * 4 + t) * 2 + c]!; count++; }
      expected.push(total / count); // 0 / 0 = NaN for the fully masked sample, as in Keras
    }
    const layer = new GlobalAveragePooling1D();
    const mask = tensor(maskRows.flat().map((v) => v === 1), [3, 4], 'bool');
    const got = await run(layer, x, xs, { mask });
    expectClose(got.values, expected, { atol: 1e-6, rtol: 1e-5 });
    const cf = await run(new GlobalAveragePooling1D({ dataFormat: 'channelsFirst', keepDims: true }), toChannelsFirst(x, xs), [3, 2, 4], { mask });
    expect(cf.shape).to.deep.equal([3, 2, 1]);
    expectClose(cf.values, expected, { atol: 1e-6, rtol: 1e-5 });
    expect(layer.computeMask()).to.equal(null);
    mask.dispose();
  });

  it('has correct input gradients (masked mean included)', async () => {
    const x = tensor(distinct(2 * 3 * 2 * 2, 11), [2, 3, 2, 2]);
    await checkLayerGradients(new GlobalMaxPooling2D(), x);
    await checkLayerGradients(new GlobalAveragePooling2D({ keepDims: true }), x);
    x.dispose();
    const s = tensor(distinct(2 * 4 * 3, 12), [2, 4, 3]);
    await checkLayerGradients(new GlobalMaxPooling1D(), s);
    const mask = tensor([true, false, true, true, true, true, false, false], [2, 4], 'bool');
    await checkLayerGradients(new GlobalAveragePooling1D(), s, { args: { mask } });
    mask.dispose();
    s.dispose();
  });

  it('reads Keras spellings (keepdims, channels_first) from saved configs', () => {
    const layer = layerRegistry.get({ className: 'GlobalAveragePooling2D', config: { keepdims: true, dataFormat: 'channels_first' } }) as GlobalAveragePooling2D;
    expect(layer.keepDims).to.equal(true);
    expect(layer.dataFormat).to.equal('channelsFirst');
    expect(layer.getConfig()).to.include({ keepDims: true, dataFormat: 'channelsFirst' });
  });

  it('round-trips configs', () => {
    for (const layer of [new GlobalMaxPooling1D({ keepDims: true }), new GlobalAveragePooling2D({ dataFormat: 'channelsFirst' })]) {
      const config = layer.getConfig();
      expect(layerRegistry.get({ className: layer.className, config }).getConfig()).to.deep.equal(config);
    }
  });
});

describe('pooling layers in models', () => {
  it('run in a Sequential model built with the factories and leak nothing', async () => {
    const m = new Sequential({
      layers: [maxPool2d({ poolSize: 2, inputShape: [8, 8, 3] }), averagePooling2d({ poolSize: 2, padding: 'same' }), globalAveragePooling2d()],
    });
    expect(m.outputs[0]!.shape).to.deep.equal([null, 3]);
    const before = memory().numTensors;
    const x = tensor(distinct(2 * 8 * 8 * 3, 13), [2, 8, 8, 3]);
    const y = m.invoke(x) as Tensor;
    expect([...y.shape]).to.deep.equal([2, 3]);
    y.dispose();
    x.dispose();
    expect(memory().numTensors).to.equal(before);
    expect(maxPooling1d()).to.be.instanceOf(MaxPooling1D);
    expect(avgPool1d()).to.be.instanceOf(AveragePooling1D);
  });
});
