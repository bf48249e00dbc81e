import { GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64 } from '../wasm/gemm-wasm.generated.js';
import type { StridedMatrix } from './gemm-types.js';

/*
 * The blocked GEMM with a WebAssembly SIMD micro-kernel (assembly/gemm.ts: 4 x 8 tiles of f32x4
 * accumulators; fused multiply-add from relaxed SIMD where the engine has it, else mul + add;
 * float32 accumulation). The same BLIS loop order as gemm-blocked.ts: JS packs A and B into
 * the module's memory as float32 strips (4-row strips of A, 8-column strips of B, k-step by
 * k-step, zero-padded), the module multiplies one packed A block by one packed B block into a
 * C block in its memory, and JS adds the valid part into C.
 *
 * Loaded synchronously and only where the engine can run it: `WebAssembly.validate` of the modules
 * themselves is the feature test (relaxed-SIMD build first, then the plain SIMD one).
 * `STRATA_CPU_WASM=0` turns it off (the pure-TS kernel runs). The worker pool ships
 * `gemmWasmInstantiate`, `gemmWasmRun` and the packers to its workers as source text, so each
 * worker instantiates its own copy of the module.
 */

/** The instantiated module: its memory, the block kernel, and a float view of the memory. */
export interface GemmWasm {
  readonly memory: WebAssembly.Memory;
  readonly macro: (pa: number, pb: number, pc: number, mc: number, nc: number, kc: number) => void;
  view: Float32Array;
  /** True for the relaxed-SIMD build (fused multiply-add). */
  readonly fma: boolean;
}

let loaded: GemmWasm | null | undefined;

/**
 * Instantiates the module synchronously from its base64 text, the relaxed-SIMD build (fused
 * multiply-add) first when given and valid here, else the plain SIMD build; null where WebAssembly
 * or its SIMD is missing or `STRATA_CPU_WASM=0`. Shipped to the GEMM workers as source text, so
 * it references only its parameters and JS globals.
 *
 * @example
 * const w = gemmWasmInstantiate(GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64);
 */
export function gemmWasmInstantiate(base64: string, relaxedBase64?: string): GemmWasm | null {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Buffer?: { from(s: string, e: string): Uint8Array };
  };
  if (g.process?.env?.STRATA_CPU_WASM === '0' || typeof WebAssembly !== 'object') return null;
  const decode = (text: string): Uint8Array<ArrayBuffer> => {
    if (g.Buffer !== undefined) return new Uint8Array(g.Buffer.from(text, 'base64')) as Uint8Array<ArrayBuffer>;
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  };
  const candidates: [string, boolean][] = relaxedBase64 === undefined ? [] : [[relaxedBase64, true]];
  candidates.push([base64, false]);
  for (const [text, fma] of candidates) {
    try {
      const bytes = decode(text);
      // The modules use SIMD (and relaxed SIMD) throughout, so validating them is the feature test.
      if (!WebAssembly.validate(bytes)) continue;
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      const memory = instance.exports['memory'] as WebAssembly.Memory;
      const macro = instance.exports['macro'] as GemmWasm['macro'];
      return { memory, macro, view: new Float32Array(memory.buffer), fma };
    } catch {
      // Try the next build, else fall back to the TS kernel.
    }
  }
  return null;
}

/**
 * This thread's module, instantiated on first call; null where it cannot run here.
 *
 * @example
 * const w = gemmWasm();
 * if (w !== null) gemmWasmRun(w, m, n, k, a, b, c, 0, n);
 */
export function gemmWasm(): GemmWasm | null {
  if (loaded === undefined) loaded = gemmWasmInstantiate(GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64);
  return loaded;
}

/**
 * Whether the WebAssembly SIMD GEMM can run here (module valid, not disabled by
 * `STRATA_CPU_WASM=0`). Loads the module on first call.
 *
 * @example
 * if (gemmWasmAvailable()) gemmBlockedWasm(m, n, k, a, b, c, 0, n);
 */
export function gemmWasmAvailable(): boolean {
  return gemmWasm() !== null;
}

/**
 * Adds `A B` into C (row-major, leading dimension `ldc` from `cOffset`) with the WebAssembly
 * micro-kernel on this thread. Requires `m, n, k >= 1` and `gemmWasmAvailable()`; the result
 * matches `gemmBlocked` within float32 rounding (it accumulates in float32 where the TS kernel
 * uses doubles).
 *
 * @example
 * gemmBlockedWasm(m, n, k, a, b, c, 0, n);
 */
export function gemmBlockedWasm(
  m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number,
): void {
  const w = gemmWasm();
  if (w === null) throw new Error('gemmBlockedWasm: WebAssembly SIMD is not available');
  gemmWasmRun(w, m, n, k, a, b, c, cOffset, ldc);
}

/**
 * The blocked loops around the module's block kernel (BLIS order, as `gemmBlocked`): MC = 128,
 * NC = 1024, depth blocks of at most 384 split evenly. Shipped to the GEMM workers as source
 * text: references only its parameters, JS globals and the packers by their plain names.
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
      gemmWasmPackB(f, bBase, b, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        gemmWasmPackA(f, aBase, a, ic, mc, pc, kc);
        w.macro(aBase * 4, bBase * 4, cBase * 4, mc, nc, kc);
        let co = cOffset + ic * ldc + jc, src = cBase;
        for (let i = 0; i < mc; i++, co += ldc, src += ncp) {
          for (let j = 0; j < nc; j++) c[co + j] += f[src + j]!;
        }
      }
    }
  }
}

/**
 * `gemmPackB` of gemm-blocked.ts into float32: 8-column strips, k-step by k-step, zero-padded.
 *
 * @example
 * gemmWasmPackB(view, 0, b, pc, kc, jc, nc);
 */
export function gemmWasmPackB(
  w: Float32Array, dst: number, b: StridedMatrix, p0: number, kc: number, j0: number, nc: number,
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
 * `gemmPackA` of gemm-blocked.ts into float32: 4-row strips, k-step by k-step, zero-padded.
 *
 * @example
 * gemmWasmPackA(view, aBase, a, ic, mc, pc, kc);
 */
export function gemmWasmPackA(
  w: Float32Array, dst: number, a: StridedMatrix, i0: number, mc: number, p0: number, kc: number,
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
