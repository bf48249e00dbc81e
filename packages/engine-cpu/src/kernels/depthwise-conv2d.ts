import type { Conv2DAttrs, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';
import { convGeometry, type ConvGeometry } from './im2col.js';

/*
 * Depthwise convolution, channels-last: `x [N, H, W, C]`, `filter [KH, KW, C, M]`, output channel
 * `c * M + m`. Every loop runs over output pixels, then the kernel taps that land inside the input
 * (computed per row and column, so the channel loops never test bounds), then channels, which are
 * contiguous in x, the filter and the output alike.
 */

/** First kernel tap whose input coordinate `origin + tap * dilation` is >= 0. */
function firstTap(origin: number, dilation: number): number {
  return origin >= 0 ? 0 : Math.ceil(-origin / dilation);
}

/** One past the last kernel tap whose input coordinate is < `extent`. */
function endTap(origin: number, dilation: number, taps: number, extent: number): number {
  return Math.min(taps, Math.ceil((extent - origin) / dilation));
}

/**
 * Depthwise 2-D convolution into `out [N, OH, OW, C * M]`.
 *
 * @example
 * const y = depthwiseConv2d(x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function depthwiseConv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const g = convGeometry(x.shape, filter.shape[0]!, filter.shape[1]!, out.shape, attrs);
  run(g, filter.shape[3]!, valuesOf(x) as Float32Array, valuesOf(filter) as Float32Array, result, FORWARD);
  return wrap(result);
}

/**
 * Gradient of {@link depthwiseConv2d} with respect to its input; `out` is the input's shape.
 *
 * @example
 * const dx = depthwiseConv2dBackpropInput(dy, filter, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function depthwiseConv2dBackpropInput(
  dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo,
): CpuData {
  const result = allocate(out) as Float32Array;
  const g = convGeometry(out.shape, filter.shape[0]!, filter.shape[1]!, dy.shape, attrs);
  run(g, filter.shape[3]!, valuesOf(dy) as Float32Array, valuesOf(filter) as Float32Array, result, BACKPROP_INPUT);
  return wrap(result);
}

/**
 * Gradient of {@link depthwiseConv2d} with respect to its filter; `out` is the filter's shape.
 * Accumulates in doubles, since each filter entry sums over every output pixel.
 *
 * @example
 * const df = depthwiseConv2dBackpropFilter(x, dy, attrs, { shape: filter.shape, dtype: 'float32' });
 */
export function depthwiseConv2dBackpropFilter(
  x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo,
): CpuData {
  const result = allocate(out) as Float32Array;
  const g = convGeometry(x.shape, out.shape[0]!, out.shape[1]!, dy.shape, attrs);
  const acc = new Float64Array(result.length);
  run(g, out.shape[3]!, valuesOf(x) as Float32Array, valuesOf(dy) as Float32Array, acc, BACKPROP_FILTER);
  result.set(acc);
  return wrap(result);
}

const FORWARD = 0;
const BACKPROP_INPUT = 1;
const BACKPROP_FILTER = 2;

/**
 * The shared loop nest. Per (output pixel, tap, channel) the three kernels do:
 * forward `y[o] += x[i] * f[t]`, backprop input `dx[i] += dy[o] * f[t]` (summed over the
 * multiplier), backprop filter `df[t] += x[i] * dy[o]`. `first`/`second` are the two inputs in
 * that order (x or dy, then f or dy) and `target` the output.
 */
function run(
  g: ConvGeometry, mult: number, first: Float32Array, second: Float32Array,
  target: Float32Array | Float64Array, mode: number,
): void {
  const { batch, inH, inW, inC, kH, kW, outH, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const width = inC * mult;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padTop;
      const ky0 = firstTap(iy0, dilationH), ky1 = endTap(iy0, dilationH, kH, inH);
      for (let ox = 0; ox < outW; ox++, o += width) {
        const ix0 = ox * strideW - padLeft;
        const kx0 = firstTap(ix0, dilationW), kx1 = endTap(ix0, dilationW, kW, inW);
        for (let ky = ky0; ky < ky1; ky++) {
          const rowBase = (n * inH + iy0 + ky * dilationH) * inW + ix0;
          for (let kx = kx0; kx < kx1; kx++) {
            const xb = (rowBase + kx * dilationW) * inC;
            const fb = (ky * kW + kx) * width;
            if (mode === FORWARD) {
              forwardTap(first, second, target as Float32Array, xb, fb, o, inC, mult);
            } else if (mode === BACKPROP_INPUT) {
              inputTap(first, second, target as Float32Array, xb, fb, o, inC, mult);
            } else {
              filterTap(first, second, target as Float64Array, xb, fb, o, inC, mult);
            }
          }
        }
      }
    }
  }
}

function forwardTap(
  x: Float32Array, f: Float32Array, y: Float32Array, xb: number, fb: number, o: number, inC: number, mult: number,
): void {
  if (mult === 1) {
    for (let c = 0; c < inC; c++) y[o + c] += x[xb + c]! * f[fb + c]!;
    return;
  }
  for (let c = 0, q = 0; c < inC; c++) {
    const xv = x[xb + c]!;
    for (let m = 0; m < mult; m++, q++) y[o + q] += xv * f[fb + q]!;
  }
}

function inputTap(
  dy: Float32Array, f: Float32Array, dx: Float32Array, xb: number, fb: number, o: number, inC: number, mult: number,
): void {
  if (mult === 1) {
    for (let c = 0; c < inC; c++) dx[xb + c] += dy[o + c]! * f[fb + c]!;
    return;
  }
  for (let c = 0, q = 0; c < inC; c++) {
    let s = 0;
    for (let m = 0; m < mult; m++, q++) s += dy[o + q]! * f[fb + q]!;
    dx[xb + c] += s;
  }
}

function filterTap(
  x: Float32Array, dy: Float32Array, df: Float64Array, xb: number, fb: number, o: number, inC: number, mult: number,
): void {
  if (mult === 1) {
    for (let c = 0; c < inC; c++) df[fb + c] += x[xb + c]! * dy[o + c]!;
    return;
  }
  for (let c = 0, q = 0; c < inC; c++) {
    const xv = x[xb + c]!;
    for (let m = 0; m < mult; m++, q++) df[fb + q] += xv * dy[o + q]!;
  }
}
