import type { StridedMatrix } from './gemm-core.js';
import { MR, NR } from './gemm-microkernel.js';

/**
 * Packs the `kc x nc` block of B starting at `(p0, j0)` into `w[dst..]` as `NR`-wide strips, each
 * stored k-step by k-step (`NR` consecutive values per step), zero-padding the last strip. The
 * read order follows whichever of B's strides is 1, so a transposed B packs as fast as a plain one.
 *
 * @example
 * gemmPackB(w, 0, b, pc, kc, jc, nc);
 */
export function gemmPackB(
  w: Float64Array, dst: number, b: StridedMatrix, p0: number, kc: number, j0: number, nc: number,
): void {
  const bd = b.data, rs = b.rowStride, cs = b.colStride;
  const strips = Math.ceil(nc / NR);
  for (let s = 0; s < strips; s++) {
    const j = j0 + s * NR;
    const width = Math.min(NR, j0 + nc - j);
    const base = dst + s * kc * NR;
    if (width < NR) w.fill(0, base, base + kc * NR);
    if (cs === 1 && width === NR) {
      let src = b.offset + p0 * rs + j, d = base;
      for (let p = 0; p < kc; p++, src += rs, d += NR) {
        w[d] = bd[src]!; w[d + 1] = bd[src + 1]!; w[d + 2] = bd[src + 2]!; w[d + 3] = bd[src + 3]!;
        w[d + 4] = bd[src + 4]!; w[d + 5] = bd[src + 5]!; w[d + 6] = bd[src + 6]!; w[d + 7] = bd[src + 7]!;
      }
    } else if (cs === 1) {
      let src = b.offset + p0 * rs + j, d = base;
      for (let p = 0; p < kc; p++, src += rs, d += NR) {
        for (let jj = 0; jj < width; jj++) w[d + jj] = bd[src + jj]!;
      }
    } else {
      for (let jj = 0; jj < width; jj++) {
        let src = b.offset + p0 * rs + (j + jj) * cs, d = base + jj;
        for (let p = 0; p < kc; p++, src += rs, d += NR) w[d] = bd[src]!;
      }
    }
  }
}

/**
 * Packs the `mc x kc` block of A starting at `(i0, p0)` into `w[dst..]` as `MR`-tall strips, each
 * stored k-step by k-step (`MR` consecutive values per step), zero-padding the last strip. Reads
 * along A's unit stride, so `A` and `A^T` pack equally fast.
 *
 * @example
 * gemmPackA(w, aBase, a, ic, mc, pc, kc);
 */
export function gemmPackA(
  w: Float64Array, dst: number, a: StridedMatrix, i0: number, mc: number, p0: number, kc: number,
): void {
  const ad = a.data, rs = a.rowStride, cs = a.colStride;
  const strips = Math.ceil(mc / MR);
  for (let s = 0; s < strips; s++) {
    const i = i0 + s * MR;
    const height = Math.min(MR, i0 + mc - i);
    const base = dst + s * kc * MR;
    if (height < MR) w.fill(0, base, base + kc * MR);
    if (rs === 1 && height === MR) {
      let src = a.offset + i + p0 * cs, d = base;
      for (let p = 0; p < kc; p++, src += cs, d += MR) {
        w[d] = ad[src]!; w[d + 1] = ad[src + 1]!; w[d + 2] = ad[src + 2]!; w[d + 3] = ad[src + 3]!;
      }
    } else {
      for (let ii = 0; ii < height; ii++) {
        let src = a.offset + (i + ii) * rs + p0 * cs, d = base + ii;
        for (let p = 0; p < kc; p++, src += cs, d += MR) w[d] = ad[src]!;
      }
    }
  }
}
