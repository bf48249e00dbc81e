import type { WgslFunction } from './elementwise-math.js';

/**
 * Division-like helpers in WGSL: float division with IEEE special cases, exact float remainder
 * and floor division, and the CPU engine's int32 floor division, modulo and power.
 */
export const DIVISION_WGSL: Record<string, WgslFunction> = {
  /**
   * a / b. GPU division is only specified for |b| in [2^-126, 2^126] (reciprocal-based), so
   * zero and infinite divisors are decided from the bits and huge ones scaled down first.
   */
  divF: {
    deps: ['nanF', 'fromBitsF'],
    code: /* wgsl */ `fn divF(a: f32, b: f32) -> f32 {
  let ab = bitcast<u32>(a) & 0x7fffffffu;
  let bb = bitcast<u32>(b) & 0x7fffffffu;
  if (ab > 0x7f800000u || bb > 0x7f800000u) { return nanF(); }
  let s = (bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u;
  if (bb == 0u) { return select(fromBitsF(0x7f800000u | s), nanF(), ab == 0u); }
  if (bb == 0x7f800000u) { return select(fromBitsF(s), nanF(), ab == 0x7f800000u); }
  if (ab == 0x7f800000u) { return fromBitsF(0x7f800000u | s); }
  if (bb > 0x7e800000u) { return (a * 0.25) / (b * 0.25); }
  return a / b;
}`,
  },
  /**
   * The exact remainder of finite x by finite nonzero y (C fmod: the sign of x), by long
   * division of the mantissas as musl's fmodf does, plus the low 32 bits of the truncated
   * quotient |x / y| (`exact` when the whole quotient fits in them). Float `%` in WGSL is
   * x - y·trunc(x/y), which is not exact.
   */
  fmodQF: {
    deps: ['fromBitsF'],
    code: /* wgsl */ `struct FmodQ { r: f32, q: u32, exact: bool }
fn fmodQF(x: f32, y: f32) -> FmodQ {
  let sx = bitcast<u32>(x) & 0x80000000u;
  let ax = bitcast<u32>(x) & 0x7fffffffu;
  let ay = bitcast<u32>(y) & 0x7fffffffu;
  if (ax <= ay) {
    if (ax == ay) { return FmodQ(fromBitsF(sx), 1u, true); }
    return FmodQ(x, 0u, true);
  }
  var ex = i32(ax >> 23u);
  var ey = i32(ay >> 23u);
  var mx = (ax & 0x7fffffu) | 0x800000u;
  var my = (ay & 0x7fffffu) | 0x800000u;
  if (ex == 0) { let lz = countLeadingZeros(ax) - 8u; mx = ax << lz; ex = 1 - i32(lz); }
  if (ey == 0) { let lz = countLeadingZeros(ay) - 8u; my = ay << lz; ey = 1 - i32(lz); }
  let exact = ex - ey < 32;
  var q = 0u;
  loop {
    let d = mx - my;
    let fits = (d >> 31u) == 0u;
    q = (q << 1u) | select(0u, 1u, fits);
    if (fits) { mx = d; }
    if (mx == 0u) {
      let rest = u32(ex - ey);
      return FmodQ(fromBitsF(sx), select(0u, q << rest, rest < 32u), exact);
    }
    if (ex == ey) { break; }
    mx = mx << 1u;
    ex = ex - 1;
  }
  let lz = countLeadingZeros(mx) - 8u;
  mx = mx << lz;
  ex = ex - i32(lz);
  var bits: u32;
  if (ex > 0) { bits = (mx - 0x800000u) | (u32(ex) << 23u); } else { bits = mx >> u32(1 - ex); }
  return FmodQ(fromBitsF(bits | sx), q, exact);
}`,
  },
  /** floor(a / b) as Math.floor of the exact quotient, from the integer quotient of fmodQF. */
  floorDivF: {
    deps: ['isFiniteF', 'nonzeroF', 'negF', 'u32ToF32', 'divF', 'fmodQF'],
    code: /* wgsl */ `fn floorDivF(a: f32, b: f32) -> f32 {
  if (!isFiniteF(a) || !isFiniteF(b) || !nonzeroF(b)) {
    let d = divF(a, b);
    return select(d, floor(d), isFiniteF(d));
  }
  let m = fmodQF(a, b);
  if (!m.exact) { return floor(divF(a, b)); }
  if (((bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u) == 0u) { return u32ToF32(m.q); }
  if (!nonzeroF(m.r)) { return negF(u32ToF32(m.q)); }
  if (m.q == 0xffffffffu) { return -4294967296.0; }
  return negF(u32ToF32(m.q + 1u));
}`,
  },
  /** Python/NumPy modulo (the sign of the divisor), from the exact remainder. */
  floorModF: {
    deps: ['isNanF', 'isFiniteF', 'nonzeroF', 'signBitF', 'nanF', 'fmodQF'],
    code: /* wgsl */ `fn floorModF(a: f32, b: f32) -> f32 {
  if (isNanF(a) || isNanF(b) || !isFiniteF(a) || !nonzeroF(b)) { return nanF(); }
  var r = a;
  if (isFiniteF(b)) { r = fmodQF(a, b).r; }
  if (nonzeroF(r) && signBitF(r) != signBitF(b)) { r = r + b; }
  return r;
}`,
  },
  /** Math.floor(a / b) stored as int32: x / 0 is 0, and -2^31 / -1 wraps to -2^31. */
  floorDivI: {
    deps: [],
    code: /* wgsl */ `fn floorDivI(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0 - a; }
  let q = a / b;
  if (a - q * b != 0 && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}`,
  },
  floorModI: {
    deps: [],
    code: /* wgsl */ `fn floorModI(a: i32, b: i32) -> i32 {
  if (b == 0 || b == -1) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}`,
  },
  /** Exact int32 power by squaring, wrapping; negative exponents truncate (only ±1 survive). */
  powI: {
    deps: [],
    code: /* wgsl */ `fn powI(base: i32, e: i32) -> i32 {
  if (e < 0) {
    if (base == 1) { return 1; }
    if (base == -1) { return select(-1, 1, (e & 1) == 0); }
    return 0;
  }
  var r = 1;
  var s = base;
  var k = u32(e);
  loop {
    if ((k & 1u) != 0u) { r = r * s; }
    k = k >> 1u;
    if (k == 0u) { break; }
    s = s * s;
  }
  return r;
}`,
  },
};
