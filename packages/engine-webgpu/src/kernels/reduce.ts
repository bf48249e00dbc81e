import type { DType, OutputInfo, ReduceOp, TensorInfo } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import { wgslType } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, type Uniform } from '../program.js';
import { fill } from './fill.js';
import { planReduce, reduceGeometry, type ReduceGeometry } from './reduce-plan.js';
import { groupGrid, IS_NAN_WGSL, stridedOffsetWgsl, stridedUniforms } from './reduce-wgsl.js';

/** How values fold; `mean` is `sum` plus a final division. */
type Combiner = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'argMax' | 'argMin';

/** One pass: its combiner, input, and what it writes. */
interface Pass {
  combiner: Combiner;
  /** Divide the folded value by `count` (the mean's last pass). */
  meanOf: number | null;
  values: TensorInfo;
  /** argMax/argMin after the first pass: the partial winners' indices, beside `values`. */
  indices: TensorInfo | null;
  geometry: ReduceGeometry;
  /** The op's output (last pass), or null to write partials of `chunks` per output. */
  out: OutputInfo | null;
}

/**
 * Reduces `x` over the sorted, unique `axes` without a transpose: the shape is collapsed into kept
 * and reduced blocks (`reduceGeometry`), then one workgroup per output folds contiguous runs with a
 * tree in workgroup memory, or one thread per output folds strided ones, splitting into partials
 * and a second pass when there are too few outputs to fill the GPU (`planReduce`).
 * Semantics follow the CPU engine: NaN wins max/min, argMax/argMin return the first winner (the
 * first NaN if any), int32 sums and products wrap, an empty reduction gives the identity (mean: NaN).
 *
 * @example
 * const y = reduce(runtime, 'sum', x, [1], { shape: [x.shape[0]], dtype: 'float32' });
 */
export function reduce(runtime: GpuRuntime, op: ReduceOp, x: TensorInfo, axes: readonly number[], out: OutputInfo): GpuData {
  if (op === 'argMax' || op === 'argMin') {
    if (axes.length !== 1) throw new Error(`webgpu engine: ${op} reduces exactly one axis, got [${axes.join(', ')}]`);
  }
  const geometry = reduceGeometry(x.shape, axes);
  if (geometry.outSize === 0 || geometry.reduceSize === 0) {
    // Nothing to read: every output is the identity (argMax/argMin of an empty axis is refused by core).
    return fill(runtime, out, identityOf(op, 'float32'));
  }
  const combiner: Combiner = op === 'mean' ? 'sum' : op;
  return run(runtime, { combiner, meanOf: op === 'mean' ? geometry.reduceSize : null, values: x, indices: null, geometry, out: null }, out);
}

/** Runs passes until one writes `out`; partial buffers are released once the next pass has read them. */
function run(runtime: GpuRuntime, pass: Pass, out: OutputInfo): GpuData {
  const { geometry } = pass;
  const plan = planReduce(geometry.outSize, geometry.reduceSize, geometry.innerReduced);
  if (plan.chunks === 1) return dispatch(runtime, { ...pass, out }, plan.chunks, plan.chunkSize, plan.perWorkgroup, plan.workgroupSize)[0]!;
  const partials = dispatch(runtime, { ...pass, meanOf: null, out: null }, plan.chunks, plan.chunkSize, plan.perWorkgroup, plan.workgroupSize);
  const shape = [geometry.outSize, plan.chunks];
  const next: ReduceGeometry = {
    outSize: geometry.outSize,
    reduceSize: plan.chunks,
    kept: { dims: [geometry.outSize], strides: [plan.chunks] },
    reduced: { dims: [plan.chunks], strides: [1] },
    innerReduced: true,
  };
  const isArg = pass.combiner === 'argMax' || pass.combiner === 'argMin';
  const result = run(runtime, {
    ...pass,
    values: { dataId: partials[0]!, shape, dtype: partials[0]!.dtype },
    indices: isArg ? { dataId: partials[1]!, shape, dtype: 'int32' } : null,
    geometry: next,
  }, out);
  for (const p of partials) runtime.release(p);
  return result;
}

function identityOf(op: ReduceOp | Combiner, dtype: DType): number {
  const int = dtype !== 'float32';
  switch (op) {
    case 'prod':
    case 'all':
      return 1;
    case 'max':
    case 'argMax':
      return int ? -2147483648 : -Infinity;
    case 'min':
    case 'argMin':
      return int ? 2147483647 : Infinity;
    case 'mean':
      return NaN;
    default:
      return 0;
  }
}

/** `fold(a, b)` for the combiner on WGSL type `t`; for argMax/argMin `beats(va, ia, vb, ib)`. */
function combinerWgsl(combiner: Combiner, t: 'f32' | 'i32'): string {
  const nanFirst = t === 'f32';
  switch (combiner) {
    case 'sum':
      return `fn fold(a: ${t}, b: ${t}) -> ${t} { return a + b; }`;
    case 'prod':
      return `fn fold(a: ${t}, b: ${t}) -> ${t} { return a * b; }`;
    case 'max':
    case 'min': {
      const cmp = combiner === 'max' ? '>' : '<';
      return `fn fold(a: ${t}, b: ${t}) -> ${t} {
  ${nanFirst ? 'if (isNan(a)) { return a; } if (isNan(b)) { return b; }' : ''}
  return select(a, b, b ${cmp} a);
}`;
    }
    case 'any':
      return `fn fold(a: i32, b: i32) -> i32 { return select(0, 1, a != 0 || b != 0); }`;
    case 'all':
      return `fn fold(a: i32, b: i32) -> i32 { return select(0, 1, a != 0 && b != 0); }`;
    default: {
      const cmp = combiner === 'argMax' ? '>' : '<';
      // A total order on (value, index): NaN first, then the better value, then the lower index.
      return `fn beats(va: ${t}, ia: i32, vb: ${t}, ib: i32) -> bool {
  ${nanFirst ? 'let na = isNan(va); let nb = isNan(vb); if (na || nb) { return nb && (!na || ib < ia); }' : ''}
  if (vb ${cmp} va) { return true; }
  return vb == va && ib < ia;
}`;
    }
  }
}

/**
 * Records one pass. Outputs: the op's output, or partials `[outSize, chunks]` (argMax/argMin:
 * values and indices).
 */
function dispatch(runtime: GpuRuntime, pass: Pass, chunks: number, chunkSize: number, perWorkgroup: boolean, wg: number): GpuData[] {
  const { combiner, geometry, values, indices, out } = pass;
  const isArg = combiner === 'argMax' || combiner === 'argMin';
  const t = wgslType(values.dtype);
  const groups = geometry.outSize * chunks;
  const uniforms: Uniform[] = [
    ['groups', 'u32', groups],
    ['outSize', 'u32', geometry.outSize],
    ['chunks', 'u32', chunks],
    ['chunkSize', 'u32', chunkSize],
    ['reduceSize', 'u32', geometry.reduceSize],
    ['ident', t, identityOf(combiner, values.dtype)],
    ['count', 'f32', pass.meanOf ?? 1],
    ...stridedUniforms('k', geometry.kept.dims, geometry.kept.strides),
    ...stridedUniforms('r', geometry.reduced.dims, geometry.reduced.strides),
  ];
  const outputs: OutputInfo[] = out
    ? [out]
    : [{ shape: [geometry.outSize, chunks], dtype: values.dtype }, ...(isArg ? [{ shape: [geometry.outSize, chunks], dtype: 'int32' as const }] : [])];
  const inputs = indices ? [values, indices] : [values];
  // Loading element r: its value, and for argMax/argMin its index along the axis.
  const load = (v: string, i: string, off: string, r: string): string =>
    isArg ? `let ${v} = in0[${off}]; let ${i} = ${indices ? `in1[${off}]` : `i32(${r})`};` : `let ${v} = in0[${off}];`;
  const accumulate = (v: string, i: string): string =>
    isArg ? `if (beats(acc, accIdx, ${v}, ${i})) { acc = ${v}; accIdx = ${i}; }` : `acc = fold(acc, ${v});`;
  const finish = (target: string): string => {
    if (out && isArg) return `out0[${target}] = accIdx;`;
    if (out && pass.meanOf !== null) return `out0[${target}] = acc / u.count;`;
    if (!out && isArg) return `out0[${target}] = acc; out1[${target}] = accIdx;`;
    return `out0[${target}] = acc;`;
  };
  const helpers = `${IS_NAN_WGSL}
${combinerWgsl(combiner, t)}
${stridedOffsetWgsl('keptOffset', 'k', geometry.kept.dims.length)}
${stridedOffsetWgsl('reducedOffset', 'r', geometry.reduced.dims.length)}`;
  const key = [
    'reduce', perWorkgroup ? `wg${wg}` : 'thread', combiner, t, pass.meanOf !== null ? 'mean' : '', out ? 'final' : 'partial',
    indices ? 'indexed' : '', geometry.kept.dims.length, geometry.reduced.dims.length,
  ].join('-');

  const source = perWorkgroup
    ? (header: string) => /* wgsl */ `${header}
${helpers}
var<workgroup> sv: array<${t}, ${wg}>;
${isArg ? `var<workgroup> si: array<i32, ${wg}>;` : ''}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nw.x;
  if (w >= u.groups) { return; }
  let o = w / u.chunks;
  let start = (w % u.chunks) * u.chunkSize;
  let end = min(start + u.chunkSize, u.reduceSize);
  let base = keptOffset(o);
  var acc = u.ident;
  var accIdx = 0x7fffffff;
  // Neighbouring threads read neighbouring elements (coalesced when the inner block is reduced).
  for (var r = start + lid; r < end; r += ${wg}u) {
    let off = base + reducedOffset(r);
    ${load('v', 'vi', 'off', 'r')}
    ${accumulate('v', 'vi')}
  }
  sv[lid] = acc;
  ${isArg ? 'si[lid] = accIdx;' : ''}
  workgroupBarrier();
  for (var s = ${wg / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) {
      ${isArg
        ? 'if (beats(sv[lid], si[lid], sv[lid + s], si[lid + s])) { sv[lid] = sv[lid + s]; si[lid] = si[lid + s]; }'
        : 'sv[lid] = fold(sv[lid], sv[lid + s]);'}
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    acc = sv[0];
    ${isArg ? 'accIdx = si[0];' : ''}
    ${finish('w')}
  }
}`
    : (header: string) => /* wgsl */ `${header}
${helpers}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let t = flatIndex(g, nw, 64u);
  if (t >= u.groups) { return; }
  // Neighbouring threads take neighbouring outputs (coalesced when the inner block is kept).
  let o = t % u.outSize;
  let chunk = t / u.outSize;
  let start = chunk * u.chunkSize;
  let end = min(start + u.chunkSize, u.reduceSize);
  let base = keptOffset(o);
  var acc = u.ident;
  var accIdx = 0x7fffffff;
  for (var r = start; r < end; r++) {
    let off = base + reducedOffset(r);
    ${load('v', 'vi', 'off', 'r')}
    ${accumulate('v', 'vi')}
  }
  ${finish('o * u.chunks + chunk')}
}`;
  return runtime.run({ key, uniforms, workgroups: perWorkgroup ? groupGrid(groups) : grid1d(groups), source }, inputs, outputs);
}
