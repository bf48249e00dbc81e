import { grid1d, type Program } from '../program.js';
import { epilogueKey, epilogueWgsl, type Epilogue } from './matmul-epilogue.js';
import { vec4Binding, type MatmulGeometry } from './matmul-geometry.js';
import { tileStoreWgsl } from './matmul-store.js';

/**
 * The register-blocked tile shape: a workgroup of `threadsX x threadsY` invocations computes a
 * `(threadsY · 4·rowVecs) x (threadsX · 4·colVecs)` output tile, each invocation `rowVecs x colVecs`
 * blocks of 4x4 held in registers, stepping through K `tileK` at a time in workgroup memory.
 * An invocation's blocks are `threadsX` (or `threadsY`) blocks apart, so neighbouring invocations
 * read neighbouring vec4s of the tiles (no bank conflicts) and store neighbouring vec4s of the
 * output.
 */
export interface TileConfig {
  /** Invocations along N; 8 or more fill one SIMD vector on llvmpipe. */
  readonly threadsX: number;
  /** Invocations along M. */
  readonly threadsY: number;
  /** Groups of 4 rows, and of 4 columns, in one invocation's block. */
  readonly rowVecs: number;
  readonly colVecs: number;
  /** K elements per workgroup-memory tile. */
  readonly tileK: number;
}

/**
 * How one operand's tile is read from global memory. The tile covers `outer` (m for `a`, n for
 * `b`) and k; in memory one of the two is contiguous. Reads go along the contiguous dim so
 * neighbouring invocations touch neighbouring addresses, four elements at a time when the
 * contiguous extent is a multiple of 4 (`vec4`).
 */
interface OperandLoad {
  binding: 'in0' | 'in1';
  /** Workgroup array the tile is stored in, as `[k][outer / 4]` vec4s. */
  tile: 'As' | 'Bs';
  base: string;
  /** Bound on the outer dim (`u.M` or `u.N`) and the tile's first outer index. */
  outerSize: string;
  outer0: string;
  /** True when the outer dim is contiguous in memory (a transposed `a`, a plain `b`). */
  outerContiguous: boolean;
  vec4: boolean;
  int: boolean;
}

/**
 * WGSL statements loading one operand's `tileK x tileOuter` tile into workgroup memory. Elements
 * beyond K read as 0, so the padding adds nothing; those beyond M or N only reach outputs that
 * are never stored.
 */
function loadWgsl(op: OperandLoad, tileOuter: number, tileK: number, invocations: number): string {
  const q = tileOuter / 4;
  const slots = (tileK * tileOuter) / 4;
  const conv = op.int ? 'f32' : '';
  const vconv = op.int ? 'vec4<f32>' : '';
  const lines: string[] = [`for (var s = li; s < ${slots}u; s += ${invocations}u) {`];
  if (op.outerContiguous) {
    // Each slot is 4 consecutive outer indices at one k: stored as it is read.
    lines.push(`  let kk = s / ${q}u; let gk = k0 + kk; let go = ${op.outer0} + (s % ${q}u) * 4u;`);
    lines.push(`  let row = ${op.base} + gk * ${op.outerSize};`);
    if (op.vec4) {
      lines.push(`  var v = vec4<f32>(0.0);`);
      lines.push(`  if (gk < u.K && go < ${op.outerSize}) { v = ${vconv}(${op.binding}[(row + go) / 4u]); }`);
    } else {
      lines.push(`  var v = vec4<f32>(0.0);`);
      lines.push(`  if (gk < u.K) {`);
      for (let c = 0; c < 4; c++) {
        lines.push(`    if (go + ${c}u < ${op.outerSize}) { v[${c}] = ${conv}(${op.binding}[row + go + ${c}u]); }`);
      }
      lines.push('  }');
    }
    lines.push(`  ${op.tile}[s] = v;`);
  } else {
    // Each slot is 4 consecutive k at one outer index: scattered into four k rows of the tile.
    lines.push(`  let o = s / ${tileK / 4}u; let gk = k0 + (s % ${tileK / 4}u) * 4u; let go = ${op.outer0} + o;`);
    lines.push(`  let row = ${op.base} + go * u.K;`);
    lines.push(`  var v = vec4<f32>(0.0);`);
    if (op.vec4) {
      lines.push(`  if (go < ${op.outerSize} && gk < u.K) { v = ${vconv}(${op.binding}[(row + gk) / 4u]); }`);
    } else {
      lines.push(`  if (go < ${op.outerSize}) {`);
      for (let c = 0; c < 4; c++) lines.push(`    if (gk + ${c}u < u.K) { v[${c}] = ${conv}(${op.binding}[row + gk + ${c}u]); }`);
      lines.push('  }');
    }
    lines.push(`  let at = (gk - k0) * ${q}u + o / 4u; let lane = o % 4u;`);
    for (let c = 0; c < 4; c++) lines.push(`  ${op.tile}[at + ${c * q}u][lane] = v[${c}];`);
  }
  lines.push('}');
  return lines.join('\n    ');
}

/**
 * The tiled matmul program: one workgroup per output tile (batch entries and tiles flattened into
 * the dispatch, so no dimension exceeds its limit), each invocation's register blocks updated with
 * vec4 FMAs from the two workgroup tiles, each tile value read once from workgroup memory for
 * `4·colVecs` (or `4·rowVecs`) FMAs. Workgroup memory: `tileK · (tileM + tileN)` floats.
 *
 * @example
 * const program = tiledMatmulProgram(geometry, epilogue, { threadsX: 16, threadsY: 16, rowVecs: 1, colVecs: 1, tileK: 16 });
 */
export function tiledMatmulProgram(g: MatmulGeometry, epilogue: Epilogue, config: TileConfig): Program {
  const { threadsX, threadsY, rowVecs, colVecs, tileK } = config;
  const tileM = threadsY * 4 * rowVecs, tileN = threadsX * 4 * colVecs;
  const qm = tileM / 4, qn = tileN / 4;
  const invocations = threadsX * threadsY;
  const tilesM = Math.ceil(g.m / tileM), tilesN = Math.ceil(g.n / tileN);
  const tiles = g.batch * tilesM * tilesN;
  // vec4 access needs every row of the contiguous dim to start on a multiple of 4 elements.
  const vecA = g.transposeA ? g.m % 4 === 0 : g.k % 4 === 0;
  const vecB = g.transposeB ? g.k % 4 === 0 : g.n % 4 === 0;
  const vecOut = g.n % 4 === 0;
  const loadA = loadWgsl({
    binding: 'in0', tile: 'As', base: 'aBase', outerSize: 'u.M', outer0: 'm0',
    outerContiguous: g.transposeA, vec4: vecA, int: g.aInt,
  }, tileM, tileK, invocations);
  const loadB = loadWgsl({
    binding: 'in1', tile: 'Bs', base: 'bBase', outerSize: 'u.N', outer0: 'n0',
    outerContiguous: !g.transposeB, vec4: vecB, int: g.bInt,
  }, tileN, tileK, invocations);
  const rv = Array.from({ length: rowVecs }, (_, i) => i);
  const cv = Array.from({ length: colVecs }, (_, j) => j);
  // acc{row}_{j}: 4 output columns of one row; rows r = 4·i + lane of row vec i.
  const rowsOf = rv.flatMap((i) => [0, 1, 2, 3].map((lane) => ({ i, lane, r: i * 4 + lane })));
  const declare = rowsOf.flatMap(({ r }) => cv.map((j) => `var acc${r}_${j} = vec4<f32>(0.0);`)).join('\n  ');
  const reads = [
    ...rv.map((i) => `let a${i} = As[kk * ${qm}u + ${i * threadsY}u + ty];`),
    ...cv.map((j) => `let b${j} = Bs[kk * ${qn}u + ${j * threadsX}u + tx];`),
  ].join('\n      ');
  const fmas = rowsOf.flatMap(({ i, lane, r }) => cv.map((j) => `acc${r}_${j} = fma(vec4<f32>(a${i}[${lane}]), b${j}, acc${r}_${j});`)).join('\n      ');
  const stores = tileStoreWgsl({ threadsX, threadsY, rowVecs, colVecs, vecOut });
  return {
    key: `matmul-tiled/${threadsX}x${threadsY}x${rowVecs}x${colVecs}x${tileK}/${+g.transposeA}${+g.transposeB}/${+vecA}${+vecB}${+vecOut}/${+g.aInt}${+g.bInt}/${epilogueKey(epilogue)}`,
    uniforms: [
      ['M', 'u32', g.m], ['N', 'u32', g.n], ['K', 'u32', g.k],
      ['tilesM', 'u32', tilesM], ['tilesN', 'u32', tilesN], ['tiles', 'u32', tiles],
      ['aBatchStride', 'u32', g.aBatchStride], ['bBatchStride', 'u32', g.bBatchStride],
      ...epilogue.uniforms,
    ],
    workgroups: grid1d(tiles, 1),
    source: (header) => {
      let h = header;
      if (vecA) h = vec4Binding(h, 'in0');
      if (vecB) h = vec4Binding(h, 'in1');
      if (vecOut) h = vec4Binding(h, 'out0');
      return /* wgsl */ `${h}
${epilogueWgsl(epilogue)}
var<workgroup> As: array<vec4<f32>, ${tileK * qm}>;
var<workgroup> Bs: array<vec4<f32>, ${tileK * qn}>;

@compute @workgroup_size(${threadsX}, ${threadsY})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  // Workgroup ids and uniforms only: the early return keeps the barriers below in uniform flow.
  let tileIndex = wid.x + wid.y * nw.x;
  if (tileIndex >= u.tiles) { return; }
  let tn = tileIndex % u.tilesN;
  let tm = (tileIndex / u.tilesN) % u.tilesM;
  let t = tileIndex / (u.tilesN * u.tilesM);
  let m0 = tm * ${tileM}u;
  let n0 = tn * ${tileN}u;
  let aBase = t * u.aBatchStride;
  let bBase = t * u.bBatchStride;
  let tx = lid.x;
  let ty = lid.y;
  let li = ty * ${threadsX}u + tx;
  ${declare}
  for (var k0 = 0u; k0 < u.K; k0 += ${tileK}u) {
    ${loadA}
    ${loadB}
    workgroupBarrier();
    for (var kk = 0u; kk < ${tileK}u; kk++) {
      ${reads}
      ${fmas}
    }
    workgroupBarrier();
  }
  let outBase = t * u.M * u.N;
  ${stores}
}`;
    },
  };
}
