import type { Conv2DAttrs, OutputInfo, TensorInfo } from '@strata/engine-api';
import { convGeometry } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';
import { gemm } from './gemm-core.js';
import {
  col2im, im2col, im2colChunkRows, im2colIsIdentity, im2colScratch,
} from './im2col.js';

/**
 * 2-D convolution, channels-last: `x [N, H, W, C]` with `filter [KH, KW, C, OC]` into
 * `out [N, OH, OW, OC]`. Lowered to GEMM over chunks of the patch matrix (im2col), so the
 * scratch stays cache-sized whatever the batch.
 *
 * @example
 * const y = conv2d(x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function conv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array, fs = valuesOf(filter) as Float32Array;
  const g = convGeometry(x.shape, filter.shape, out.shape, attrs);
  const outC = out.shape[3]!;
  const patch = g.kH * g.kW * g.inC;
  const rows = g.batch * g.outH * g.outW;
  const weights = { data: fs, offset: 0, rowStride: outC, colStride: 1 };
  if (im2colIsIdentity(g)) {
    gemm(rows, outC, patch, { data: xs, offset: 0, rowStride: patch, colStride: 1 }, weights, result, 0, outC, false);
    return wrap(result);
  }
  const chunk = im2colChunkRows(g);
  const cols = im2colScratch(chunk * patch);
  for (let r = 0; r < rows; r += chunk) {
    const count = Math.min(chunk, rows - r);
    im2col(xs, g, r, count, cols);
    gemm(count, outC, patch, { data: cols, offset: 0, rowStride: patch, colStride: 1 }, weights, result, r * outC, outC, false);
  }
  return wrap(result);
}

/**
 * Gradient of {@link conv2d} with respect to its input: `dcols = dy @ filter^T` per chunk of
 * output pixels, scattered back with col2im. `out` is the input's shape.
 *
 * @example
 * const dx = conv2dBackpropInput(dy, filter, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const dys = valuesOf(dy) as Float32Array, fs = valuesOf(filter) as Float32Array;
  const g = convGeometry(out.shape, filter.shape, dy.shape, attrs);
  const outC = dy.shape[3]!;
  const patch = g.kH * g.kW * g.inC;
  const rows = g.batch * g.outH * g.outW;
  const weightsT = { data: fs, offset: 0, rowStride: 1, colStride: outC };
  if (im2colIsIdentity(g)) {
    gemm(rows, patch, outC, { data: dys, offset: 0, rowStride: outC, colStride: 1 }, weightsT, result, 0, patch, false);
    return wrap(result);
  }
  const chunk = im2colChunkRows(g);
  const cols = im2colScratch(chunk * patch);
  for (let r = 0; r < rows; r += chunk) {
    const count = Math.min(chunk, rows - r);
    gemm(count, patch, outC, { data: dys, offset: r * outC, rowStride: outC, colStride: 1 }, weightsT, cols, 0, patch, false);
    col2im(cols, g, r, count, result);
  }
  return wrap(result);
}

/**
 * Gradient of {@link conv2d} with respect to its filter: `dfilter = im2col(x)^T @ dy`,
 * accumulated over chunks of output pixels. `out` is the filter's shape.
 *
 * @example
 * const df = conv2dBackpropFilter(x, dy, attrs, { shape: filter.shape, dtype: 'float32' });
 */
export function conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array, dys = valuesOf(dy) as Float32Array;
  const g = convGeometry(x.shape, out.shape, dy.shape, attrs);
  const outC = dy.shape[3]!;
  const patch = g.kH * g.kW * g.inC;
  const rows = g.batch * g.outH * g.outW;
  if (im2colIsIdentity(g)) {
    gemm(patch, outC, rows, { data: xs, offset: 0, rowStride: 1, colStride: patch },
      { data: dys, offset: 0, rowStride: outC, colStride: 1 }, result, 0, outC, false);
    return wrap(result);
  }
  const chunk = im2colChunkRows(g);
  const cols = im2colScratch(chunk * patch);
  for (let r = 0; r < rows; r += chunk) {
    const count = Math.min(chunk, rows - r);
    im2col(xs, g, r, count, cols);
    gemm(patch, outC, count, { data: cols, offset: 0, rowStride: 1, colStride: patch },
      { data: dys, offset: r * outC, rowStride: outC, colStride: 1 }, result, 0, outC, r > 0);
  }
  return wrap(result);
}
