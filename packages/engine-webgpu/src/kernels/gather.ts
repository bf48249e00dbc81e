import type { OutputInfo, Shape, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { wgslType, type GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader } from '../program.js';
import { scatterAddBySegments } from './gather-segments.js';

/**
 * Up to this many indices, scatterAdd scans them all from every output element (one dispatch);
 * beyond it, sorting the indices into segments first (five small dispatches) is cheaper.
 */
const DIRECT_SCATTER_MAX_INDICES = 32;

/**
 * `[outer, len, inner]` around `axis`: dims before it, the axis, dims after it.
 *
 * @example
 * splitAtAxis([2, 3, 4], 1); // [2, 3, 4]
 */
export function splitAtAxis(shape: Shape, axis: number): [number, number, number] {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return [outer, shape[axis]!, inner];
}

/**
 * Takes slices of `x` along `axis` at `indices` (int32, any shape):
 * `out.shape = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`. One thread per output
 * element; threads of one slice read consecutive addresses. Core checks the range only where it
 * can read synchronously, so out-of-range indices are clamped here: their values are unspecified,
 * but nothing outside `x` is read.
 *
 * @example
 * // rows 2, 0, 2 of a matrix
 * const y = gather(runtime, x, idx, 0, { shape: [3, x.shape[1]], dtype: x.dtype });
 */
export function gather(runtime: GpuRuntime, x: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): GpuData {
  const [, len, inner] = splitAtAxis(x.shape, axis);
  const m = sizeOf(indices.shape);
  const size = sizeOf(out.shape);
  const [y] = runtime.run({
    key: 'gather',
    uniforms: [['size', 'u32', size], ['len', 'u32', len], ['m', 'u32', m], ['inner', 'u32', inner]],
    workgroups: grid1d(size, 256),
    source: (header) => perElementShader(header, /* wgsl */ `
let j = i % u.inner;
let rest = i / u.inner;
let q = rest % u.m;
let o = rest / u.m;
let r = u32(clamp(in1[q], 0, max(i32(u.len) - 1, 0)));
out0[i] = in0[(o * u.len + r) * u.inner + j];`, { workgroupSize: 256 }),
  }, [x, indices], [out]);
  return y!;
}

/**
 * The adjoint of `gather`: zeros of `out.shape`, then each slice of `updates` (shaped like a
 * gather result) added at its index along `axis`; repeated indices accumulate.
 *
 * WGSL has no float atomics, and results must not change from run to run, so no thread adds into
 * another's output: each output element sums the updates aimed at it, in ascending index order,
 * which is the CPU engine's order (the same numbers, bit for bit). With few indices every output
 * element scans them all (cost: output size x indices); otherwise the indices are first sorted
 * into per-row segments (see `scatterAddBySegments`). Out-of-range indices are ignored.
 *
 * @example
 * // gradient of an embedding lookup: rows of dy summed into a [vocab, dim] table
 * const dTable = scatterAdd(runtime, dy, ids, 0, { shape: [vocab, dim], dtype: 'float32' });
 */
export function scatterAdd(runtime: GpuRuntime, updates: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): GpuData {
  const [outer, len, inner] = splitAtAxis(out.shape, axis);
  const m = sizeOf(indices.shape);
  if (m > DIRECT_SCATTER_MAX_INDICES && sizeOf(out.shape) > 0) {
    return scatterAddBySegments(runtime, updates, indices, [outer, len, inner], out);
  }
  const size = sizeOf(out.shape);
  const type = wgslType(out.dtype);
  const [y] = runtime.run({
    key: `scatter-add-direct:${type}`,
    uniforms: [['size', 'u32', size], ['len', 'u32', len], ['m', 'u32', m], ['inner', 'u32', inner]],
    workgroups: grid1d(size, 256),
    source: (header) => /* wgsl */ `${header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = flatIndex(g, nw, 256u);
  if (t >= u.size) { return; }
  let j = t % u.inner;
  let rest = t / u.inner;
  let r = i32(rest % u.len);
  let o = rest / u.len;
  var acc = ${type}(0);
  for (var i = 0u; i < u.m; i++) {
    if (in1[i] == r) { acc += in0[(o * u.m + i) * u.inner + j]; }
  }
  out0[t] = acc;
}`,
  }, [updates, indices], [out]);
  return y!;
}
