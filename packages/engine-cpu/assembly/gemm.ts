// WebAssembly SIMD micro-kernels for the packed, blocked GEMM (compiled by `pnpm build:wasm`).
//
// Packed layout (written by the JS packer, see src/kernels/gemm-wasm.ts): A in 4-row strips, B in
// 8-column strips, each stored k-step by k-step as float32, zero-padded to whole strips. `macro`
// computes the whole packed block product into a row-major C block of `ceil(nc / 8) * 8` columns,
// overwriting it; the caller adds the valid part into the real C.
//
// Built twice: plain SIMD (multiply then add) and, with `--enable relaxed-simd`, fused
// multiply-add (`f32x4.relaxed_madd`); the loader picks the relaxed build only where the engine
// validates it.

// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline
function micro(pa: usize, pb: usize, kc: i32, pc: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  v128.store(pc, c00); v128.store(pc, c01, 16); pc += ldc;
  v128.store(pc, c10); v128.store(pc, c11, 16); pc += ldc;
  v128.store(pc, c20); v128.store(pc, c21, 16); pc += ldc;
  v128.store(pc, c30); v128.store(pc, c31, 16);
}

/**
 * C block (row-major, `ceil(nc/8)*8` floats per row, at byte address `pc`) = packed A block
 * (`ceil(mc/4)` strips of `kc x 4` at `pa`) times packed B block (`ceil(nc/8)` strips of
 * `kc x 8` at `pb`). Requires kc >= 1.
 */
export function macro(pa: usize, pb: usize, pc: usize, mc: i32, nc: i32, kc: i32): void {
  const strideC = (<usize>((nc + 7) >> 3)) << 5; // bytes per C block row
  const ldc4 = strideC << 2;
  for (let jr = 0; jr < nc; jr += 8) {
    const b = pb + (<usize>jr) * (<usize>kc) * 4;
    let c = pc + (<usize>jr) * 4;
    let a = pa;
    for (let ir = 0; ir < mc; ir += 4) {
      micro(a, b, kc, c, strideC);
      a += (<usize>kc) << 4;
      c += ldc4;
    }
  }
}
