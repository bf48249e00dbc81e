import type { WgslFunction } from './elementwise-math.js';

/**
 * exp, expm1, log, log1p, sqrt, rsqrt, pow, sigmoid and softplus in float32 WGSL, within a few
 * ulps. exp reduces by n·ln2 split in two (Cody–Waite, Cephes' expf polynomial), log by the
 * exponent bits; neither relies on float tricks a reassociating shader compiler could undo.
 */
export const EXP_LOG_WGSL: Record<string, WgslFunction> = {
  /**
   * e^x · 2^n for |x| up to a few hundred, rounding once even where the result is near float32's
   * overflow or in its subnormal range (the scaling goes through two exact powers of two).
   */
  expScaledF: {
    deps: ['infF', 'pow2F'],
    code: /* wgsl */ `fn expScaledF(x: f32, n: i32) -> f32 {
  let k = round(x * 1.4426950408889634);
  // ln2 = 0.693359375 - 2.12194440e-4; k * 0.693359375 is exact (9 + 15 bits).
  let r = (x - k * 0.693359375) + k * 2.12194440e-4;
  let z = r * r;
  var p = 1.9875691500e-4;
  p = p * r + 1.3981999507e-3;
  p = p * r + 8.3334519073e-3;
  p = p * r + 4.1665795894e-2;
  p = p * r + 1.6666665459e-1;
  p = p * r + 5.0000001201e-1;
  let y = p * z + r + 1.0;
  let e = i32(k) + n;
  if (e > 128) { return infF(); }
  if (e < -151) { return 0.0; }
  let e1 = e / 2;
  return y * pow2F(e1) * pow2F(e - e1);
}`,
  },
  expF: {
    deps: ['isNanF', 'infF', 'expScaledF'],
    code: /* wgsl */ `fn expF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  if (x > 88.72283172607422) { return infF(); }
  if (x < -103.97208) { return 0.0; }
  return expScaledF(x, 0);
}`,
  },
  /** Taylor series near 0 (where exp(x) - 1 would cancel), exp(x) - 1 elsewhere. */
  expm1F: {
    deps: ['expF'],
    code: /* wgsl */ `fn expm1F(x: f32) -> f32 {
  let a = abs(x);
  // Below 2^-24 expm1(x) rounds to x itself (which also keeps the sign of -0).
  if (a < 5.9604645e-8) { return x; }
  if (a < 0.35) {
    var p = 1.0 / 40320.0;
    p = p * x + 1.0 / 5040.0;
    p = p * x + 1.0 / 720.0;
    p = p * x + 1.0 / 120.0;
    p = p * x + 1.0 / 24.0;
    p = p * x + 1.0 / 6.0;
    p = p * x + 0.5;
    return x + x * (x * p);
  }
  return expF(x) - 1.0;
}`,
  },
  /**
   * Positive finite x as 2^e · f with f in [√2/2, √2). Subnormals are normalized with integer
   * ops, so flush-to-zero hardware still sees them.
   */
  logReduceF: {
    deps: [],
    code: /* wgsl */ `struct LogParts { e: i32, f: f32 }
fn logReduceF(x: f32) -> LogParts {
  let b = bitcast<u32>(x);
  var e = i32(b >> 23u) - 127;
  var m = b & 0x7fffffu;
  if (e == -127) {
    let lz = countLeadingZeros(m) - 8u;
    m = (m << lz) & 0x7fffffu;
    e = -126 - i32(lz);
  }
  var f = bitcast<f32>(0x3f800000u | m);
  if (f > 1.41421356) { f = f * 0.5; e = e + 1; }
  return LogParts(e, f);
}`,
  },
  /** 2·atanh(s) = log((1 + s)/(1 - s)) for |s| ≤ 0.172, as a series in s² (error below 1e-9). */
  logAtanhSeriesF: {
    deps: [],
    code: /* wgsl */ `fn logAtanhSeriesF(s: f32) -> f32 {
  let z = s * s;
  var p = 2.0 / 9.0;
  p = p * z + 2.0 / 7.0;
  p = p * z + 2.0 / 5.0;
  p = p * z + 2.0 / 3.0;
  return 2.0 * s + s * (z * p);
}`,
  },
  /** log(f) for f in [√2/2, √2], through s = (f - 1)/(f + 1). */
  logSeriesF: {
    deps: ['logAtanhSeriesF'],
    code: 'fn logSeriesF(f: f32) -> f32 { return logAtanhSeriesF((f - 1.0) / (f + 1.0)); }',
  },
  logF: {
    deps: ['isNanF', 'nanF', 'infF', 'logReduceF', 'logSeriesF'],
    code: /* wgsl */ `fn logF(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) == 0u) { return -infF(); }
  if (b >= 0x7f800000u) {
    if (b == 0x7f800000u || isNanF(x)) { return x; }
    return nanF();
  }
  let parts = logReduceF(x);
  let ef = f32(parts.e);
  return ef * 0.693359375 + (logSeriesF(parts.f) - ef * 2.12194440e-4);
}`,
  },
  /**
   * Near 0 (1 + x in [√2/2, √2]) the series of logF in s = x / (2 + x), which needs no 1 + x:
   * the textbook correction log(1 + x) + (x - ((1 + x) - 1)) / (1 + x) is folded to nothing by
   * shader compilers that reassociate float math (Mesa's does). Elsewhere log(1 + x) is exact enough.
   */
  log1pF: {
    deps: ['isNanF', 'logF', 'logAtanhSeriesF'],
    code: /* wgsl */ `fn log1pF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  if (x > -0.2928932 && x < 0.4142135) { return logAtanhSeriesF(x / (2.0 + x)); }
  return logF(1.0 + x);
}`,
  },
  sqrtF: {
    deps: ['isNanF', 'signBitF', 'nanF'],
    code: /* wgsl */ `fn sqrtF(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) == 0u || b == 0x7f800000u || isNanF(x)) { return x; }
  if (signBitF(x)) { return nanF(); }
  return sqrt(x);
}`,
  },
  /** 1 / sqrt(x): ±0 give ±Infinity (1 / ±0), +Infinity gives 0, negatives NaN. */
  rsqrtF: {
    deps: ['isNanF', 'signBitF', 'nanF', 'infF', 'copySignF'],
    code: /* wgsl */ `fn rsqrtF(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) == 0u) { return copySignF(infF(), x); }
  if (isNanF(x)) { return x; }
  if (signBitF(x)) { return nanF(); }
  if (b == 0x7f800000u) { return 0.0; }
  return inverseSqrt(x);
}`,
  },
  /** x^n for a small integer n ≥ 0 by repeated squaring: exact for exact results, a few ulps otherwise. */
  powIntF: {
    deps: [],
    code: /* wgsl */ `fn powIntF(x: f32, n: u32) -> f32 {
  var r = 1.0;
  var s = x;
  var k = n;
  loop {
    if ((k & 1u) != 0u) { r = r * s; }
    k = k >> 1u;
    if (k == 0u) { break; }
    s = s * s;
  }
  return r;
}`,
  },
  /**
   * a^b for finite a > 0 and finite b, as 2^(b·e) · e^(b·log f) with a = 2^e · f. b·e is split
   * exactly into an integer n and a fraction (b's top 12 bits, masked off as bits so that no
   * compiler can fold the split, times the small integer e is exact), so only b·log f carries
   * float32 rounding: large results of bases far from 1 keep a few-ulp accuracy.
   */
  powPosF: {
    deps: ['infF', 'logReduceF', 'logSeriesF', 'expScaledF'],
    code: /* wgsl */ `fn powPosF(a: f32, b: f32) -> f32 {
  let parts = logReduceF(a);
  let ef = f32(parts.e);
  let lf = logSeriesF(parts.f);
  let log2a = ef + lf * 1.4426950408889634;
  let approx = b * log2a;
  if (approx > 200.0) { return infF(); }
  if (approx < -200.0) { return 0.0; }
  let bh = bitcast<f32>(bitcast<u32>(b) & 0xfffff000u);
  let bl = b - bh;
  let ph = bh * ef;
  let n = round(ph);
  let t = ((ph - n) + bl * ef) * 0.6931471805599453 + b * lf;
  return expScaledF(t, i32(n));
}`,
  },
  /**
   * Math.pow with C99's special cases (pow(1, y) = 1 even for NaN y, pow(-1, ±∞) = 1), as the
   * CPU engine's floatPow. Integer exponents up to 16 multiply (exact where the result is); others
   * go through powPosF.
   */
  powF: {
    deps: ['isNanF', 'isInfF', 'nanF', 'infF', 'absF', 'copySignF', 'fromBitsF', 'powIntF', 'powPosF'],
    code: /* wgsl */ `fn powF(a: f32, b: f32) -> f32 {
  if (bitcast<u32>(a) == 0x3f800000u || (bitcast<u32>(b) & 0x7fffffffu) == 0u) { return 1.0; }
  if (isNanF(a) || isNanF(b)) { return nanF(); }
  let aa = absF(a);
  if (isInfF(b)) {
    if (aa == 1.0) { return 1.0; }
    return select(0.0, infF(), (aa > 1.0) == (b > 0.0));
  }
  let ab = absF(b);
  let bInt = floor(b) == b;
  let bOdd = bInt && ab < 16777216.0 && (i32(b) & 1) == 1;
  if ((bitcast<u32>(a) & 0x7fffffffu) == 0u) {
    if (b < 0.0) { return select(infF(), copySignF(infF(), a), bOdd); }
    return select(0.0, a, bOdd);
  }
  if (isInfF(a)) {
    let r = select(0.0, infF(), b > 0.0);
    return select(r, -r, a < 0.0 && bOdd);
  }
  if (a < 0.0 && !bInt) { return nanF(); }
  var r: f32;
  if (bInt && ab <= 16.0) {
    r = powIntF(aa, u32(ab));
    if (b < 0.0) { r = 1.0 / r; }
  } else {
    r = powPosF(aa, b);
  }
  return select(r, -r, a < 0.0 && bOdd);
}`,
  },
  /** Two forms so that neither overflows: 1/(1 + e^-x) for x ≥ 0, e^x/(1 + e^x) below. */
  sigmoidF: {
    deps: ['isNanF', 'expF'],
    code: /* wgsl */ `fn sigmoidF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + expF(-x)); }
  let e = expF(x);
  return e / (1.0 + e);
}`,
  },
  softplusF: {
    deps: ['isNanF', 'log1pF', 'expF', 'absF'],
    code: /* wgsl */ `fn softplusF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  return log1pF(expF(-absF(x))) + max(x, 0.0);
}`,
  },
};
