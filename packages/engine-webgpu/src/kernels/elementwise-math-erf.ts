import type { WgslFunction } from './elementwise-math.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** erf(1) (Abramowitz & Stegun, table 7.1). */
const ERF_1 = 0.8427007929497149;

/** Taylor coefficients of erf(x)/x - 1 in z = x², lowest first: (2/√π)(-1)^n / (n!(2n + 1)), less 1. */
const ERF_AT_0: number[] = [];
for (let n = 0, factorial = 1; n <= 9; n++, factorial *= n) {
  ERF_AT_0.push((TWO_OVER_SQRT_PI * (n % 2 === 0 ? 1 : -1)) / (factorial * (2 * n + 1)) - (n === 0 ? 1 : 0));
}

/**
 * Taylor coefficients of erf at 1 from the linear term on: erf^(k)(1) / k! = (2/√π)·e^-1·(-1)^(k-1)·H_(k-1)(1) / k!
 * with H the physicists' Hermite polynomials (H_(n+1)(x) = 2x·H_n(x) - 2n·H_(n-1)(x)).
 */
const ERF_AT_1: number[] = [];
{
  const hermite = [1, 2];
  for (let n = 1; n < 10; n++) hermite.push(2 * hermite[n]! - 2 * n * hermite[n - 1]!);
  for (let k = 1, factorial = 1; k <= 10; k++, factorial *= k) {
    ERF_AT_1.push((TWO_OVER_SQRT_PI * Math.exp(-1) * (k % 2 === 1 ? 1 : -1) * hermite[k - 1]!) / factorial);
  }
}

/** WGSL Horner evaluation `var name = ...` of the polynomial with `coefficients` (lowest first) in `v`. */
function horner(name: string, v: string, coefficients: readonly number[]): string {
  // A literal without '.' or an exponent would be an integer in WGSL.
  const [top, ...rest] = [...coefficients].reverse().map((c) => (/[.e]/.test(String(c)) ? String(c) : `${c}.0`));
  return [`var ${name} = ${top};`, ...rest.map((c) => `${name} = ${name} * ${v} + ${c};`)].join('\n    ');
}

/**
 * erfc in float32 WGSL with W. J. Cody's rational approximations (the CPU engine's erf.ts, same
 * coefficients): exp(-x²)·R(x) up to 4 and an asymptotic R(1/x²) beyond; all numerator and
 * denominator coefficients are positive, so the float32 evaluation does not cancel, and exp(-x²)
 * splits x so the square is exact. erf uses Taylor series where 1 - erfc would lose bits.
 */
export const ERF_WGSL: Record<string, WgslFunction> = {
  expMinusSquareF: {
    deps: ['expF'],
    code: /* wgsl */ `fn expMinusSquareF(y: f32) -> f32 {
  let head = trunc(y * 16.0) / 16.0;
  let del = (y - head) * (y + head);
  return expF(-head * head) * expF(-del);
}`,
  },
  /** exp(-x²/2), split like expMinusSquareF (for gelu, whose erfc argument x/√2 would round). */
  expMinusHalfSquareF: {
    deps: ['expF'],
    code: /* wgsl */ `fn expMinusHalfSquareF(x: f32) -> f32 {
  let head = trunc(x * 16.0) / 16.0;
  let del = (x - head) * (x + head);
  return expF(-0.5 * (head * head)) * expF(-0.5 * del);
}`,
  },
  /**
   * erfc(y)·exp(y²) for y > 0.46875. Kept apart from the exp(-y²) factor because that factor's
   * relative error grows as 2y² times the argument's: callers with an exact y² pass their own.
   */
  erfcRatioF: {
    deps: [],
    code: /* wgsl */ `fn erfcRatioF(y: f32) -> f32 {
  if (y <= 4.0) {
    var num = 2.15311535474403846e-8 * y;
    var den = y;
    num = (num + 0.564188496988670089) * y;
    den = (den + 15.7449261107098347) * y;
    num = (num + 8.88314979438837594) * y;
    den = (den + 117.693950891312499) * y;
    num = (num + 66.1191906371416295) * y;
    den = (den + 537.181101862009858) * y;
    num = (num + 298.635138197400131) * y;
    den = (den + 1621.38957456669019) * y;
    num = (num + 881.95222124176909) * y;
    den = (den + 3290.79923573345963) * y;
    num = (num + 1712.04761263407058) * y;
    den = (den + 4362.61909014324716) * y;
    num = (num + 2051.07837782607147) * y;
    den = (den + 3439.36767414372164) * y;
    return (num + 1230.33935479799725) / (den + 1230.33935480374942);
  }
  let z = 1.0 / (y * y);
  var num = 0.0163153871373020978 * z;
  var den = z;
  num = (num + 0.305326634961232344) * z;
  den = (den + 2.56852019228982242) * z;
  num = (num + 0.360344899949804439) * z;
  den = (den + 1.87295284992346047) * z;
  num = (num + 0.125781726111229246) * z;
  den = (den + 0.527905102951428412) * z;
  num = (num + 0.0160837851487422766) * z;
  den = (den + 0.0605183413124413191) * z;
  let r = z * (num + 6.58749161529837803e-4) / (den + 0.00233520497626869185);
  return (0.5641895835477563 - r) / y;
}`,
  },
  /** erfc(y) for y > 0.46875 (and NaN-free y): relative accuracy kept deep into the tail. */
  erfcPosF: {
    deps: ['expMinusSquareF', 'erfcRatioF'],
    code: /* wgsl */ `fn erfcPosF(y: f32) -> f32 {
  if (y > 10.1) { return 0.0; }
  return expMinusSquareF(y) * erfcRatioF(y);
}`,
  },
  /**
   * Below 0.84375, x + x·P(x²) with P the Taylor series of erf(x)/x - 1 (P is small, so its
   * rounding barely reaches the result); up to 1.25, erf(1) + Q(|x| - 1) with Q the Taylor series
   * at 1; beyond, 1 - erfc, where erfc ≤ 0.077. Worst error about 1e-7 absolute everywhere, and
   * relative accuracy near 0.
   */
  erfF: {
    deps: ['isNanF', 'absF', 'copySignF', 'erfcPosF'],
    code: /* wgsl */ `fn erfF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  let y = absF(x);
  if (y < 0.84375) {
    let z = x * x;
    ${horner('p', 'z', ERF_AT_0)}
    return x + x * p;
  }
  if (y < 1.25) {
    let s = y - 1.0;
    ${horner('q', 's', [ERF_1 - Math.fround(ERF_1), ...ERF_AT_1])}
    return copySignF(${Math.fround(ERF_1)} + q, x);
  }
  // erfc(4) < 1.6e-8, below half an ulp of 1: erf is ±1 in float32 from here on.
  if (y >= 4.0) { return copySignF(1.0, x); }
  return copySignF(1.0 - erfcPosF(y), x);
}`,
  },
};
