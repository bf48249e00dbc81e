import { GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64 } from '../wasm/gemm-wasm.generated.js';
import { gemmWasmRun } from './gemm-blocked.js';

// The loops around the module live with the packers they share with the TS kernel (see gemm-blocked.ts).
export { gemmWasmRun };
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
 * `gemmWasmInstantiate` and gemm-blocked.ts's `gemmWasmRun` (the blocked loops around the module,
 * beside the packers it shares with the TS kernel) to its workers as source text, so each
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
