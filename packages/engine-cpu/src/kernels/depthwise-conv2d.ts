import type { Conv2DAttrs, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';
import { convGeometry } from '@strata/engine-api';

/*
 * Depthwise convolution, channels-last: `x [N, H, W, C]`, `filter [KH, KW, C, M]`, output channel
 * `c * M + m`. Each kernel walks output pixels, then only the kernel taps that land inside the
 * input (ranges computed per row and per pixel, so no bounds tests in the channel loops), then the
 * channels, contiguous in x, the filter and the output alike. Channel loops live in small helper
 * functions: inlined into the loop nest next to each other they made V8 compile the hot loop
 * about twice as slow. The three nests are written out rather than shared through a callback,
 * which V8 would not inline across three callers.
 */

/** First kernel tap whose input coordinate `origin + tap * dilation` is >= 0. */
function firstTap(origin: number, dilation: number): number {
  return origin >= 0 ? 0 : Math.ceil(-origin / dilation);
}

/** One past the last kernel tap whose input coordinate is < `extent`. */
function endTap(origin: number, dilation: number, taps: number, extent: number): number {
  return Math.min(taps, Math.ceil((extent - origin) / dilation));
}

/** `t[ti + c] += u[ui + c] * v[vi + c]` for `c < count`. */
function multiplyAdd(
  t: Float32Array, ti: number, u: Float32Array, ui: number, v: Float32Array, vi: number, count: number,
): void {
  for (let c = 0; c < count; c++) t[ti + c] += u[ui + c]! * v[vi + c]!;
}

/** As {@link multiplyAdd} into a double accumulator. */
function multiplyAdd64(
  t: Float64Array, ti: number, u: Float32Array, ui: number, v: Float32Array, vi: number, count: number,
): void {
  for (let c = 0; c < count; c++) t[ti + c] += u[ui + c]! * v[vi + c]!;
}

/** Forward, multiplier > 1: `y[o + c*M + m] += x[xb + c] * f[fb + c*M + m]`. */
function forwardExpand(
  y: Float32Array, o: number, x: Float32Array, xb: number, f: Float32Array, fb: number, inC: number, mult: number,
): void {
  for (let c = 0, q = 0; c < inC; c++) {
    const xv = x[xb + c]!;
    for (let m = 0; m < mult; m++, q++) y[o + q] += xv * f[fb + q]!;
  }
}

/** Backprop input, multiplier > 1: `dx[xb + c] += sum_m dy[o + c*M + m] * f[fb + c*M + m]`. */
function inputReduce(
  dx: Float32Array, xb: number, dy: Float32Array, o: number, f: Float32Array, fb: number, inC: number, mult: number,
): void {
  for (let c = 0, q = 0; c < inC; c++, q += mult) {
    let s = dy[o + q]! * f[fb + q]!;
    for (let m = 1; m < mult; m++) s += dy[o + q + m]! * f[fb + q + m]!;
    dx[xb + c] += s;
  }
}

/** Backprop filter, multiplier > 1: `df[fb + c*M + m] += x[xb + c] * dy[o + c*M + m]`. */
function filterExpand(
  df: Float64Array, fb: number, x: Float32Array, xb: number, dy: Float32Array, o: number, inC: number, mult: number,
): void {
  for (let c = 0, q = 0; c < inC; c++) {
    const xv = x[xb + c]!;
    for (let m = 0; m < mult; m++, q++) df[fb + q] += xv * dy[o + q]!;
  }
}

/**
 * Depthwise 2-D convolution into `out [N, OH, OW, C * M]`.
 *
 * @example
 * const y = depthwiseConv2d(x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function depthwiseConv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): CpuData {
  const y = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array, fs = valuesOf(filter) as Float32Array;
  const { batch, inH, inW, inC, kH, kW, outH, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft } =
    convGeometry(x.shape, filter.shape, out.shape, attrs);
  const mult = filter.shape[3]!, width = inC * mult;
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
            const xb = (rowBase + kx * dilationW) * inC, fb = (ky * kW + kx) * width;
            if (mult === 1) multiplyAdd(y, o, xs, xb, fs, fb, inC);
            else forwardExpand(y, o, xs, xb, fs, fb, inC, mult);
          }
        }
      }
    }
  }
  return wrap(y);
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
  const dx = allocate(out) as Float32Array;
  const dys = valuesOf(dy) as Float32Array, fs = valuesOf(filter) as Float32Array;
  const { batch, inH, inW, inC, kH, kW, outH, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft } =
    convGeometry(out.shape, filter.shape, dy.shape, attrs);
  const mult = filter.shape[3]!, width = inC * mult;
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
            const xb = (rowBase + kx * dilationW) * inC, fb = (ky * kW + kx) * width;
            if (mult === 1) multiplyAdd(dx, xb, dys, o, fs, fb, inC);
            else inputReduce(dx, xb, dys, o, fs, fb, inC, mult);
          }
        }
      }
    }
  }
  return wrap(dx);
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
  const xs = valuesOf(x) as Float32Array, dys = valuesOf(dy) as Float32Array;
  const { batch, inH, inW, inC, kH, kW, outH, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft } =
    convGeometry(x.shape, out.shape, dy.shape, attrs);
  const mult = out.shape[3]!, width = inC * mult;
  const df = new Float64Array(result.length);
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
            const xb = (rowBase + kx * dilationW) * inC, fb = (ky * kW + kx) * width;
            if (mult === 1) multiplyAdd64(df, fb, xs, xb, dys, o, inC);
            else filterExpand(df, fb, xs, xb, dys, o, inC, mult);
          }
        }
      }
    }
  }
  result.set(df);
  return wrap(result);
}
