import type { ConvGeometry } from '@strata/engine-api';
import { gcd, geometryUniforms } from './conv-geometry.js';
import type { ImplicitGemm } from './conv-gemm.js';

/*
 * The gathers of the three conv2d GEMMs (see conv-gemm.ts for the functions each must declare).
 * Patch index k = (ky, kx, c) with c fastest, output pixel m = (n, oy, ox) with ox fastest, so
 * both walk memory the way channels-last tensors lie. Coordinates outside the input read as 0,
 * like the CPU engine's im2col.
 */

/** Decodes a pixel index into the top-left input coordinate of its window (shared by two GEMMs). */
const WINDOW_ORIGIN = /* wgsl */ `
struct Window { img: i32, iy0: i32, ix0: i32 }
fn windowOf(p: u32) -> Window {
  let ox = p % u.OW; let t = p / u.OW;
  return Window(i32((t / u.OH) * u.H), i32((t % u.OH) * u.sh) - u.pt, i32(ox * u.sw) - u.pl);
}
struct Tap { dy: i32, dx: i32, ch: u32 }
fn tapOf(k: u32) -> Tap {
  let ch = k % u.C; let t = k / u.C;
  return Tap(i32((t / u.KW) * u.dh), i32((t % u.KW) * u.dw), ch);
}
fn patchValue(w: Window, t: Tap) -> f32 {
  let iy = w.iy0 + t.dy; let ix = w.ix0 + t.dx;
  // Negative coordinates wrap to huge u32s, so one comparison per axis bounds both sides.
  if (u32(iy) >= u.H || u32(ix) >= u.W) { return 0.0; }
  return in0[(u32(w.img + iy) * u.W + u32(ix)) * u.C + t.ch];
}`;

/**
 * conv2d: `out[m, oc] = sum_k patch(x)[m, k] * filter[k, oc]`, with `in0 = x`, `in1 = filter`.
 *
 * @example
 * runtime.run(implicitGemmProgram(forwardGemm(g)), [x, filter], [out]);
 */
export function forwardGemm(g: ConvGeometry): ImplicitGemm {
  const M = g.batch * g.outH * g.outW;
  return {
    name: 'conv2d',
    aOrder: 'k',
    bOrder: 'n',
    uniforms: [...geometryUniforms(g), ['M', 'u32', M], ['K', 'u32', g.kH * g.kW * g.inC]],
    maxM: M,
    n: g.outC,
    groups: 1,
    operands: /* wgsl */ `${WINDOW_ORIGIN}
struct Ctx { M: u32, N: u32, kBegin: u32, kEnd: u32 }
fn context(grp: u32) -> Ctx { return Ctx(u.M, u.OC, 0u, u.K); }
fn aOuter(c: Ctx, m: u32) -> Window { return windowOf(m); }
fn aInner(c: Ctx, k: u32) -> Tap { return tapOf(k); }
fn aLoad(c: Ctx, o: Window, i: Tap) -> f32 { return patchValue(o, i); }
fn bOuter(c: Ctx, n: u32) -> u32 { return n; }
fn bInner(c: Ctx, k: u32) -> u32 { return k * u.OC; }
fn bLoad(c: Ctx, o: u32, i: u32) -> f32 { return in1[i + o]; }
fn cRow(c: Ctx, m: u32) -> u32 { return m * u.OC; }`,
  };
}

/**
 * conv2dBackpropFilter: `dfilter[k, oc] = sum_p patch(x)[p, k] * dy[p, oc]` over output pixels
 * p, with `in0 = x`, `in1 = dy`. The sum over p is long and the filter small, so p is cut into
 * `splits` chunks, one group each, whose partial products land in consecutive `[K, OC]` slices of
 * `out0` (summed afterwards); `splits = 1` writes the filter gradient directly.
 *
 * @example
 * runtime.run(implicitGemmProgram(filterGemm(g, 4, chunk)), [x, dy], [partials]);
 */
export function filterGemm(g: ConvGeometry, splits: number, chunk: number): ImplicitGemm {
  const K = g.kH * g.kW * g.inC;
  return {
    name: 'conv2dBackpropFilter',
    aOrder: 'm',
    bOrder: 'n',
    uniforms: [
      ...geometryUniforms(g), ['M', 'u32', K], ['P', 'u32', g.batch * g.outH * g.outW], ['chunk', 'u32', chunk],
    ],
    maxM: K,
    n: g.outC,
    groups: splits,
    operands: /* wgsl */ `${WINDOW_ORIGIN}
struct Ctx { M: u32, N: u32, kBegin: u32, kEnd: u32, base: u32 }
fn context(grp: u32) -> Ctx {
  let begin = grp * u.chunk;
  return Ctx(u.M, u.OC, begin, min(u.P, begin + u.chunk), grp * u.M * u.OC);
}
fn aOuter(c: Ctx, m: u32) -> Tap { return tapOf(m); }
fn aInner(c: Ctx, p: u32) -> Window { return windowOf(p); }
fn aLoad(c: Ctx, o: Tap, i: Window) -> f32 { return patchValue(i, o); }
fn bOuter(c: Ctx, n: u32) -> u32 { return n; }
fn bInner(c: Ctx, p: u32) -> u32 { return p * u.OC; }
fn bLoad(c: Ctx, o: u32, i: u32) -> f32 { return in1[i + o]; }
fn cRow(c: Ctx, m: u32) -> u32 { return c.base + m * u.OC; }`,
  };
}

/**
 * conv2dBackpropInput: the transposed convolution `dx[n, iy, ix, c] = sum dy[n, oy, ox, oc] *
 * filter[ky, kx, c, oc]` over taps with `iy = oy * sh - pt + ky * dh` (and the same across).
 *
 * With stride s only one tap in s (per axis) can land on a given input row, and which ones
 * depends on the row's residue mod s. Input pixels are therefore split into `sh * sw` phases of
 * equal residue, one group each, whose GEMM runs over exactly the taps that reach them: no work
 * is spent on the zeros a dilated-dy formulation would multiply. Within a phase, taps step by
 * `sh / gcd(sh, dh)` and the matching dy row steps by `dh / gcd(sh, dh)`.
 *
 * `in0 = dy`, `in1 = filter`; GEMM row m = pixel (n, j, i) of the phase, k = (tap, oc), column c.
 * A phase tap whose dy cell lies outside dy reads 0 and still multiplies its filter value, so a
 * non-finite filter value makes such border cells NaN where the CPU engine (which drops those
 * taps) stays finite; finite filters give the same sums.
 *
 * @example
 * runtime.run(implicitGemmProgram(inputGemm(g)), [dy, filter], [dx]);
 */
export function inputGemm(g: ConvGeometry): ImplicitGemm {
  const gy = gcd(g.strideH, g.dilationH), gx = gcd(g.strideW, g.dilationW);
  const maxRows = Math.ceil(g.inH / g.strideH) * Math.ceil(g.inW / g.strideW);
  return {
    name: 'conv2dBackpropInput',
    aOrder: 'k',
    bOrder: 'k',
    uniforms: [
      ...geometryUniforms(g),
      ['kyStep', 'u32', g.strideH / gy], ['kxStep', 'u32', g.strideW / gx],
      ['oyStep', 'u32', g.dilationH / gy], ['oxStep', 'u32', g.dilationW / gx],
    ],
    maxM: g.batch * maxRows,
    n: g.inC,
    groups: g.strideH * g.strideW,
    operands: /* wgsl */ `
struct Ctx {
  M: u32, N: u32, kBegin: u32, kEnd: u32,
  py: u32, px: u32, ky0: u32, kx0: u32, kxCount: u32, rowsY: u32, rowsX: u32,
}
// The first tap in [0, step) with tap * d = (p + pad) mod s, or taps when there is none.
fn firstTap(p: u32, pad: i32, s: u32, d: u32, step: u32, taps: u32) -> u32 {
  let r = (p + u32(pad)) % s;
  for (var t = 0u; t < min(step, taps); t++) {
    if ((t * d) % s == r) { return t; }
  }
  return taps;
}
fn tapCount(first: u32, step: u32, taps: u32) -> u32 {
  if (first >= taps) { return 0u; }
  return (taps - 1u - first) / step + 1u;
}
fn phaseRows(p: u32, extent: u32, s: u32) -> u32 {
  if (p >= extent) { return 0u; }
  return (extent - p + s - 1u) / s;
}
fn context(grp: u32) -> Ctx {
  let py = grp / u.sw; let px = grp % u.sw;
  let ky0 = firstTap(py, u.pt, u.sh, u.dh, u.kyStep, u.KH);
  let kx0 = firstTap(px, u.pl, u.sw, u.dw, u.kxStep, u.KW);
  let kxCount = tapCount(kx0, u.kxStep, u.KW);
  let rowsY = phaseRows(py, u.H, u.sh); let rowsX = phaseRows(px, u.W, u.sw);
  let K = tapCount(ky0, u.kyStep, u.KH) * kxCount * u.OC;
  return Ctx(u.N * rowsY * rowsX, u.C, 0u, K, py, px, ky0, kx0, kxCount, rowsY, rowsX);
}
// dy row and column reached by the phase's first taps; later taps step back from them.
struct AOuter { img: i32, oy: i32, ox: i32 }
fn aOuter(c: Ctx, m: u32) -> AOuter {
  let i = m % c.rowsX; let t = m / c.rowsX;
  let iy = i32(c.py + (t % c.rowsY) * u.sh); let ix = i32(c.px + i * u.sw);
  // Exact divisions: the phase's taps make the numerators multiples of the strides.
  let oy = (iy + u.pt - i32(c.ky0 * u.dh)) / i32(u.sh);
  let ox = (ix + u.pl - i32(c.kx0 * u.dw)) / i32(u.sw);
  return AOuter(i32((t / c.rowsY) * u.OH), oy, ox);
}
struct AInner { dy: i32, dx: i32, oc: u32 }
fn aInner(c: Ctx, k: u32) -> AInner {
  let oc = k % u.OC; let t = k / u.OC;
  return AInner(i32((t / c.kxCount) * u.oyStep), i32((t % c.kxCount) * u.oxStep), oc);
}
fn aLoad(c: Ctx, o: AOuter, i: AInner) -> f32 {
  let oy = o.oy - i.dy; let ox = o.ox - i.dx;
  if (u32(oy) >= u.OH || u32(ox) >= u.OW) { return 0.0; }
  return in0[(u32(o.img + oy) * u.OW + u32(ox)) * u.OC + i.oc];
}
fn bOuter(c: Ctx, n: u32) -> u32 { return n * u.OC; }
fn bInner(c: Ctx, k: u32) -> u32 {
  let oc = k % u.OC; let t = k / u.OC;
  let ky = c.ky0 + (t / c.kxCount) * u.kyStep; let kx = c.kx0 + (t % c.kxCount) * u.kxStep;
  return (ky * u.KW + kx) * u.C * u.OC + oc;
}
fn bLoad(c: Ctx, o: u32, i: u32) -> f32 { return in1[i + o]; }
fn cRow(c: Ctx, m: u32) -> u32 {
  let i = m % c.rowsX; let t = m / c.rowsX;
  let iy = c.py + (t % c.rowsY) * u.sh; let ix = c.px + i * u.sw;
  return (((t / c.rowsY) * u.H + iy) * u.W + ix) * u.C;
}`,
  };
}
