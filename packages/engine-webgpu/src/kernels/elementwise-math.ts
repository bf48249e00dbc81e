import { DIVISION_WGSL } from './elementwise-math-div.js';
import { ERF_WGSL } from './elementwise-math-erf.js';
import { EXP_LOG_WGSL } from './elementwise-math-exp.js';
import { HYPERBOLIC_WGSL } from './elementwise-math-hyperbolic.js';
import { TRIG_WGSL } from './elementwise-math-trig.js';

/** One WGSL helper function and the helpers it calls. */
export interface WgslFunction {
  readonly deps: readonly string[];
  readonly code: string;
}

/**
 * Bit-level helpers. NaN and ±Infinity are recognized from the bit pattern, never through
 * comparisons: shader compilers may assume comparisons are NaN-free and fold them. NaN and
 * Infinity constants are made by a function call, since a constant expression that evaluates
 * to either is a shader-creation error in WGSL.
 */
const BITS_WGSL: Record<string, WgslFunction> = {
  isNanF: { deps: [], code: 'fn isNanF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }' },
  isInfF: { deps: [], code: 'fn isInfF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }' },
  isFiniteF: { deps: [], code: 'fn isFiniteF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u; }' },
  /** x != 0, with NaN (and subnormals, even where arithmetic flushes them) nonzero. */
  nonzeroF: { deps: [], code: 'fn nonzeroF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }' },
  signBitF: { deps: [], code: 'fn signBitF(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }' },
  fromBitsF: { deps: [], code: 'fn fromBitsF(b: u32) -> f32 { return bitcast<f32>(b); }' },
  nanF: { deps: ['fromBitsF'], code: 'fn nanF() -> f32 { return fromBitsF(0x7fc00000u); }' },
  infF: { deps: ['fromBitsF'], code: 'fn infF() -> f32 { return fromBitsF(0x7f800000u); }' },
  negF: { deps: [], code: 'fn negF(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ 0x80000000u); }' },
  absF: { deps: [], code: 'fn absF(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu); }' },
  copySignF: {
    deps: [],
    code: 'fn copySignF(m: f32, s: f32) -> f32 { return bitcast<f32>((bitcast<u32>(m) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u)); }',
  },
  /** 2^k for k in [-126, 127], built from its exponent bits (exact, unlike exp2 on some GPUs). */
  pow2F: { deps: [], code: 'fn pow2F(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }' },
  /**
   * JS ToInt32, as the CPU engine's Int32Array stores: truncates toward zero, NaN and ±Infinity
   * give 0, and magnitudes from 2^31 keep their low 32 bits (WGSL's i32() would saturate).
   */
  toInt32F: {
    deps: [],
    code: /* wgsl */ `fn toInt32F(x: f32) -> i32 {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu) - 127;
  if (e < 0) { return 0; }
  if (e < 31) { return i32(x); }
  // |x| >= 2^31 is an integer m * 2^(e - 23); Infinity and NaN (e = 128) shift out entirely.
  let shift = u32(e - 23);
  if (shift >= 32u) { return 0; }
  let m = ((b & 0x7fffffu) | 0x800000u) << shift;
  return bitcast<i32>(select(m, 0u - m, (b >> 31u) != 0u));
}`,
  },
  /**
   * int32 to float32 rounded to nearest even, as JS does: both 16-bit halves convert exactly and
   * one correctly rounded addition joins them (WGSL leaves the rounding of f32(i32) open).
   */
  i32ToF32: { deps: [], code: 'fn i32ToF32(v: i32) -> f32 { return f32(v >> 16u) * 65536.0 + f32(v & 0xffff); }' },
  u32ToF32: { deps: [], code: 'fn u32ToF32(v: u32) -> f32 { return f32(v >> 16u) * 65536.0 + f32(v & 0xffffu); }' },
  /** floor and ceil, leaving integers from 2^23 up, ±Infinity and NaN alone. */
  floorF: {
    deps: [],
    code: 'fn floorF(x: f32) -> f32 { if ((bitcast<u32>(x) & 0x7fffffffu) >= 0x4b000000u) { return x; } return floor(x); }',
  },
  ceilF: {
    deps: [],
    code: 'fn ceilF(x: f32) -> f32 { if ((bitcast<u32>(x) & 0x7fffffffu) >= 0x4b000000u) { return x; } return ceil(x); }',
  },
  /** Round half to even (NumPy, TensorFlow), keeping the sign of a zero result. */
  roundEvenF: {
    deps: ['copySignF'],
    code: /* wgsl */ `fn roundEvenF(x: f32) -> f32 {
  if ((bitcast<u32>(x) & 0x7fffffffu) >= 0x4b000000u) { return x; }
  let f = floor(x);
  let d = x - f;
  var r = f;
  if (d > 0.5 || (d == 0.5 && floor(f * 0.5) != f * 0.5)) { r = f + 1.0; }
  return copySignF(r, x);
}`,
  },
};

const LIBRARY: Record<string, WgslFunction> = {
  ...BITS_WGSL,
  ...EXP_LOG_WGSL,
  ...HYPERBOLIC_WGSL,
  ...TRIG_WGSL,
  ...ERF_WGSL,
  ...DIVISION_WGSL,
};

/**
 * The WGSL source of the named helpers and everything they call, each once, callees first.
 * The float helpers are accurate to a few ulps in float32 (exp, log, trig, erf... written
 * from basic arithmetic, because WGSL's built-ins have loose accuracy bounds, and expm1, log1p
 * and erf are missing) and handle NaN, ±Infinity and ±0 as the CPU engine does.
 *
 * @example
 * wgslMath(['expm1F', 'isNanF']); // 'fn isNanF(...' + 'fn expF(...' + 'fn expm1F(...'
 */
export function wgslMath(names: readonly string[]): string {
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (name: string): void => {
    if (done.has(name)) return;
    const fn = LIBRARY[name];
    if (!fn) throw new Error(`webgpu engine: no WGSL helper named '${name}'`);
    done.add(name);
    fn.deps.forEach(visit);
    out.push(fn.code);
  };
  names.forEach(visit);
  return out.join('\n');
}
