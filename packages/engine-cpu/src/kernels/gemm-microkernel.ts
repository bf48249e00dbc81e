/** Rows of C one micro-kernel call produces. */
export const MR = 4;
/** Columns of C one micro-kernel call produces. */
export const NR = 8;

/**
 * The register-tiled inner kernel: `C[0..4, 0..8] += Apanel^T Bpanel` over `kc` rank-1 updates.
 *
 * Both packed panels live in the one Float64Array `w` (A strip at `ia`, `MR` values per k-step;
 * B strip at `ib`, `NR` values per k-step) so each k-step checks a single array, and the packed
 * values are already doubles (no float32 widening in the loop). The 32 accumulators are locals
 * V8 keeps in registers where it can. They are initialised from the first k-step's products
 * rather than from `0`, which would make V8 type them as small integers and box them in the loop.
 * Requires `kc >= 1`.
 *
 * @example
 * gemmMicroKernel(packed, aStart, bStart, kc, c, row * ldc + col, ldc);
 */
export function gemmMicroKernel(
  w: Float64Array, ia: number, ib: number, kc: number, c: Float32Array, co: number, ldc: number,
): void {
  let a0 = w[ia]!, a1 = w[(ia + 1) | 0]!, a2 = w[(ia + 2) | 0]!, a3 = w[(ia + 3) | 0]!;
  let b = w[ib]!;
  let c00 = a0 * b, c10 = a1 * b, c20 = a2 * b, c30 = a3 * b;
  b = w[(ib + 1) | 0]!;
  let c01 = a0 * b, c11 = a1 * b, c21 = a2 * b, c31 = a3 * b;
  b = w[(ib + 2) | 0]!;
  let c02 = a0 * b, c12 = a1 * b, c22 = a2 * b, c32 = a3 * b;
  b = w[(ib + 3) | 0]!;
  let c03 = a0 * b, c13 = a1 * b, c23 = a2 * b, c33 = a3 * b;
  b = w[(ib + 4) | 0]!;
  let c04 = a0 * b, c14 = a1 * b, c24 = a2 * b, c34 = a3 * b;
  b = w[(ib + 5) | 0]!;
  let c05 = a0 * b, c15 = a1 * b, c25 = a2 * b, c35 = a3 * b;
  b = w[(ib + 6) | 0]!;
  let c06 = a0 * b, c16 = a1 * b, c26 = a2 * b, c36 = a3 * b;
  b = w[(ib + 7) | 0]!;
  let c07 = a0 * b, c17 = a1 * b, c27 = a2 * b, c37 = a3 * b;
  const end = (ia + kc * 4) | 0;
  ia = (ia + 4) | 0;
  ib = (ib + 8) | 0;
  while (ia < end) {
    a0 = w[ia]!; a1 = w[(ia + 1) | 0]!; a2 = w[(ia + 2) | 0]!; a3 = w[(ia + 3) | 0]!;
    b = w[ib]!; c00 += a0 * b; c10 += a1 * b; c20 += a2 * b; c30 += a3 * b;
    b = w[(ib + 1) | 0]!; c01 += a0 * b; c11 += a1 * b; c21 += a2 * b; c31 += a3 * b;
    b = w[(ib + 2) | 0]!; c02 += a0 * b; c12 += a1 * b; c22 += a2 * b; c32 += a3 * b;
    b = w[(ib + 3) | 0]!; c03 += a0 * b; c13 += a1 * b; c23 += a2 * b; c33 += a3 * b;
    b = w[(ib + 4) | 0]!; c04 += a0 * b; c14 += a1 * b; c24 += a2 * b; c34 += a3 * b;
    b = w[(ib + 5) | 0]!; c05 += a0 * b; c15 += a1 * b; c25 += a2 * b; c35 += a3 * b;
    b = w[(ib + 6) | 0]!; c06 += a0 * b; c16 += a1 * b; c26 += a2 * b; c36 += a3 * b;
    b = w[(ib + 7) | 0]!; c07 += a0 * b; c17 += a1 * b; c27 += a2 * b; c37 += a3 * b;
    ia = (ia + 4) | 0;
    ib = (ib + 8) | 0;
  }
  c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
  c[co + 4] += c04; c[co + 5] += c05; c[co + 6] += c06; c[co + 7] += c07;
  co += ldc;
  c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13;
  c[co + 4] += c14; c[co + 5] += c15; c[co + 6] += c16; c[co + 7] += c17;
  co += ldc;
  c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23;
  c[co + 4] += c24; c[co + 5] += c25; c[co + 6] += c26; c[co + 7] += c27;
  co += ldc;
  c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
  c[co + 4] += c34; c[co + 5] += c35; c[co + 6] += c36; c[co + 7] += c37;
}
