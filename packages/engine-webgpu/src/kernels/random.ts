import type { OutputInfo, RandomAttrs } from '@strata/engine-api';
import { sizeOf, TRUNCATED_NORMAL_MAX_ROUNDS } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d, perElementShader, type Uniform } from '../program.js';
import { DF64_WGSL, df64Literal, df64Parts, f32Literal } from './random-df64.js';

/** Philox4x32-10 as `philoxWords` in `@strata/engine-api` specifies it, in 32-bit integer WGSL. */
const PHILOX_WGSL = /* wgsl */ `
// High word of the 64-bit product, from 16-bit halves (WGSL has no 64-bit integers).
fn mulHi(a: u32, b: u32) -> u32 {
  let aLo = a & 0xffffu;
  let aHi = a >> 16u;
  let bLo = b & 0xffffu;
  let bHi = b >> 16u;
  let lolo = aLo * bLo;
  let mid1 = aHi * bLo + (lolo >> 16u);
  let mid2 = aLo * bHi + (mid1 & 0xffffu);
  return aHi * bHi + (mid1 >> 16u) + (mid2 >> 16u);
}

fn philox(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let hi0 = mulHi(0xd2511f53u, c.x);
    let lo0 = 0xd2511f53u * c.x;
    let hi1 = mulHi(0xcd9e8d57u, c.z);
    let lo1 = 0xcd9e8d57u * c.z;
    c = vec4u(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k = k + vec2u(0x9e3779b9u, 0xbb67ae85u);
  }
  return c;
}
`;

/** WGSL statements setting `var target` to `sum_k coefficients[k] * x2^k` (Horner's rule, in df64). */
function hornerWgsl(target: string, x2: string, coefficients: readonly number[]): string {
  const last = coefficients.length - 1;
  const lines = [`var ${target} = ${df64Literal(coefficients[last]!)};`];
  for (let k = last - 1; k >= 0; k--) lines.push(`${target} = ddAdd(${df64Literal(coefficients[k]!)}, ddMul(${x2}, ${target}));`);
  return lines.join('\n  ');
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Box-Muller pieces in df64, accurate to about 2^-46 relative, so the final rounding to f32
 * agrees with the float64 spec except when a draw lies within ~1e-14 of a rounding midpoint.
 */
const BOX_MULLER_WGSL = /* wgsl */ `
// ln(((w >> 8) + 1) * 2^-24): m = 2^e f with f in [sqrt(1/2), sqrt(2)], ln f = 2 atanh((f-1)/(f+1)).
fn lnUnit(w: u32) -> vec2f {
  let m = (w >> 8u) + 1u;
  var e = i32(firstLeadingBit(m));
  var f = ldexp(f32(m), -e);
  if (f > 1.4142135) { f = f * 0.5; e = e + 1; }
  // f - 1 is exact (Sterbenz); f + 1 may need 25 bits.
  let s = ddDiv(vec2f(f - 1.0, 0.0), twoSum(f, 1.0));
  let s2 = ddMul(s, s);
  // |s| <= 0.172: nine terms of the atanh series reach 2^-48.
  ${hornerWgsl('p', 's2', Array.from({ length: 9 }, (_, k) => 1 / (2 * k + 1)))}
  return ddAdd(ddMulF(${df64Literal(Math.LN2)}, f32(e - 24)), ddMul(ddMulF(s, 2.0), p));
}

// (cos, sin) of 2 pi b / 2^24 as (cos.hi, cos.lo, sin.hi, sin.lo). The angle is an exact
// fraction of a turn, so the reduction to x in [-pi/4, pi/4] is exact integer arithmetic.
fn cosSinTurn(b: u32) -> vec4f {
  let j = ((b >> 21u) + 1u) >> 1u;
  let g = i32(b) - i32(j << 22u);
  let x = ddMulF(${df64Literal(Math.PI / 2 ** 23)}, f32(g));
  let x2 = ddMul(x, x);
  ${hornerWgsl('ps', 'x2', Array.from({ length: 9 }, (_, k) => (k % 2 === 0 ? 1 : -1) / factorial(2 * k + 1)))}
  ${hornerWgsl('pc', 'x2', Array.from({ length: 10 }, (_, k) => (k % 2 === 0 ? 1 : -1) / factorial(2 * k)))}
  let s = ddMul(x, ps);
  let c = pc;
  switch (j & 3u) {
    case 0u: { return vec4f(c, s); }
    case 1u: { return vec4f(-s, c); }
    case 2u: { return vec4f(-c, -s); }
    default: { return vec4f(s, -c); }
  }
}

fn withinTwo(z: vec2f) -> bool {
  let a = select(z, -z, z.x < 0.0);
  return a.x < 2.0 || (a.x == 2.0 && a.y <= 0.0);
}
`;

/**
 * Seeded random values, element `i` drawn exactly as `philoxUniform` / `philoxNormal` in
 * `@strata/engine-api` draw it, one thread per element. Uniforms are bit-exact with the spec (the
 * same f32 multiply and add); normals run Box-Muller in df64 (see `random-df64.ts`) so the f32
 * result is the spec's float64 result rounded, as on the CPU engine.
 *
 * @example
 * const y = random(runtime, { shape: [3], dtype: 'float32' }, { distribution: 'uniform', seed: 7, stream: 0 });
 */
export function random(runtime: GpuRuntime, out: OutputInfo, attrs: RandomAttrs): GpuData {
  const size = sizeOf(out.shape);
  const uniforms: Uniform[] = [['size', 'u32', size], ['seed', 'u32', attrs.seed >>> 0], ['stream', 'u32', attrs.stream >>> 0], ['zero', 'u32', 0]];
  let body: string;
  let key: string;
  if (attrs.distribution === 'uniform') {
    const low = attrs.low ?? 0;
    const high = attrs.high ?? 1;
    const [lowHi, lowLo] = df64Parts(low);
    // The spec rounds (high - low) to f32 first: the same number on every engine.
    uniforms.push(['span', 'f32', Math.fround(high - low)], ['lowHi', 'f32', lowHi], ['lowLo', 'f32', lowLo]);
    key = 'random-uniform';
    body = /* wgsl */ `
  let w = philox(vec4u(i, 0u, 0u, 0u), vec2u(u.seed, u.stream));
  let t = f32(w.x >> 8u) * ${f32Literal(2 ** -24)} * u.span;
  // fround(low + t) for a float64 low; with an f32 low this is exactly the f32 sum.
  let s = twoSum(u.lowHi, t);
  out0[i] = s.x + (s.y + u.lowLo);`;
  } else {
    const truncated = attrs.distribution === 'truncatedNormal';
    const [meanHi, meanLo] = df64Parts(attrs.mean ?? 0);
    const [stdHi, stdLo] = df64Parts(attrs.stddev ?? 1);
    uniforms.push(['meanHi', 'f32', meanHi], ['meanLo', 'f32', meanLo], ['stdHi', 'f32', stdHi], ['stdLo', 'f32', stdLo]);
    key = `random-normal-${truncated}`;
    const rounds = truncated ? TRUNCATED_NORMAL_MAX_ROUNDS : 1;
    body = /* wgsl */ `
  var z = vec2f(0.0, 0.0);
  for (var rd = 0u; rd < ${rounds}u; rd++) {
    let w = philox(vec4u(i, 0u, rd, 0u), vec2u(u.seed, u.stream));
    let r = ddSqrt(ddMulF(lnUnit(w.x), -2.0));
    let cs = cosSinTurn(w.y >> 8u);
    z = ddMul(r, cs.xy);
    ${truncated ? `if (withinTwo(z)) { break; }
    z = ddMul(r, cs.zw);
    if (withinTwo(z)) { break; }
    z = select(vec2f(2.0, 0.0), vec2f(-2.0, 0.0), z.x < 0.0);` : ''}
  }
  let v = ddAdd(vec2f(u.meanHi, u.meanLo), ddMul(vec2f(u.stdHi, u.stdLo), z));
  out0[i] = v.x;`;
  }
  const [y] = runtime.run({
    key,
    uniforms,
    workgroups: grid1d(size),
    source: (header) => perElementShader(header, /* wgsl */ `
${body}`, { declarations: /* wgsl */ `${DF64_WGSL}
${PHILOX_WGSL}
${attrs.distribution === 'uniform' ? '' : BOX_MULLER_WGSL}` }),
  }, [], [out]);
  return y!;
}
