import type { Conv2DAttrs, OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d } from '../program.js';
import { convGeometry } from '@strata/engine-api';
import { geometryUniforms } from './conv-geometry.js';
import { splitSum, withSplitSum } from './conv-split-sum.js';

/*
 * Depthwise convolution, channels-last: `x [N, H, W, C]`, `filter [KH, KW, C, M]`, output channel
 * `q = c * M + m`. Each output channel reads one input channel, so there is no reuse for a GEMM
 * to exploit: the forward and input-gradient kernels run one thread per output element, with
 * neighbouring threads on neighbouring channels (coalesced reads). Taps outside the input are
 * skipped, in row-major tap order, as the CPU engine sums them.
 */

/**
 * Depthwise 2-D convolution into `out [N, OH, OW, C * M]`.
 *
 * @example
 * const y = depthwiseConv2d(runtime, x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function depthwiseConv2d(runtime: GpuRuntime, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): GpuData {
  const size = sizeOf(out.shape);
  const g = convGeometry(x.shape, filter.shape, out.shape, attrs);
  return runtime.run({
    key: 'depthwiseConv2d',
    uniforms: [...geometryUniforms(g), ['M', 'u32', filter.shape[3]!], ['size', 'u32', size]],
    workgroups: grid1d(size),
    source: (header) => /* wgsl */ `${header}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw, 64u);
  if (i >= u.size) { return; }
  let q = i % u.OC; var t = i / u.OC;
  let ox = t % u.OW; t = t / u.OW;
  let oy = t % u.OH; let n = t / u.OH;
  let ch = q / u.M;
  let iy0 = i32(oy * u.sh) - u.pt; let ix0 = i32(ox * u.sw) - u.pl;
  var s = 0.0;
  for (var ky = 0u; ky < u.KH; ky++) {
    let iy = iy0 + i32(ky * u.dh);
    if (u32(iy) >= u.H) { continue; }
    for (var kx = 0u; kx < u.KW; kx++) {
      let ix = ix0 + i32(kx * u.dw);
      if (u32(ix) >= u.W) { continue; }
      s += in0[((n * u.H + u32(iy)) * u.W + u32(ix)) * u.C + ch] * in1[(ky * u.KW + kx) * u.OC + q];
    }
  }
  out0[i] = s;
}`,
  }, [x, filter], [out])[0]!;
}

/**
 * Gradient of {@link depthwiseConv2d} with respect to its input; `out` is the input's shape. One
 * thread per input element visits only the taps whose stride arithmetic lands on it.
 *
 * @example
 * const dx = depthwiseConv2dBackpropInput(runtime, dy, filter, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function depthwiseConv2dBackpropInput(
  runtime: GpuRuntime, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo,
): GpuData {
  const size = sizeOf(out.shape);
  const g = convGeometry(out.shape, filter.shape, dy.shape, attrs);
  return runtime.run({
    key: 'depthwiseConv2dBackpropInput',
    uniforms: [...geometryUniforms(g), ['M', 'u32', filter.shape[3]!], ['size', 'u32', size]],
    workgroups: grid1d(size),
    source: (header) => /* wgsl */ `${header}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw, 64u);
  if (i >= u.size) { return; }
  let ch = i % u.C; var t = i / u.C;
  let ix = t % u.W; t = t / u.W;
  let iy = t % u.H; let n = t / u.H;
  var s = 0.0;
  for (var ky = 0u; ky < u.KH; ky++) {
    // oy * sh = iy + pt - ky * dh must be a multiple of the stride inside the output.
    let ny = i32(iy) + u.pt - i32(ky * u.dh);
    if (ny < 0 || ny % i32(u.sh) != 0) { continue; }
    let oy = u32(ny) / u.sh;
    if (oy >= u.OH) { continue; }
    for (var kx = 0u; kx < u.KW; kx++) {
      let nx = i32(ix) + u.pl - i32(kx * u.dw);
      if (nx < 0 || nx % i32(u.sw) != 0) { continue; }
      let ox = u32(nx) / u.sw;
      if (ox >= u.OW) { continue; }
      let dyBase = ((n * u.OH + oy) * u.OW + ox) * u.OC + ch * u.M;
      let fBase = (ky * u.KW + kx) * u.OC + ch * u.M;
      for (var m = 0u; m < u.M; m++) { s += in0[dyBase + m] * in1[fBase + m]; }
    }
  }
  out0[i] = s;
}`,
  }, [dy, filter], [out])[0]!;
}

/**
 * Gradient of {@link depthwiseConv2d} with respect to its filter; `out` is the filter's shape.
 * Workgroups take (a run of 64 output channels, one tap, one chunk of the batch's pixels); the
 * chunks' partial sums are added afterwards (conv-split-sum.ts).
 *
 * @example
 * const df = depthwiseConv2dBackpropFilter(runtime, x, dy, attrs, { shape: filter.shape, dtype: 'float32' });
 */
export function depthwiseConv2dBackpropFilter(
  runtime: GpuRuntime, x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo,
): GpuData {
  const size = sizeOf(out.shape);
  if (size === 0) return runtime.allocate(out);
  const g = convGeometry(x.shape, out.shape, dy.shape, attrs);
  const pixels = g.batch * g.outH * g.outW;
  const groupsX = Math.ceil(g.outC / 64);
  const taps = g.kH * g.kW;
  const { splits, chunk } = splitSum(pixels, groupsX * taps, size);
  return withSplitSum(runtime, out, splits, (partials) => runtime.run({
    key: 'depthwiseConv2dBackpropFilter',
    uniforms: [
      ...geometryUniforms(g), ['M', 'u32', out.shape[3]!], ['P', 'u32', pixels], ['chunk', 'u32', chunk], ['size', 'u32', size],
    ],
    workgroups: [groupsX, taps, splits],
    source: (header) => /* wgsl */ `${header}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(workgroup_id) wg: vec3u) {
  let q = gid.x;
  if (q >= u.OC) { return; }
  let tap = wg.y;
  let dy = i32((tap / u.KW) * u.dh); let dx = i32((tap % u.KW) * u.dw);
  let ch = q / u.M;
  let begin = wg.z * u.chunk; let end = min(u.P, begin + u.chunk);
  var s = 0.0;
  for (var p = begin; p < end; p++) {
    let ox = p % u.OW; let t = p / u.OW;
    let oy = t % u.OH; let n = t / u.OH;
    let iy = i32(oy * u.sh) - u.pt + dy; let ix = i32(ox * u.sw) - u.pl + dx;
    if (u32(iy) >= u.H || u32(ix) >= u.W) { continue; }
    s += in0[((n * u.H + u32(iy)) * u.W + u32(ix)) * u.C + ch] * in1[p * u.OC + q];
  }
  out0[wg.z * u.size + tap * u.OC + q] = s;
}`,
  }, [x, dy], [partials])[0]!);
}
