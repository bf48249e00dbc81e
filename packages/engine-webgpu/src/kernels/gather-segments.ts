import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { wgslType, type GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d } from '../program.js';
import { fill } from './fill.js';

/** Threads of the single-workgroup scan over the row counts. */
const SCAN_THREADS = 256;

/**
 * scatterAdd for many indices, without float atomics and with a fixed summation order: the
 * indices are sorted by the row they point at (a counting sort), then each output element sums
 * its row's segment in ascending index order, the CPU engine's order.
 *
 * Passes (`len` rows, `m` indices, `outer x len x inner` output):
 * 1. zero `counts` and `cursors` (2 x len int32);
 * 2. histogram: `atomicAdd(counts[idx[i]], 1)` (integer atomics are exact, so counts are fixed);
 * 3. `starts` = exclusive prefix sum of `counts` (len + 1 entries) in one workgroup, each thread
 *    summing a contiguous chunk: O(len / 256) per thread, small next to the other passes for
 *    vocabulary-sized `len`;
 * 4. place: `placed[starts[r] + atomicAdd(cursors[r], 1)] = i`, grouping indices by row in an
 *    order that varies from run to run;
 * 5. rank: each index counts the smaller indices in its segment and moves to that slot of `sorted`,
 *    which fixes the order again. Cost: the sum over rows of (occurrences)^2, linear for distinct
 *    indices (topK gradients), quadratic only in how often one row repeats;
 * 6. sum: one thread per output element reads its segment: coalesced along `inner`, O(output + m x inner).
 *
 * Out-of-range indices are skipped by every pass.
 *
 * @example
 * const y = scatterAddBySegments(runtime, updates, ids, [1, vocab, dim], { shape: [vocab, dim], dtype: 'float32' });
 */
export function scatterAddBySegments(
  runtime: GpuRuntime, updates: TensorInfo, indices: TensorInfo, [outer, len, inner]: readonly [number, number, number], out: OutputInfo,
): GpuData {
  const m = indices.shape.reduce((a, b) => a * b, 1);
  const int = (data: GpuData, size: number): TensorInfo => ({ dataId: data, shape: [size], dtype: 'int32' });
  const sizes: [string, 'u32', number][] = [['m', 'u32', m], ['len', 'u32', len]];

  const counters = fill(runtime, { shape: [2 * len], dtype: 'int32' }, 0);
  runtime.runInPlace({
    key: 'scatter-add-histogram',
    uniforms: sizes,
    workgroups: grid1d(m, 256),
    source: (header) => /* wgsl */ `${atomicOut0(header)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(g, nw, 256u);
  if (i >= u.m) { return; }
  let r = in0[i];
  if (r < 0 || u32(r) >= u.len) { return; }
  atomicAdd(&out0[r], 1);
}`,
  }, [indices], [int(counters, 2 * len)]);

  const [starts] = runtime.run({
    key: 'scatter-add-starts',
    uniforms: [['len', 'u32', len]],
    workgroups: [1],
    source: (header) => /* wgsl */ `${header}
var<workgroup> partial: array<i32, ${SCAN_THREADS}>;

@compute @workgroup_size(${SCAN_THREADS})
fn main(@builtin(local_invocation_id) l: vec3u) {
  let t = l.x;
  let chunk = (u.len + ${SCAN_THREADS - 1}u) / ${SCAN_THREADS}u;
  let lo = min(t * chunk, u.len);
  let hi = min(lo + chunk, u.len);
  var sum = 0;
  for (var r = lo; r < hi; r++) { sum += in0[r]; }
  partial[t] = sum;
  workgroupBarrier();
  if (t == 0u) {
    var acc = 0;
    for (var k = 0u; k < ${SCAN_THREADS}u; k++) {
      let v = partial[k];
      partial[k] = acc;
      acc += v;
    }
    out0[u.len] = acc;
  }
  workgroupBarrier();
  var run = partial[t];
  for (var r = lo; r < hi; r++) {
    out0[r] = run;
    run += in0[r];
  }
}`,
  }, [int(counters, 2 * len)], [{ shape: [len + 1], dtype: 'int32' }]);

  const placed = runtime.allocate({ shape: [m], dtype: 'int32' });
  runtime.runInPlace({
    key: 'scatter-add-place',
    uniforms: sizes,
    workgroups: grid1d(m, 256),
    source: (header) => /* wgsl */ `${atomicOut0(header)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(g, nw, 256u);
  if (i >= u.m) { return; }
  let r = in0[i];
  if (r < 0 || u32(r) >= u.len) { return; }
  let slot = atomicAdd(&out0[u.len + u32(r)], 1);
  out1[in1[r] + slot] = i32(i);
}`,
  }, [indices, int(starts!, len + 1)], [int(counters, 2 * len), int(placed, m)]);

  const [sorted] = runtime.run({
    key: 'scatter-add-rank',
    uniforms: sizes,
    workgroups: grid1d(m, 256),
    source: (header) => /* wgsl */ `${header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(g, nw, 256u);
  if (i >= u.m) { return; }
  let r = in0[i];
  if (r < 0 || u32(r) >= u.len) { return; }
  let first = in1[r];
  let end = in1[r + 1];
  var rank = 0;
  for (var q = first; q < end; q++) {
    if (in2[q] < i32(i)) { rank++; }
  }
  out0[first + rank] = i32(i);
}`,
  }, [indices, int(starts!, len + 1), int(placed, m)], [{ shape: [m], dtype: 'int32' }]);

  const type = wgslType(out.dtype);
  const size = outer * len * inner;
  const [y] = runtime.run({
    key: `scatter-add-segments:${type}`,
    uniforms: [['size', 'u32', size], ['len', 'u32', len], ['m', 'u32', m], ['inner', 'u32', inner]],
    workgroups: grid1d(size, 256),
    source: (header) => /* wgsl */ `${header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = flatIndex(g, nw, 256u);
  if (t >= u.size) { return; }
  let j = t % u.inner;
  let rest = t / u.inner;
  let r = rest % u.len;
  let o = rest / u.len;
  var acc = ${type}(0);
  let end = in1[r + 1];
  for (var q = in1[r]; q < end; q++) {
    acc += in0[(o * u.m + u32(in2[q])) * u.inner + j];
  }
  out0[t] = acc;
}`,
  }, [updates, int(starts!, len + 1), int(sorted!, m)], [out]);

  // Recorded work runs in order, so the scratch buffers may go back to the pool at once.
  for (const scratch of [counters, starts!, placed, sorted!]) runtime.release(scratch);
  return y!;
}

/** The header with `out0` declared as atomic, for the passes that count with `atomicAdd`. */
function atomicOut0(header: string): string {
  const plain = 'out0: array<i32>;';
  if (!header.includes(plain)) throw new Error(`webgpu engine: scatterAdd expected an i32 out0 binding in the header, got: ${header}`);
  return header.replace(plain, 'out0: array<atomic<i32>>;');
}
