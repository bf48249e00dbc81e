import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import { wgslType } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { groupGrid } from './reduce-wgsl.js';
import { topKBySort } from './top-k-sort.js';
import { bitonicStepsWgsl, rankWgsl, SORT_BLOCK } from './top-k-wgsl.js';

/**
 * The `k` largest entries along the last axis, largest first; ties go to the lower index and NaN
 * ranks above every number (the CPU engine's order). Returns `[values, indices]`, indices int32.
 *
 * Rows of up to 2048 entries: one workgroup per row sorts it in workgroup memory (bitonic) and
 * keeps the first k. Longer rows with k <= 1024: a tournament — workgroups sort 2048-entry
 * segments and keep each one's top k, then workgroups merge groups of those candidate lists (as
 * many as fit in 2048 entries) until one list per row remains. Longer rows with a larger k: a
 * full bitonic sort of each row in global memory (`topKBySort`).
 *
 * @example
 * const [values, indices] = topK(runtime, x, 2, { shape: [3, 2], dtype: 'float32' }, { shape: [3, 2], dtype: 'int32' });
 */
export function topK(runtime: GpuRuntime, x: TensorInfo, k: number, values: OutputInfo, indices: OutputInfo): [GpuData, GpuData] {
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
  const rows = n === 0 ? 0 : sizeOf(x.shape) / n;
  if (k === 0 || rows === 0) return [runtime.allocate(values), runtime.allocate(indices)];
  if (n > SORT_BLOCK && k > SORT_BLOCK / 2) return topKBySort(runtime, x, rows, n, k, values, indices);

  // First pass: segments of the row itself (indices are positions in the row).
  let segments = Math.ceil(n / SORT_BLOCK);
  let current = selectPass(runtime, { values: x, indices: null }, rows, n, Math.min(n, SORT_BLOCK), k, segments === 1 ? [values, indices] : null);
  // Later passes: each candidate row holds `segments` lists of k; merge `group` lists per workgroup.
  const group = Math.floor(SORT_BLOCK / k);
  while (segments > 1) {
    const shape = [rows, segments * k];
    const input = { values: { dataId: current[0], shape, dtype: x.dtype }, indices: { dataId: current[1], shape, dtype: 'int32' as const } };
    const next = Math.ceil(segments / group);
    const result = selectPass(runtime, input, rows, segments * k, group * k, k, next === 1 ? [values, indices] : null);
    runtime.release(current[0]);
    runtime.release(current[1]);
    current = result;
    segments = next;
  }
  return current;
}

/**
 * One workgroup per (row, segment of `segment` entries): load the segment (padding to a power of
 * two), sort it, write its first k. Writes `final` (`[rows, k]`) or candidates
 * `[rows, segments * k]`.
 */
function selectPass(
  runtime: GpuRuntime, input: { values: TensorInfo; indices: TensorInfo | null }, rows: number, rowLength: number,
  segment: number, k: number, final: [OutputInfo, OutputInfo] | null,
): [GpuData, GpuData] {
  const segments = Math.ceil(rowLength / segment);
  const block = nextPow2(segment);
  const wg = Math.max(1, Math.min(256, block / 2));
  const t = wgslType(input.values.dtype);
  const outputs: OutputInfo[] = final ?? [
    { shape: [rows, segments * k], dtype: input.values.dtype },
    { shape: [rows, segments * k], dtype: 'int32' },
  ];
  const explicit = input.indices !== null;
  const [v, i] = runtime.run({
    key: `topk-select-${t}-${block}-${explicit}`,
    uniforms: [['groups', 'u32', rows * segments], ['segments', 'u32', segments], ['rowLength', 'u32', rowLength], ['segment', 'u32', segment], ['k', 'u32', k]],
    workgroups: groupGrid(rows * segments),
    source: (header) => /* wgsl */ `${header}
${rankWgsl(t)}
var<workgroup> sv: array<${t}, ${block}>;
var<workgroup> si: array<i32, ${block}>;

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nw.x;
  if (w >= u.groups) { return; }
  let row = w / u.segments;
  let start = (w % u.segments) * u.segment;
  let count = min(u.segment, u.rowLength - start);
  let base = row * u.rowLength + start;
  for (var e = lid; e < ${block}u; e += ${wg}u) {
    if (e < count) {
      sv[e] = in0[base + e];
      si[e] = ${explicit ? 'in1[base + e]' : 'i32(start + e)'};
    } else {
      sv[e] = ${t}(0);
      si[e] = -1;
    }
  }
  workgroupBarrier();
  let gBase = 0u;
  ${bitonicStepsWgsl(block, wg, 'sort')}
  for (var e = lid; e < u.k; e += ${wg}u) {
    out0[w * u.k + e] = sv[e];
    out1[w * u.k + e] = si[e];
  }
}`,
  }, explicit ? [input.values, input.indices!] : [input.values], outputs);
  return [v!, i!];
}

/**
 * The smallest power of two >= n (1 for n <= 1).
 *
 * @example
 * nextPow2(40); // 64
 */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
