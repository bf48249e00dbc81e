import type { WgslFunction } from './elementwise-math.js';

/** π and π/2 as float32 high parts plus the (negative) remainders the high parts overshoot by. */
const PI_HI = '3.1415927410125732';
const PI_LO = '-8.742278e-8';
const PIO2_HI = '1.5707963705062866';
const PIO2_LO = '-4.371139e-8';

/**
 * Trigonometric functions in float32 WGSL, after Cephes' sinf/cosf/atanf/asinf. sin, cos and tan
 * reduce by π/2 in four parts below 8192 (Cody–Waite) and by Payne–Hanek from there on, so
 * they stay within a few ulps for every finite x
 * (WGSL's built-ins are only specified to 2^-11 absolute error on [-π, π]).
 */
export const TRIG_WGSL: Record<string, WgslFunction> = {
  trigArg: { deps: [], code: 'struct TrigArg { r: f32, q: u32 }' },
  /** 32 × 32 → 64-bit unsigned product as (low, high) words, from 16-bit halves. */
  mulWideU: {
    deps: [],
    code: /* wgsl */ `fn mulWideU(a: u32, b: u32) -> vec2u {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2u((ll & 0xffffu) | (mid << 16u), ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u));
}`,
  },
  /**
   * Payne–Hanek reduction for |x| ≥ 2^13: x = m·2^E exactly, and x·(2/π) mod 4 needs only the
   * 96 bits of 2/π that start where m·2^E stops contributing multiples of 4. Their product with
   * m, in integer arithmetic, gives the quadrant (top 2 bits) and a 94-bit fraction, so the
   * reduced argument is accurate to float32 for every finite x, as the CPU engine's double sin is.
   * The table holds 16 zero bits, then the binary digits of 2/π.
   */
  trigReduceLargeF: {
    deps: ['trigArg', 'mulWideU', 'u32ToF32'],
    code: /* wgsl */ `var<private> TWO_OVER_PI: array<u32, 7> = array<u32, 7>(
  0x0000a2f9u, 0x836e4e44u, 0x1529fc27u, 0x57d1f534u, 0xddc0db62u, 0x95993c43u, 0x9041fe51u);
fn twoOverPiBitsF(j: u32) -> u32 {
  let k = j >> 5u;
  let sh = j & 31u;
  if (sh == 0u) { return TWO_OVER_PI[k]; }
  return (TWO_OVER_PI[k] << sh) | (TWO_OVER_PI[k + 1u] >> (32u - sh));
}
fn trigReduceLargeF(x: f32) -> TrigArg {
  let b = bitcast<u32>(x);
  let m = (b & 0x7fffffu) | 0x800000u;
  // x = m·2^E with E = exponent - 23 >= -10; the window starts at table bit E + 14.
  let j = u32(i32((b >> 23u) & 0xffu) - 136);
  let p2 = mulWideU(m, twoOverPiBitsF(j + 64u));
  let p1 = mulWideU(m, twoOverPiBitsF(j + 32u));
  let p0 = mulWideU(m, twoOverPiBitsF(j));
  let f2 = p2.x;
  let f1 = p1.x + p2.y;
  let top = p0.x + p1.y + select(0u, 1u, f1 < p1.x);
  var q = top >> 30u;
  var w0 = top & 0x3fffffffu;
  var w1 = f1;
  var w2 = f2;
  let past = (w0 & 0x20000000u) != 0u;
  if (past) {
    // A fraction of 1/2 or more is measured back from the next quadrant: negate it on 94 bits.
    q = q + 1u;
    w2 = ~w2 + 1u;
    let c2 = select(0u, 1u, w2 == 0u);
    w1 = ~w1 + c2;
    let c1 = select(0u, 1u, w1 == 0u && c2 == 1u);
    w0 = (~w0 + c1) & 0x3fffffffu;
  }
  let frac = u32ToF32(w0) * 9.313225746154785e-10 + u32ToF32(w1) * 2.168404344971009e-19 + u32ToF32(w2) * 5.048709793414476e-29;
  let r = select(frac, -frac, past) * 1.5707963267948966;
  if ((b >> 31u) != 0u) { return TrigArg(-r, (4u - q) & 3u); }
  return TrigArg(r, q & 3u);
}`,
  },
  /** x = n·π/2 + r with |r| ≤ π/4 and q = n mod 4. */
  trigReduceF: {
    deps: ['trigArg', 'trigReduceLargeF'],
    code: /* wgsl */ `fn trigReduceF(x: f32) -> TrigArg {
  if (abs(x) >= 8192.0) { return trigReduceLargeF(x); }
  // π/2 in four parts, the first three of 8, 11 and 11 bits: n·part is exact for |n| < 2^13.
  let n = round(x * 0.6366197723675814);
  let r = (((x - n * 1.5703125) - n * 4.837512969970703125e-4) - n * 7.549533620476723e-8) - n * 2.5633440682570896e-12;
  return TrigArg(r, bitcast<u32>(i32(n)) & 3u);
}`,
  },
  sinPolyF: {
    deps: [],
    code: /* wgsl */ `fn sinPolyF(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
}`,
  },
  cosPolyF: {
    deps: [],
    code: /* wgsl */ `fn cosPolyF(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}`,
  },
  sinF: {
    deps: ['isFiniteF', 'nanF', 'trigReduceF', 'sinPolyF', 'cosPolyF'],
    code: /* wgsl */ `fn sinF(x: f32) -> f32 {
  if (!isFiniteF(x)) { return nanF(); }
  let a = abs(x);
  if (a < 2.44140625e-4) { return x; }
  let t = trigReduceF(x);
  let v = select(sinPolyF(t.r), cosPolyF(t.r), (t.q & 1u) != 0u);
  return select(v, -v, (t.q & 2u) != 0u);
}`,
  },
  cosF: {
    deps: ['isFiniteF', 'nanF', 'trigReduceF', 'sinPolyF', 'cosPolyF'],
    code: /* wgsl */ `fn cosF(x: f32) -> f32 {
  if (!isFiniteF(x)) { return nanF(); }
  let t = trigReduceF(x);
  let v = select(cosPolyF(t.r), sinPolyF(t.r), (t.q & 1u) != 0u);
  return select(v, -v, ((t.q + 1u) & 2u) != 0u);
}`,
  },
  tanF: {
    deps: ['isFiniteF', 'nanF', 'trigReduceF', 'sinPolyF', 'cosPolyF'],
    code: /* wgsl */ `fn tanF(x: f32) -> f32 {
  if (!isFiniteF(x)) { return nanF(); }
  let a = abs(x);
  if (a < 2.44140625e-4) { return x; }
  let t = trigReduceF(x);
  let s = sinPolyF(t.r);
  let c = cosPolyF(t.r);
  return select(s / c, -c / s, (t.q & 1u) != 0u);
}`,
  },
  /** Cephes atanf: reduce to |x| ≤ tan(π/8) with atan(x) = π/4 + atan((x-1)/(x+1)) or π/2 - atan(1/x). */
  atanF: {
    deps: ['isNanF', 'absF', 'copySignF'],
    code: /* wgsl */ `fn atanF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  var a = absF(x);
  var hi = 0.0;
  var lo = 0.0;
  if (a > 2.414213562373095) {
    hi = ${PIO2_HI}; lo = ${PIO2_LO};
    a = -1.0 / a;
  } else if (a > 0.4142135623730950) {
    hi = 0.7853981852531433; lo = -2.1855695e-8;
    a = (a - 1.0) / (a + 1.0);
  }
  let z = a * a;
  let p = (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * a;
  return copySignF(hi + ((p + lo) + a), x);
}`,
  },
  /** Math.atan2 with every signed-zero and infinity case of IEEE 754 / ECMAScript. */
  atan2F: {
    deps: ['isNanF', 'isInfF', 'nanF', 'absF', 'signBitF', 'copySignF', 'atanF'],
    code: /* wgsl */ `fn atan2F(y: f32, x: f32) -> f32 {
  if (isNanF(x) || isNanF(y)) { return nanF(); }
  let ay = absF(y);
  let ax = absF(x);
  let left = signBitF(x);
  var r: f32;
  if ((bitcast<u32>(ay)) == 0u) {
    r = select(0.0, ${PI_HI}, left);
  } else if ((bitcast<u32>(ax)) == 0u) {
    r = ${PIO2_HI};
  } else if (isInfF(x)) {
    if (isInfF(y)) { r = select(0.7853981852531433, 2.356194496154785, left); } else { r = select(0.0, ${PI_HI}, left); }
  } else if (isInfF(y)) {
    r = ${PIO2_HI};
  } else {
    let t = atanF(ay / ax);
    r = select(t, ${PI_HI} + (${PI_LO} - t), left);
  }
  return copySignF(r, y);
}`,
  },
  /** Cephes asinf: a polynomial in x² up to 1/2, asin(x) = π/2 - 2·asin(√((1-x)/2)) above. */
  asinF: {
    deps: ['isNanF', 'nanF', 'absF', 'copySignF'],
    code: /* wgsl */ `fn asinF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  let a = absF(x);
  if (a > 1.0) { return nanF(); }
  let big = a > 0.5;
  var z = a * a;
  var w = a;
  if (big) { z = 0.5 * (1.0 - a); w = sqrt(z); }
  var r = ((((4.2163199048e-2 * z + 2.4181311049e-2) * z + 4.5470025998e-2) * z + 7.4953002686e-2) * z + 1.6666752422e-1) * z * w + w;
  if (big) { r = ${PIO2_HI} + (${PIO2_LO} - 2.0 * r); }
  return copySignF(r, x);
}`,
  },
  acosF: {
    deps: ['isNanF', 'nanF', 'asinF'],
    code: /* wgsl */ `fn acosF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  if (abs(x) > 1.0) { return nanF(); }
  if (x < -0.5) { return ${PI_HI} + (${PI_LO} - 2.0 * asinF(sqrt(0.5 * (1.0 + x)))); }
  if (x > 0.5) { return 2.0 * asinF(sqrt(0.5 * (1.0 - x))); }
  return ${PIO2_HI} + (${PIO2_LO} - asinF(x));
}`,
  },
};
