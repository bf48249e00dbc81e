import { gemmBlocked, gemmScratch } from './gemm-blocked.js';
import { gemmParallel } from './gemm-parallel.js';
import type { StridedMatrix } from './gemm-types.js';
import { gemmWasm, gemmWasmRun } from './gemm-wasm.js';

export type { StridedMatrix } from './gemm-types.js';

const scratch = gemmScratch();
let rowAccumulator = new Float64Array(0);

/**
 * Computes `C = A B` (or `C += A B` when `accumulate`) for an `m x k` A and a `k x n` B; C is
 * row-major with leading dimension `ldc` starting at `cOffset`.
 *
 * Large products run the blocked, packed GEMM (transposes are absorbed by the packing), with the
 * WebAssembly SIMD micro-kernel where it can run (gemm-wasm.ts; `STRATA_CPU_WASM=0` keeps the
 * pure-TS kernel), split across the worker pool when they are big enough; products with one or
 * two rows or columns take a direct loop, where packing would not pay.
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
  if (m <= 2 || n <= 2) {
    gemmDirect(m, n, k, a, b, c, cOffset, ldc);
    return;
  }
  if (gemmParallel(m, n, k, a, b, c, cOffset, ldc)) return;
  const w = gemmWasm();
  if (w !== null) gemmWasmRun(w, m, n, k, a, b, c, cOffset, ldc);
  else gemmBlocked(m, n, k, a, b, c, cOffset, ldc, scratch);
}

/**
 * Unpacked product for products with one or two rows or columns, where packing would cost as
 * much as the multiply, accumulating in doubles and adding into C. When B's rows are contiguous
 * and wide, rows of C are built by axpy over four rows of B at a time (a quarter of the
 * accumulator traffic); otherwise each entry is a dot product along k.
 */
function gemmDirect(
  m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number,
): void {
  const ad = a.data, bd = b.data;
  const ars = a.rowStride, acs = a.colStride, brs = b.rowStride, bcs = b.colStride;
  if (bcs === 1 && n >= 4) {
    if (rowAccumulator.length < n) rowAccumulator = new Float64Array(n);
    const acc = rowAccumulator;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      const arow = a.offset + i * ars;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const a0 = ad[arow + p * acs]!, a1 = ad[arow + (p + 1) * acs]!;
        const a2 = ad[arow + (p + 2) * acs]!, a3 = ad[arow + (p + 3) * acs]!;
        const r0 = b.offset + p * brs, r1 = r0 + brs, r2 = r1 + brs, r3 = r2 + brs;
        for (let j = 0; j < n; j++) acc[j] += a0 * bd[r0 + j]! + a1 * bd[r1 + j]! + a2 * bd[r2 + j]! + a3 * bd[r3 + j]!;
      }
      for (; p < k; p++) {
        const av = ad[arow + p * acs]!;
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
      let ai = arow, bi = b.offset + j * bcs;
      // Seeded with the first product so V8 keeps the sum a double (k >= 1 here).
      let s = ad[ai]! * bd[bi]!;
      for (let p = 1; p < k; p++) {
        ai += acs;
        bi += brs;
        s += ad[ai]! * bd[bi]!;
      }
      c[crow + j] += s;
    }
  }
}
