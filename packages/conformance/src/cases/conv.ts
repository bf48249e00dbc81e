import { conv1d, conv2d, conv2dTranspose, depthwiseConv2d, grads, tensor, type Tensor } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { expectOpError } from './case-helpers.js';
import {
  outSize, refConv2d, refConv2dTranspose, refDepthwiseConv2d, tfSamePadding, type HostTensor, type RefWindow,
} from './window-reference.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number]];

/** The reference geometry of a window op, resolved here independently of core. */
function geometry(inH: number, inW: number, kH: number, kW: number, strides: [number, number], dilations: [number, number], pad: Pad): RefWindow {
  let top = 0, bottom = 0, left = 0, right = 0;
  if (pad === 'same') {
    [top, bottom] = tfSamePadding(inH, kH, strides[0], dilations[0]);
    [left, right] = tfSamePadding(inW, kW, strides[1], dilations[1]);
    return { strides, dilations, padTop: top, padLeft: left, outH: Math.ceil(inH / strides[0]), outW: Math.ceil(inW / strides[1]) };
  }
  if (typeof pad === 'number') [top, bottom, left, right] = [pad, pad, pad, pad];
  else if (pad !== 'valid') [[top, bottom], [left, right]] = pad;
  return {
    strides, dilations, padTop: top, padLeft: left,
    outH: outSize(inH, kH, strides[0], dilations[0], top, bottom),
    outW: outSize(inW, kW, strides[1], dilations[1], left, right),
  };
}

function size(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function host(shape: readonly number[], seed: number): HostTensor {
  return { values: randomValues(size(shape), seed), shape };
}

function make(h: HostTensor): Tensor {
  return tensor(Float32Array.from(h.values), h.shape);
}

interface ConvConfig {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

const CONV_CONFIGS: Record<string, ConvConfig> = {
  'valid-3x3': { x: [1, 5, 5, 1], f: [3, 3, 1, 1], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  'same-3x3-batch-channels': { x: [2, 5, 4, 3], f: [3, 3, 3, 4], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  'stride-2-valid': { x: [1, 7, 6, 2], f: [3, 3, 2, 3], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  'stride-2-same': { x: [2, 6, 7, 2], f: [3, 3, 2, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  'stride-2x3-same': { x: [1, 7, 8, 2], f: [2, 3, 2, 2], strides: [2, 3], dilations: [1, 1], pad: 'same' },
  'dilation-2-valid': { x: [1, 7, 7, 2], f: [3, 3, 2, 2], strides: [1, 1], dilations: [2, 2], pad: 'valid' },
  'dilation-2-same': { x: [1, 6, 5, 1], f: [3, 2, 1, 3], strides: [1, 1], dilations: [2, 2], pad: 'same' },
  'same-even-kernel': { x: [1, 5, 6, 2], f: [2, 4, 2, 3], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  'same-even-kernel-stride-2': { x: [1, 6, 6, 1], f: [4, 4, 1, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  'explicit-asymmetric': { x: [1, 4, 5, 2], f: [3, 2, 2, 2], strides: [1, 1], dilations: [1, 1], pad: [[1, 0], [2, 1]] },
  'explicit-asymmetric-stride-2': { x: [2, 5, 5, 1], f: [3, 3, 1, 2], strides: [2, 2], dilations: [1, 1], pad: [[0, 2], [1, 0]] },
  'explicit-number': { x: [1, 3, 3, 2], f: [2, 2, 2, 1], strides: [1, 1], dilations: [1, 1], pad: 1 },
  '1x1': { x: [2, 3, 4, 5], f: [1, 1, 5, 3], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  '1x1-stride-2': { x: [1, 5, 5, 2], f: [1, 1, 2, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  'kernel-equals-input': { x: [1, 3, 3, 2], f: [3, 3, 2, 4], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
};

/** Small configurations for finite-difference checks (the suite runs every case twice). */
const GRAD_CONFIGS: Record<string, ConvConfig> = {
  'same-stride-1': { x: [1, 4, 4, 2], f: [3, 3, 2, 2], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  'same-stride-2': { x: [2, 5, 4, 1], f: [3, 2, 1, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  'dilation-2': { x: [1, 5, 5, 1], f: [2, 2, 1, 2], strides: [1, 1], dilations: [2, 2], pad: 'valid' },
  'explicit-asymmetric': { x: [1, 3, 4, 2], f: [2, 2, 2, 1], strides: [2, 1], dilations: [1, 1], pad: [[1, 0], [0, 2]] },
};

function runConv2d(cfg: ConvConfig, seed: number): { x: HostTensor; f: HostTensor; w: RefWindow } {
  const x = host(cfg.x, seed), f = host(cfg.f, seed + 1);
  return { x, f, w: geometry(cfg.x[1], cfg.x[2], cfg.f[0], cfg.f[1], cfg.strides, cfg.dilations, cfg.pad) };
}

function conv2dCases(ctx: SuiteContext): void {
  describe('conv2d', () => {
    conformanceCase(ctx, 'conv2d.golden', async () => {
      // Filter [[1, 0], [0, -1]] over 1..9: every output is x[i][j] - x[i+1][j+1] = -4.
      const y = conv2d([[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]], [[[[1]], [[0]]], [[[0]], [[-1]]]], 1, 'valid');
      await expectTensor(y, [-4, -4, -4, -4], { shape: [1, 2, 2, 1], dtype: 'float32' });
      y.dispose();
    });

    let seed = 100;
    for (const [id, cfg] of Object.entries(CONV_CONFIGS)) {
      const s = seed++;
      conformanceCase(ctx, `conv2d.${id}`, async () => {
        const { x, f, w } = runConv2d(cfg, s);
        const [tx, tf] = [make(x), make(f)];
        const y = conv2d(tx, tf, cfg.strides, cfg.pad, 'NHWC', cfg.dilations);
        await expectTensor(y, refConv2d(x, f, w), { shape: [cfg.x[0], w.outH, w.outW, cfg.f[3]], atol: 1e-5, rtol: 1e-5 });
        [tx, tf, y].forEach((t) => t.dispose());
      });
    }

    conformanceCase(ctx, 'conv2d.four-pair-explicit-pad', async () => {
      const { x, f, w } = runConv2d({ x: [1, 4, 4, 1], f: [2, 2, 1, 1], strides: [1, 1], dilations: [1, 1], pad: [[2, 0], [1, 1]] }, 150);
      const [tx, tf] = [make(x), make(f)];
      const y = conv2d(tx, tf, 1, [[0, 0], [2, 0], [1, 1], [0, 0]]);
      await expectTensor(y, refConv2d(x, f, w), { shape: [1, w.outH, w.outW, 1] });
      [tx, tf, y].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv2d.rank-3-input', async () => {
      const { x, f, w } = runConv2d({ x: [1, 4, 5, 2], f: [3, 3, 2, 3], strides: [1, 1], dilations: [1, 1], pad: 'same' }, 151);
      const tx = tensor(Float32Array.from(x.values), [4, 5, 2]);
      const tf = make(f);
      const y = conv2d(tx, tf, 1, 'same');
      await expectTensor(y, refConv2d(x, f, w), { shape: [4, 5, 3] });
      [tx, tf, y].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv2d.int32-computes-in-float32', async () => {
      const x = tensor([1, 2, 3, 4], [1, 2, 2, 1], 'int32');
      const f = tensor([1, 1, 1, 1], [2, 2, 1, 1], 'int32');
      const y = conv2d(x, f);
      await expectTensor(y, [10], { shape: [1, 1, 1, 1], dtype: 'float32' });
      [x, f, y].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv2d.nan-inf-propagate', async () => {
      // 1x4 input, 1x2 ones filter: windows [NaN, 1], [1, Infinity], [Infinity, 2].
      const y = conv2d([[[[NaN], [1], [Infinity], [2]]]], [[[[1]], [[1]]]]);
      await expectTensor(y, [NaN, Infinity, Infinity], { shape: [1, 1, 3, 1] });
      y.dispose();
    });

    conformanceCase(ctx, 'conv2d.size-zero-dims', async () => {
      const inputs = [tensor([], [0, 3, 3, 2]), tensor(randomValues(36, 152), [3, 3, 2, 2]), tensor(randomValues(18, 153), [1, 3, 3, 2]),
        tensor([], [2, 2, 2, 0]), tensor([], [1, 3, 3, 0]), tensor([], [2, 2, 0, 3])] as const;
      const emptyBatch = conv2d(inputs[0], inputs[1], 1, 'same');
      await expectTensor(emptyBatch, [], { shape: [0, 3, 3, 2] });
      const noOutChannels = conv2d(inputs[2], inputs[3]);
      await expectTensor(noOutChannels, [], { shape: [1, 2, 2, 0] });
      // No input channels: every output sums nothing.
      const noInChannels = conv2d(inputs[4], inputs[5], 1, 'valid');
      await expectTensor(noInChannels, new Array(12).fill(0), { shape: [1, 2, 2, 3] });
      [...inputs, emptyBatch, noOutChannels, noInChannels].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv2d.errors', async () => {
      const x = tensor(randomValues(32, 154), [1, 4, 4, 2]);
      const f3 = tensor(randomValues(27, 155), [3, 3, 3, 1]);
      const f2 = tensor(randomValues(18, 156), [3, 3, 2, 1]);
      const big = tensor(randomValues(50, 157), [5, 5, 2, 1]);
      const flat = tensor(randomValues(16, 158), [4, 4]);
      const flags = tensor([true], [1, 1, 1, 1]);
      expectOpError(() => conv2d(x, f3), 'conv2d', 'filter', '[3, 3, 3, 1]', 'in-channels 3', '[1, 4, 4, 2]', '2 channels');
      expectOpError(() => conv2d(x, f2, 2, 'same', 'NHWC', 2), 'conv2d', 'dilations', 'strides [2,2]', 'dilations [2,2]');
      expectOpError(() => conv2d(x, f2, 1, 'full' as never), 'conv2d', 'pad', '"full"');
      expectOpError(() => conv2d(x, f2, 1, [[1, 1]] as never), 'conv2d', 'pad', '[[1,1]]');
      expectOpError(() => conv2d(x, f2, 0), 'conv2d', 'strides', '0');
      expectOpError(() => conv2d(x, f2, [1, 1.5] as never), 'conv2d', 'strides', '[1,1.5]');
      expectOpError(() => conv2d(x, big), 'conv2d', 'x', '4x4');
      expectOpError(() => conv2d(flat, f2), 'conv2d', 'x', '[4, 4]');
      expectOpError(() => conv2d(x, flat), 'conv2d', 'filter', '[4, 4]');
      expectOpError(() => conv2d(flags, flags), 'conv2d', 'x', 'bool');
      [x, f3, f2, big, flat, flags].forEach((t) => t.dispose());
    });

    for (const [id, cfg] of Object.entries(GRAD_CONFIGS)) {
      const s = seed++;
      conformanceCase(ctx, `conv2d.gradient-${id}`, async () => {
        const x = tensor(randomValues(size(cfg.x), s), cfg.x);
        const f = tensor(randomValues(size(cfg.f), s + 1), cfg.f);
        await checkGradients((a, b) => conv2d(a, b, cfg.strides, cfg.pad, 'NHWC', cfg.dilations), [x, f]);
        [x, f].forEach((t) => t.dispose());
      });
    }

    conformanceCase(ctx, 'conv2d.no-leaks', async () => {
      const x = tensor(randomValues(50, 160), [2, 5, 5, 1]);
      const f = tensor(randomValues(18, 161), [3, 3, 1, 2]);
      await expectNoLeaks(async () => {
        const y = conv2d(x, f, 2, 'same');
        await y.data();
        y.dispose();
        const g = grads((a: Tensor, b: Tensor) => conv2d(a, b, 1, [[1, 0], [0, 1]]))([x, f]);
        g.forEach((t) => t.dispose());
      });
      [x, f].forEach((t) => t.dispose());
    });
  });
}

function conv1dCases(ctx: SuiteContext): void {
  describe('channels-first data formats', () => {
    conformanceCase(ctx, 'conv.channels-first', async () => {
      // NCHW input [1, 2, 2, 3]: channel 0 holds 1..6, channel 1 holds 10..60; a 1x1 filter
      // [[1, 2], [3, 4]] mixes them: out0 = c0 + 3 c1, out1 = 2 c0 + 4 c1.
      const c0 = [1, 2, 3, 4, 5, 6];
      const c1 = c0.map((v) => v * 10);
      const x = tensor([...c0, ...c1], [1, 2, 2, 3]);
      const f = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
      const y = conv2d(x, f, 1, 'valid', 'NCHW');
      await expectTensor(y, [...c0.map((v, i) => v + 3 * c1[i]!), ...c0.map((v, i) => 2 * v + 4 * c1[i]!)], { shape: [1, 2, 2, 3] });
      const d = depthwiseConv2d(x, tensor([1, -1], [1, 1, 2, 1]), 1, 'valid', 'NCHW');
      await expectTensor(d, [...c0, ...c1.map((v) => -v)], { shape: [1, 2, 2, 3] });
      const seq = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]); // NCW: 2 channels over 3 steps
      const s1 = conv1d(seq, tensor([1, 1], [1, 2, 1]), 1, 'valid', 'NCW');
      await expectTensor(s1, [11, 22, 33], { shape: [1, 1, 3] });
      await checkGradients((a, b) => conv2d(a, b, 1, 'same', 'NCHW'), [tensor(randomValues(18, 41), [1, 2, 3, 3]), tensor(randomValues(8, 42), [2, 2, 2, 1])]);
      expectOpError(() => conv2d(x, f, 1, 'valid', 'CHWN' as never), 'conv2d', 'dataFormat', '"CHWN"');
      [x, f, y, d, seq, s1].forEach((t) => t.dispose());
    });
  });

  describe('conv1d', () => {
    conformanceCase(ctx, 'conv1d.golden', async () => {
      // Filter [1, -1] over [1, 4, 9, 16]: first differences x[t] - x[t+1].
      const y = conv1d([[[1], [4], [9], [16]]], [[[1]], [[-1]]]);
      await expectTensor(y, [-3, -5, -7], { shape: [1, 3, 1] });
      y.dispose();
    });

    conformanceCase(ctx, 'conv1d.causal-golden', async () => {
      // Causal, dilation 2, filter [1, 10]: y[t] = x[t - 2] + 10 x[t] with x[<0] = 0.
      const y = conv1d([[[1], [2], [3], [4]]], [[[1]], [[10]]], 1, 'causal', 'NWC', 2);
      await expectTensor(y, [10, 20, 31, 42], { shape: [1, 4, 1] });
      y.dispose();
    });

    const cases: [string, number[], number[], number, 'valid' | 'same' | 'causal' | number | [number, number], number][] = [
      ['valid-batch-channels', [2, 7, 3], [3, 3, 2], 1, 'valid', 1],
      ['same-stride-2', [1, 8, 2], [4, 2, 3], 2, 'same', 1],
      ['causal-dilation-3', [2, 9, 2], [3, 2, 2], 1, 'causal', 3],
      ['explicit-pair', [1, 6, 1], [2, 1, 2], 1, [2, 1], 1],
      ['explicit-number', [1, 5, 2], [3, 2, 1], 2, 1, 1],
    ];
    let seed = 200;
    for (const [id, xShape, fShape, stride, pad, dilation] of cases) {
      const s = seed++;
      conformanceCase(ctx, `conv1d.${id}`, async () => {
        const x = host(xShape, s), f = host(fShape, s + 50);
        const left = pad === 'causal' ? (fShape[0]! - 1) * dilation : 0;
        const pad2d: Pad = pad === 'causal' ? [[0, 0], [left, 0]] : typeof pad === 'number' ? [[0, 0], [pad, pad]] : Array.isArray(pad) ? [[0, 0], pad] : pad;
        const w = geometry(1, xShape[1]!, 1, fShape[0]!, [1, stride], [1, dilation], pad2d);
        const x4 = { values: x.values, shape: [xShape[0]!, 1, xShape[1]!, xShape[2]!] };
        const f4 = { values: f.values, shape: [1, ...fShape] };
        const [tx, tf] = [make(x), make(f)];
        const y = conv1d(tx, tf, stride, pad, 'NWC', dilation);
        await expectTensor(y, refConv2d(x4, f4, w), { shape: [xShape[0]!, w.outW, fShape[2]!], atol: 1e-5, rtol: 1e-5 });
        [tx, tf, y].forEach((t) => t.dispose());
      });
    }

    conformanceCase(ctx, 'conv1d.rank-2-input', async () => {
      const y = conv1d([[1], [4], [9], [16]], [[[1]], [[-1]]], 1, 'same');
      await expectTensor(y, [-3, -5, -7, 16], { shape: [4, 1] });
      y.dispose();
    });

    conformanceCase(ctx, 'conv1d.errors', async () => {
      const x = tensor(randomValues(12, 210), [1, 6, 2]);
      const f = tensor(randomValues(9, 211), [3, 3, 1]);
      const f2 = tensor(randomValues(6, 212), [3, 2, 1]);
      expectOpError(() => conv1d(x, f), 'conv1d', 'filter', '[3, 3, 1]', 'in-channels 3', '2 channels');
      expectOpError(() => conv1d(x, f2, 1, 'full' as never), 'conv1d', 'pad', '"full"');
      expectOpError(() => conv1d(x, f2, 2, 'same', 'NWC', 2), 'conv1d', 'dilation', 'stride 2', 'dilation 2');
      expectOpError(() => conv1d(x, f2, 0), 'conv1d', 'stride', '0');
      const image = tensor(randomValues(12, 213), [1, 2, 3, 2]);
      expectOpError(() => conv1d(image, f2), 'conv1d', 'x', '[1, 2, 3, 2]');
      [x, f, f2, image].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv1d.gradient', async () => {
      const x = tensor(randomValues(12, 213), [2, 6, 1]);
      const f = tensor(randomValues(6, 214), [3, 1, 2]);
      await checkGradients((a, b) => conv1d(a, b, 1, 'causal', 'NWC', 2), [x, f]);
      await checkGradients((a, b) => conv1d(a, b, 2, 'same'), [x, f]);
      [x, f].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv1d.no-leaks', async () => {
      const x = tensor(randomValues(12, 215), [2, 6, 1]);
      const f = tensor(randomValues(6, 216), [3, 1, 2]);
      await expectNoLeaks(() => {
        conv1d(x, f, 1, 'causal').dispose();
        grads((a: Tensor, b: Tensor) => conv1d(a, b, 2, 'same'))([x, f]).forEach((t) => t.dispose());
      });
      [x, f].forEach((t) => t.dispose());
    });
  });
}

function depthwiseCases(ctx: SuiteContext): void {
  describe('depthwiseConv2d', () => {
    conformanceCase(ctx, 'depthwiseConv2d.golden', async () => {
      // Two channels, multiplier 2, 1x1 filter: channel c scaled by filter[0][0][c][m].
      const y = depthwiseConv2d([[[[1, 10]]]], [[[[2, 3], [4, 5]]]]);
      await expectTensor(y, [2, 3, 40, 50], { shape: [1, 1, 1, 4] });
      y.dispose();
    });

    const configs: Record<string, ConvConfig> = {
      'multiplier-1-same': { x: [2, 5, 5, 3], f: [3, 3, 3, 1], strides: [1, 1], dilations: [1, 1], pad: 'same' },
      'multiplier-2-valid': { x: [1, 5, 6, 2], f: [2, 3, 2, 2], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
      'stride-2-same': { x: [1, 7, 6, 2], f: [3, 3, 2, 3], strides: [2, 2], dilations: [1, 1], pad: 'same' },
      'dilation-2': { x: [1, 7, 7, 2], f: [3, 3, 2, 1], strides: [1, 1], dilations: [2, 2], pad: 'same' },
      'explicit-asymmetric': { x: [1, 4, 4, 1], f: [3, 3, 1, 2], strides: [1, 2], dilations: [1, 1], pad: [[2, 0], [0, 1]] },
    };
    let seed = 300;
    for (const [id, cfg] of Object.entries(configs)) {
      const s = seed++;
      conformanceCase(ctx, `depthwiseConv2d.${id}`, async () => {
        const { x, f, w } = runConv2d(cfg, s);
        const [tx, tf] = [make(x), make(f)];
        const y = depthwiseConv2d(tx, tf, cfg.strides, cfg.pad, 'NHWC', cfg.dilations);
        await expectTensor(y, refDepthwiseConv2d(x, f, w), { shape: [cfg.x[0], w.outH, w.outW, cfg.f[2] * cfg.f[3]], atol: 1e-5, rtol: 1e-5 });
        [tx, tf, y].forEach((t) => t.dispose());
      });
    }

    conformanceCase(ctx, 'depthwiseConv2d.errors', async () => {
      const x = tensor(randomValues(32, 310), [1, 4, 4, 2]);
      const f = tensor(randomValues(27, 311), [3, 3, 3, 1]);
      const f2 = tensor(randomValues(18, 312), [3, 3, 2, 1]);
      expectOpError(() => depthwiseConv2d(x, f), 'depthwiseConv2d', 'filter', '[3, 3, 3, 1]', 'in-channels 3', '2 channels');
      expectOpError(() => depthwiseConv2d(x, f2, 2, 'valid', 'NHWC', 2), 'depthwiseConv2d', 'dilations', 'strides [2,2]');
      expectOpError(() => depthwiseConv2d(x, f2, 1, 'causal' as never), 'depthwiseConv2d', 'pad', '"causal"');
      [x, f, f2].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'depthwiseConv2d.gradient', async () => {
      const x = tensor(randomValues(32, 313), [1, 4, 4, 2]);
      const f = tensor(randomValues(16, 314), [2, 2, 2, 2]);
      await checkGradients((a, b) => depthwiseConv2d(a, b, 2, 'same'), [x, f]);
      await checkGradients((a, b) => depthwiseConv2d(a, b, 1, [[1, 0], [0, 1]], 'NHWC', 2), [x, f]);
      [x, f].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'depthwiseConv2d.no-leaks', async () => {
      const x = tensor(randomValues(32, 315), [1, 4, 4, 2]);
      const f = tensor(randomValues(18, 316), [3, 3, 2, 1]);
      await expectNoLeaks(() => {
        depthwiseConv2d(x, f, 1, 'same').dispose();
        grads((a: Tensor, b: Tensor) => depthwiseConv2d(a, b, 2, 'same'))([x, f]).forEach((t) => t.dispose());
      });
      [x, f].forEach((t) => t.dispose());
    });
  });
}

function conv2dTransposeCases(ctx: SuiteContext): void {
  describe('conv2dTranspose', () => {
    conformanceCase(ctx, 'conv2dTranspose.golden', async () => {
      // One input cell of value 2, stride 2, 2x2 filter [[1, 2], [3, 4]]: the filter scaled by 2
      // stamped in the top-left corner of a 3x3 output (valid).
      const y = conv2dTranspose([[[[2]]]], [[[[1]], [[2]]], [[[3]], [[4]]]], [1, 3, 3, 1], 2, 'valid');
      await expectTensor(y, [2, 4, 0, 6, 8, 0, 0, 0, 0], { shape: [1, 3, 3, 1] });
      y.dispose();
    });

    const configs: [string, number[], number[], number[], [number, number], Pad, [number, number]][] = [
      // id, x shape, filter [KH, KW, OC, C], output shape, strides, pad, dilations
      ['stride-2-same', [1, 3, 3, 2], [3, 3, 4, 2], [1, 6, 6, 4], [2, 2], 'same', [1, 1]],
      ['stride-2-same-odd-output', [2, 3, 2, 1], [3, 3, 2, 1], [2, 5, 4, 2], [2, 2], 'same', [1, 1]],
      ['stride-2-valid', [1, 2, 3, 2], [3, 3, 1, 2], [1, 5, 7, 1], [2, 2], 'valid', [1, 1]],
      ['stride-1-explicit', [1, 4, 5, 1], [2, 3, 2, 1], [1, 4, 4, 2], [1, 1], [[1, 0], [1, 2]], [1, 1]],
      ['dilation-2', [1, 3, 3, 1], [2, 2, 2, 1], [1, 5, 5, 2], [1, 1], 'valid', [2, 2]],
      ['stride-3-even-kernel', [1, 2, 2, 2], [4, 4, 2, 2], [1, 7, 7, 2], [3, 3], 'valid', [1, 1]],
      // Padding wider than the window reach: the transposed convolution crops instead of padding.
      ['explicit-pads-beyond-window', [1, 6, 5, 2], [2, 2, 1, 2], [1, 4, 4, 1], [1, 1], [[3, 0], [0, 2]], [1, 1]],
      ['stride-2-explicit-asymmetric', [2, 4, 3, 1], [3, 3, 2, 1], [2, 6, 5, 2], [2, 2], [[2, 1], [0, 2]], [1, 1]],
    ];
    let seed = 400;
    for (const [id, xShape, fShape, outShape, strides, pad, dilations] of configs) {
      const s = seed++;
      conformanceCase(ctx, `conv2dTranspose.${id}`, async () => {
        const x = host(xShape, s), f = host(fShape, s + 50);
        const w = geometry(outShape[1]!, outShape[2]!, fShape[0]!, fShape[1]!, strides, dilations, pad);
        const refW = { ...w, outH: outShape[1]!, outW: outShape[2]! };
        const [tx, tf] = [make(x), make(f)];
        const y = conv2dTranspose(tx, tf, outShape, strides, pad, dilations);
        await expectTensor(y, refConv2dTranspose(x, f, refW), { shape: outShape, atol: 1e-5, rtol: 1e-5 });
        [tx, tf, y].forEach((t) => t.dispose());
      });
    }

    conformanceCase(ctx, 'conv2dTranspose.rank-3', async () => {
      const x = host([1, 2, 2, 1], 450), f = host([2, 2, 1, 1], 451);
      const tx = tensor(Float32Array.from(x.values), [2, 2, 1]);
      const tf = make(f);
      const y = conv2dTranspose(tx, tf, [4, 4, 1], 2, 'same');
      const w = geometry(4, 4, 2, 2, [2, 2], [1, 1], 'same');
      await expectTensor(y, refConv2dTranspose(x, f, { ...w, outH: 4, outW: 4 }), { shape: [4, 4, 1] });
      [tx, tf, y].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv2dTranspose.errors', async () => {
      const x = tensor(randomValues(18, 452), [1, 3, 3, 2]);
      const f = tensor(randomValues(72, 453), [3, 3, 4, 2]);
      expectOpError(() => conv2dTranspose(x, f, [1, 7, 7, 4], 2, 'same'), 'conv2dTranspose', 'outputShape', '[1, 7, 7, 4]');
      expectOpError(() => conv2dTranspose(x, f, [1, 6, 6, 3], 2, 'same'), 'conv2dTranspose', 'outputShape', '[1, 6, 6, 3]');
      expectOpError(() => conv2dTranspose(x, f, [6, 6, 4], 2, 'same'), 'conv2dTranspose', 'outputShape', '[6,6,4]');
      const wrong = tensor(randomValues(36, 454), [3, 3, 4, 1]);
      expectOpError(() => conv2dTranspose(x, wrong, [1, 6, 6, 4], 2, 'same'), 'conv2dTranspose', 'filter', 'in-channels 1', '2 channels');
      [x, f, wrong].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv2dTranspose.gradient', async () => {
      const x = tensor(randomValues(8, 455), [2, 2, 2, 1]);
      const f = tensor(randomValues(18, 456), [3, 3, 2, 1]);
      await checkGradients((a, b) => conv2dTranspose(a, b, [2, 4, 4, 2], 2, 'same'), [x, f]);
      const x2 = tensor(randomValues(24, 457), [1, 4, 3, 2]);
      const f2 = tensor(randomValues(8, 458), [2, 2, 1, 2]);
      await checkGradients((a, b) => conv2dTranspose(a, b, [1, 3, 3, 1], 1, [[1, 1], [0, 1]]), [x2, f2]);
      [x, f, x2, f2].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'conv2dTranspose.no-leaks', async () => {
      const x = tensor(randomValues(8, 459), [2, 2, 2, 1]);
      const f = tensor(randomValues(18, 460), [3, 3, 2, 1]);
      await expectNoLeaks(() => {
        conv2dTranspose(x, f, [2, 4, 4, 2], 2, 'same').dispose();
        grads((a: Tensor, b: Tensor) => conv2dTranspose(a, b, [2, 4, 4, 2], 2, 'same'))([x, f]).forEach((t) => t.dispose());
      });
      [x, f].forEach((t) => t.dispose());
    });
  });
}

/**
 * Cases for `conv2d`, `conv1d`, `depthwiseConv2d` and `conv2dTranspose` against float64
 * reference loops: strides, dilations, 'same' with even kernels, asymmetric explicit pads, 1x1,
 * batches and channels, errors, finite-difference gradients and leaks.
 *
 * @example
 * describe('conv', () => convCases(ctx));
 */
export function convCases(ctx: SuiteContext): void {
  conv2dCases(ctx);
  conv1dCases(ctx);
  depthwiseCases(ctx);
  conv2dTransposeCases(ctx);
}
