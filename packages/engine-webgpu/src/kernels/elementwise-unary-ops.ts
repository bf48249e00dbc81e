import type { UnaryOp } from '@strata/engine-api';

/** The unary ops that output a bool test of their input. */
export type UnaryPredicate = 'logicalNot' | 'isNaN' | 'isInf' | 'isFinite';

/** A WGSL function body over `x` and the `wgslMath` helpers it calls. */
export interface WgslBody {
  body: string;
  deps: readonly string[];
}

const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473766;
const NEG_INF_BITS = '0xff800000u';

const call = (fn: string): WgslBody => ({ body: `return ${fn}(x);`, deps: [fn] });

/**
 * Bodies of `fn unaryF(x: f32) -> f32`: the CPU engine's float loops (float64 math rounded to
 * float32) in float32 WGSL. Attributes come in as uniforms: `u.alpha`, `u.beta`, `u.lo`, `u.hi`.
 */
export const FLOAT_UNARY: Record<Exclude<UnaryOp, UnaryPredicate>, WgslBody> = {
  neg: call('negF'),
  abs: call('absF'),
  exp: call('expF'),
  expm1: call('expm1F'),
  log: call('logF'),
  log1p: call('log1pF'),
  sqrt: call('sqrtF'),
  rsqrt: call('rsqrtF'),
  square: { body: 'return x * x;', deps: [] },
  reciprocal: { body: 'return divF(1.0, x);', deps: ['divF'] },
  sin: call('sinF'),
  cos: call('cosF'),
  tan: call('tanF'),
  asin: call('asinF'),
  acos: call('acosF'),
  atan: call('atanF'),
  sinh: call('sinhF'),
  cosh: call('coshF'),
  tanh: call('tanhF'),
  asinh: call('asinhF'),
  acosh: call('acoshF'),
  atanh: call('atanhF'),
  sigmoid: call('sigmoidF'),
  softplus: call('softplusF'),
  softsign: {
    // Infinite inputs would give Inf/Inf; the limit is the sign.
    body: 'if (isNanF(x)) { return x; } if (isInfF(x)) { return copySignF(1.0, x); } return x / (1.0 + absF(x));',
    deps: ['isNanF', 'isInfF', 'copySignF', 'absF'],
  },
  erf: call('erfF'),
  floor: call('floorF'),
  ceil: call('ceilF'),
  round: call('roundEvenF'),
  // Zeros and NaN map to themselves.
  sign: { body: 'if (isNanF(x) || !nonzeroF(x)) { return x; } return copySignF(1.0, x);', deps: ['isNanF', 'nonzeroF', 'copySignF'] },
  // Every value with the sign bit set (negatives, -0, -∞) becomes +0, except NaNs.
  relu: { body: 'if (signBitF(x) && !isNanF(x)) { return 0.0; } return x;', deps: ['signBitF', 'isNanF'] },
  relu6: { body: 'if (isNanF(x)) { return x; } if (x > 6.0) { return 6.0; } if (x > 0.0) { return x; } return 0.0;', deps: ['isNanF'] },
  elu: { body: 'if (x > 0.0) { return x; } return u.alpha * expm1F(x);', deps: ['expm1F'] },
  selu: { body: `if (x > 0.0) { return ${SELU_SCALE} * x; } return ${SELU_SCALE_ALPHA} * expm1F(x);`, deps: ['expm1F'] },
  gelu: {
    // 0.5·x·erfc(-x/√2) in the left tail, where 1 + erf cancels, with exp(-x²/2) from x itself
    // (the rounding of x/√2 would grow by 2y² through exp(-y²)). The limit at -∞ is 0, not the
    // -∞·0 = NaN of the formula.
    body: `if (bitcast<u32>(x) == ${NEG_INF_BITS}) { return 0.0; }
  let y = x * -0.7071067811865476;
  if (y > 14.5) { return 0.0; }
  if (y > 0.46875) { return 0.5 * x * expMinusHalfSquareF(x) * erfcRatioF(y); }
  return 0.5 * x * (1.0 + erfF(-y));`,
    deps: ['expMinusHalfSquareF', 'erfcRatioF', 'erfF'],
  },
  leakyRelu: { body: 'if (x > 0.0) { return x; } return u.alpha * x;', deps: [] },
  hardSigmoid: {
    body: 'let t = u.alpha * x + u.beta; if (isNanF(t)) { return t; } return clamp(t, 0.0, 1.0);',
    deps: ['isNanF'],
  },
  // x·σ(x) → 0 as x → -∞, but the formula gives -∞·0 = NaN at -∞ itself (mish likewise).
  swish: { body: `if (bitcast<u32>(x) == ${NEG_INF_BITS}) { return 0.0; } return x * sigmoidF(x);`, deps: ['sigmoidF'] },
  mish: { body: `if (bitcast<u32>(x) == ${NEG_INF_BITS}) { return 0.0; } return x * tanhF(softplusF(x));`, deps: ['tanhF', 'softplusF'] },
  clip: { body: 'if (isNanF(x)) { return x; } if (x < u.lo) { return u.lo; } if (x > u.hi) { return u.hi; } return x;', deps: ['isNanF'] },
};

/**
 * Bodies of `fn unaryI(x: i32) -> i32` for the ops with an integer meaning (int32 in, int32
 * out): wrapping like the CPU engine's `| 0` and `Math.imul`. clip's bounds arrive as integer
 * thresholds (see `intClipUniforms`).
 */
export const INT_UNARY: Partial<Record<UnaryOp, string>> = {
  neg: 'return 0 - x;',
  abs: 'return select(x, 0 - x, x < 0);',
  square: 'return x * x;',
  sign: 'return select(select(0, 1, x > 0), -1, x < 0);',
  relu: 'return max(x, 0);',
  relu6: 'return clamp(x, 0, 6);',
  clip: 'if (u.loAll != 0u || x < u.loT) { return u.loV; } if (u.hiAll != 0u || x > u.hiT) { return u.hiV; } return x;',
  floor: 'return x;',
  ceil: 'return x;',
  round: 'return x;',
};

/** Predicates as WGSL bool expressions of a float32 (`f`) or integer (`i`) `x`. */
export const PREDICATES: Record<UnaryPredicate, { f: string; i: string; deps: readonly string[] }> = {
  logicalNot: { f: '!nonzeroF(x)', i: 'x == 0', deps: ['nonzeroF'] },
  isNaN: { f: 'isNanF(x)', i: 'false', deps: ['isNanF'] },
  isInf: { f: 'isInfF(x)', i: 'false', deps: ['isInfF'] },
  isFinite: { f: 'isFiniteF(x)', i: 'true', deps: ['isFiniteF'] },
};

/**
 * Integer clip bounds for int32 `x`: `x < lo` holds exactly when `x < ceil(lo)` (always when
 * ceil(lo) is past int32's top), `x > hi` when `x > floor(hi)`; the values stored are
 * ToInt32(lo) and ToInt32(hi), as the CPU engine's Int32Array stores them.
 *
 * @example
 * intClipUniforms(-0.5, 6.5); // loT = 0 (x < 0), loV = 0, hiT = 6 (x > 6), hiV = 6
 */
export function intClipUniforms(lo: number, hi: number): [string, 'i32' | 'u32', number][] {
  const I32_MIN = -2147483648;
  const I32_MAX = 2147483647;
  const clamp = (v: number): number => Math.min(I32_MAX, Math.max(I32_MIN, v));
  const loC = Math.ceil(lo);
  const hiF = Math.floor(hi);
  return [
    ['loT', 'i32', clamp(loC)],
    ['loAll', 'u32', loC > I32_MAX ? 1 : 0],
    ['loV', 'i32', lo | 0],
    ['hiT', 'i32', clamp(hiF)],
    ['hiAll', 'u32', hiF < I32_MIN ? 1 : 0],
    ['hiV', 'i32', hi | 0],
  ];
}
