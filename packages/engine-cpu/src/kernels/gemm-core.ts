/**
 * Strided single-precision GEMM: `C[i, j] (+)= sum_p A[i, p] * B[p, j]`.
 *
 * Operands are addressed through (offset, row stride, column stride) so transposed views need
 * no copy.
 */
export interface StridedMatrix {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/**
 * Computes `C = A B` (or `C += A B` when `accumulate`) for an `m x k` A and a `k x n` B; C is
 * row-major with leading dimension `ldc` starting at `cOffset`.
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
  const ad = a.data, bd = b.data;
  for (let i = 0; i < m; i++) {
    const crow = cOffset + i * ldc;
    if (!accumulate) c.fill(0, crow, crow + n);
    for (let p = 0; p < k; p++) {
      const av = ad[a.offset + i * a.rowStride + p * a.colStride]!;
      const bRow = b.offset + p * b.rowStride;
      for (let j = 0; j < n; j++) c[crow + j] += av * bd[bRow + j * b.colStride]!;
    }
  }
}
