import type { WgslFunction } from './elementwise-math.js';

/**
 * Hyperbolic functions and their inverses in float32 WGSL, after musl's sinhf/coshf/tanhf/
 * asinhf/acoshf/atanhf: expm1 and log1p where the plain formulas cancel, and exp(|x|/2)²/2 past
 * exp's overflow so sinh and cosh stay finite up to where they really overflow.
 */
export const HYPERBOLIC_WGSL: Record<string, WgslFunction> = {
  sinhF: {
    deps: ['isNanF', 'absF', 'copySignF', 'expm1F', 'expF'],
    code: /* wgsl */ `fn sinhF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  let a = absF(x);
  var r: f32;
  if (a < 88.0) {
    let t = expm1F(a);
    if (a < 1.0) { r = 0.5 * (2.0 * t - t * t / (t + 1.0)); } else { r = 0.5 * (t + t / (t + 1.0)); }
  } else {
    let h = expF(0.5 * a);
    r = (0.5 * h) * h;
  }
  return copySignF(r, x);
}`,
  },
  coshF: {
    deps: ['isNanF', 'absF', 'expm1F', 'expF'],
    code: /* wgsl */ `fn coshF(x: f32) -> f32 {
  let a = absF(x);
  if (isNanF(x)) { return a; }
  if (a < 0.6931472) {
    let t = expm1F(a);
    return 1.0 + t * t / (2.0 * (1.0 + t));
  }
  if (a < 88.0) {
    let t = expF(a);
    return 0.5 * (t + 1.0 / t);
  }
  let h = expF(0.5 * a);
  return (0.5 * h) * h;
}`,
  },
  /** Saturates to ±1 from |x| = 10 (tanh rounds to 1 in float32 beyond 9.01), so never Inf/Inf. */
  tanhF: {
    deps: ['isNanF', 'absF', 'copySignF', 'expm1F'],
    code: /* wgsl */ `fn tanhF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  let a = absF(x);
  var r = 1.0;
  if (a < 10.0) {
    let t = expm1F(2.0 * a);
    if (a > 0.5493) { r = 1.0 - 2.0 / (t + 2.0); } else { r = t / (t + 2.0); }
  }
  return copySignF(r, x);
}`,
  },
  asinhF: {
    deps: ['isNanF', 'absF', 'copySignF', 'logF', 'log1pF'],
    code: /* wgsl */ `fn asinhF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  let a = absF(x);
  var r = a;
  if (a >= 4096.0) {
    r = logF(a) + 0.693147180559945;
  } else if (a >= 2.0) {
    r = logF(2.0 * a + 1.0 / (sqrt(a * a + 1.0) + a));
  } else if (a >= 2.44140625e-4) {
    r = log1pF(a + a * a / (sqrt(a * a + 1.0) + 1.0));
  }
  return copySignF(r, x);
}`,
  },
  acoshF: {
    deps: ['isNanF', 'nanF', 'logF', 'log1pF'],
    code: /* wgsl */ `fn acoshF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  if (!(x >= 1.0)) { return nanF(); }
  if (x < 2.0) {
    let t = x - 1.0;
    return log1pF(t + sqrt(t * t + 2.0 * t));
  }
  if (x < 4096.0) { return logF(2.0 * x - 1.0 / (x + sqrt(x * x - 1.0))); }
  return logF(x) + 0.693147180559945;
}`,
  },
  atanhF: {
    deps: ['isNanF', 'nanF', 'infF', 'absF', 'copySignF', 'log1pF'],
    code: /* wgsl */ `fn atanhF(x: f32) -> f32 {
  if (isNanF(x)) { return x; }
  let a = absF(x);
  if (a > 1.0) { return nanF(); }
  var r = a;
  if (a == 1.0) {
    r = infF();
  } else if (a >= 0.5) {
    r = 0.5 * log1pF(2.0 * (a / (1.0 - a)));
  } else if (a >= 2.44140625e-4) {
    r = 0.5 * log1pF(2.0 * a + 2.0 * a * a / (1.0 - a));
  }
  return copySignF(r, x);
}`,
  },
};
