import type { Conv2DAttrs, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';
import { convGeometry, type ConvGeometry } from './im2col.js';

/** Float64 accumulators reused across calls: one output pixel's (or one filter's) worth. */
let accumulators = new Float64Array(0);

function accumulatorScratch(size: number): Float64Array {
  if (accumulators.length < size) accumulators = new Float64Array(Math.max(size, accumulators.length * 2));
  return accumulators;
}

/** First and one-past-last kernel taps along one axis whose input coordinate is in range. */
function tapRange(origin: number, dilation: number, taps: number, extent: number): [number, number] {
  let lo = 0;
  while (lo < taps && origin + lo * dilation < 0) lo++;
  let hi = taps;
  while (hi > lo && origin + (hi - 1) * dilation >= extent) hi--;
  return [lo, hi];
}

/**
 * Depthwise 2-D convolution, channels-last: `x [N, H, W, C]` with `filter [KH, KW, C, M]` into
 * `out [N, OH, OW, C * M]`, output channel `c * M + m`.
 *
 * @example
 * const y = depthwiseConv2d(x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function depthwiseConv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array, fs = valuesOf(filter) as Float32Array;
  const g = convGeometry(x.shape, filter.shape[0]!, filter.shape[1]!, out.shape, attrs);
  const mult = filter.shape[3]!;
  const width = g.inC * mult;
  const acc = accumulatorScratch(width);
  forEachPixelTap(g, (o, ky0, ky1, kx0, kx1, iy0, ix0, image) => {
    acc.fill(0, 0, width);
    for (let ky = ky0; ky < ky1; ky++) {
      const rowBase = (image + iy0 + ky * g.dilationH) * g.inW;
      for (let kx = kx0; kx < kx1; kx++) {
        const xb = (rowBase + ix0 + kx * g.dilationW) * g.inC;
        const fb = (ky * g.kW + kx) * width;
        if (mult === 1) {
          for (let c = 0; c < width; c++) acc[c] += xs[xb + c]! * fs[fb + c]!;
        } else {
          for (let c = 0, q = 0; c < g.inC; c++) {
            const xv = xs[xb + c]!;
            for (let m = 0; m < mult; m++, q++) acc[q] += xv * fs[fb + q]!;
          }
        }
      }
    }
    const ob = o * width;
    for (let q = 0; q < width; q++) result[ob + q] = acc[q]!;
  });
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
  const dys = valuesOf(dy) as Float32Array, fs = valuesOf(filter) as Float32Array;
  const g = convGeometry(out.shape, filter.shape[0]!, filter.shape[1]!, dy.shape, attrs);
  const mult = filter.shape[3]!;
  const width = g.inC * mult;
  forEachPixelTap(g, (o, ky0, ky1, kx0, kx1, iy0, ix0, image) => {
    const ob = o * width;
    for (let ky = ky0; ky < ky1; ky++) {
      const rowBase = (image + iy0 + ky * g.dilationH) * g.inW;
      for (let kx = kx0; kx < kx1; kx++) {
        const xb = (rowBase + ix0 + kx * g.dilationW) * g.inC;
        const fb = (ky * g.kW + kx) * width;
        if (mult === 1) {
          for (let c = 0; c < width; c++) result[xb + c] += dys[ob + c]! * fs[fb + c]!;
        } else {
          for (let c = 0, q = 0; c < g.inC; c++) {
            let s = 0;
            for (let m = 0; m < mult; m++, q++) s += dys[ob + q]! * fs[fb + q]!;
            result[xb + c] += s;
          }
        }
      }
    }
  });
  return wrap(result);
}

/**
 * Gradient of {@link depthwiseConv2d} with respect to its filter; `out` is the filter's shape.
 *
 * @example
 * const df = depthwiseConv2dBackpropFilter(x, dy, attrs, { shape: filter.shape, dtype: 'float32' });
 */
export function depthwiseConv2dBackpropFilter(
  x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo,
): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array, dys = valuesOf(dy) as Float32Array;
  const g = convGeometry(x.shape, out.shape[0]!, out.shape[1]!, dy.shape, attrs);
  const mult = out.shape[3]!;
  const width = g.inC * mult;
  const acc = accumulatorScratch(result.length);
  acc.fill(0, 0, result.length);
  forEachPixelTap(g, (o, ky0, ky1, kx0, kx1, iy0, ix0, image) => {
    const ob = o * width;
    for (let ky = ky0; ky < ky1; ky++) {
      const rowBase = (image + iy0 + ky * g.dilationH) * g.inW;
      for (let kx = kx0; kx < kx1; kx++) {
        const xb = (rowBase + ix0 + kx * g.dilationW) * g.inC;
        const fb = (ky * g.kW + kx) * width;
        if (mult === 1) {
          for (let c = 0; c < width; c++) acc[fb + c] += xs[xb + c]! * dys[ob + c]!;
        } else {
          for (let c = 0, q = 0; c < g.inC; c++) {
            const xv = xs[xb + c]!;
            for (let m = 0; m < mult; m++, q++) acc[fb + q] += xv * dys[ob + q]!;
          }
        }
      }
    }
  });
  for (let i = 0; i < result.length; i++) result[i] = acc[i]!;
  return wrap(result);
}

/**
 * Visits every output pixel `o` (flat index over `[N, OH, OW]`) with the range of kernel taps that
 * land inside the input, so the inner loops never test bounds.
 */
function forEachPixelTap(
  g: ConvGeometry,
  visit: (o: number, ky0: number, ky1: number, kx0: number, kx1: number, iy0: number, ix0: number, image: number) => void,
): void {
  let o = 0;
  for (let n = 0; n < g.batch; n++) {
    const image = n * g.inH;
    for (let oy = 0; oy < g.outH; oy++) {
      const iy0 = oy * g.strideH - g.padTop;
      const [ky0, ky1] = tapRange(iy0, g.dilationH, g.kH, g.inH);
      for (let ox = 0; ox < g.outW; ox++, o++) {
        const ix0 = ox * g.strideW - g.padLeft;
        const [kx0, kx1] = tapRange(ix0, g.dilationW, g.kW, g.inW);
        visit(o, ky0, ky1, kx0, kx1, iy0, ix0, image);
      }
    }
  }
}
