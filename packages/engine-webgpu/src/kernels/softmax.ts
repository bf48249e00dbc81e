import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d } from '../program.js';
import { groupGrid, IS_NAN_WGSL } from './reduce-wgsl.js';

/** Rows up to this long get one thread each; longer ones a workgroup. */
const THREAD_ROW_MAX = 32;

/**
 * Softmax over the last axis: `exp(x - max) / sum(exp(x - max))`, stable for large inputs; a
 * NaN anywhere in a row makes the whole row NaN (as on the CPU engine).
 *
 * @example
 * const y = softmax(runtime, x, { shape: x.shape, dtype: 'float32' });
 */
export function softmax(runtime: GpuRuntime, x: TensorInfo, out: OutputInfo): GpuData {
  return rowSoftmax(runtime, x, out, false);
}

/**
 * Log-softmax over the last axis: `x - max - log(sum(exp(x - max)))`; NaN spreads to its row.
 *
 * @example
 * const y = logSoftmax(runtime, x, { shape: x.shape, dtype: 'float32' });
 */
export function logSoftmax(runtime: GpuRuntime, x: TensorInfo, out: OutputInfo): GpuData {
  return rowSoftmax(runtime, x, out, true);
}

/**
 * Short rows: one thread per row. Long rows: one workgroup per row, the maximum and then the sum
 * of exponentials each folded by a tree in workgroup memory; threads stride over the row, so reads
 * are coalesced.
 */
function rowSoftmax(runtime: GpuRuntime, x: TensorInfo, out: OutputInfo, log: boolean): GpuData {
  const size = sizeOf(x.shape);
  const d = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
  const rows = d === 0 ? 0 : size / d;
  const uniforms = [['rows', 'u32', rows], ['d', 'u32', d]] as const;
  const write = log ? 'out0[i] = in0[i] - shift;' : 'out0[i] = exp(in0[i] - m) * inv;';
  const finish = log ? 'let shift = m + log(s);' : 'let inv = 1.0 / s;';
  if (d <= THREAD_ROW_MAX) {
    const [y] = runtime.run({
      key: `softmax-thread-${log}`,
      uniforms,
      workgroups: grid1d(rows),
      source: (header) => /* wgsl */ `${header}
${IS_NAN_WGSL}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let row = flatIndex(g, nw, 64u);
  if (row >= u.rows) { return; }
  let start = row * u.d;
  let end = start + u.d;
  var m = in0[start];
  for (var i = start + 1u; i < end && !isNan(m); i++) {
    let v = in0[i];
    if (isNan(v) || v > m) { m = v; }
  }
  if (isNan(m)) {
    for (var i = start; i < end; i++) { out0[i] = m; }
    return;
  }
  var s = 0.0;
  for (var i = start; i < end; i++) { s += exp(in0[i] - m); }
  ${finish}
  for (var i = start; i < end; i++) { ${write} }
}`,
    }, [x], [out]);
    return y!;
  }
  const wg = d >= 2048 ? 256 : 64;
  const [y] = runtime.run({
    key: `softmax-wg${wg}-${log}`,
    uniforms,
    workgroups: groupGrid(rows),
    source: (header) => /* wgsl */ `${header}
${IS_NAN_WGSL}
var<workgroup> part: array<f32, ${wg}>;

fn maxNan(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return select(a, b, b > a);
}

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nw.x;
  if (row >= u.rows) { return; }
  let start = row * u.d;
  let end = start + u.d;
  var m = in0[start];
  for (var i = start + lid; i < end; i += ${wg}u) { m = maxNan(m, in0[i]); }
  part[lid] = m;
  workgroupBarrier();
  for (var k = ${wg / 2}u; k > 0u; k >>= 1u) {
    if (lid < k) { part[lid] = maxNan(part[lid], part[lid + k]); }
    workgroupBarrier();
  }
  // A uniform load (with barriers), so the early return below keeps barriers in uniform flow
  // and the slots can be reused for the sum.
  m = workgroupUniformLoad(&part[0]);
  if (isNan(m)) {
    for (var i = start + lid; i < end; i += ${wg}u) { out0[i] = m; }
    return;
  }
  var s = 0.0;
  for (var i = start + lid; i < end; i += ${wg}u) { s += exp(in0[i] - m); }
  part[lid] = s;
  workgroupBarrier();
  for (var k = ${wg / 2}u; k > 0u; k >>= 1u) {
    if (lid < k) { part[lid] = part[lid] + part[lid + k]; }
    workgroupBarrier();
  }
  s = part[0];
  ${finish}
  for (var i = start + lid; i < end; i += ${wg}u) { ${write} }
}`,
  }, [x], [out]);
  return y!;
}
