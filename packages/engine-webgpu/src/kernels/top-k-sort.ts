import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import { wgslType } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d } from '../program.js';
import { groupGrid } from './reduce-wgsl.js';
import { bitonicStepsWgsl, rankWgsl, SORT_BLOCK } from './top-k-wgsl.js';

const WG = 256;

/**
 * topK for long rows and large k: each row, padded to a power of two N, is bitonic-sorted in
 * global scratch buffers. Blocks of 2048 are sorted in workgroup memory first; then for each
 * stage size 4096..N, strides >= 2048 run as one compare-exchange dispatch each and the strides
 * below run inside workgroups again. Then the first k of every row are copied out.
 * About log2(N/2048)^2 / 2 dispatches: fine for the rare rows that need it.
 *
 * @example
 * const [values, indices] = topKBySort(runtime, x, rows, 100_000, 5000, valuesInfo, indicesInfo);
 */
export function topKBySort(
  runtime: GpuRuntime, x: TensorInfo, rows: number, n: number, k: number, values: OutputInfo, indices: OutputInfo,
): [GpuData, GpuData] {
  let padded = SORT_BLOCK;
  while (padded < n) padded *= 2;
  const t = wgslType(x.dtype);
  const blocks = rows * (padded / SORT_BLOCK);
  const common = [['n', 'u32', n], ['padded', 'u32', padded], ['blocks', 'u32', blocks]] as const;
  const local = (mode: 'sort' | 'merge', load: string, store: string): string => /* wgsl */ `
${rankWgsl(t)}
var<workgroup> sv: array<${t}, ${SORT_BLOCK}>;
var<workgroup> si: array<i32, ${SORT_BLOCK}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nw.x;
  if (w >= u.blocks) { return; }
  let perRow = u.padded / ${SORT_BLOCK}u;
  let row = w / perRow;
  let gBase = (w % perRow) * ${SORT_BLOCK}u;
  for (var e = lid; e < ${SORT_BLOCK}u; e += ${WG}u) { ${load} }
  workgroupBarrier();
  ${bitonicStepsWgsl(SORT_BLOCK, WG, mode)}
  for (var e = lid; e < ${SORT_BLOCK}u; e += ${WG}u) { ${store} }
}`;
  const scratch: OutputInfo[] = [{ shape: [rows, padded], dtype: x.dtype }, { shape: [rows, padded], dtype: 'int32' }];
  const [sortedV, sortedI] = runtime.run({
    key: `topk-sort-blocks-${t}`,
    uniforms: common,
    workgroups: groupGrid(blocks),
    source: (header) => `${header}${local(
      'sort',
      `let p = gBase + e; if (p < u.n) { sv[e] = in0[row * u.n + p]; si[e] = i32(p); } else { sv[e] = ${t}(0); si[e] = -1; }`,
      'out0[row * u.padded + gBase + e] = sv[e]; out1[row * u.padded + gBase + e] = si[e];',
    )}`,
  }, [x], scratch);
  const targets: TensorInfo[] = [
    { dataId: sortedV!, shape: [rows, padded], dtype: x.dtype },
    { dataId: sortedI!, shape: [rows, padded], dtype: 'int32' },
  ];
  const pairs = rows * (padded / 2);
  for (let size = SORT_BLOCK * 2; size <= padded; size *= 2) {
    for (let stride = size / 2; stride >= SORT_BLOCK; stride /= 2) {
      runtime.runInPlace({
        key: `topk-sort-global-${t}`,
        uniforms: [...common, ['pairs', 'u32', pairs], ['size', 'u32', size], ['stride', 'u32', stride]],
        workgroups: grid1d(pairs),
        source: (header) => /* wgsl */ `${header}
${rankWgsl(t)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let p = flatIndex(g, nw, 64u);
  if (p >= u.pairs) { return; }
  let halfRow = u.padded / 2u;
  let row = p / halfRow;
  let q = p % halfRow;
  let i = 2u * u.stride * (q / u.stride) + q % u.stride;
  let a = row * u.padded + i;
  let b = a + u.stride;
  let va = out0[a];
  let ia = out1[a];
  let vb = out0[b];
  let ib = out1[b];
  var swap = false;
  if ((i & u.size) == 0u) { swap = above(vb, ib, va, ia); } else { swap = above(va, ia, vb, ib); }
  if (swap) {
    out0[a] = vb;
    out1[a] = ib;
    out0[b] = va;
    out1[b] = ia;
  }
}`,
      }, [], targets);
    }
    runtime.runInPlace({
      key: `topk-sort-merge-${t}`,
      uniforms: [...common, ['size', 'u32', size]],
      workgroups: groupGrid(blocks),
      source: (header) => `${header}${local(
        'merge',
        'sv[e] = out0[row * u.padded + gBase + e]; si[e] = out1[row * u.padded + gBase + e];',
        'out0[row * u.padded + gBase + e] = sv[e]; out1[row * u.padded + gBase + e] = si[e];',
      )}`,
    }, [], targets);
  }
  const [v, i] = runtime.run({
    key: 'topk-sort-take',
    uniforms: [['total', 'u32', rows * k], ['k', 'u32', k], ['padded', 'u32', padded]],
    workgroups: grid1d(rows * k),
    source: (header) => /* wgsl */ `${header}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let e = flatIndex(g, nw, 64u);
  if (e >= u.total) { return; }
  let src = (e / u.k) * u.padded + e % u.k;
  out0[e] = in0[src];
  out1[e] = in1[src];
}`,
  }, targets, [values, indices]);
  runtime.release(sortedV!);
  runtime.release(sortedI!);
  return [v!, i!];
}
