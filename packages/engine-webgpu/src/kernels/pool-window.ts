import type { Pool2DAttrs, Shape } from '@strata/engine-api';
import type { Uniform } from '../program.js';

/**
 * Uniforms of a pooling with input `xShape` and output `outShape` (`[N, H, W, C]` and
 * `[N, OH, OW, C]`), plus `size`, the number of threads (`sizeOf(threadShape)`).
 *
 * @example
 * poolUniforms([1, 4, 4, 1], [1, 2, 2, 1], attrs, 4);
 */
export function poolUniforms(xShape: Shape, outShape: Shape, attrs: Pool2DAttrs, size: number): Uniform[] {
  return [
    ['N', 'u32', xShape[0]!], ['H', 'u32', xShape[1]!], ['W', 'u32', xShape[2]!], ['C', 'u32', xShape[3]!],
    ['OH', 'u32', outShape[1]!], ['OW', 'u32', outShape[2]!],
    ['KH', 'u32', attrs.windowSize[0]], ['KW', 'u32', attrs.windowSize[1]],
    ['sh', 'u32', attrs.strides[0]], ['sw', 'u32', attrs.strides[1]],
    ['pt', 'u32', attrs.pad.top], ['pl', 'u32', attrs.pad.left],
    ['size', 'u32', size],
  ];
}

/**
 * WGSL helpers of the pooling kernels: the real (non-padded) cells of an output's window, the
 * outputs whose windows cover an input cell, and a NaN test on bits (comparisons may not honour
 * NaN after the shader compiler is done with them).
 *
 * @example
 * const source = `${header}${POOL_WGSL} ...`;
 */
export const POOL_WGSL = /* wgsl */ `
// Half-open range of input cells [lo, hi) that output o's window covers along one axis.
fn windowCells(o: u32, s: u32, pad: u32, k: u32, extent: u32) -> vec2u {
  let start = o * s;
  let lo = max(start, pad) - pad;
  // max(.., pad) keeps a window that ends inside the padding from wrapping below zero.
  let hi = max(min(start + k, extent + pad), pad) - pad;
  return vec2u(lo, max(lo, hi));
}
// Half-open range of outputs [lo, hi) whose windows cover input cell i along one axis.
fn coveringOutputs(i: u32, s: u32, pad: u32, k: u32, outExtent: u32) -> vec2u {
  let at = i + pad;
  var lo = 0u;
  if (at + 1u > k) { lo = (at + 1u - k + s - 1u) / s; }
  let hi = min(outExtent, at / s + 1u);
  return vec2u(lo, max(lo, hi));
}
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
`;
