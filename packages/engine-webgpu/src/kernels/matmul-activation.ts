import type { FusedActivation } from '@strata/engine-api';

// WGSL versions of the fused matmul activations, with the CPU engine's semantics
// (engine-cpu/src/kernels/gemm-epilogue.ts): NaN passes through every branch, relu maps -0 to 0,
// gelu (erf form) and swish give their limit 0 at -Infinity. They avoid the GPU built-ins whose
// edge cases differ between drivers (tanh overflowing to NaN, min/max/select dropping NaN) and
// compute expm1 and erfc without cancellation, so small and very negative inputs keep their
// relative accuracy in f32.

/** NaN tested on the bits: comparisons with NaN may be folded away by shader compilers. */
const IS_NAN = /* wgsl */ `
fn actIsNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
`;

/**
 * e^x - 1, keeping the sign of zero. Below |x| = 0.5 a Taylor polynomial (the x^10 term is below
 * 3e-10 there, far under f32 precision); above, exp(x) - 1 loses at most a couple of bits since
 * |e^x - 1| > 0.39.
 */
const EXPM1 = /* wgsl */ `
fn actExpm1(x: f32) -> f32 {
  if (x == 0.0) { return x; }
  if (abs(x) < 0.5) {
    let p = 1.0 / 2.0 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0
      + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0)))))));
    return x + x * x * p;
  }
  return exp(x) - 1.0;
}
`;

/**
 * Logistic sigmoid: e^-x overflows to +Inf for very negative x and the quotient is the correct 0;
 * NaN propagates through the arithmetic.
 */
const SIGMOID = /* wgsl */ `
fn actSigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
`;

/**
 * tanh from expm1 on |x| with the sign put back on the bits (so -0 stays -0); beyond |x| = 10,
 * tanh is 1 in f32 and the quotient would overflow to Inf/Inf.
 */
const TANH = /* wgsl */ `
fn actTanh(x: f32) -> f32 {
  if (actIsNan(x)) { return x; }
  let y = abs(x);
  var t = 1.0;
  if (y < 10.0) { let e = actExpm1(2.0 * y); t = e / (e + 2.0); }
  return bitcast<f32>(bitcast<u32>(t) | (bitcast<u32>(x) & 0x80000000u));
}
`;

/**
 * erfc(y) for y > 0.46875 and 0.5·x·(1 + erf(x/√2)), after W. J. Cody's rational approximations
 * (the CPU engine's erf.ts), in f32. gelu takes the erfc branch for |x/√2| > 0.46875, so the
 * negative tail is 0.5·x·erfc(|x|/√2) with no cancellation in 1 + erf.
 */
const GELU = /* wgsl */ `
fn actExpMinusSquare(y: f32) -> f32 {
  // y split into a head with 4 fractional bits, whose square is exact, and a small remainder.
  let head = trunc(y * 16.0) / 16.0;
  let del = (y - head) * (y + head);
  return exp(-head * head) * exp(-del);
}
fn actErfcPositive(y: f32) -> f32 {
  if (y <= 4.0) {
    var num = 2.15311535474403846e-8 * y;
    var den = y;
    num = (num + 0.564188496988670089) * y; den = (den + 15.7449261107098347) * y;
    num = (num + 8.88314979438837594) * y;  den = (den + 117.693950891312499) * y;
    num = (num + 66.1191906371416295) * y;  den = (den + 537.181101862009858) * y;
    num = (num + 298.635138197400131) * y;  den = (den + 1621.38957456669019) * y;
    num = (num + 881.95222124176909) * y;   den = (den + 3290.79923573345963) * y;
    num = (num + 1712.04761263407058) * y;  den = (den + 4362.61909014324716) * y;
    num = (num + 2051.07837782607147) * y;  den = (den + 3439.36767414372164) * y;
    return (actExpMinusSquare(y) * (num + 1230.33935479799725)) / (den + 1230.33935480374942);
  }
  let z = 1.0 / (y * y);
  var num = 0.0163153871373020978 * z;
  var den = z;
  num = (num + 0.305326634961232344) * z;  den = (den + 2.56852019228982242) * z;
  num = (num + 0.360344899949804439) * z;  den = (den + 1.87295284992346047) * z;
  num = (num + 0.125781726111229246) * z;  den = (den + 0.527905102951428412) * z;
  num = (num + 0.0160837851487422766) * z; den = (den + 0.0605183413124413191) * z;
  let r = (z * (num + 6.58749161529837803e-4)) / (den + 0.00233520497626869185);
  return (actExpMinusSquare(y) * (0.5641895835477563 - r)) / y;
}
fn actGelu(x: f32) -> f32 {
  if (actIsNan(x)) { return x; }
  if (bitcast<u32>(x) == 0xff800000u) { return 0.0; }
  let y = abs(x) * 0.7071067811865476;
  if (y <= 0.46875) {
    let z = y * y;
    var num = 0.185777706184603153 * z;
    var den = z;
    num = (num + 3.1611237438705656) * z;  den = (den + 23.6012909523441209) * z;
    num = (num + 113.864154151050156) * z; den = (den + 244.024637934444173) * z;
    num = (num + 377.485237685302021) * z; den = (den + 1282.61652607737228) * z;
    let erfValue = (x * 0.7071067811865476 * (num + 3209.37758913846947)) / (den + 2844.23683343917062);
    return 0.5 * x * (1.0 + erfValue);
  }
  // erf is exactly ±1 from here, as on the CPU engine: x above, -0 below (made from the sign
  // bit: shader compilers may fold x * 0.0 to +0), and no Infinity · 0 at +Infinity.
  if (y >= 6.0) { return select(bitcast<f32>(bitcast<u32>(x) & 0x80000000u), x, x > 0.0); }
  let half = 0.5 * x * actErfcPositive(y);
  if (x < 0.0) { return half; }
  return x - half;
}
`;

/** The WGSL body applied to `v` for each activation, and the helpers it needs. */
const ACTIVATIONS: Record<FusedActivation, { expr: string; helpers: readonly string[] }> = {
  linear: { expr: 'v', helpers: [] },
  relu: { expr: 'select(0.0, v, v > 0.0 || actIsNan(v))', helpers: [IS_NAN] },
  relu6: { expr: 'select(select(0.0, v, v > 0.0 || actIsNan(v)), 6.0, v > 6.0)', helpers: [IS_NAN] },
  sigmoid: { expr: 'actSigmoid(v)', helpers: [SIGMOID] },
  tanh: { expr: 'actTanh(v)', helpers: [IS_NAN, EXPM1, TANH] },
  elu: { expr: 'select(actExpm1(v), v, v > 0.0 || actIsNan(v))', helpers: [IS_NAN, EXPM1] },
  gelu: { expr: 'actGelu(v)', helpers: [IS_NAN, GELU] },
  swish: { expr: 'select(v * actSigmoid(v), 0.0, bitcast<u32>(v) == 0xff800000u)', helpers: [SIGMOID] },
};

/**
 * WGSL defining `fn activate(v: f32) -> f32` for `activation`, with the helpers it calls.
 *
 * @example
 * activationWgsl('relu'); // 'fn actIsNan(...)... fn activate(v: f32) -> f32 { return select(...); }'
 */
export function activationWgsl(activation: FusedActivation): string {
  const entry = ACTIVATIONS[activation] as (typeof ACTIVATIONS)[FusedActivation] | undefined;
  if (entry === undefined) throw new Error(`webgpu engine: fusedMatmul got activation "${String(activation)}"; expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
  return `${entry.helpers.join('')}\nfn activate(v: f32) -> f32 { return ${entry.expr}; }\n`;
}
