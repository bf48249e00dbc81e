import { gemmBlocked, gemmScratch, MR, NR } from './gemm-blocked.js';
import { gemmParallel } from './gemm-parallel.js';
import type { StridedMatrix } from './gemm-types.js';

export type { StridedMatrix } from './gemm-types.js';

/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL_WORK = 16 * 16 * 16;

const scratch = gemmScratch();
let rowAccumulator = new Float64Array(0);

/**
 * Computes `C = A B` (or `C += A B` when `accumulate`) for an `m x k` A and a `k x n` B; C is
 * row-major with leading dimension `ldc` starting at `cOffset`.
 *
 * Large products run the blocked, packed GEMM (transposes are absorbed by the packing), split
 * across the worker pool when they are big enough; thin or tiny products take a direct loop,
 * where packing would not pay.
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
  if (gemmParallel(m, n, k, a, b, c, cOffset, ldc)) return;
  gemmBlocked(m, n, k, a, b, c, cOffset, ldc, scratch);
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
