import { expect } from 'chai';
import { memory, tensor, tidy, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import { LayerError } from '../src/engine/errors.js';
import { input } from '../src/engine/input-layer.js';
import type { Layer } from '../src/engine/layer.js';
import { LayersModel, Sequential } from '../src/engine/model.js';
import { resetLayerNames } from '../src/engine/naming.js';
import { SymbolicTensor } from '../src/engine/symbolic.js';
import {
  Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d,
} from '../src/layers/convolutional/index.js';
import { layerRegistry } from '../src/layers/layer-registry.js';
import { checkLayerGradients } from './layer-harness.js';

// Reference values come from plain float64 loops written here from the TensorFlow definitions
// (cross-correlation; 'same' pads ceil(in / stride) outputs with the odd cell after; a transposed
// convolution scatters each input cell through the kernel), never from the code under test.

/** Deterministic test data in [-1, 1), rounded to float32 so the reference sees the same inputs. */
function data(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return Math.fround((s / 4294967296) * 2 - 1);
  });
}

const prod = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** One axis of a TF window op: output length and cells padded before. */
function axis(size: number, k: number, s: number, d: number, padding: 'valid' | 'same' | 'causal'): { out: number; before: number } {
  const eff = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((size - eff) / s) + 1, before: 0 };
  if (padding === 'causal') return { out: Math.ceil(size / s), before: eff - 1 };
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + eff - size, 0);
  return { out, before: Math.floor(total / 2) };
}

interface Geometry { strides: [number, number]; dilations: [number, number]; padding: 'valid' | 'same' | 'causal' }

/** Direct NHWC convolution; kernel `[kh, kw, ci, co]`. Returns values and shape. */
function refConv2d(x: number[], xs: number[], k: number[], ks: number[], g: Geometry): { values: number[]; shape: number[] } {
  const [n, h, w, c] = xs as [number, number, number, number];
  const [kh, kw, , co] = ks as [number, number, number, number];
  const ah = axis(h, kh, g.strides[0], g.dilations[0], g.padding);
  const aw = axis(w, kw, g.strides[1], g.dilations[1], g.padding);
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let oh = 0; oh < ah.out; oh++) for (let ow = 0; ow < aw.out; ow++) for (let o = 0; o < co; o++) {
    let acc = 0;
    for (let a = 0; a < kh; a++) for (let bb = 0; bb < kw; bb++) {
      const ih = oh * g.strides[0] + a * g.dilations[0] - ah.before;
      const iw = ow * g.strides[1] + bb * g.dilations[1] - aw.before;
      if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
      for (let cc = 0; cc < c; cc++) acc += x[((b * h + ih) * w + iw) * c + cc]! * k[((a * kw + bb) * c + cc) * co + o]!;
    }
    out.push(acc);
  }
  return { values: out, shape: [n, ah.out, aw.out, co] };
}

/** Direct depthwise convolution; kernel `[kh, kw, c, m]`, output channel `c * m + j`. */
function refDepthwise(x: number[], xs: number[], k: number[], ks: number[], g: Geometry): { values: number[]; shape: number[] } {
  const [n, h, w, c] = xs as [number, number, number, number];
  const [kh, kw, , m] = ks as [number, number, number, number];
  const ah = axis(h, kh, g.strides[0], g.dilations[0], g.padding);
  const aw = axis(w, kw, g.strides[1], g.dilations[1], g.padding);
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let oh = 0; oh < ah.out; oh++) for (let ow = 0; ow < aw.out; ow++) for (let cc = 0; cc < c; cc++) for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let a = 0; a < kh; a++) for (let bb = 0; bb < kw; bb++) {
      const ih = oh * g.strides[0] + a * g.dilations[0] - ah.before;
      const iw = ow * g.strides[1] + bb * g.dilations[1] - aw.before;
      if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
      acc += x[((b * h + ih) * w + iw) * c + cc]! * k[((a * kw + bb) * c + cc) * m + j]!;
    }
    out.push(acc);
  }
  return { values: out, shape: [n, ah.out, aw.out, c * m] };
}

/**
 * Transposed convolution by scattering: input cell (i, j) adds `x * kernel[a, b]` at output
 * `(i * s + a * d - top, j * s + b * d - left)`; kernel `[kh, kw, co, ci]`. The padding is what a
 * TF 'same'/'valid' convolution of the output size would use.
 */
function refConvTranspose(x: number[], xs: number[], k: number[], ks: number[], g: Geometry, outH: number, outW: number): { values: number[]; shape: number[] } {
  const [n, h, w, c] = xs as [number, number, number, number];
  const [kh, kw, co] = ks as [number, number, number, number];
  const top = axis(outH, kh, g.strides[0], g.dilations[0], g.padding).before;
  const left = axis(outW, kw, g.strides[1], g.dilations[1], g.padding).before;
  const out = new Array<number>(n * outH * outW * co).fill(0);
  for (let b = 0; b < n; b++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let cc = 0; cc < c; cc++) {
    const v = x[((b * h + i) * w + j) * c + cc]!;
    for (let a = 0; a < kh; a++) for (let bb = 0; bb < kw; bb++) {
      const oh = i * g.strides[0] + a * g.dilations[0] - top;
      const ow = j * g.strides[1] + bb * g.dilations[1] - left;
      if (oh < 0 || oh >= outH || ow < 0 || ow >= outW) continue;
      for (let o = 0; o < co; o++) out[((b * outH + oh) * outW + ow) * co + o]! += v * k[((a * kw + bb) * co + o) * c + cc]!;
    }
  }
  return { values: out, shape: [n, outH, outW, co] };
}

function addBias(values: number[], bias: number[]): number[] {
  return values.map((v, i) => v + bias[i % bias.length]!);
}

/** Moves the last axis of an NHWC (or NWC) host array to axis 1. */
function toChannelsFirst(values: number[], shape: number[]): number[] {
  const c = shape[shape.length - 1]!;
  const n = shape[0]!;
  const inner = prod(shape.slice(1, -1));
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let cc = 0; cc < c; cc++) for (let p = 0; p < inner; p++) out.push(values[(b * inner + p) * c + cc]!);
  return out;
}

/** Runs a layer on host data and returns its output values and shape, disposing everything. */
async function run(layer: Layer, x: number[], shape: number[]): Promise<{ values: number[]; shape: number[] }> {
  const t = tensor(x, shape);
  const y = layer.invoke(t) as Tensor;
  const out = { values: Array.from(await y.data()), shape: [...y.shape] };
  t.dispose();
  y.dispose();
  return out;
}

/** Builds `layer` for `inputShape` and gives it the weights (in Keras order). */
function setWeights(layer: Layer, inputShape: (number | null)[], weights: { values: number[]; shape: number[] }[]): void {
  layer.build(inputShape);
  const ts = weights.map((w) => tensor(w.values, w.shape));
  layer.setWeights(ts);
  ts.forEach((t) => t.dispose());
}

function shapeOf(t: unknown): readonly (number | null)[] {
  expect(t).to.be.instanceOf(SymbolicTensor);
  return (t as SymbolicTensor).shape;
}

describe('Conv2D', () => {
  beforeEach(() => resetLayerNames());

  it('infers output shapes in a model (valid, same, strides, dilation, channelsFirst)', () => {
    const x = input({ shape: [28, 28, 1] });
    expect(shapeOf(new Conv2D({ filters: 8, kernelSize: 3 }).apply(x))).to.deep.equal([null, 26, 26, 8]);
    expect(shapeOf(new Conv2D({ filters: 8, kernelSize: 3, padding: 'same', strides: 2 }).apply(x))).to.deep.equal([null, 14, 14, 8]);
    expect(shapeOf(new Conv2D({ filters: 8, kernelSize: [3, 5], strides: [2, 3] }).apply(x))).to.deep.equal([null, 13, 8, 8]);
    expect(shapeOf(new Conv2D({ filters: 4, kernelSize: 3, dilationRate: 2 }).apply(x))).to.deep.equal([null, 24, 24, 4]);
    const cf = input({ shape: [3, 10, 12] });
    expect(shapeOf(new Conv2D({ filters: 5, kernelSize: 3, dataFormat: 'channelsFirst' }).apply(cf))).to.deep.equal([null, 5, 8, 10]);
    const free = input({ shape: [null, null, 3] });
    expect(shapeOf(new Conv2D({ filters: 2, kernelSize: 3 }).apply(free))).to.deep.equal([null, null, null, 2]);
  });

  it('names the layer, the received shape and the fix in definition-time errors', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 3 }).apply(input({ shape: [28, 28] })))
      .to.throw(LayerError, 'conv2d (Conv2D): expected input of rank 4, received shape [null, 28, 28]');
    expect(() => new Conv2D({ filters: 2, kernelSize: 5, name: 'small' }).apply(input({ shape: [3, 8, 1] })))
      .to.throw(LayerError, "small (Conv2D): the kernel height 5 does not fit in the input height 3 with padding 'valid' (stride 1), leaving an empty output; received input shape [null, 3, 8, 1]. Use padding 'same', a smaller kernelSize, or a larger input");
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, dilationRate: [1, 4], name: 'dil' }).apply(input({ shape: [9, 8, 1] })))
      .to.throw(LayerError, 'dil (Conv2D): the kernel width 3 (9 after dilationRate 4) does not fit in the input width 8');
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, name: 'nochan' }).apply(input({ shape: [8, 8, null] })))
      .to.throw(LayerError, "nochan (Conv2D): the channel dimension of the input (the last axis) must be known to build the weights; received shape [null, 8, 8, null]");
    const built = new Conv2D({ filters: 2, kernelSize: 3, name: 'rgb' });
    built.apply(input({ shape: [8, 8, 3] }));
    expect(() => built.apply(input({ shape: [8, 8, 4] }))).to.throw(LayerError, 'rgb (Conv2D): expected input with last dimension 3, received shape [null, 8, 8, 4]');
    built.dispose();
  });

  it('validates its options, naming the option and the received value', () => {
    expect(() => new Conv2D({ filters: 0, kernelSize: 3, name: 'c' })).to.throw(LayerError, 'c (Conv2D): filters must be a positive integer; received 0');
    expect(() => new Conv2D({ filters: 2, kernelSize: [3, 3, 3] as never, name: 'c' })).to.throw(LayerError, 'c (Conv2D): kernelSize must be a positive integer or a list of 2 of them; received [3,3,3]');
    expect(() => new Conv2D({ filters: 2, name: 'c' } as never)).to.throw(LayerError, 'c (Conv2D): kernelSize is required');
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'causal' as never, name: 'c' })).to.throw(LayerError, `c (Conv2D): padding must be 'valid' or 'same'; received "causal"`);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, strides: 0, name: 'c' })).to.throw(LayerError, 'c (Conv2D): strides must be a positive integer or a list of 2 of them; received 0');
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, name: 'c' }))
      .to.throw(LayerError, 'c (Conv2D): strides [2,2] with dilationRate [2,2] is not supported: strided dilated convolutions are not defined; set strides to 1 or dilationRate to 1');
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, dataFormat: 'NHWC' as never, name: 'c' }))
      .to.throw(LayerError, `c (Conv2D): dataFormat must be 'channelsLast' or 'channelsFirst'; received "NHWC"`);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, activation: 'nope', name: 'c' })).to.throw(/nope/);
    // Keras's snake_case values (from configs saved by Keras) are read too.
    expect(new Conv2D({ filters: 2, kernelSize: 3, dataFormat: 'channels_first' as never }).dataFormat).to.equal('channelsFirst');
    expect(new Conv2D({ filters: 2, kernelSize: 3, padding: 'SAME' as never }).padding).to.equal('same');
  });

  it('computes a strided same-padded convolution with bias like the reference loops', async () => {
    const xs = [2, 5, 6, 3];
    const ks = [3, 2, 3, 4];
    const x = data(prod(xs), 1);
    const k = data(prod(ks), 2);
    const bias = data(4, 3);
    const layer = new Conv2D({ filters: 4, kernelSize: [3, 2], strides: [2, 1], padding: 'same' });
    setWeights(layer, [null, 5, 6, 3], [{ values: k, shape: ks }, { values: bias, shape: [4] }]);
    const ref = refConv2d(x, xs, k, ks, { strides: [2, 1], dilations: [1, 1], padding: 'same' });
    const got = await run(layer, x, xs);
    expect(got.shape).to.deep.equal([2, 3, 6, 4]);
    expect(ref.shape).to.deep.equal(got.shape);
    expectClose(got.values, addBias(ref.values, bias), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('computes a dilated valid convolution with relu and no bias', async () => {
    const xs = [1, 7, 6, 2];
    const ks = [2, 3, 2, 3];
    const x = data(prod(xs), 4);
    const k = data(prod(ks), 5);
    const layer = new Conv2D({ filters: 3, kernelSize: [2, 3], dilationRate: [3, 2], useBias: false, activation: 'relu' });
    setWeights(layer, [null, 7, 6, 2], [{ values: k, shape: ks }]);
    expect(layer.weights.length).to.equal(1);
    const ref = refConv2d(x, xs, k, ks, { strides: [1, 1], dilations: [3, 2], padding: 'valid' });
    const got = await run(layer, x, xs);
    expect(got.shape).to.deep.equal([1, 4, 2, 3]);
    expectClose(got.values, ref.values.map((v) => Math.max(v, 0)), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('takes and gives channels-first tensors with dataFormat channelsFirst', async () => {
    const xs = [2, 4, 5, 3];
    const ks = [3, 3, 3, 2];
    const x = data(prod(xs), 6);
    const k = data(prod(ks), 7);
    const bias = [0.5, -0.25];
    const layer = new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst' });
    setWeights(layer, [null, 3, 4, 5], [{ values: k, shape: ks }, { values: bias, shape: [2] }]);
    const ref = refConv2d(x, xs, k, ks, { strides: [1, 1], dilations: [1, 1], padding: 'same' });
    const got = await run(layer, toChannelsFirst(x, xs), [2, 3, 4, 5]);
    expect(got.shape).to.deep.equal([2, 2, 4, 5]);
    expectClose(got.values, toChannelsFirst(addBias(ref.values, bias), ref.shape), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('creates kernel and bias with Keras names, shapes and initializers', async () => {
    const layer = new Conv2D({ filters: 4, kernelSize: [3, 2], name: 'c1' });
    layer.build([null, 8, 8, 3]);
    expect(layer.weightEntries.map((w) => w.name)).to.deep.equal(['c1/kernel', 'c1/bias']);
    expect(layer.weights.map((w) => [...w.shape])).to.deep.equal([[3, 2, 3, 4], [4]]);
    expect(layer.countParams()).to.equal(3 * 2 * 3 * 4 + 4);
    // glorotUniform: limit sqrt(6 / (fanIn + fanOut)) with fans scaled by the receptive field.
    const limit = Math.sqrt(6 / (3 * 2 * 3 + 3 * 2 * 4));
    const kernel = Array.from(await layer.weights[0]!.data());
    expect(kernel.every((v) => Math.abs(v) <= limit)).to.equal(true);
    expect(kernel.some((v) => v !== 0)).to.equal(true);
    expect(Array.from(await layer.weights[1]!.data())).to.deep.equal([0, 0, 0, 0]);
    layer.dispose();
  });

  it('has correct gradients for input, kernel and bias', async () => {
    const layer = new Conv2D({ filters: 2, kernelSize: [2, 3], strides: [1, 2], padding: 'same', activation: 'tanh', biasInitializer: { className: 'Constant', config: { value: 0.1 } } });
    const x = tensor(data(2 * 4 * 5 * 2, 8), [2, 4, 5, 2]);
    await checkLayerGradients(layer, x);
    x.dispose();
    layer.dispose();
  });

  it('round-trips its config and rebuilds through the registry', async () => {
    const layer = new Conv2D({
      filters: 3, kernelSize: [2, 3], strides: 1, padding: 'same', dilationRate: [2, 1], activation: 'relu', useBias: true,
      kernelRegularizer: { className: 'L2', config: { l2: 0.01 } }, kernelConstraint: 'nonNeg',
    });
    layer.build([null, 6, 6, 2]);
    const config = layer.getConfig();
    expect(config).to.include({ filters: 3, padding: 'same', dataFormat: 'channelsLast', activation: 'relu', useBias: true });
    expect(config.kernelSize).to.deep.equal([2, 3]);
    expect(config.strides).to.deep.equal([1, 1]);
    expect(config.dilationRate).to.deep.equal([2, 1]);
    expect(config.kernelInitializer).to.have.property('className', 'GlorotUniform');
    const copy = layerRegistry.get({ className: 'Conv2D', config });
    expect(copy).to.be.instanceOf(Conv2D);
    expect(copy.getConfig()).to.deep.equal(config);
    copy.build([null, 6, 6, 2]);
    const weights = layer.getWeights();
    copy.setWeights(weights);
    weights.forEach((w) => w.dispose());
    const x = data(6 * 6 * 2, 9);
    expectClose((await run(copy, x, [1, 6, 6, 2])).values, (await run(layer, x, [1, 6, 6, 2])).values);
    expect(new Conv2D(config as never).getConfig()).to.deep.equal(config);
    layer.dispose();
    copy.dispose();
  });

  it('adds the activity regularizer penalty and leaks nothing', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 2, activityRegularizer: { className: 'L1', config: { l1: 0.5 } } });
    layer.build([null, 3, 3, 1]);
    const before = memory().numTensors;
    const x = tensor(data(9, 10), [1, 3, 3, 1]);
    const y = layer.invoke(x) as Tensor;
    const losses = layer.takeCallLosses();
    expect(losses.length).to.equal(1);
    losses.forEach((l) => l.dispose());
    y.dispose();
    x.dispose();
    expect(memory().numTensors).to.equal(before);
    layer.dispose();
  });
});

describe('Conv1D', () => {
  beforeEach(() => resetLayerNames());

  it('infers shapes for valid, same and causal padding', () => {
    const x = input({ shape: [20, 4] });
    expect(shapeOf(new Conv1D({ filters: 6, kernelSize: 3 }).apply(x))).to.deep.equal([null, 18, 6]);
    expect(shapeOf(new Conv1D({ filters: 6, kernelSize: 3, padding: 'same', strides: 3 }).apply(x))).to.deep.equal([null, 7, 6]);
    expect(shapeOf(new Conv1D({ filters: 6, kernelSize: 5, padding: 'causal', dilationRate: 2 }).apply(x))).to.deep.equal([null, 20, 6]);
    expect(shapeOf(new Conv1D({ filters: 6, kernelSize: 3, dataFormat: 'channelsFirst' }).apply(input({ shape: [4, 20] })))).to.deep.equal([null, 6, 18]);
    resetLayerNames();
    expect(() => new Conv1D({ filters: 2, kernelSize: 3 }).apply(input({ shape: [28, 28, 1] })))
      .to.throw(LayerError, 'conv1d (Conv1D): expected input of rank 3, received shape [null, 28, 28, 1]');
    expect(() => new Conv1D({ filters: 2, kernelSize: 4, name: 'short' }).apply(input({ shape: [3, 1] })))
      .to.throw(LayerError, "short (Conv1D): the kernel length 4 does not fit in the input length 3 with padding 'valid' (stride 1)");
  });

  for (const padding of ['valid', 'same', 'causal'] as const) {
    it(`computes ${padding} padding (dilation 2) like the reference loops`, async () => {
      const xs = [2, 9, 3];
      const ks = [3, 3, 2];
      const x = data(prod(xs), 11);
      const k = data(prod(ks), 12);
      const bias = [0.3, -0.7];
      const layer = new Conv1D({ filters: 2, kernelSize: 3, padding, dilationRate: 2 });
      setWeights(layer, [null, 9, 3], [{ values: k, shape: ks }, { values: bias, shape: [2] }]);
      // A 1-D convolution is a 2-D one over a height of 1.
      const ref = refConv2d(x, [2, 1, 9, 3], k, [1, ...ks], { strides: [1, 1], dilations: [1, 2], padding });
      const got = await run(layer, x, xs);
      expect(got.shape).to.deep.equal([2, ref.shape[2], 2]);
      expectClose(got.values, addBias(ref.values, bias), { atol: 1e-5, rtol: 1e-5 });
      layer.dispose();
    });
  }

  it('makes causal outputs independent of later steps', async () => {
    const layer = new Conv1D({ filters: 1, kernelSize: 3, padding: 'causal' });
    layer.build([null, 6, 1]);
    const a = await run(layer, [1, 2, 3, 4, 5, 6], [1, 6, 1]);
    const b = await run(layer, [1, 2, 3, 40, 50, 60], [1, 6, 1]);
    expectClose(b.values.slice(0, 3), a.values.slice(0, 3));
    layer.dispose();
  });

  it('computes channels-first strided input like the reference', async () => {
    const xs = [1, 8, 2];
    const ks = [2, 2, 3];
    const x = data(prod(xs), 13);
    const k = data(prod(ks), 14);
    const layer = new Conv1D({ filters: 3, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst', useBias: false });
    setWeights(layer, [null, 2, 8], [{ values: k, shape: ks }]);
    const ref = refConv2d(x, [1, 1, 8, 2], k, [1, ...ks], { strides: [1, 2], dilations: [1, 1], padding: 'valid' });
    const got = await run(layer, toChannelsFirst(x, xs), [1, 2, 8]);
    expect(got.shape).to.deep.equal([1, 3, 4]);
    expectClose(got.values, toChannelsFirst(ref.values, [1, 4, 3]), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('has correct gradients for input, kernel and bias', async () => {
    const layer = new Conv1D({ filters: 2, kernelSize: 3, padding: 'causal', activation: 'sigmoid' });
    const x = tensor(data(2 * 5 * 2, 15), [2, 5, 2]);
    await checkLayerGradients(layer, x);
    x.dispose();
    layer.dispose();
  });

  it('round-trips its config', () => {
    const layer = new Conv1D({ filters: 4, kernelSize: 5, padding: 'causal', strides: 1, dilationRate: 3 });
    const config = layer.getConfig();
    expect(config).to.include({ filters: 4, padding: 'causal' });
    expect(config.kernelSize).to.deep.equal([5]);
    expect(config.dilationRate).to.deep.equal([3]);
    expect(new Conv1D(config as never).getConfig()).to.deep.equal(config);
  });
});

describe('DepthwiseConv2D', () => {
  beforeEach(() => resetLayerNames());

  it('infers shapes and names its kernel depthwise_kernel', () => {
    const layer = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, name: 'dw' });
    expect(shapeOf(layer.apply(input({ shape: [10, 10, 3] })))).to.deep.equal([null, 8, 8, 6]);
    expect(layer.weightEntries.map((w) => w.name)).to.deep.equal(['dw/depthwise_kernel', 'dw/bias']);
    expect(layer.weights.map((w) => [...w.shape])).to.deep.equal([[3, 3, 3, 2], [6]]);
    expect(shapeOf(new DepthwiseConv2D({ kernelSize: 3, strides: 2, padding: 'same' }).apply(input({ shape: [9, 9, 4] })))).to.deep.equal([null, 5, 5, 4]);
    resetLayerNames();
    expect(() => new DepthwiseConv2D({ kernelSize: 3 }).apply(input({ shape: [10, 3] })))
      .to.throw(LayerError, 'depthwise_conv2d (DepthwiseConv2D): expected input of rank 4, received shape [null, 10, 3]');
    expect(() => new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 0, name: 'dw2' }))
      .to.throw(LayerError, 'dw2 (DepthwiseConv2D): depthMultiplier must be a positive integer; received 0');
    layer.dispose();
  });

  it('computes a strided same-padded depthwise convolution like the reference loops', async () => {
    const xs = [2, 5, 5, 3];
    const ks = [3, 3, 3, 2];
    const x = data(prod(xs), 16);
    const k = data(prod(ks), 17);
    const bias = data(6, 18);
    const layer = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' });
    setWeights(layer, [null, 5, 5, 3], [{ values: k, shape: ks }, { values: bias, shape: [6] }]);
    const ref = refDepthwise(x, xs, k, ks, { strides: [2, 2], dilations: [1, 1], padding: 'same' });
    const got = await run(layer, x, xs);
    expect(got.shape).to.deep.equal([2, 3, 3, 6]);
    expectClose(got.values, addBias(ref.values, bias), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('computes dilated channels-first input like the reference', async () => {
    const xs = [1, 6, 6, 2];
    const ks = [2, 2, 2, 1];
    const x = data(prod(xs), 19);
    const k = data(prod(ks), 20);
    const layer = new DepthwiseConv2D({ kernelSize: 2, dilationRate: 2, dataFormat: 'channelsFirst', useBias: false });
    setWeights(layer, [null, 2, 6, 6], [{ values: k, shape: ks }]);
    const ref = refDepthwise(x, xs, k, ks, { strides: [1, 1], dilations: [2, 2], padding: 'valid' });
    const got = await run(layer, toChannelsFirst(x, xs), [1, 2, 6, 6]);
    expect(got.shape).to.deep.equal([1, 2, 4, 4]);
    expectClose(got.values, toChannelsFirst(ref.values, ref.shape), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('has correct gradients for input, depthwise kernel and bias', async () => {
    const layer = new DepthwiseConv2D({ kernelSize: 2, depthMultiplier: 2, padding: 'same', biasInitializer: 'ones' });
    const x = tensor(data(1 * 4 * 3 * 2, 21), [1, 4, 3, 2]);
    await checkLayerGradients(layer, x);
    x.dispose();
    layer.dispose();
  });

  it('round-trips its config', () => {
    const layer = new DepthwiseConv2D({ kernelSize: [3, 1], depthMultiplier: 3, depthwiseInitializer: 'heNormal', depthwiseRegularizer: { className: 'L1', config: { l1: 0.1 } } });
    const config = layer.getConfig();
    expect(config).to.include({ depthMultiplier: 3 });
    expect(config.depthwiseInitializer).to.have.property('className', 'HeNormal');
    expect(config).to.not.have.property('filters');
    expect(new DepthwiseConv2D(config as never).getConfig()).to.deep.equal(config);
  });
});

describe('SeparableConv2D', () => {
  beforeEach(() => resetLayerNames());

  it('infers shapes and creates depthwise, pointwise and bias weights in Keras order', () => {
    const layer = new SeparableConv2D({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'sep' });
    expect(shapeOf(layer.apply(input({ shape: [8, 8, 3] })))).to.deep.equal([null, 8, 8, 5]);
    expect(layer.weightEntries.map((w) => w.name)).to.deep.equal(['sep/depthwise_kernel', 'sep/pointwise_kernel', 'sep/bias']);
    expect(layer.weights.map((w) => [...w.shape])).to.deep.equal([[3, 3, 3, 2], [1, 1, 6, 5], [5]]);
    expect(() => new SeparableConv2D({ filters: -1, kernelSize: 3, name: 's2' })).to.throw(LayerError, 's2 (SeparableConv2D): filters must be a positive integer; received -1');
    layer.dispose();
  });

  it('computes depthwise then pointwise like the reference loops', async () => {
    const xs = [2, 6, 5, 2];
    const dks = [3, 2, 2, 2];
    const pks = [1, 1, 4, 3];
    const x = data(prod(xs), 22);
    const dk = data(prod(dks), 23);
    const pk = data(prod(pks), 24);
    const bias = [0.1, 0.2, -0.3];
    const layer = new SeparableConv2D({ filters: 3, kernelSize: [3, 2], depthMultiplier: 2, strides: [2, 1], padding: 'same' });
    setWeights(layer, [null, 6, 5, 2], [{ values: dk, shape: dks }, { values: pk, shape: pks }, { values: bias, shape: [3] }]);
    const depthwise = refDepthwise(x, xs, dk, dks, { strides: [2, 1], dilations: [1, 1], padding: 'same' });
    const ref = refConv2d(depthwise.values, depthwise.shape, pk, pks, { strides: [1, 1], dilations: [1, 1], padding: 'valid' });
    const got = await run(layer, x, xs);
    expect(got.shape).to.deep.equal([2, 3, 5, 3]);
    expectClose(got.values, addBias(ref.values, bias), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('has correct gradients for input, both kernels and bias', async () => {
    const layer = new SeparableConv2D({ filters: 2, kernelSize: 2, depthMultiplier: 2, activation: 'tanh' });
    const x = tensor(data(1 * 3 * 4 * 2, 25), [1, 3, 4, 2]);
    await checkLayerGradients(layer, x);
    x.dispose();
    layer.dispose();
  });

  it('round-trips its config', () => {
    const layer = new SeparableConv2D({ filters: 4, kernelSize: 3, depthMultiplier: 2, pointwiseInitializer: 'zeros', pointwiseConstraint: 'nonNeg' });
    const config = layer.getConfig();
    expect(config).to.include({ filters: 4, depthMultiplier: 2 });
    expect(config.pointwiseInitializer).to.have.property('className', 'Zeros');
    expect(config.pointwiseConstraint).to.have.property('className', 'NonNeg');
    expect((layerRegistry.get({ className: 'SeparableConv2D', config }) as SeparableConv2D).getConfig()).to.deep.equal(config);
  });
});

describe('Conv2DTranspose', () => {
  beforeEach(() => resetLayerNames());

  it('infers output sizes as Keras deconv_output_length and uses the [kh, kw, filters, in] kernel layout', () => {
    const x = input({ shape: [7, 5, 3] });
    const same = new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 't' });
    expect(shapeOf(same.apply(x))).to.deep.equal([null, 14, 10, 4]);
    expect(same.weights.map((w) => [...w.shape])).to.deep.equal([[3, 3, 4, 3], [4]]);
    expect(same.weightEntries.map((w) => w.name)).to.deep.equal(['t/kernel', 't/bias']);
    // valid: in * stride + max(kernel - stride, 0)
    expect(shapeOf(new Conv2DTranspose({ filters: 2, kernelSize: [3, 1], strides: 2 }).apply(x))).to.deep.equal([null, 15, 10, 2]);
    // outputPadding: (in - 1) * stride + kernel - 2 * (kernel // 2 for 'same') + outputPadding
    expect(shapeOf(new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1 }).apply(x))).to.deep.equal([null, 16, 12, 2]);
    expect(shapeOf(new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 3, padding: 'same', outputPadding: [2, 0] }).apply(x))).to.deep.equal([null, 21, 13, 2]);
    expect(shapeOf(new Conv2DTranspose({ filters: 2, kernelSize: 3, dilationRate: 2 }).apply(x))).to.deep.equal([null, 11, 9, 2]);
    expect(shapeOf(new Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst' }).apply(input({ shape: [3, 4, 5] })))).to.deep.equal([null, 2, 8, 10]);
    same.dispose();
  });

  it('refuses bad options and output sizes no Conv2D maps back, naming the fix', () => {
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2, name: 't' }))
      .to.throw(LayerError, 't (Conv2DTranspose): outputPadding 2 must be smaller than strides [2,2] along each axis (height: 2 >= 2); lower outputPadding or raise strides');
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', outputPadding: 0, name: 'even' }).apply(input({ shape: [5, 5, 1] })))
      .to.throw(LayerError, "even (Conv2DTranspose): output height 8 (from input height 5, kernel 4, stride 2, padding 'same', outputPadding 0) is not one a Conv2D with these options maps back to 5; received input shape [null, 5, 5, 1]. Use an odd kernelSize, outputPadding of at least 1, or outputPadding null");
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 3 }).apply(input({ shape: [5, 5] })))
      .to.throw(LayerError, 'conv2d_transpose (Conv2DTranspose): expected input of rank 4, received shape [null, 5, 5]');
  });

  const cases: { name: string; args: { kernelSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same'; dilationRate?: [number, number]; outputPadding?: [number, number] }; out: [number, number] }[] = [
    { name: 'same, stride 2', args: { kernelSize: [3, 3], strides: [2, 2], padding: 'same' }, out: [6, 8] },
    { name: 'valid, strides [2, 3], kernel [3, 2]', args: { kernelSize: [3, 2], strides: [2, 3], padding: 'valid' }, out: [7, 12] },
    { name: 'valid, outputPadding [1, 0]', args: { kernelSize: [3, 3], strides: [2, 2], padding: 'valid', outputPadding: [1, 0] }, out: [8, 9] },
    { name: 'same, even kernel, outputPadding 1', args: { kernelSize: [2, 4], strides: [2, 2], padding: 'same', outputPadding: [1, 1] }, out: [5, 7] },
    { name: 'valid, dilation 2', args: { kernelSize: [2, 3], strides: [1, 1], padding: 'valid', dilationRate: [2, 2] }, out: [5, 8] },
  ];
  for (const c of cases) {
    it(`computes ${c.name} like the scatter reference`, async () => {
      const xs = [2, 3, 4, 2];
      const ks = [...c.args.kernelSize, 3, 2];
      const x = data(prod(xs), 26);
      const k = data(prod(ks), 27);
      const bias = [0.5, -0.5, 0.25];
      const layer = new Conv2DTranspose({ filters: 3, ...c.args });
      setWeights(layer, [null, 3, 4, 2], [{ values: k, shape: ks }, { values: bias, shape: [3] }]);
      const ref = refConvTranspose(x, xs, k, ks, { strides: c.args.strides, dilations: c.args.dilationRate ?? [1, 1], padding: c.args.padding }, c.out[0], c.out[1]);
      const got = await run(layer, x, xs);
      expect(got.shape).to.deep.equal([2, ...c.out, 3]);
      expectClose(got.values, addBias(ref.values, bias), { atol: 1e-5, rtol: 1e-5 });
      layer.dispose();
    });
  }

  it('computes channels-first input like the reference', async () => {
    const xs = [1, 2, 3, 2];
    const ks = [2, 2, 2, 2];
    const x = data(prod(xs), 28);
    const k = data(prod(ks), 29);
    const layer = new Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst', useBias: false });
    setWeights(layer, [null, 2, 2, 3], [{ values: k, shape: ks }]);
    const ref = refConvTranspose(x, xs, k, ks, { strides: [2, 2], dilations: [1, 1], padding: 'valid' }, 4, 6);
    const got = await run(layer, toChannelsFirst(x, xs), [1, 2, 2, 3]);
    expect(got.shape).to.deep.equal([1, 2, 4, 6]);
    expectClose(got.values, toChannelsFirst(ref.values, ref.shape), { atol: 1e-5, rtol: 1e-5 });
    layer.dispose();
  });

  it('has correct gradients for input, kernel and bias', async () => {
    const layer = new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', biasInitializer: 'ones' });
    const x = tensor(data(1 * 2 * 3 * 2, 30), [1, 2, 3, 2]);
    await checkLayerGradients(layer, x);
    x.dispose();
    layer.dispose();
  });

  it('round-trips its config', () => {
    const layer = new Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [1, 0] });
    const config = layer.getConfig();
    expect(config.outputPadding).to.deep.equal([1, 0]);
    expect(new Conv2DTranspose(config as never).getConfig()).to.deep.equal(config);
    expect(new Conv2DTranspose({ filters: 1, kernelSize: 2 }).getConfig().outputPadding).to.equal(null);
  });
});

describe('convolution layers in models', () => {
  beforeEach(() => resetLayerNames());

  it('chain in a Sequential model and a functional model, with factories', async () => {
    const seq = new Sequential({
      layers: [
        conv2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [8, 8, 2] }),
        depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
        separableConv2d({ filters: 3, kernelSize: 3 }),
        conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      ],
    });
    expect(seq.outputs[0]!.shape).to.deep.equal([null, 8, 8, 2]);
    const before = memory().numTensors;
    const x = tensor(data(2 * 8 * 8 * 2, 31), [2, 8, 8, 2]);
    const y = tidy(() => seq.call(x) as Tensor);
    expect([...y.shape]).to.deep.equal([2, 8, 8, 2]);
    y.dispose();
    x.dispose();
    expect(memory().numTensors).to.equal(before);

    const seqIn = input({ shape: [12, 3] });
    const h = conv1d({ filters: 4, kernelSize: 3, padding: 'causal' }).apply(seqIn) as SymbolicTensor;
    const m = new LayersModel({ inputs: seqIn, outputs: conv1d({ filters: 1, kernelSize: 2, strides: 2 }).apply(h) as SymbolicTensor });
    expect(m.outputs[0]!.shape).to.deep.equal([null, 6, 1]);
    seq.dispose();
    m.dispose();
  });
});
