import type { Padding2D } from '@strata/engine-api';
import type { Tensor } from '../tensor.js';
import { concat } from './concat-stack.js';
import { stridedSliceKernel } from './layout-kernels.js';
import { pad } from './pad.js';
import { slice } from './slice.js';

/** Where a 2-D window op reads: window size, steps, dilations and padding (all resolved). */
export interface WindowSpec {
  kH: number;
  kW: number;
  strides: readonly [number, number];
  dilations: readonly [number, number];
  pad: Padding2D;
}

/**
 * Output spatial size of a window op over an `inH x inW` input with resolved padding
 * (`floor((padded - dilatedWindow) / stride) + 1`, never below 0).
 *
 * @example
 * windowOutput(5, 5, { kH: 3, kW: 3, strides: [2, 2], dilations: [1, 1], pad }); // [3, 3] with pad 1
 */
export function windowOutput(inH: number, inW: number, w: WindowSpec): [number, number] {
  const out = (size: number, k: number, s: number, d: number, before: number, after: number): number =>
    Math.max(0, Math.floor((size + before + after - ((k - 1) * d + 1)) / s) + 1);
  return [
    out(inH, w.kH, w.strides[0], w.dilations[0], w.pad.top, w.pad.bottom),
    out(inW, w.kW, w.strides[1], w.dilations[1], w.pad.left, w.pad.right),
  ];
}

/**
 * The patch matrix ("im2col") of a channels-last input `[N, H, W, C]`: `[N, OH, OW, KH * KW * C]`,
 * the last axis ordered `(kh, kw, c)` like a filter `[KH, KW, C, OC]` flattened. Built from core
 * ops only (pad, one strided slice per window offset, concat), so it differentiates through them.
 * Padded cells read `padValue`.
 *
 * @example
 * const cols = patches(x, { kH: 3, kW: 3, strides: [1, 1], dilations: [1, 1], pad }, 0);
 */
export function patches(x: Tensor, w: WindowSpec, padValue: number): Tensor {
  const [n, inH, inW, c] = x.shape as [number, number, number, number];
  const [outH, outW] = windowOutput(inH, inW, w);
  const padded = pad(x, [[0, 0], [w.pad.top, w.pad.bottom], [w.pad.left, w.pad.right], [0, 0]], padValue);
  const [sH, sW] = w.strides, [dH, dW] = w.dilations;
  const taps: Tensor[] = [];
  for (let kh = 0; kh < w.kH; kh++) {
    for (let kw = 0; kw < w.kW; kw++) {
      taps.push(stridedSliceKernel('stridedSlice', padded, [0, kh * dH, kw * dW, 0], [1, sH, sW, 1], [n, outH, outW, c]));
    }
  }
  return taps.length === 1 ? taps[0]! : concat(taps, 3);
}

/**
 * Pads with zeros where an amount is positive and crops where it is negative, per dimension.
 *
 * @example
 * padOrCrop(x, [[0, 0], [2, -1], [-1, 0], [0, 0]]);
 */
export function padOrCrop(x: Tensor, amounts: readonly (readonly [number, number])[]): Tensor {
  const grown = pad(x, amounts.map(([b, a]) => [Math.max(b, 0), Math.max(a, 0)] as [number, number]));
  if (amounts.every(([b, a]) => b >= 0 && a >= 0)) return grown;
  const begin = amounts.map(([b]) => Math.max(-b, 0));
  const size = grown.shape.map((d, i) => d - begin[i]! - Math.max(-amounts[i]![1], 0));
  return slice(grown, begin, size);
}
