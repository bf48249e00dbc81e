import { gemmMicroKernel, MR, NR } from './gemm-microkernel.js';
import { gemmPackA, gemmPackB } from './gemm-pack.js';

/**
 * A matrix operand addressed through (offset, row stride, column stride), so transposed views
 * and sub-matrices need no copy.
 */
export interface StridedMatrix {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/** Depth of one packed block: a `KC x NR` B strip (16 KiB of doubles) stays in L1. */
const KC = 256;
/** Rows of one packed A block: `MC x KC` doubles (256 KiB) stay in L2. */
const MC = 128;
/** Columns of one packed B block: `KC x NC` doubles (2 MiB) stay in L2/L3. */
const NC = 1024;
/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL_WORK = 16 * 16 * 16;

let workspace = new Float64Array(0);
const edgeTile = new Float32Array(MR * NR);
let rowAccumulator = new Float64Array(0);

/**
 * Computes `C = A B` (or `C += A B` when `accumulate`) for an `m x k` A and a `k x n` B; C is
 * row-major with leading dimension `ldc` starting at `cOffset`.
 *
 * Large products run the blocked algorithm: B and A are packed block by block into one reused
 * scratch (the packing absorbs transposes), and a 4x8 register-tiled micro-kernel sweeps the
 * packed panels. Thin or tiny products take a direct loop, where packing would not pay.
 *
 * @example
 * const a = { data: new Float32Array([1, 2]), offset: 0, rowStride: 2, colStride: 1 };
 * const b = { data: new Float32Array([3, 4]), offset: 0, rowStride: 1, colStride: 1 };
 * const c = new Float32Array(1);
 * gemm(1, 1, 2, a, b, c, 0, 1, false); // c[0] === 11
 */
export function gemm(
  m: number, n: number, k: number,
  a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number, accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (!accumulate) {
    for (let i = 0; i < m; i++) c.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
  }
  if (k === 0) return;
  if (m < MR || n < NR || m * n * k < SMALL_WORK) {
    gemmDirect(m, n, k, a, b, c, cOffset, ldc);
    return;
  }
  gemmBlocked(m, n, k, a, b, c, cOffset, ldc);
}

/**
 * The blocked GEMM proper (BLIS loop order: column blocks, depth blocks, row blocks, then the
 * micro-kernel over strips), adding into C. Exported so a parallel caller can hand it a column
 * range of the product.
 *
 * @example
 * gemmBlocked(m, n, k, a, b, c, 0, n);
 */
export function gemmBlocked(
  m: number, n: number, k: number,
  a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number,
): void {
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, Math.ceil(n / NR) * NR);
  const mcMax = Math.min(MC, Math.ceil(m / MR) * MR);
  const aBase = kcMax * ncMax;
  if (workspace.length < aBase + kcMax * mcMax) workspace = new Float64Array(aBase + kcMax * mcMax);
  const w = workspace;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      gemmPackB(w, 0, b, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        gemmPackA(w, aBase, a, ic, mc, pc, kc);
        macroKernel(w, aBase, mc, nc, kc, c, cOffset + ic * ldc + jc, ldc);
      }
    }
  }
}

/** Sweeps one packed `mc x kc` A block against one packed `kc x nc` B block, adding into C. */
function macroKernel(
  w: Float64Array, aBase: number, mc: number, nc: number, kc: number,
  c: Float32Array, cOffset: number, ldc: number,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    const ib = (jr / NR) * kc * NR;
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = Math.min(MR, mc - ir);
      const ia = aBase + (ir / MR) * kc * MR;
      const co = cOffset + ir * ldc + jr;
      if (mr === MR && nr === NR) {
        gemmMicroKernel(w, ia, ib, kc, c, co, ldc);
      } else {
        // Edge tiles run the full kernel into a scratch tile (the packing zero-padded the
        // missing rows and columns) and only the valid part is added to C.
        edgeTile.fill(0);
        gemmMicroKernel(w, ia, ib, kc, edgeTile, 0, NR);
        for (let i = 0; i < mr; i++) {
          for (let j = 0; j < nr; j++) c[co + i * ldc + j] += edgeTile[i * NR + j]!;
        }
      }
    }
  }
}

/**
 * Unpacked product for thin or tiny shapes, accumulating in doubles and adding into C. Walks B
 * along its unit stride: row-wise axpy into a row accumulator when B's rows are contiguous,
 * dot products when its columns are.
 */
function gemmDirect(
  m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number,
): void {
  const ad = a.data, bd = b.data;
  const ars = a.rowStride, acs = a.colStride, brs = b.rowStride, bcs = b.colStride;
  if (bcs === 1) {
    if (rowAccumulator.length < n) rowAccumulator = new Float64Array(n);
    const acc = rowAccumulator;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      for (let p = 0; p < k; p++) {
        const av = ad[a.offset + i * ars + p * acs]!;
        const row = b.offset + p * brs;
        for (let j = 0; j < n; j++) acc[j] += av * bd[row + j]!;
      }
      const crow = cOffset + i * ldc;
      for (let j = 0; j < n; j++) c[crow + j] += acc[j]!;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const arow = a.offset + i * ars;
    const crow = cOffset + i * ldc;
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ai = arow, bi = b.offset + j * bcs;
      for (let p = 0; p < k; p++, ai += acs, bi += brs) s += ad[ai]! * bd[bi]!;
      c[crow + j] += s;
    }
  }
}
