import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { MAX_WORKGROUPS_PER_DIM } from '../program.js';

const THREADS = 64;

/**
 * Per-row `-sum(labels * logSoftmax(logits))` over the last axis, in one pass per row: a
 * workgroup per row finds the row max, the sum of `exp(x - max)` and the label-weighted sums
 * together, so the logits are read twice and nothing is written but the loss.
 *
 * @example
 * const loss = softmaxCrossEntropy(runtime, logits, labels, { shape: [batch], dtype: 'float32' });
 */
export function softmaxCrossEntropy(runtime: GpuRuntime, logits: TensorInfo, labels: TensorInfo, out: OutputInfo): GpuData {
  const classes = logits.shape[logits.shape.length - 1] ?? 1;
  const rows = sizeOf(out.shape);
  const x = Math.min(rows, MAX_WORKGROUPS_PER_DIM);
  const [y] = runtime.run({
    key: 'softmaxCrossEntropy',
    uniforms: [['rows', 'u32', rows], ['classes', 'u32', classes]],
    workgroups: [Math.max(1, x), Math.max(1, Math.ceil(rows / MAX_WORKGROUPS_PER_DIM))],
    source: (header) => /* wgsl */ `${header}
var<workgroup> partA: array<f32, ${THREADS}>;
var<workgroup> partB: array<f32, ${THREADS}>;
var<workgroup> partC: array<f32, ${THREADS}>;

@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32, @builtin(num_workgroups) nw: vec3u) {
  let row = wg.x + wg.y * nw.x;
  // Rows past the end still reach the barriers (they are uniform per workgroup, so this is safe).
  let live = row < u.rows;
  let base = row * u.classes;
  // Row max; a NaN anywhere must make the loss NaN, which the sums below propagate.
  var m = bitcast<f32>(0xff7fffffu); // -FLT_MAX
  if (live) { for (var c = t; c < u.classes; c += ${THREADS}u) { m = max(m, in0[base + c]); } }
  partA[t] = m;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s >>= 1u) {
    if (t < s) { partA[t] = max(partA[t], partA[t + s]); }
    workgroupBarrier();
  }
  let rowMax = partA[0];
  workgroupBarrier();
  // sum exp(x - max), sum labels, sum labels * (x - max)
  var e = 0.0; var l = 0.0; var lx = 0.0;
  if (live) {
    for (var c = t; c < u.classes; c += ${THREADS}u) {
      let v = in0[base + c] - rowMax;
      let label = in1[base + c];
      e += exp(v);
      l += label;
      lx += label * v;
    }
  }
  partA[t] = e; partB[t] = l; partC[t] = lx;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s >>= 1u) {
    if (t < s) { partA[t] += partA[t + s]; partB[t] += partB[t + s]; partC[t] += partC[t + s]; }
    workgroupBarrier();
  }
  if (live && t == 0u) {
    // -sum(l * (v - log(sumExp))) = log(sumExp) * sum(l) - sum(l * v)
    // An empty class axis sums nothing: the loss is 0 (log(0) * 0 would be NaN).
    out0[row] = select(log(partA[0]) * partB[0] - partC[0], 0.0, u.classes == 0u);
  }
}`,
  }, [logits, labels], [out]);
  return y!;
}
