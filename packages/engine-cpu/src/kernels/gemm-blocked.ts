import type { StridedMatrix } from './gemm-types.js';
import type { GemmWasm } from './gemm-wasm.js';

/*
 * The blocked GEMM that runs on every thread. The worker pool ships these functions to its
 * workers as source text (`Function.prototype.toString`), so each of them may reference only its
 * parameters, JS globals and the other functions of this file by their plain names: no imports,
 * no module-level state. That is why they live in one file and why the tile sizes are literals.
 * The packed layout: A in 4-row strips, B in 8-column strips, each stored k-step by k-step.
 */

/** Rows of C one micro-kernel call produces (the literal 4 in the functions below). */
export const MR = 4;
/** Columns of C one micro-kernel call produces (the literal 8 in the functions below). */
export const NR = 8;

/** Per-thread scratch the blocked GEMM reuses across calls, grown on demand. */
export interface GemmScratch {
  packed: Float64Array;
  readonly edge: Float32Array;
}

/**
 * A fresh scratch for one thread.
 *
 * @example
 * const scratch = gemmScratch();
 */
export function gemmScratch(): GemmScratch {
  return { packed: new Float64Array(0), edge: new Float32Array(4 * 8) };
}

/**
 * Adds `A B` into C with the BLIS loop order: column blocks of B (NC), depth blocks (KC) packed
 * once per column block, row blocks of A (MC) packed per depth block, then the micro-kernel over
 * strips. Block sizes keep a B strip (at most 384 x 8 doubles) in L1 and the packed A block in
 * L2. C is row-major with leading dimension `ldc` from `cOffset`; requires `m, n, k >= 1`.
 *
 * @example
 * gemmBlocked(m, n, k, a, b, c, 0, n, gemmScratch());
 */
export function gemmBlocked(
  m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number, scratch: GemmScratch,
): void {
  const MC = 128, NC = 1024;
  // Depth blocks of at most 384, split evenly: k = 288 runs as one block rather than 256 + 32,
  // whose short tail would pay the C updates of a full block for an eighth of the work.
  const KC = Math.ceil(k / Math.ceil(k / 384));
  const ncMax = Math.min(NC, Math.ceil(n / 8) * 8);
  const mcMax = Math.min(MC, Math.ceil(m / 4) * 4);
  const aBase = KC * ncMax;
  if (scratch.packed.length < aBase + KC * mcMax) scratch.packed = new Float64Array(aBase + KC * mcMax);
  const w = scratch.packed;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      gemmPackB(w, 0, b, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        gemmPackA(w, aBase, a, ic, mc, pc, kc);
        gemmMacroKernel(w, aBase, mc, nc, kc, c, cOffset + ic * ldc + jc, ldc, scratch.edge);
      }
    }
  }
}

/**
 * Sweeps one packed `mc x kc` A block against one packed `kc x nc` B block, adding into C. Edge
 * tiles run the full kernel into `edge` (the packing zero-padded the missing rows and columns)
 * and only their valid part is added to C.
 *
 * @example
 * gemmMacroKernel(w, aBase, mc, nc, kc, c, cOffset, ldc, scratch.edge);
 */
export function gemmMacroKernel(
  w: Float64Array, aBase: number, mc: number, nc: number, kc: number,
  c: Float32Array, cOffset: number, ldc: number, edge: Float32Array,
): void {
  for (let jr = 0; jr < nc; jr += 8) {
    const nr = Math.min(8, nc - jr);
    const ib = jr * kc;
    for (let ir = 0; ir < mc; ir += 4) {
      const mr = Math.min(4, mc - ir);
      const ia = aBase + ir * kc;
      const co = cOffset + ir * ldc + jr;
      if (mr === 4 && nr === 8) {
        gemmMicroKernel(w, ia, ib, kc, c, co, ldc);
      } else {
        edge.fill(0);
        gemmMicroKernel(w, ia, ib, kc, edge, 0, 8);
        for (let i = 0; i < mr; i++) {
          for (let j = 0; j < nr; j++) c[co + i * ldc + j] += edge[i * 8 + j]!;
        }
      }
    }
  }
}

/**
 * Packs the `kc x nc` block of B starting at `(p0, j0)` into `w[dst..]` (float64 scratch for the
 * TypeScript kernel, float32 WASM memory for the SIMD one) as 8-wide strips, each
 * stored k-step by k-step (8 consecutive values per step), zero-padding the last strip. The
 * read order follows whichever of B's strides is 1, so a transposed B packs as fast as a plain one.
 *
 * @example
 * gemmPackB(w, 0, b, pc, kc, jc, nc);
 */
export function gemmPackB(
  w: Float64Array | Float32Array, dst: number, b: StridedMatrix, p0: number, kc: number, j0: number, nc: number,
): void {
  const bd = b.data, rs = b.rowStride, cs = b.colStride;
  const strips = Math.ceil(nc / 8);
  for (let s = 0; s < strips; s++) {
    const j = j0 + s * 8;
    const width = Math.min(8, j0 + nc - j);
    const base = dst + s * kc * 8;
    if (width < 8) w.fill(0, base, base + kc * 8);
    if (cs === 1 && width === 8) {
      let src = b.offset + p0 * rs + j, d = base;
      for (let p = 0; p < kc; p++, src += rs, d += 8) {
        w[d] = bd[src]!; w[d + 1] = bd[src + 1]!; w[d + 2] = bd[src + 2]!; w[d + 3] = bd[src + 3]!;
        w[d + 4] = bd[src + 4]!; w[d + 5] = bd[src + 5]!; w[d + 6] = bd[src + 6]!; w[d + 7] = bd[src + 7]!;
      }
    } else if (cs === 1) {
      let src = b.offset + p0 * rs + j, d = base;
      for (let p = 0; p < kc; p++, src += rs, d += 8) {
        for (let jj = 0; jj < width; jj++) w[d + jj] = bd[src + jj]!;
      }
    } else {
      for (let jj = 0; jj < width; jj++) {
        let src = b.offset + p0 * rs + (j + jj) * cs, d = base + jj;
        for (let p = 0; p < kc; p++, src += rs, d += 8) w[d] = bd[src]!;
      }
    }
  }
}

/**
 * Packs the `mc x kc` block of A starting at `(i0, p0)` into `w[dst..]` as 4-tall strips, each
 * stored k-step by k-step (4 consecutive values per step), zero-padding the last strip. Reads
 * along A's unit stride, so `A` and `A^T` pack equally fast.
 *
 * @example
 * gemmPackA(w, aBase, a, ic, mc, pc, kc);
 */
export function gemmPackA(
  w: Float64Array | Float32Array, dst: number, a: StridedMatrix, i0: number, mc: number, p0: number, kc: number,
): void {
  const ad = a.data, rs = a.rowStride, cs = a.colStride;
  const strips = Math.ceil(mc / 4);
  for (let s = 0; s < strips; s++) {
    const i = i0 + s * 4;
    const height = Math.min(4, i0 + mc - i);
    const base = dst + s * kc * 4;
    if (height < 4) w.fill(0, base, base + kc * 4);
    if (rs === 1 && height === 4) {
      let src = a.offset + i + p0 * cs, d = base;
      for (let p = 0; p < kc; p++, src += cs, d += 4) {
        w[d] = ad[src]!; w[d + 1] = ad[src + 1]!; w[d + 2] = ad[src + 2]!; w[d + 3] = ad[src + 3]!;
      }
    } else {
      for (let ii = 0; ii < height; ii++) {
        let src = a.offset + (i + ii) * rs + p0 * cs, d = base + ii;
        for (let p = 0; p < kc; p++, src += cs, d += 4) w[d] = ad[src]!;
      }
    }
  }
}

/**
 * The register-tiled inner kernel: `C[0..4, 0..8] += Apanel^T Bpanel` over `kc` rank-1 updates.
 *
 * Both packed panels live in the one Float64Array `w` (A strip at `ia`, 4 values per k-step;
 * B strip at `ib`, 8 values per k-step) so each k-step checks a single array, and the packed
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

/**
 * The blocked loops around the module's block kernel (BLIS order, as `gemmBlocked`): MC = 128,
 * NC = 1024, depth blocks of at most 384 split evenly. Shipped to the GEMM workers as source
 * text: references only its parameters, JS globals and the packers of this file by their plain names.
 *
 * @example
 * gemmWasmRun(gemmWasm()!, m, n, k, a, b, c, 0, n);
 */
export function gemmWasmRun(
  w: GemmWasm, m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number,
): void {
  const MC = 128, NC = 1024;
  const KC = Math.ceil(k / Math.ceil(k / 384));
  const ncMax = Math.min(NC, Math.ceil(n / 8) * 8);
  const mcMax = Math.min(MC, Math.ceil(m / 4) * 4);
  // Float offsets of the three regions: packed B, packed A, C block (all 16-byte aligned). The
  // module has no static data (stub runtime, no globals in memory), so it all starts at address 0.
  const bBase = 0, aBase = KC * ncMax, cBase = aBase + KC * mcMax;
  const bytes = (cBase + mcMax * ncMax) * 4;
  const have = w.memory.buffer.byteLength;
  if (have < bytes) w.memory.grow(Math.ceil((bytes - have) / 65536));
  if (w.view.buffer !== w.memory.buffer) w.view = new Float32Array(w.memory.buffer);
  const f = w.view;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncp = Math.ceil(nc / 8) * 8;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      gemmPackB(f, bBase, b, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        gemmPackA(f, aBase, a, ic, mc, pc, kc);
        w.macro(aBase * 4, bBase * 4, cBase * 4, mc, nc, kc);
        let co = cOffset + ic * ldc + jc, src = cBase;
        for (let i = 0; i < mc; i++, co += ldc, src += ncp) {
          for (let j = 0; j < nc; j++) c[co + j] += f[src + j]!;
        }
      }
    }
  }
}
