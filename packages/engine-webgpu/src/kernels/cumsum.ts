import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import { wgslType } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d } from '../program.js';
import { groupGrid } from './reduce-wgsl.js';

/** Elements each thread scans in the workgroup scan. */
const ITEMS = 4;

/**
 * Cumulative sum along `axis`, optionally exclusive (each output leaves out its own element) and
 * reversed (summing from the end). Every line along the axis is scanned independently:
 * - short lines, or many strided lines (the axis is not innermost): one thread per line, a plain
 *   running sum (neighbouring threads read neighbouring addresses);
 * - otherwise one workgroup per block of `256 * 4` elements of a line: a coalesced load into
 *   workgroup memory, a scan there, a coalesced store. Lines longer than a block first get each
 *   block's total (one pass), an exclusive scan of those totals (recursively), then the block scans
 *   start from their offsets.
 * float32 sums run in f32 (the CPU engine uses float64); int32 wraps like the CPU engine's.
 *
 * @example
 * const y = cumsum(runtime, x, 0, false, false, { shape: x.shape, dtype: x.dtype });
 */
export function cumsum(runtime: GpuRuntime, x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean, out: OutputInfo): GpuData {
  const shape = x.shape;
  const len = shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const lines = len === 0 ? 0 : sizeOf(shape) / len;
  const t = wgslType(x.dtype);
  const uniforms = [['lines', 'u32', lines], ['len', 'u32', len], ['inner', 'u32', inner]] as const;
  // Logical position k of line l, counted from the end when reversed.
  const addressWgsl = /* wgsl */ `
fn address(line: u32, k: u32) -> u32 {
  let base = (line / u.inner) * u.len * u.inner + line % u.inner;
  ${reverse ? 'return base + (u.len - 1u - k) * u.inner;' : 'return base + k * u.inner;'}
}`;

  if (len <= 32 || (inner > 1 && lines >= 8192)) {
    const [y] = runtime.run({
      key: `cumsum-thread-${t}-${exclusive}-${reverse}`,
      uniforms,
      workgroups: grid1d(lines),
      source: (header) => /* wgsl */ `${header}
${addressWgsl}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let line = flatIndex(g, nw, 64u);
  if (line >= u.lines) { return; }
  var sum = ${t}(0);
  for (var k = 0u; k < u.len; k++) {
    let i = address(line, k);
    ${exclusive ? 'let v = in0[i]; out0[i] = sum; sum += v;' : 'sum += in0[i]; out0[i] = sum;'}
  }
}`,
    }, [x], [out]);
    return y!;
  }

  const wg = len > 256 ? 256 : 64;
  const block = wg * ITEMS;
  const blocks = Math.ceil(len / block);
  const blockUniforms = [...uniforms, ['blocks', 'u32', blocks]] as const;
  const groups = lines * blocks;
  const header2 = /* wgsl */ `
${addressWgsl}
const WG = ${wg}u;
const BLOCK = ${block}u;
var<workgroup> buf: array<${t}, ${block}>;
var<workgroup> tot: array<${t}, ${wg}>;`;

  let offsets: GpuData | null = null;
  if (blocks > 1) {
    // Each block's total, then their exclusive scan: the sum of everything before each block.
    const [totals] = runtime.run({
      key: `cumsum-block-totals-${t}-${reverse}-${wg}`,
      uniforms: blockUniforms,
      workgroups: groupGrid(groups),
      source: (header) => /* wgsl */ `${header}
${header2}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nw.x;
  if (w >= u.lines * u.blocks) { return; }
  let line = w / u.blocks;
  let start = (w % u.blocks) * BLOCK;
  var s = ${t}(0);
  for (var k = start + lid; k < min(start + BLOCK, u.len); k += WG) { s += in0[address(line, k)]; }
  tot[lid] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h >>= 1u) {
    if (lid < h) { tot[lid] = tot[lid] + tot[lid + h]; }
    workgroupBarrier();
  }
  if (lid == 0u) { out0[w] = tot[0]; }
}`,
    }, [x], [{ shape: [lines, blocks], dtype: x.dtype }]);
    const totalsInfo: TensorInfo = { dataId: totals!, shape: [lines, blocks], dtype: x.dtype };
    offsets = cumsum(runtime, totalsInfo, 1, true, false, { shape: [lines, blocks], dtype: x.dtype });
    runtime.release(totals!);
  }

  const inputs: TensorInfo[] = offsets ? [x, { dataId: offsets, shape: [lines, blocks], dtype: x.dtype }] : [x];
  const [y] = runtime.run({
    key: `cumsum-block-scan-${t}-${exclusive}-${reverse}-${wg}-${offsets !== null}`,
    uniforms: blockUniforms,
    workgroups: groupGrid(groups),
    source: (header) => /* wgsl */ `${header}
${header2}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nw.x;
  if (w >= u.lines * u.blocks) { return; }
  let line = w / u.blocks;
  let start = (w % u.blocks) * BLOCK;
  let count = min(BLOCK, u.len - start);
  // Coalesced load; the tail of the last block is padded with zeros.
  for (var j = 0u; j < ${ITEMS}u; j++) {
    let k = j * WG + lid;
    buf[k] = select(${t}(0), in0[address(line, start + min(k, count - 1u))], k < count);
  }
  workgroupBarrier();
  // Each thread owns ${ITEMS} consecutive elements; scan the threads' totals (Hillis-Steele).
  var own = ${t}(0);
  for (var j = 0u; j < ${ITEMS}u; j++) { own += buf[lid * ${ITEMS}u + j]; }
  tot[lid] = own;
  workgroupBarrier();
  for (var h = 1u; h < WG; h <<= 1u) {
    var before = ${t}(0);
    if (lid >= h) { before = tot[lid - h]; }
    workgroupBarrier();
    tot[lid] = tot[lid] + before;
    workgroupBarrier();
  }
  var run = ${offsets ? 'in1[w]' : `${t}(0)`};
  if (lid > 0u) { run += tot[lid - 1u]; }
  for (var j = 0u; j < ${ITEMS}u; j++) {
    let i = lid * ${ITEMS}u + j;
    ${exclusive ? 'let v = buf[i]; buf[i] = run; run += v;' : 'run += buf[i]; buf[i] = run;'}
  }
  workgroupBarrier();
  for (var j = 0u; j < ${ITEMS}u; j++) {
    let k = j * WG + lid;
    if (k < count) { out0[address(line, start + k)] = buf[k]; }
  }
}`,
  }, inputs, [out]);
  if (offsets) runtime.release(offsets);
  return y!;
}
