/**
 * Double-f32 ("df64") arithmetic in WGSL: a value is `vec2f(hi, lo)` with `hi + lo` exact and
 * `|lo| <= ulp(hi) / 2`, about 48 significant bits. The normal draws need it: the spec computes
 * Box-Muller in float64 and rounds once to float32, and plain f32 `log`/`cos`/`sqrt` are off by a
 * few ulps, which would change the rounded result of a large share of the draws.
 *
 * The error-free transformations (two-sum, Dekker's split and product) only work if every
 * rounding happens as written. Each intermediate goes through `opq`, an xor with the uniform
 * `u.zero` (always 0), which no compiler can see through, so algebraic rewrites such as
 * `(a + b) - a -> b` (allowed by fast-math modes of some GPU compilers) cannot undo them.
 * A shader using these helpers declares a `zero: u32` uniform.
 */

/**
 * WGSL of an f32 constant, exact: the float's bits (decimal literals would round twice).
 *
 * @example
 * f32Literal(1); // 'bitcast<f32>(0x3f800000u)'
 */
export function f32Literal(value: number): string {
  const bits = new Uint32Array(new Float32Array([value]).buffer)[0]!;
  return `bitcast<f32>(0x${bits.toString(16)}u)`;
}

/**
 * A float64 constant split into f32 `hi + lo`, as a WGSL `vec2f` literal.
 *
 * @example
 * df64Literal(Math.PI); // 'vec2f(bitcast<f32>(0x40490fdbu), bitcast<f32>(0xb3bbbd2eu))'
 */
export function df64Literal(value: number): string {
  const [hi, lo] = df64Parts(value);
  return `vec2f(${f32Literal(hi)}, ${f32Literal(lo)})`;
}

/**
 * `value` as the f32 pair `[hi, lo]` with `hi + lo` equal to it to about 48 bits.
 *
 * @example
 * df64Parts(0.1); // [0.10000000149011612, -1.4901161193847656e-9]
 */
export function df64Parts(value: number): [number, number] {
  const hi = Math.fround(value);
  return [hi, Math.fround(value - hi)];
}

/** The df64 WGSL helpers. */
export const DF64_WGSL = /* wgsl */ `
fn opq(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ u.zero); }

// a + b = s + e exactly (Knuth).
fn twoSum(a: f32, b: f32) -> vec2f {
  let s = opq(a + b);
  let bb = opq(s - a);
  let e = opq(a - opq(s - bb)) + opq(b - bb);
  return vec2f(s, e);
}

// a + b = s + e exactly when |a| >= |b| or a == 0 (Dekker).
fn fastTwoSum(a: f32, b: f32) -> vec2f {
  let s = opq(a + b);
  return vec2f(s, b - opq(s - a));
}

// a = hi + lo with 12-bit halves, so products of halves are exact (Dekker/Veltkamp).
fn splitF(a: f32) -> vec2f {
  let t = opq(4097.0 * a);
  let hi = opq(t - opq(t - a));
  return vec2f(hi, opq(a - hi));
}

// a * b = p + e exactly.
fn twoProd(a: f32, b: f32) -> vec2f {
  let p = opq(a * b);
  let sa = splitF(a);
  let sb = splitF(b);
  let e = opq(opq(opq(opq(sa.x * sb.x) - p) + opq(sa.x * sb.y)) + opq(sa.y * sb.x)) + opq(sa.y * sb.y);
  return vec2f(p, e);
}

fn ddAdd(a: vec2f, b: vec2f) -> vec2f {
  let s = twoSum(a.x, b.x);
  let t = twoSum(a.y, b.y);
  let v = fastTwoSum(s.x, opq(s.y + t.x));
  return fastTwoSum(v.x, opq(v.y + t.y));
}

fn ddMul(a: vec2f, b: vec2f) -> vec2f {
  let p = twoProd(a.x, b.x);
  return fastTwoSum(p.x, opq(p.y + opq(opq(a.x * b.y) + opq(a.y * b.x))));
}

fn ddMulF(a: vec2f, b: f32) -> vec2f {
  let p = twoProd(a.x, b);
  return fastTwoSum(p.x, opq(p.y + opq(a.y * b)));
}

// Long division: each quotient digit comes from the exact remainder, so f32 division's own
// error (up to 2.5 ulp in WGSL) does not matter.
fn ddDiv(a: vec2f, b: vec2f) -> vec2f {
  let q1 = a.x / b.x;
  var r = ddAdd(a, -ddMulF(b, q1));
  let q2 = r.x / b.x;
  r = ddAdd(r, -ddMulF(b, q2));
  let q3 = r.x / b.x;
  return ddAdd(fastTwoSum(q1, q2), vec2f(q3, 0.0));
}

// Newton steps from the f32 root; the residual y - r^2 is exact enough in df64.
fn ddSqrt(y: vec2f) -> vec2f {
  if (y.x <= 0.0) { return vec2f(0.0, 0.0); }
  let q = sqrt(y.x);
  var r = fastTwoSum(q, ddAdd(y, -twoProd(q, q)).x / (2.0 * q));
  r = ddAdd(r, vec2f(ddAdd(y, -ddMul(r, r)).x / (2.0 * r.x), 0.0));
  return r;
}
`;
