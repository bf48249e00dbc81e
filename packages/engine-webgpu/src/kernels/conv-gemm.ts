import { MAX_WORKGROUPS_PER_DIM, type Program, type Uniform } from '../program.js';

/*
 * A tiled matrix product `C[M, N] = A[M, K] · B[K, N]` whose operands are never materialized:
 * each workgroup stages a TM x TK block of A and a TK x TN block of B in workgroup memory,
 * gathering every element on the fly through WGSL functions the caller supplies (an implicit
 * im2col), then each thread accumulates a 4x4 register block. The three conv2d kernels are
 * this one loop with different gathers.
 *
 * Gathers are split in two so the costly index arithmetic (divisions by W, C, KW...) leaves the
 * inner loop: the index a thread keeps fixed across K steps (its row of A, its column of B) is
 * decoded once before the loop (`aOuter`, `bOuter`); the K index is decoded once per K step
 * (`aInner`, `bInner`); `aLoad`/`bLoad` then only add and bounds-check.
 *
 * Threads load a block along the operand's contiguous index ("order"), so neighbouring threads
 * read neighbouring addresses; workgroup memory always holds blocks K-major, so the inner loop
 * reads one vec4 of A rows and one vec4 of B columns per K step.
 */

/**
 * Threads of one tiling (`wx` across columns, `wy` down rows) and its K step. Each thread keeps a
 * 4x4 register block of adjacent rows and columns, read from workgroup memory as two vec4s per K
 * step: TM = 4 wy rows, TN = 4 wx columns.
 */
export interface GemmTile {
  readonly wx: number;
  readonly wy: number;
  readonly tk: number;
}

/** Rows and columns of C each thread accumulates. */
const BLOCK = 4;

// Narrow outputs (few output channels) get tall tiles so few threads compute only padding
// columns. Every tiling stays within 256 threads and 11 KiB of workgroup memory (the browser
// limits are 256 and 16 KiB).
const TILES: readonly (GemmTile & { maxN: number })[] = [
  { maxN: 8, wx: 2, wy: 64, tk: 8 },
  { maxN: 16, wx: 4, wy: 64, tk: 8 },
  { maxN: 32, wx: 8, wy: 32, tk: 16 },
  { maxN: Infinity, wx: 16, wy: 16, tk: 16 },
];

/**
 * The tiling for a product with `n` columns.
 *
 * @example
 * chooseTile(64); // 64x64 tiles: { wx: 16, wy: 16, tk: 16 }
 */
export function chooseTile(n: number): GemmTile {
  return TILES.find((t) => n <= t.maxN)!;
}

/**
 * How many workgroups one group of a product with `m` rows and `n` columns takes.
 *
 * @example
 * tilesOf(chooseTile(64), 288, 64); // 5
 */
export function tilesOf(tile: GemmTile, m: number, n: number): number {
  return Math.ceil(m / (tile.wy * BLOCK)) * Math.ceil(n / (tile.wx * BLOCK));
}

/**
 * One implicit GEMM: the WGSL of its gathers and how many independent products ("groups":
 * stride phases, or K splits) it runs in one dispatch.
 *
 * `operands` must declare, using the uniforms and bindings of the program:
 * - `struct Ctx` with at least `M, N, kBegin, kEnd: u32` and `fn context(grp: u32) -> Ctx` (the
 *   problem of group `grp`; it must depend only on uniforms so the K loop stays uniform);
 * - `fn aOuter(c: Ctx, m: u32) -> O`, `fn aInner(c: Ctx, k: u32) -> I` (any types O and I: what
 *   the two indices decode to) and `fn aLoad(c: Ctx, o: O, i: I) -> f32`, called only in bounds;
 * - the same for B with `bOuter(c, n)`, `bInner(c, k)`, `bLoad`;
 * - `fn cRow(c: Ctx, m: u32) -> u32`: where row `m` of C starts in `out0` (columns contiguous).
 */
export interface ImplicitGemm {
  /** Names the gather code in the program key. */
  readonly name: string;
  readonly operands: string;
  /** The contiguous index of A in memory: along K, or along M. */
  readonly aOrder: 'k' | 'm';
  /** The contiguous index of B in memory: along K, or along N. */
  readonly bOrder: 'k' | 'n';
  readonly uniforms: readonly Uniform[];
  /** The largest M of any group (dispatch size). */
  readonly maxM: number;
  readonly n: number;
  readonly groups: number;
  /** Defaults to `chooseTile(n)`. */
  readonly tile?: GemmTile;
}

/**
 * WGSL statements that stage one operand's `tk x rows` block in workgroup memory (`As`/`Bs`,
 * vec4s holding 4 adjacent rows; each K row of the block takes `stride` vec4s).
 */
function stageWgsl(
  op: 'a' | 'b', alongK: boolean, rows: number, stride: number, tk: number, threads: number,
): { before: string; step: string } {
  const Op = op.toUpperCase();
  const row0 = op === 'a' ? 'm0' : 'n0';
  const limit = op === 'a' ? 'c.M' : 'c.N';
  const elements = rows * tk;
  const reps = Math.ceil(elements / threads);
  if (elements % threads !== 0 && elements > threads) throw new Error(`conv gemm: ${elements} elements over ${threads} threads`);
  const partial = elements < threads;
  const slot = (kk: string, r: string) => `${Op}s[${kk} * ${stride}u + ${r} / 4u][${r} % 4u]`;
  const before: string[] = [];
  const step: string[] = [];
  if (alongK) {
    // Each thread keeps one K offset and several rows.
    before.push(`let ${op}Kk = li % ${tk}u;`);
    for (let r = 0; r < reps; r++) {
      before.push(`let ${op}R${r} = li / ${tk}u + ${(r * threads) / tk}u;`);
      before.push(`let ${op}O${r} = ${op}Outer(c, ${row0} + ${op}R${r});`);
      before.push(`let ${op}Ok${r} = ${row0} + ${op}R${r} < ${limit}${partial ? ` && ${op}R${r} < ${rows}u` : ''};`);
    }
    step.push(`{ let k = k0 + ${op}Kk; let kOk = k < c.kEnd; let i = ${op}Inner(c, k);`);
    for (let r = 0; r < reps; r++) {
      const store = `var v = 0.0; if (kOk && ${op}Ok${r}) { v = ${op}Load(c, ${op}O${r}, i); } ${slot(`${op}Kk`, `${op}R${r}`)} = v;`;
      step.push(partial ? `  if (${op}R${r} < ${rows}u) { ${store} }` : `  { ${store} }`);
    }
    step.push('}');
  } else if (rows >= threads) {
    if (rows % threads !== 0) throw new Error(`conv gemm: ${threads} threads do not divide ${rows} rows`);
    // Each thread keeps several rows and loads every K offset of them.
    for (let r = 0; r < rows / threads; r++) {
      before.push(`let ${op}R${r} = li + ${r * threads}u;`);
      before.push(`let ${op}O${r} = ${op}Outer(c, ${row0} + ${op}R${r});`);
      before.push(`let ${op}Ok${r} = ${row0} + ${op}R${r} < ${limit};`);
    }
    step.push(`for (var kk = 0u; kk < ${tk}u; kk++) { let k = k0 + kk; let kOk = k < c.kEnd; let i = ${op}Inner(c, k);`);
    for (let r = 0; r < rows / threads; r++) {
      step.push(`  { var v = 0.0; if (kOk && ${op}Ok${r}) { v = ${op}Load(c, ${op}O${r}, i); } ${slot('kk', `${op}R${r}`)} = v; }`);
    }
    step.push('}');
  } else {
    if (threads % rows !== 0) throw new Error(`conv gemm: ${rows} rows do not divide ${threads} threads`);
    // Each thread keeps one row and several K offsets.
    before.push(`let ${op}R = li % ${rows}u;`);
    before.push(`let ${op}O = ${op}Outer(c, ${row0} + ${op}R);`);
    before.push(`let ${op}Ok = ${row0} + ${op}R < ${limit};`);
    for (let r = 0; r < reps; r++) {
      const kk = `li / ${rows}u + ${(r * threads) / rows}u`;
      const store = `let kk = ${kk}; let k = k0 + kk; var v = 0.0; if (${op}Ok && k < c.kEnd) { v = ${op}Load(c, ${op}O, ${op}Inner(c, k)); } ${slot('kk', `${op}R`)} = v;`;
      step.push(partial ? `if (${kk} < ${tk}u) { ${store} }` : `{ ${store} }`);
    }
  }
  return { before: before.join('\n  '), step: step.join('\n    ') };
}

/**
 * The program of an implicit GEMM writing `out0`. Workgroups: x over N tiles, y (and z, past
 * 65535) over M tiles, z over groups.
 *
 * @example
 * const [y] = runtime.run(implicitGemmProgram(forwardGemm(g)), [x, filter], [out]);
 */
export function implicitGemmProgram(spec: ImplicitGemm): Program {
  const tile = spec.tile ?? chooseTile(spec.n);
  const { wx, wy, tk } = tile;
  const tm = wy * BLOCK, tn = wx * BLOCK, threads = wx * wy;
  // A block staged along K has neighbouring threads write neighbouring K rows: a spare vec4 per
  // row staggers those writes over more memory banks.
  const strideA = wy + (spec.aOrder === 'k' ? 1 : 0);
  const strideB = wx + (spec.bOrder === 'k' ? 1 : 0);
  const mTiles = Math.max(1, Math.ceil(spec.maxM / tm));
  const y = Math.min(mTiles, MAX_WORKGROUPS_PER_DIM);
  const zTiles = Math.ceil(mTiles / y);
  const z = zTiles * spec.groups;
  if (z > MAX_WORKGROUPS_PER_DIM) throw new Error(`webgpu engine: convolution too large to dispatch (${mTiles} row tiles x ${spec.groups} groups)`);
  const a = stageWgsl('a', spec.aOrder === 'k', tm, strideA, tk, threads);
  const b = stageWgsl('b', spec.bOrder === 'k', tn, strideB, tk, threads);
  const rows = [0, 1, 2, 3];
  const accDecl = rows.map((i) => `var acc${i} = vec4<f32>(0.0);`).join(' ');
  const fmas = rows.map((i) => `acc${i} = fma(vec4<f32>(a[${i}]), b, acc${i});`).join(' ');
  const stores = rows.map((i) => {
    const cols = rows.map((j) => `if (n + ${j}u < c.N) { out0[row + n + ${j}u] = acc${i}[${j}]; }`);
    return `{ let m = m0 + lid.y * 4u + ${i}u; if (m < c.M) { let row = cRow(c, m); ${cols.join(' ')} } }`;
  });

  return {
    key: `conv-gemm:${spec.name}:${wx}x${wy}:${tk}:${spec.aOrder}${spec.bOrder}`,
    uniforms: [...spec.uniforms, ['zTiles', 'u32', zTiles]],
    workgroups: [Math.max(1, Math.ceil(spec.n / tn)), y, z],
    source: (header) => /* wgsl */ `${header}
${spec.operands}

var<workgroup> As: array<vec4<f32>, ${strideA * tk}>;
var<workgroup> Bs: array<vec4<f32>, ${strideB * tk}>;

@compute @workgroup_size(${wx}, ${wy}, 1)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32,
        @builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nw: vec3u) {
  // Workgroup ids and uniforms only: the early return and the K loop stay in uniform control
  // flow, as the barriers require.
  let c = context(wg.z / u.zTiles);
  let m0 = (wg.y + (wg.z % u.zTiles) * nw.y) * ${tm}u;
  let n0 = wg.x * ${tn}u;
  if (m0 >= c.M) { return; }
  ${a.before}
  ${b.before}
  ${accDecl}
  for (var k0 = c.kBegin; k0 < c.kEnd; k0 += ${tk}u) {
    ${a.step}
    ${b.step}
    workgroupBarrier();
    for (var kk = 0u; kk < ${tk}u; kk++) {
      let a = As[kk * ${strideA}u + lid.y];
      let b = Bs[kk * ${strideB}u + lid.x];
      ${fmas}
    }
    workgroupBarrier();
  }
  let n = n0 + lid.x * 4u;
  ${stores.join('\n  ')}
}`,
  };
}
