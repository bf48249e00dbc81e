import { grid1d, type Program } from '../program.js';
import { epilogueKey, epilogueWgsl, type Epilogue } from './matmul-epilogue.js';
import type { MatmulGeometry } from './matmul-geometry.js';

/** The most rows of the short side a GEMV program keeps accumulators for. */
export const GEMV_MAX_ROWS = 8;

/** Invocations per GEMV workgroup on GPUs; they split both the long side and K. */
const INVOCATIONS = 256;

/**
 * A product with a short side (at most {@link GEMV_MAX_ROWS} rows of `a`, or columns of `b`):
 * `out(r, l) = Σ_k V(r, k) · W(k, l)`, where V is the short operand and W the long one. A 64x64
 * tile would leave most of its invocations idle, so instead each invocation keeps one accumulator
 * per short row for one long index and a slice of K, and the workgroup sums the slices.
 *
 * Two invocation layouts keep W's reads coalesced: when W is contiguous along the long side,
 * neighbouring invocations take neighbouring long indices (64 of them, K split 4 ways); when W
 * is contiguous along K, they take neighbouring k (4 long indices, K split 64 ways).
 * The `whole-k` layout (64 invocations, each summing all of K) serves software adapters and
 * devices limited to fewer than 256 invocations.
 */
interface GemvOperands {
  /** `rows`: V is `a` (M short); `columns`: V is `bᵀ` (N short), W is `aᵀ`, out written transposed. */
  mode: 'rows' | 'columns';
  r: number;
  l: number;
  v: { binding: 'in0' | 'in1'; int: boolean; batchStride: number; rowStride: number; kStride: number };
  w: { binding: 'in0' | 'in1'; int: boolean; batchStride: number; kStride: number; lStride: number };
  out: { rowStride: number; lStride: number };
}

function operands(g: MatmulGeometry, mode: 'rows' | 'columns'): GemvOperands {
  // Element (i, p) of a and (p, j) of b, read through the transposes.
  const a = { rowStride: g.transposeA ? 1 : g.k, kStride: g.transposeA ? g.m : 1 };
  const b = { kStride: g.transposeB ? 1 : g.n, colStride: g.transposeB ? g.k : 1 };
  if (mode === 'rows') {
    return {
      mode, r: g.m, l: g.n,
      v: { binding: 'in0', int: g.aInt, batchStride: g.aBatchStride, rowStride: a.rowStride, kStride: a.kStride },
      w: { binding: 'in1', int: g.bInt, batchStride: g.bBatchStride, kStride: b.kStride, lStride: b.colStride },
      out: { rowStride: g.n, lStride: 1 },
    };
  }
  return {
    mode, r: g.n, l: g.m,
    v: { binding: 'in1', int: g.bInt, batchStride: g.bBatchStride, rowStride: b.colStride, kStride: b.kStride },
    w: { binding: 'in0', int: g.aInt, batchStride: g.aBatchStride, kStride: a.kStride, lStride: a.rowStride },
    out: { rowStride: 1, lStride: g.n },
  };
}

/**
 * The GEMV program for a product whose M (`rows`) or N (`columns`) is at most
 * {@link GEMV_MAX_ROWS}. With `wholeK` every invocation sums all of K itself, in workgroups of
 * 64: on software adapters (llvmpipe) splitting K costs workgroup barriers (coroutine switches)
 * and buys no parallelism that the CPU's cores do not already get from the long side.
 *
 * @example
 * const program = gemvProgram(geometry, epilogue, 'rows', false); // geometry.m <= 8
 */
export function gemvProgram(g: MatmulGeometry, epilogue: Epilogue, mode: 'rows' | 'columns', wholeK: boolean): Program {
  const o = operands(g, mode);
  // Both strides are 1 only in degenerate shapes (one long index, or K = 1): a short long side
  // then gains more from splitting K.
  const longFast = wholeK || (o.w.lStride === 1 && (o.w.kStride !== 1 || o.l >= 64));
  // Long-side lanes (tileL) times K slices (slices) fill the workgroup.
  const invocations = wholeK ? 64 : INVOCATIONS;
  const tileL = longFast ? 64 : 4;
  const slices = invocations / tileL;
  const groupsL = Math.ceil(o.l / tileL);
  const groups = g.batch * groupsL;
  const rows = Array.from({ length: o.r }, (_, r) => r);
  const wconv = o.w.int ? 'f32' : '';
  const vconv = o.v.int ? 'f32' : '';
  const accumulate = rows.map((r) => `acc${r} = fma(${vconv}(${o.v.binding}[vBase + ${r}u * u.vRowStride + k * u.vKStride]), w, acc${r});`);
  const [row, col] = mode === 'rows' ? ['R', 'l'] : ['l', 'R'];
  const store = (value: (r: number) => string) => rows.map((r) => {
    const at = (name: string): string => (name === 'R' ? `${r}u` : name);
    return `out0[outBase + ${r}u * u.outRowStride + l * u.outLStride] = epilogue(${value(r)}, t, ${at(row)}, ${at(col)});`;
  }).join('\n    ');
  // Lane and slice of this invocation; the partner in the tree sum is `stride` slices away.
  const [laneOf, sliceOf, sliceStep] = longFast ? [`li % ${tileL}u`, `li / ${tileL}u`, tileL] : ['li / 64u', 'li % 64u', 1];
  const sum = slices === 1
    ? `if (l < u.L) {
    let outBase = t * u.outBatchStride;
    ${store((r) => `acc${r}`)}
  }`
    : `${rows.map((r) => `partial[${r * invocations}u + li] = acc${r};`).join(' ')}
  workgroupBarrier();
  for (var stride = ${slices / 2}u; stride > 0u; stride = stride / 2u) {
    if (slice < stride) {
      ${rows.map((r) => `partial[${r * invocations}u + li] += partial[${r * invocations}u + li + stride * ${sliceStep}u];`).join('\n      ')}
    }
    workgroupBarrier();
  }
  if (slice == 0u && l < u.L) {
    let outBase = t * u.outBatchStride;
    ${store((r) => `partial[${r * invocations}u + li]`)}
  }`;
  return {
    key: `matmul-gemv/${mode}/${o.r}/${longFast ? 'l' : 'k'}${slices}/${+o.v.int}${+o.w.int}/${epilogueKey(epilogue)}`,
    uniforms: [
      ['L', 'u32', o.l], ['K', 'u32', g.k], ['groupsL', 'u32', groupsL], ['groups', 'u32', groups],
      ['vBatchStride', 'u32', o.v.batchStride], ['vRowStride', 'u32', o.v.rowStride], ['vKStride', 'u32', o.v.kStride],
      ['wBatchStride', 'u32', o.w.batchStride], ['wKStride', 'u32', o.w.kStride], ['wLStride', 'u32', o.w.lStride],
      ['outBatchStride', 'u32', g.m * g.n], ['outRowStride', 'u32', o.out.rowStride], ['outLStride', 'u32', o.out.lStride],
      ...epilogue.uniforms,
    ],
    workgroups: grid1d(groups, 1),
    source: (header) => /* wgsl */ `${header}
${epilogueWgsl(epilogue)}
${slices === 1 ? '' : `var<workgroup> partial: array<f32, ${o.r * invocations}>;`}

@compute @workgroup_size(${invocations})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) li: u32) {
  // Workgroup ids and uniforms only: the early return keeps the barriers below in uniform flow.
  let group = wid.x + wid.y * nw.x;
  if (group >= u.groups) { return; }
  let t = group / u.groupsL;
  let l = (group % u.groupsL) * ${tileL}u + ${laneOf};
  let slice = ${sliceOf};
  let vBase = t * u.vBatchStride;
  let wBase = t * u.wBatchStride;
  ${rows.map((r) => `var acc${r} = 0.0;`).join(' ')}
  if (l < u.L) {
    for (var k = slice; k < u.K; k += ${slices}u) {
      let w = ${wconv}(${o.w.binding}[wBase + k * u.wKStride + l * u.wLStride]);
      ${accumulate.join('\n      ')}
    }
  }
  ${sum}
}`,
  };
}
