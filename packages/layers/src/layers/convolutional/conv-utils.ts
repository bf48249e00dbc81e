import { transpose, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';

// Option parsing and output-size arithmetic shared by the convolution, pooling and spatial layers.
// Sizes follow Keras's conv_utils (conv_output_length, deconv_output_length) so shapes inferred
// at model definition match what Keras and TF.js infer.

/** Where the channels of an image (or sequence) sit: last (the default) or right after the batch dim. */
export type DataFormat = 'channelsFirst' | 'channelsLast';

/** Something that can be named in a LayerError. */
type Named = { name: string; className: string };

/**
 * Reads a `dataFormat` option; Keras's snake_case spellings (`'channels_last'`) are accepted too,
 * so configs saved by Keras load.
 *
 * @example
 * normalizeDataFormat(layer, undefined); // 'channelsLast'
 */
export function normalizeDataFormat(layer: Named, value: unknown): DataFormat {
  if (value === undefined || value === null) return 'channelsLast';
  if (value === 'channelsLast' || value === 'channels_last') return 'channelsLast';
  if (value === 'channelsFirst' || value === 'channels_first') return 'channelsFirst';
  throw new LayerError(layer, `dataFormat must be 'channelsLast' or 'channelsFirst'; received ${JSON.stringify(value)}`);
}

/**
 * Reads an option that is one positive integer or `n` of them (`kernelSize`, `strides`,
 * `dilationRate`, `poolSize`, `size`) as a list of `n`.
 *
 * @example
 * normalizeTuple(layer, 'kernelSize', 3, 2); // [3, 3]
 */
export function normalizeTuple(layer: Named, option: string, value: unknown, n: number, min = 1): number[] {
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : value;
  const ok = Array.isArray(list) && list.length === n && list.every((v) => Number.isInteger(v) && v >= min);
  if (!ok) {
    const what = min === 0 ? 'non-negative integer' : 'positive integer';
    const form = n === 1 ? `a ${what} (or a list of one)` : `a ${what} or a list of ${n} of them`;
    throw new LayerError(layer, `${option} must be ${form}; received ${JSON.stringify(value)}`);
  }
  return [...(list as number[])];
}

/**
 * Reads a `padding` option against the values a layer accepts.
 *
 * @example
 * normalizePadding(layer, 'same', ['valid', 'same']); // 'same'
 */
export function normalizePadding<P extends string>(layer: Named, value: unknown, allowed: readonly P[]): P {
  if (value === undefined || value === null) return allowed[0]!;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value.toLowerCase())) return value.toLowerCase() as P;
  throw new LayerError(layer, `padding must be ${allowed.map((p) => `'${p}'`).join(' or ')}; received ${JSON.stringify(value)}`);
}

/**
 * Refuses strides above 1 together with dilation rates above 1, as Keras does (TensorFlow does
 * not define strided dilated convolutions).
 *
 * @example
 * checkStridesWithDilation(layer, [2, 2], [1, 1]); // fine
 */
export function checkStridesWithDilation(layer: Named, strides: readonly number[], dilation: readonly number[]): void {
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    throw new LayerError(layer, `strides ${JSON.stringify(strides)} with dilationRate ${JSON.stringify(dilation)} is not supported: strided dilated convolutions are not defined; set strides to 1 or dilationRate to 1`);
  }
}

/**
 * The window extent after dilation: `(k - 1) * d + 1`.
 *
 * @example
 * dilatedSize(3, 2); // 5
 */
export function dilatedSize(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/**
 * Keras's `conv_output_length`: the output length of a convolution or pooling window along one
 * axis (`null` stays `null`). May return 0 or less for a window larger than a `'valid'` input;
 * `checkedOutputLength` turns that into an error.
 *
 * @example
 * convOutputLength(28, 3, 'valid', 1, 1); // 26
 */
export function convOutputLength(input: number | null, kernel: number, padding: string, stride: number, dilation = 1): number | null {
  if (input === null) return null;
  const length = padding === 'valid' ? input - dilatedSize(kernel, dilation) + 1 : input;
  return Math.floor((length + stride - 1) / stride);
}

/** The names of one spatial axis, used in error messages. */
export interface AxisNames {
  /** `'height'`, `'width'`, `'length'`. */
  axis: string;
  /** `'kernel'` or `'pool'`. */
  window: string;
  /** The option that sets the window, e.g. `'kernelSize'`. */
  option: string;
}

/**
 * `convOutputLength`, throwing a LayerError that names the input size, the window, the strides
 * and the fix when the output would be empty.
 *
 * @example
 * checkedOutputLength(layer, [null, 2, 2, 1], 2, 3, 'valid', 1, 1, { axis: 'height', window: 'kernel', option: 'kernelSize' }); // throws: 3 does not fit in 2
 */
export function checkedOutputLength(
  layer: Named, shape: LayerShape, input: number | null, kernel: number, padding: string, stride: number, dilation: number, names: AxisNames,
): number | null {
  const out = convOutputLength(input, kernel, padding, stride, dilation);
  if (out !== null && out <= 0) {
    const dilated = dilation > 1 ? ` (${dilatedSize(kernel, dilation)} after dilationRate ${dilation})` : '';
    throw new LayerError(layer,
      `the ${names.window} ${names.axis} ${kernel}${dilated} does not fit in the input ${names.axis} ${input} with padding '${padding}' (stride ${stride}), ` +
      `leaving an empty output; received input shape ${shapeString(shape)}. Use padding 'same', a smaller ${names.option}, or a larger input`);
  }
  return out;
}

/**
 * Keras's `deconv_output_length` (`compute_conv_transpose_output_length`): the output length of a
 * transposed convolution along one axis; `outputPadding` null lets it be inferred.
 *
 * @example
 * deconvOutputLength(7, 3, 'same', null, 2, 1); // 14
 */
export function deconvOutputLength(input: number | null, kernel: number, padding: string, outputPadding: number | null, stride: number, dilation = 1): number | null {
  if (input === null) return null;
  const k = dilatedSize(kernel, dilation);
  if (outputPadding === null) return padding === 'valid' ? input * stride + Math.max(k - stride, 0) : input * stride;
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (input - 1) * stride + k - 2 * pad + outputPadding;
}

/**
 * Runs a channels-last computation on a channels-first tensor by moving the channel axis (axis 1)
 * last and back; channels-last input runs as is.
 *
 * @example
 * const y = inChannelsLast(x, 'channelsFirst', (t) => maxPool(t, 2));
 */
export function inChannelsLast(x: Tensor, dataFormat: DataFormat, run: (x: Tensor) => Tensor): Tensor {
  if (dataFormat === 'channelsLast') return run(x);
  const rank = x.rank;
  const toLast = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
  const back = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
  return transpose(run(transpose(x, toLast)), back);
}

/**
 * The channel dimension of an input shape, which must be known to build weights.
 *
 * @example
 * channelDim(layer, [null, 28, 28, 3], 'channelsLast'); // 3
 */
export function channelDim(layer: Named, shape: LayerShape, dataFormat: DataFormat): number {
  const axis = dataFormat === 'channelsFirst' ? 1 : shape.length - 1;
  const c = shape[axis];
  if (c === null || c === undefined) {
    const where = dataFormat === 'channelsFirst' ? 'axis 1 with dataFormat \'channelsFirst\'' : 'the last axis';
    throw new LayerError(layer, `the channel dimension of the input (${where}) must be known to build the weights; received shape ${shapeString(shape)}. Give the input a fixed number of channels`);
  }
  return c;
}

/**
 * The spatial dims of an input shape (every axis but batch and channels).
 *
 * @example
 * spatialDims([null, 28, 20, 3], 'channelsLast'); // [28, 20]
 */
export function spatialDims(shape: LayerShape, dataFormat: DataFormat): (number | null)[] {
  return dataFormat === 'channelsFirst' ? shape.slice(2) : shape.slice(1, -1);
}

/**
 * An output shape from batch, spatial dims and channels, in the layer's data format.
 *
 * @example
 * joinShape(null, [26, 26], 8, 'channelsLast'); // [null, 26, 26, 8]
 */
export function joinShape(batch: number | null, spatial: readonly (number | null)[], channels: number | null, dataFormat: DataFormat): (number | null)[] {
  return dataFormat === 'channelsFirst' ? [batch, channels, ...spatial] : [batch, ...spatial, channels];
}

/** Amounts `[[top, bottom], [left, right]]` of a 2-D padding or cropping. */
export type PairPair = [[number, number], [number, number]];

/**
 * Reads a ZeroPadding2D `padding` or Cropping2D `cropping` option: one number for every side,
 * `[height, width]` (symmetric), or `[[top, bottom], [left, right]]`.
 *
 * @example
 * normalizePairs(layer, 'padding', [1, 2]); // [[1, 1], [2, 2]]
 */
export function normalizePairs(layer: Named, option: string, value: unknown): PairPair {
  const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  if (ok(value)) return [[value, value], [value, value]];
  if (Array.isArray(value) && value.length === 2) {
    if (value.every(ok)) return [[value[0], value[0]], [value[1], value[1]]];
    if (value.every((p) => Array.isArray(p) && p.length === 2 && p.every(ok))) {
      return [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
    }
  }
  throw new LayerError(layer, `${option} must be a non-negative integer, [height, width], or [[top, bottom], [left, right]]; received ${JSON.stringify(value)}`);
}
