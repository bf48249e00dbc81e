import type { Conv2DAttrs } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { conv2dBackpropInputKernel, conv2dKernel, depthwiseConv2dKernel } from './conv-dispatch.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { checkStridesOrDilations, toPair, windowGeometry, type Pair, type PadSpec } from './padding.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';

// Convolutions, channels-last (NHWC). Each validates its arguments, resolves padding as
// TensorFlow does, and runs the kernel in conv-dispatch.ts (the engine's fast path or core's
// decomposition). int32 inputs are computed in float32; bool inputs are refused.

/** Padding of a 1-D convolution: as 2-D, plus `'causal'` (left padding only) and `[left, right]`. */
export type Pad1D = 'valid' | 'same' | 'causal' | number | readonly [number, number];

function numericInput(op: string, arg: string, value: TensorLike): Tensor {
  const t = convert(value, arg, op);
  if (t.dtype === 'bool') throw new OpError(op, arg, 'dtype bool', 'must be numeric (float32, or int32 which is computed in float32); cast it first');
  return t;
}

/** A validated input as float32 with the given shape (the cast and reshape come after every check). */
function asFloat(t: Tensor, shape: readonly number[]): Tensor {
  return reshape(castTo(t, 'float32'), shape);
}

/** The shape of an image input as `[N, H, W, C]`, and whether it came batched (rank 4) or as one image (rank 3). */
function imageShape(op: string, arg: string, x: Tensor): { shape: number[]; batched: boolean } {
  if (x.rank !== 3 && x.rank !== 4) {
    throw new OpError(op, arg, `shape ${fmtShape(x.shape)}`, 'must have rank 4 [batch, height, width, channels] or rank 3 [height, width, channels]');
  }
  return { shape: x.rank === 4 ? [...x.shape] : [1, ...x.shape], batched: x.rank === 4 };
}

function checkFilter(op: string, f: Tensor, layout: string): void {
  if (f.rank !== 4 || f.shape[0] === 0 || f.shape[1] === 0) {
    throw new OpError(op, 'filter', `shape ${fmtShape(f.shape)}`, `must have rank 4 ${layout} with a non-empty window`);
  }
}

function checkChannels(op: string, x: Tensor, filter: Tensor, filterAxis: number): void {
  const c = x.shape[x.rank - 1]!;
  if (filter.shape[filterAxis] !== c) {
    throw new OpError(op, 'filter', `filter of shape ${fmtShape(filter.shape)} (in-channels ${filter.shape[filterAxis]}) for x of shape ${fmtShape(x.shape)} (${c} channels)`,
      `must have as many in-channels (filter dimension ${filterAxis}) as x has channels (its last dimension)`);
  }
}

/** Strides, dilations and padding resolved for a window of `kH x kW` over `inH x inW`. */
function convAttrs(op: string, inH: number, inW: number, kH: number, kW: number, strides: Pair, pad: PadSpec, dilations: Pair): { attrs: Conv2DAttrs; outH: number; outW: number } {
  const s = toPair(op, 'strides', strides);
  const d = toPair(op, 'dilations', dilations);
  checkStridesOrDilations(op, s, d);
  const geo = windowGeometry(op, inH, inW, kH, kW, s, d, pad);
  return { attrs: { strides: s, dilations: d, pad: geo.pad }, outH: geo.outH, outW: geo.outW };
}

function unbatch(y: Tensor, batched: boolean): Tensor {
  return batched ? y : reshape(y, y.shape.slice(1));
}

/** Where the channels are: last (`NHWC`, the default and what kernels use) or first (`NCHW`). */
export type DataFormat2D = 'NHWC' | 'NCHW';
/** 1-D data formats: channels last (`NWC`) or first (`NCW`). */
export type DataFormat1D = 'NWC' | 'NCW';

/**
 * Runs a channels-last convolution on input in either layout: channels-first input is transposed
 * to channels-last and the result back, so kernels only ever see one layout.
 */
function inLayout(op: string, x: Tensor, dataFormat: string, channelsLast: string, channelsFirst: string, run: (x: Tensor) => Tensor): Tensor {
  if (dataFormat === channelsLast) return run(x);
  if (dataFormat !== channelsFirst) {
    throw new OpError(op, 'dataFormat', JSON.stringify(dataFormat), `must be '${channelsLast}' (channels last, the default) or '${channelsFirst}' (channels first)`);
  }
  if (x.rank < 2) return run(x); // the op itself reports the bad rank
  // Channels sit right after the batch dim, or first in an unbatched input.
  const channelAxis = x.rank === channelsLast.length ? 1 : 0;
  const toLast = [...Array.from({ length: x.rank }, (_, i) => i).filter((a) => a !== channelAxis), channelAxis];
  const y = run(transpose(x, toLast));
  return transpose(y, toLast.map((_, i) => toLast.indexOf(i)));
}

/**
 * 2-D convolution (cross-correlation, as in TensorFlow) of `x [N, H, W, C]` (or one image
 * `[H, W, C]`) with `filter [KH, KW, C, OC]`, giving `[N, OH, OW, OC]`. Strides and dilations are
 * one number or `[height, width]`; both above 1 at once are refused, as TensorFlow does. `pad` is
 * `'valid'`, `'same'` (output `ceil(H / stride)`, the odd padding cell at the bottom/right), one
 * number for every side, or `[[top, bottom], [left, right]]`. `dataFormat` `'NCHW'` takes and
 * gives channels-first tensors (the argument order is TF.js's).
 *
 * @example
 * conv2d(ones([1, 5, 5, 3]), ones([3, 3, 3, 8]), 1, 'same').shape; // [1, 5, 5, 8]
 * conv2d(x, filter, 2, [[1, 0], [1, 0]]);
 */
export const conv2d = defineOp('conv2d', (
  x: TensorLike, filter: TensorLike, strides: Pair = 1, pad: PadSpec = 'valid', dataFormat: DataFormat2D = 'NHWC', dilations: Pair = 1,
): Tensor => {
  const input = numericInput('conv2d', 'x', x);
  const f = numericInput('conv2d', 'filter', filter);
  return inLayout('conv2d', input, dataFormat, 'NHWC', 'NCHW', ($x) => {
    const { shape, batched } = imageShape('conv2d', 'x', $x);
    checkFilter('conv2d', f, '[filterHeight, filterWidth, inChannels, outChannels]');
    checkChannels('conv2d', $x, f, 2);
    const { attrs } = convAttrs('conv2d', shape[1]!, shape[2]!, f.shape[0]!, f.shape[1]!, strides, pad, dilations);
    return unbatch(conv2dKernel(asFloat($x, shape), asFloat(f, f.shape), attrs), batched);
  });
});

function pad1d(op: string, pad: Pad1D, k: number, dilation: number): PadSpec {
  if (pad === 'valid' || pad === 'same') return pad;
  if (pad === 'causal') return [[0, 0], [(k - 1) * dilation, 0]];
  if (typeof pad === 'number' && Number.isInteger(pad) && pad >= 0) return [[0, 0], [pad, pad]];
  if (Array.isArray(pad) && pad.length === 2 && pad.every((v) => Number.isInteger(v) && v >= 0)) return [[0, 0], [pad[0]!, pad[1]!]];
  throw new OpError(op, 'pad', JSON.stringify(pad), "must be 'valid', 'same', 'causal', a non-negative integer, or [left, right]");
}

function positiveInteger(op: string, arg: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new OpError(op, arg, JSON.stringify(value), 'must be a positive integer');
  return value;
}

/**
 * 1-D convolution of `x [N, W, C]` (or `[W, C]`) with `filter [K, C, OC]`, giving `[N, OW, OC]`,
 * computed as a conv2d over a height of 1. `pad` also takes `'causal'`: `(K - 1) * dilation`
 * zeros on the left only, so output `t` sees inputs up to `t` (Keras `Conv1D(padding='causal')`).
 * `dataFormat` `'NCW'` takes and gives channels-first tensors.
 *
 * @example
 * conv1d(ones([2, 10, 4]), ones([3, 4, 6]), 1, 'causal').shape; // [2, 10, 6]
 */
export const conv1d = defineOp('conv1d', (
  x: TensorLike, filter: TensorLike, stride: number = 1, pad: Pad1D = 'valid', dataFormat: DataFormat1D = 'NWC', dilation: number = 1,
): Tensor => {
  const input = numericInput('conv1d', 'x', x);
  const f = numericInput('conv1d', 'filter', filter);
  return inLayout('conv1d', input, dataFormat, 'NWC', 'NCW', ($x) => conv1dChannelsLast($x, f, stride, pad, dilation));
});

function conv1dChannelsLast($x: Tensor, f: Tensor, stride: number, pad: Pad1D, dilation: number): Tensor {
  if ($x.rank !== 2 && $x.rank !== 3) throw new OpError('conv1d', 'x', `shape ${fmtShape($x.shape)}`, 'must have rank 3 [batch, width, channels] or rank 2 [width, channels]');
  if (f.rank !== 3 || f.shape[0] === 0) throw new OpError('conv1d', 'filter', `shape ${fmtShape(f.shape)}`, 'must have rank 3 [filterWidth, inChannels, outChannels] with a non-empty window');
  checkChannels('conv1d', $x, f, 1);
  const s = positiveInteger('conv1d', 'stride', stride);
  const d = positiveInteger('conv1d', 'dilation', dilation);
  if (s > 1 && d > 1) {
    throw new OpError('conv1d', 'dilation', `stride ${s} with dilation ${d}`,
      'must be 1 when the stride is above 1 (TensorFlow does not define strided dilated convolutions); use stride 1 or dilation 1');
  }
  const batched = $x.rank === 3;
  const shape = batched ? [$x.shape[0]!, 1, $x.shape[1]!, $x.shape[2]!] : [1, 1, ...$x.shape];
  const { attrs, outW } = convAttrs('conv1d', 1, shape[2]!, 1, f.shape[0]!, [1, s], pad1d('conv1d', pad, f.shape[0]!, d), [1, d]);
  const y = conv2dKernel(asFloat($x, shape), asFloat(f, [1, ...f.shape]), attrs);
  return reshape(y, batched ? [shape[0]!, outW, f.shape[2]!] : [outW, f.shape[2]!]);
}

/**
 * Depthwise 2-D convolution: each input channel `c` of `x [N, H, W, C]` is convolved with its own
 * `filter[:, :, c, :]` (`[KH, KW, C, M]`), giving `C * M` channels ordered `c * M + m`. Strides,
 * padding, data format and dilations as in `conv2d`.
 *
 * @example
 * depthwiseConv2d(ones([1, 5, 5, 3]), ones([3, 3, 3, 2]), 1, 'same').shape; // [1, 5, 5, 6]
 */
export const depthwiseConv2d = defineOp('depthwiseConv2d', (
  x: TensorLike, filter: TensorLike, strides: Pair = 1, pad: PadSpec = 'valid', dataFormat: DataFormat2D = 'NHWC', dilations: Pair = 1,
): Tensor => {
  const op = 'depthwiseConv2d';
  const input = numericInput(op, 'x', x);
  const f = numericInput(op, 'filter', filter);
  return inLayout(op, input, dataFormat, 'NHWC', 'NCHW', ($x) => {
    const { shape, batched } = imageShape(op, 'x', $x);
    checkFilter(op, f, '[filterHeight, filterWidth, inChannels, channelMultiplier]');
    checkChannels(op, $x, f, 2);
    const { attrs } = convAttrs(op, shape[1]!, shape[2]!, f.shape[0]!, f.shape[1]!, strides, pad, dilations);
    return unbatch(depthwiseConv2dKernel(asFloat($x, shape), asFloat(f, f.shape), attrs), batched);
  });
});

/**
 * Transposed 2-D convolution (TF.js semantics): the gradient of `conv2d` with respect to its
 * input. `x [N, h, w, C]` with `filter [KH, KW, OC, C]` gives `outputShape` `[N, H, W, OC]` (or
 * rank 3 without the batch), where `conv2d` of an `outputShape` tensor with the same filter,
 * strides, padding and dilations would have shape `x`'s.
 *
 * @example
 * conv2dTranspose(ones([1, 3, 3, 8]), ones([3, 3, 4, 8]), [1, 6, 6, 4], 2, 'same').shape; // [1, 6, 6, 4]
 */
export const conv2dTranspose = defineOp('conv2dTranspose', (
  x: TensorLike, filter: TensorLike, outputShape: readonly number[], strides: Pair = 1, pad: PadSpec = 'valid', dilations: Pair = 1,
): Tensor => {
  const op = 'conv2dTranspose';
  const $x = numericInput(op, 'x', x);
  const f = numericInput(op, 'filter', filter);
  const { shape, batched } = imageShape(op, 'x', $x);
  checkFilter(op, f, '[filterHeight, filterWidth, outChannels, inChannels]');
  checkChannels(op, $x, f, 3);
  if (!Array.isArray(outputShape) || outputShape.length !== $x.rank || outputShape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new OpError(op, 'outputShape', JSON.stringify(outputShape), `must be ${$x.rank} non-negative integers, like x (shape ${fmtShape($x.shape)})`);
  }
  const out4 = batched ? [...outputShape] : [1, ...outputShape];
  if (out4[3] !== f.shape[2] || out4[0] !== shape[0]) {
    throw new OpError(op, 'outputShape', fmtShape(outputShape),
      `must have x's batch size (${shape[0]}) and the filter's out-channels (filter dimension 2 of ${fmtShape(f.shape)}: ${f.shape[2]}) as its last dimension`);
  }
  const { attrs, outH, outW } = convAttrs(op, out4[1]!, out4[2]!, f.shape[0]!, f.shape[1]!, strides, pad, dilations);
  if (outH !== shape[1] || outW !== shape[2]) {
    throw new OpError(op, 'outputShape', fmtShape(outputShape),
      `must be a shape that conv2d with these strides, padding and dilations maps to x's spatial size ${shape[1]}x${shape[2]} (it maps to ${outH}x${outW})`);
  }
  return unbatch(conv2dBackpropInputKernel(asFloat($x, shape), asFloat(f, f.shape), out4, attrs), batched);
});
