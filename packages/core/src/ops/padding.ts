import type { Padding2D } from '@strata/engine-api';
import { OpError } from '../util/errors.js';

/**
 * How a convolution or pooling pads its input: `'valid'` (none), `'same'` (TensorFlow's rule: the
 * output has `ceil(in / stride)` cells), one number for every side, or explicit amounts
 * `[[top, bottom], [left, right]]` (TF.js's four-pair NHWC form `[[0, 0], [t, b], [l, r], [0, 0]]`
 * is accepted too).
 */
export type PadSpec = 'valid' | 'same' | number | readonly (readonly [number, number])[];

/** A pair of per-axis sizes (height, width) given as one number or two. */
export type Pair = number | readonly [number, number];

/** Output size and resolved padding of one 2-D window op. */
export interface WindowGeometry {
  outH: number;
  outW: number;
  pad: Padding2D;
}

/**
 * Reads a `number | [h, w]` argument (strides, dilations, window sizes) as two positive integers.
 *
 * @example
 * toPair('conv2d', 'strides', 2); // [2, 2]
 */
export function toPair(op: string, arg: string, value: Pair): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new OpError(op, arg, JSON.stringify(value), 'must be a positive integer or a pair of them [height, width]');
  }
  return [pair[0]!, pair[1]!];
}

/**
 * Refuses strides above 1 together with dilations above 1, which TensorFlow does not define.
 *
 * @example
 * checkStridesOrDilations('conv2d', [2, 2], [1, 1]); // fine
 */
export function checkStridesOrDilations(op: string, strides: readonly number[], dilations: readonly number[]): void {
  if (strides.some((s) => s > 1) && dilations.some((d) => d > 1)) {
    throw new OpError(op, 'dilations', `strides ${JSON.stringify(strides)} with dilations ${JSON.stringify(dilations)}`,
      'must be 1 when a stride is above 1 (TensorFlow does not define strided dilated convolutions); use strides 1 or dilations 1');
  }
}

function isPairList(pad: unknown): pad is readonly (readonly [number, number])[] {
  return Array.isArray(pad) && pad.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
}

/** Explicit padding from a number or a pair list, or null for `'valid'`/`'same'`. */
function explicitPadding(op: string, pad: PadSpec): Padding2D | null {
  if (pad === 'valid' || pad === 'same') return null;
  if (typeof pad === 'number') {
    if (!Number.isInteger(pad) || pad < 0) throw new OpError(op, 'pad', String(pad), "must be 'valid', 'same', a non-negative integer, or [[top, bottom], [left, right]]");
    return { top: pad, bottom: pad, left: pad, right: pad };
  }
  if (isPairList(pad)) {
    if (pad.length === 2) return { top: pad[0]![0], bottom: pad[0]![1], left: pad[1]![0], right: pad[1]![1] };
    if (pad.length === 4 && pad[0]!.every((v) => v === 0) && pad[3]!.every((v) => v === 0)) {
      return { top: pad[1]![0], bottom: pad[1]![1], left: pad[2]![0], right: pad[2]![1] };
    }
  }
  throw new OpError(op, 'pad', JSON.stringify(pad),
    "must be 'valid', 'same', a non-negative integer, [[top, bottom], [left, right]], or [[0, 0], [top, bottom], [left, right], [0, 0]]");
}

/** TensorFlow's 'same' rule on one axis: `[before, after]`, the odd cell going after. */
function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Resolves padding and output size of a 2-D convolution or pooling window over an `inH x inW`
 * input, as TensorFlow does. Throws naming the op when the (padded) input is smaller than the
 * dilated window.
 *
 * @example
 * windowGeometry('conv2d', 5, 5, 3, 3, [2, 2], [1, 1], 'same'); // { outH: 3, outW: 3, pad: 1 each side }
 */
export function windowGeometry(
  op: string, inH: number, inW: number, kH: number, kW: number,
  strides: readonly [number, number], dilations: readonly [number, number], pad: PadSpec,
): WindowGeometry {
  if (typeof pad === 'string' && pad !== 'valid' && pad !== 'same') {
    throw new OpError(op, 'pad', JSON.stringify(pad), "must be 'valid', 'same', a non-negative integer, or [[top, bottom], [left, right]]");
  }
  let resolved = explicitPadding(op, pad);
  if (resolved === null) {
    if (pad === 'same') {
      const [top, bottom] = samePadding(inH, kH, strides[0], dilations[0]);
      const [left, right] = samePadding(inW, kW, strides[1], dilations[1]);
      resolved = { top, bottom, left, right };
    } else {
      resolved = { top: 0, bottom: 0, left: 0, right: 0 };
    }
  }
  const effH = (kH - 1) * dilations[0] + 1;
  const effW = (kW - 1) * dilations[1] + 1;
  const paddedH = inH + resolved.top + resolved.bottom;
  const paddedW = inW + resolved.left + resolved.right;
  if (pad === 'same') {
    return { outH: Math.ceil(inH / strides[0]), outW: Math.ceil(inW / strides[1]), pad: resolved };
  }
  if (paddedH < effH || paddedW < effW) {
    throw new OpError(op, 'x', `spatial size ${inH}x${inW} (${paddedH}x${paddedW} after padding ${JSON.stringify(pad)})`,
      `must be at least as large as the window (${effH}x${effW} after dilation); use pad 'same' or a smaller window`);
  }
  return {
    outH: Math.floor((paddedH - effH) / strides[0]) + 1,
    outW: Math.floor((paddedW - effW) / strides[1]) + 1,
    pad: resolved,
  };
}
