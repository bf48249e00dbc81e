import { expect } from 'chai';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import type { Layer } from '../src/engine/layer.js';
import { Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { SymbolicTensor } from '../src/engine/symbolic.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { Cropping2D, UpSampling2D, ZeroPadding2D, cropping2D, cropping2d, upSampling2d, zeroPadding2d } from '../src/layers/spatial/index.js';
import { checkLayerGradients } from './layer-harness.js';

function data(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return Math.fround((s / 4294967296) * 2 - 1);
  });
}

const prod = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Reads NHWC host data at (b, h, w, c). */
function at(x: number[], xs: number[], b: number, h: number, w: number, c: number): number {
  return x[((b * xs[1]! + h) * xs[2]! + w) * xs[3]! + c]!;
}

/**
 * TensorFlow's bilinear resize with half-pixel centres (tf.image.resize, antialias off), written
 * from its definition: output (i, j) samples the input at ((i + 0.5) / sh - 0.5, (j + 0.5) / sw -
 * 0.5); the four neighbours are clamped to the image and mixed by the fractional parts.
 */
function refBilinear(x: number[], xs: number[], sh: number, sw: number): number[] {
  const [n, h, w, c] = xs as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let i = 0; i < h * sh; i++) for (let j = 0; j < w * sw; j++) for (let cc = 0; cc < c; cc++) {
    const y = (i + 0.5) / sh - 0.5;
    const xx = (j + 0.5) / sw - 0.5;
    const y0 = Math.floor(y);
    const x0 = Math.floor(xx);
    const dy = y - y0;
    const dx = xx - x0;
    const clampH = (v: number): number => Math.min(Math.max(v, 0), h - 1);
    const clampW = (v: number): number => Math.min(Math.max(v, 0), w - 1);
    const tl = at(x, xs, b, clampH(y0), clampW(x0), cc);
    const tr = at(x, xs, b, clampH(y0), clampW(x0 + 1), cc);
    const bl = at(x, xs, b, clampH(y0 + 1), clampW(x0), cc);
    const br = at(x, xs, b, clampH(y0 + 1), clampW(x0 + 1), cc);
    const top = tl + (tr - tl) * dx;
    const bottom = bl + (br - bl) * dx;
    out.push(top + (bottom - top) * dy);
  }
  return out;
}

/** Nearest-neighbour upsampling by integer factors: each cell repeated. */
function refNearest(x: number[], xs: number[], sh: number, sw: number): number[] {
  const [n, h, w, c] = xs as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let i = 0; i < h * sh; i++) for (let j = 0; j < w * sw; j++) for (let cc = 0; cc < c; cc++) {
    out.push(at(x, xs, b, Math.floor(i / sh), Math.floor(j / sw), cc));
  }
  return out;
}

/** Zero padding / cropping by explicit amounts (negative amounts crop). */
function refPadCrop(x: number[], xs: number[], [[t, bo], [l, r]]: [[number, number], [number, number]]): { values: number[]; shape: number[] } {
  const [n, h, w, c] = xs as [number, number, number, number];
  const oh = h + t + bo;
  const ow = w + l + r;
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let cc = 0; cc < c; cc++) {
    const ih = i - t;
    const iw = j - l;
    out.push(ih >= 0 && ih < h && iw >= 0 && iw < w ? at(x, xs, b, ih, iw, cc) : 0);
  }
  return { values: out, shape: [n, oh, ow, c] };
}

function toChannelsFirst(values: number[], shape: number[]): number[] {
  const c = shape[shape.length - 1]!;
  const inner = prod(shape.slice(1, -1));
  const out: number[] = [];
  for (let b = 0; b < shape[0]!; b++) for (let cc = 0; cc < c; cc++) for (let p = 0; p < inner; p++) out.push(values[(b * inner + p) * c + cc]!);
  return out;
}

async function run(layer: Layer, x: number[], shape: number[]): Promise<{ values: number[]; shape: number[] }> {
  const t = tensor(x, shape);
  const y = layer.invoke(t) as Tensor;
  const out = { values: Array.from(await y.data()), shape: [...y.shape] };
  t.dispose();
  y.dispose();
  return out;
}

function shapeOf(t: unknown): readonly (number | null)[] {
  expect(t).to.be.instanceOf(SymbolicTensor);
  return (t as SymbolicTensor).shape;
}

describe('UpSampling2D', () => {
  beforeEach(() => resetLayerNames());

  it('infers shapes and validates options', () => {
    const x = input({ shape: [8, 5, 3] });
    expect(shapeOf(new UpSampling2D().apply(x))).to.deep.equal([null, 16, 10, 3]);
    expect(shapeOf(new UpSampling2D({ size: [3, 1], interpolation: 'bilinear' }).apply(x))).to.deep.equal([null, 24, 5, 3]);
    expect(shapeOf(new UpSampling2D({ dataFormat: 'channelsFirst' }).apply(x))).to.deep.equal([null, 8, 10, 6]);
    expect(shapeOf(new UpSampling2D().apply(input({ shape: [null, 4, 2] })))).to.deep.equal([null, null, 8, 2]);
    resetLayerNames();
    expect(() => new UpSampling2D().apply(input({ shape: [8, 3] })))
      .to.throw(LayerError, 'up_sampling2d (UpSampling2D): expected input of rank 4, received shape [null, 8, 3]');
    expect(() => new UpSampling2D({ interpolation: 'bicubic' as never, name: 'u' }))
      .to.throw(LayerError, `u (UpSampling2D): interpolation must be 'nearest' or 'bilinear'; received "bicubic"`);
    expect(() => new UpSampling2D({ size: 0, name: 'u' })).to.throw(LayerError, 'u (UpSampling2D): size must be a positive integer or a list of 2 of them; received 0');
  });

  it('bilinear x2 of [[1, 2], [3, 4]] gives the known TensorFlow (half-pixel) values', async () => {
    const got = await run(new UpSampling2D({ size: 2, interpolation: 'bilinear' }), [1, 2, 3, 4], [1, 2, 2, 1]);
    expect(got.shape).to.deep.equal([1, 4, 4, 1]);
    expectClose(got.values, [
      1, 1.25, 1.75, 2,
      1.5, 1.75, 2.25, 2.5,
      2.5, 2.75, 3.25, 3.5,
      3, 3.25, 3.75, 4,
    ]);
    const check = refBilinear([1, 2, 3, 4], [1, 2, 2, 1], 2, 2);
    expectClose(check, got.values); // the reference itself reproduces the known values
  });

  it('bilinear without half-pixel centres gives TF.js resizeBilinear values, and says so in its config', async () => {
    const layer = new UpSampling2D({ size: 2, interpolation: 'bilinear', halfPixelCenters: false });
    const got = await run(layer, [1, 2, 3, 4], [1, 2, 2, 1]);
    // tf.image.resizeBilinear([[1, 2], [3, 4]], [4, 4]) (alignCorners false): source i / 2.
    expectClose(got.values, [
      1, 1.5, 2, 2,
      2, 2.5, 3, 3,
      3, 3.5, 4, 4,
      3, 3.5, 4, 4,
    ]);
    expect(layer.getConfig()).to.include({ halfPixelCenters: false });
    expect(new UpSampling2D({ interpolation: 'bilinear' }).getConfig()).to.not.have.property('halfPixelCenters');
    expect(() => new UpSampling2D({ halfPixelCenters: 'no' as never, name: 'u' })).to.throw(LayerError, 'u (UpSampling2D): halfPixelCenters must be true or false; received "no"');
  });

  it('bilinear matches the half-pixel reference for uneven factors and several channels', async () => {
    const xs = [2, 3, 4, 2];
    const x = data(prod(xs), 1);
    const got = await run(new UpSampling2D({ size: [3, 2], interpolation: 'bilinear' }), x, xs);
    expect(got.shape).to.deep.equal([2, 9, 8, 2]);
    expectClose(got.values, refBilinear(x, xs, 3, 2), { atol: 1e-6, rtol: 1e-5 });
    const cf = await run(new UpSampling2D({ size: [1, 4], interpolation: 'bilinear', dataFormat: 'channelsFirst' }), toChannelsFirst(x, xs), [2, 2, 3, 4]);
    expect(cf.shape).to.deep.equal([2, 2, 3, 16]);
    expectClose(cf.values, toChannelsFirst(refBilinear(x, xs, 1, 4), [2, 3, 16, 2]), { atol: 1e-6, rtol: 1e-5 });
  });

  it('nearest repeats rows and columns', async () => {
    const xs = [1, 2, 3, 2];
    const x = data(prod(xs), 2);
    const got = await run(new UpSampling2D({ size: [2, 3] }), x, xs);
    expect(got.shape).to.deep.equal([1, 4, 9, 2]);
    expectClose(got.values, refNearest(x, xs, 2, 3));
    const cf = await run(new UpSampling2D({ dataFormat: 'channelsFirst' }), toChannelsFirst(x, xs), [1, 2, 2, 3]);
    expectClose(cf.values, toChannelsFirst(refNearest(x, xs, 2, 2), [1, 4, 6, 2]));
  });

  it('has correct input gradients and leaks nothing', async () => {
    const x = tensor(data(1 * 3 * 2 * 2, 3), [1, 3, 2, 2]);
    await checkLayerGradients(new UpSampling2D({ size: [2, 3], interpolation: 'bilinear' }), x);
    await checkLayerGradients(new UpSampling2D({ size: 2 }), x);
    const layer = new UpSampling2D({ interpolation: 'bilinear' });
    const before = memory().numTensors;
    (layer.invoke(x) as Tensor).dispose();
    expect(memory().numTensors).to.equal(before);
    x.dispose();
  });

  it('round-trips its config', async () => {
    const layer = new UpSampling2D({ size: [2, 3], interpolation: 'bilinear', dataFormat: 'channelsFirst' });
    const config = layer.getConfig();
    expect(config).to.include({ interpolation: 'bilinear', dataFormat: 'channelsFirst' });
    expect(config.size).to.deep.equal([2, 3]);
    const copy = layerRegistry.get({ className: 'UpSampling2D', config });
    expect(copy.getConfig()).to.deep.equal(config);
    const x = data(8, 4);
    expectClose((await run(copy, x, [1, 2, 2, 2])).values, (await run(layer, x, [1, 2, 2, 2])).values);
  });
});

describe('ZeroPadding2D', () => {
  beforeEach(() => resetLayerNames());

  it('accepts the three padding forms and infers shapes', () => {
    const x = input({ shape: [5, 6, 2] });
    expect(shapeOf(new ZeroPadding2D().apply(x))).to.deep.equal([null, 7, 8, 2]);
    expect(shapeOf(new ZeroPadding2D({ padding: [2, 0] }).apply(x))).to.deep.equal([null, 9, 6, 2]);
    expect(shapeOf(new ZeroPadding2D({ padding: [[1, 0], [0, 3]] }).apply(x))).to.deep.equal([null, 6, 9, 2]);
    expect(shapeOf(new ZeroPadding2D({ padding: 1, dataFormat: 'channelsFirst' }).apply(x))).to.deep.equal([null, 5, 8, 4]);
    expect(shapeOf(new ZeroPadding2D({ padding: 2 }).apply(input({ shape: [null, 3, 1] })))).to.deep.equal([null, null, 7, 1]);
    expect(new ZeroPadding2D({ padding: [2, 1] }).getConfig().padding).to.deep.equal([[2, 2], [1, 1]]);
    resetLayerNames();
    expect(() => new ZeroPadding2D().apply(input({ shape: [5, 6] })))
      .to.throw(LayerError, 'zero_padding2d (ZeroPadding2D): expected input of rank 4, received shape [null, 5, 6]');
    expect(() => new ZeroPadding2D({ padding: [1, -1] as never, name: 'z' }))
      .to.throw(LayerError, 'z (ZeroPadding2D): padding must be a non-negative integer, [height, width], or [[top, bottom], [left, right]]; received [1,-1]');
    expect(() => new ZeroPadding2D({ padding: [[1, 2, 3], [0, 0]] as never, name: 'z' })).to.throw(LayerError, 'z (ZeroPadding2D): padding must be');
  });

  it('pads like the reference, in both data formats, with correct input gradients', async () => {
    const xs = [2, 3, 4, 2];
    const x = data(prod(xs), 5);
    const ref = refPadCrop(x, xs, [[1, 2], [0, 3]]);
    const got = await run(new ZeroPadding2D({ padding: [[1, 2], [0, 3]] }), x, xs);
    expect(got.shape).to.deep.equal(ref.shape);
    expectClose(got.values, ref.values);
    const cf = await run(new ZeroPadding2D({ padding: [[1, 2], [0, 3]], dataFormat: 'channelsFirst' }), toChannelsFirst(x, xs), [2, 2, 3, 4]);
    expect(cf.shape).to.deep.equal([2, 2, 6, 7]);
    expectClose(cf.values, toChannelsFirst(ref.values, ref.shape));
    const t = tensor(data(12, 6), [1, 2, 3, 2]);
    await checkLayerGradients(new ZeroPadding2D({ padding: [1, 2] }), t);
    t.dispose();
    const config = new ZeroPadding2D({ padding: [[1, 2], [0, 3]] }).getConfig();
    expect(layerRegistry.get({ className: 'ZeroPadding2D', config }).getConfig()).to.deep.equal(config);
  });
});

describe('Cropping2D', () => {
  beforeEach(() => resetLayerNames());

  it('accepts the three cropping forms, infers shapes and refuses crops that leave nothing', () => {
    const x = input({ shape: [10, 8, 3] });
    expect(shapeOf(new Cropping2D().apply(x))).to.deep.equal([null, 10, 8, 3]);
    expect(shapeOf(new Cropping2D({ cropping: 2 }).apply(x))).to.deep.equal([null, 6, 4, 3]);
    expect(shapeOf(new Cropping2D({ cropping: [1, 3] }).apply(x))).to.deep.equal([null, 8, 2, 3]);
    expect(shapeOf(new Cropping2D({ cropping: [[0, 4], [2, 1]] }).apply(x))).to.deep.equal([null, 6, 5, 3]);
    expect(shapeOf(new Cropping2D({ cropping: 1, dataFormat: 'channelsFirst' }).apply(x))).to.deep.equal([null, 10, 6, 1]);
    expect(shapeOf(new Cropping2D({ cropping: 1 }).apply(input({ shape: [null, 4, 3] })))).to.deep.equal([null, null, 2, 3]);
    expect(() => new Cropping2D({ cropping: [[3, 2], [0, 0]], name: 'crop' }).apply(input({ shape: [5, 8, 3] })))
      .to.throw(LayerError, 'crop (Cropping2D): cropping [[3,2],[0,0]] removes 5 of the 5 cells along the height of the input, leaving none; received input shape [null, 5, 8, 3]. Crop less than the input height');
    expect(() => new Cropping2D({ cropping: [0, 5], name: 'crop2' }).apply(input({ shape: [5, 8, 3] })))
      .to.throw(LayerError, 'crop2 (Cropping2D): cropping [[0,0],[5,5]] removes 10 of the 8 cells along the width of the input');
    const late = new Cropping2D({ cropping: 2, name: 'late' });
    late.apply(input({ shape: [null, null, 1] }));
    expect(() => late.invoke(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]))).to.throw(LayerError, 'late (Cropping2D): cropping [[2,2],[2,2]] removes 4 of the 3 cells along the height');
    expect(() => new Cropping2D({ cropping: 'all' as never, name: 'c' })).to.throw(LayerError, 'c (Cropping2D): cropping must be a non-negative integer, [height, width], or [[top, bottom], [left, right]]; received "all"');
  });

  it('crops like the reference, in both data formats, with correct input gradients', async () => {
    const xs = [2, 6, 5, 2];
    const x = data(prod(xs), 7);
    const ref = refPadCrop(x, xs, [[-1, -2], [-0, -3]]);
    const got = await run(new Cropping2D({ cropping: [[1, 2], [0, 3]] }), x, xs);
    expect(got.shape).to.deep.equal([2, 3, 2, 2]);
    expectClose(got.values, ref.values);
    const cf = await run(new Cropping2D({ cropping: [[1, 2], [0, 3]], dataFormat: 'channelsFirst' }), toChannelsFirst(x, xs), [2, 2, 6, 5]);
    expect(cf.shape).to.deep.equal([2, 2, 3, 2]);
    expectClose(cf.values, toChannelsFirst(ref.values, ref.shape));
    const t = tensor(data(2 * 4 * 4 * 1, 8), [2, 4, 4, 1]);
    await checkLayerGradients(new Cropping2D({ cropping: [[1, 0], [1, 2]] }), t);
    t.dispose();
    const config = new Cropping2D({ cropping: [[1, 2], [0, 3]], dataFormat: 'channelsFirst' }).getConfig();
    expect(config.cropping).to.deep.equal([[1, 2], [0, 3]]);
    expect(layerRegistry.get({ className: 'Cropping2D', config }).getConfig()).to.deep.equal(config);
  });
});

describe('spatial layers in models', () => {
  it('chain in a Sequential model built with the factories', async () => {
    const m = new Sequential({
      layers: [
        zeroPadding2d({ padding: 1, inputShape: [4, 4, 2] }),
        upSampling2d({ size: 2, interpolation: 'bilinear' }),
        cropping2d({ cropping: [[2, 2], [1, 3]] }),
      ],
    });
    expect(m.outputs[0]!.shape).to.deep.equal([null, 8, 8, 2]);
    const before = memory().numTensors;
    const x = tensor(data(2 * 4 * 4 * 2, 9), [2, 4, 4, 2]);
    const y = m.invoke(x) as Tensor;
    expect([...y.shape]).to.deep.equal([2, 8, 8, 2]);
    y.dispose();
    x.dispose();
    expect(memory().numTensors).to.equal(before);
    expect(cropping2D).to.equal(cropping2d);
  });
});
