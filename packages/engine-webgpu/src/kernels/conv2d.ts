import type { Conv2DAttrs, OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { chooseTile, implicitGemmProgram, tilesOf } from './conv-gemm.js';
import { convGeometry } from '@strata/engine-api';
import { filterGemm, forwardGemm, inputGemm } from './conv-operands.js';
import { splitSum, withSplitSum } from './conv-split-sum.js';

/*
 * conv2d and its two gradients as implicit GEMMs (conv-gemm.ts): the patch matrix is gathered
 * tile by tile in workgroup memory and never written out, so memory traffic is that of the
 * tensors themselves.
 */

/**
 * 2-D convolution, channels-last: `x [N, H, W, C]` with `filter [KH, KW, C, OC]` into
 * `out [N, OH, OW, OC]`; padding taps read 0.
 *
 * @example
 * const y = conv2d(runtime, x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function conv2d(runtime: GpuRuntime, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): GpuData {
  if (sizeOf(out.shape) === 0) return runtime.allocate(out);
  const g = convGeometry(x.shape, filter.shape, out.shape, attrs);
  return runtime.run(implicitGemmProgram(forwardGemm(g)), [x, filter], [out])[0]!;
}

/**
 * Gradient of {@link conv2d} with respect to its input (a transposed convolution of `dy` with the
 * filter); `out` is the input's shape.
 *
 * @example
 * const dx = conv2dBackpropInput(runtime, dy, filter, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function conv2dBackpropInput(
  runtime: GpuRuntime, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo,
): GpuData {
  if (sizeOf(out.shape) === 0) return runtime.allocate(out);
  const g = convGeometry(out.shape, filter.shape, dy.shape, attrs);
  return runtime.run(implicitGemmProgram(inputGemm(g)), [dy, filter], [out])[0]!;
}

/**
 * Gradient of {@link conv2d} with respect to its filter (the correlation of `x` with `dy`);
 * `out` is the filter's shape. Long sums over the batch's pixels run in parallel chunks.
 *
 * @example
 * const df = conv2dBackpropFilter(runtime, x, dy, attrs, { shape: filter.shape, dtype: 'float32' });
 */
export function conv2dBackpropFilter(
  runtime: GpuRuntime, x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo,
): GpuData {
  const size = sizeOf(out.shape);
  if (size === 0) return runtime.allocate(out);
  const g = convGeometry(x.shape, out.shape, dy.shape, attrs);
  const tile = chooseTile(g.outC);
  const tiles = tilesOf(tile, g.kH * g.kW * g.inC, g.outC);
  const { splits, chunk } = splitSum(g.batch * g.outH * g.outW, tiles, size);
  return withSplitSum(runtime, out, splits, (partials) =>
    runtime.run(implicitGemmProgram({ ...filterGemm(g, splits, chunk), tile }), [x, dy], [partials])[0]!);
}
