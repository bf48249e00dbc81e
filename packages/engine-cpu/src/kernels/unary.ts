import type { HostArray, OutputInfo, TensorInfo, UnaryAttrs, UnaryOp } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';
import { erf } from './erf.js';
import { roundHalfEven, SELU_ALPHA, SELU_SCALE, sigmoid, softplus } from './scalar-math.js';

/** Arrays the loops below write: an output buffer or a double-precision scratch. */
type NumericArray = HostArray | Float64Array;

const SQRT1_2 = Math.SQRT1_2;

/**
 * Applies a unary op elementwise. The output dtype comes from `out`; int32 outputs of integer
 * inputs are computed in integer arithmetic where the op has an integer meaning.
 *
 * @example
 * const ys = unary('exp', x, { shape: x.shape, dtype: 'float32' }) as Float32Array;
 */
export function unary(op: UnaryOp, x: TensorInfo, out: OutputInfo, attrs: UnaryAttrs = {}): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  const n = ys.length;
  if (op === 'logicalNot' || op === 'isNaN' || op === 'isInf' || op === 'isFinite') {
    predicateLoop(op, xs, ys, n);
    return ys;
  }
  if (out.dtype === 'int32' && x.dtype !== 'float32' && integerLoop(op, xs, ys, n, attrs)) return ys;
  if (op === 'relu' && xs instanceof Float32Array && ys instanceof Float32Array) {
    reluFloat32Bits(xs, ys, n);
    return ys;
  }
  if (out.dtype === 'bool') {
    // A numeric result squeezed into a bool: compute, then test against zero.
    const tmp = new Float64Array(n);
    floatLoop(op, xs, tmp, n, attrs);
    for (let i = 0; i < n; i++) ys[i] = +(tmp[i] !== 0);
    return ys;
  }
  floatLoop(op, xs, ys, n, attrs);
  return ys;
}

/** Branch-free (`+(condition)`) so unpredictable data does not stall the pipeline. */
function predicateLoop(op: 'logicalNot' | 'isNaN' | 'isInf' | 'isFinite', xs: HostArray, ys: NumericArray, n: number): void {
  switch (op) {
    case 'logicalNot':
      for (let i = 0; i < n; i++) ys[i] = +(xs[i] === 0);
      return;
    case 'isNaN':
      for (let i = 0; i < n; i++) ys[i] = +(xs[i] !== xs[i]);
      return;
    case 'isInf':
      for (let i = 0; i < n; i++) ys[i] = +(Math.abs(xs[i]!) === Infinity);
      return;
    case 'isFinite':
      // v - v is 0 for finite v and NaN for ±Infinity and NaN.
      for (let i = 0; i < n; i++) ys[i] = +(xs[i]! - xs[i]! === 0);
      return;
  }
}

/**
 * float32 relu on the raw bits, without a data-dependent branch: a compare-and-select on random
 * signs mispredicts half the time, which costs more than the arithmetic. Clears every value with
 * the sign bit set (negatives, -0, -∞) except NaNs, whose exponent is all ones and mantissa
 * nonzero, so they propagate.
 */
function reluFloat32Bits(xs: Float32Array, ys: Float32Array, n: number): void {
  const xb = new Int32Array(xs.buffer, xs.byteOffset, n);
  const yb = new Int32Array(ys.buffer, ys.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const bits = xb[i]!;
    // -1 when |bits| encodes a NaN (magnitude above the +∞ pattern), else 0.
    const nan = (0x7f800000 - (bits & 0x7fffffff)) >> 31;
    yb[i] = bits & ~((bits >> 31) & ~nan);
  }
}

/** Integer-exact loops; returns false for ops without one (they go through float math). */
function integerLoop(op: UnaryOp, xs: HostArray, ys: HostArray, n: number, attrs: UnaryAttrs): boolean {
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) ys[i] = -xs[i]! | 0;
      return true;
    case 'abs':
      for (let i = 0; i < n; i++) ys[i] = Math.abs(xs[i]!) | 0;
      return true;
    case 'square':
      for (let i = 0; i < n; i++) ys[i] = Math.imul(xs[i]!, xs[i]!);
      return true;
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      return true;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 0 ? v : 0;
      }
      return true;
    case 'relu6':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 6 ? 6 : v > 0 ? v : 0;
      }
      return true;
    case 'clip': {
      const lo = attrs.min ?? -Infinity;
      const hi = attrs.max ?? Infinity;
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v < lo ? lo : v > hi ? hi : v;
      }
      return true;
    }
    case 'floor':
    case 'ceil':
    case 'round':
      for (let i = 0; i < n; i++) ys[i] = xs[i]!;
      return true;
    default:
      return false;
  }
}

/** The float loops: one typed-array loop per op, the op switched on once outside it. */
function floatLoop(op: UnaryOp, xs: HostArray, ys: NumericArray, n: number, attrs: UnaryAttrs): void {
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) ys[i] = -xs[i]!;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) ys[i] = Math.abs(xs[i]!);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) ys[i] = Math.exp(xs[i]!);
      return;
    case 'expm1':
      for (let i = 0; i < n; i++) ys[i] = Math.expm1(xs[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) ys[i] = Math.log(xs[i]!);
      return;
    case 'log1p':
      for (let i = 0; i < n; i++) ys[i] = Math.log1p(xs[i]!);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) ys[i] = Math.sqrt(xs[i]!);
      return;
    case 'rsqrt':
      for (let i = 0; i < n; i++) ys[i] = 1 / Math.sqrt(xs[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) ys[i] = xs[i]! * xs[i]!;
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) ys[i] = 1 / xs[i]!;
      return;
    case 'sin':
      for (let i = 0; i < n; i++) ys[i] = Math.sin(xs[i]!);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) ys[i] = Math.cos(xs[i]!);
      return;
    case 'tan':
      for (let i = 0; i < n; i++) ys[i] = Math.tan(xs[i]!);
      return;
    case 'asin':
      for (let i = 0; i < n; i++) ys[i] = Math.asin(xs[i]!);
      return;
    case 'acos':
      for (let i = 0; i < n; i++) ys[i] = Math.acos(xs[i]!);
      return;
    case 'atan':
      for (let i = 0; i < n; i++) ys[i] = Math.atan(xs[i]!);
      return;
    case 'sinh':
      for (let i = 0; i < n; i++) ys[i] = Math.sinh(xs[i]!);
      return;
    case 'cosh':
      for (let i = 0; i < n; i++) ys[i] = Math.cosh(xs[i]!);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) ys[i] = Math.tanh(xs[i]!);
      return;
    case 'asinh':
      for (let i = 0; i < n; i++) ys[i] = Math.asinh(xs[i]!);
      return;
    case 'acosh':
      for (let i = 0; i < n; i++) ys[i] = Math.acosh(xs[i]!);
      return;
    case 'atanh':
      for (let i = 0; i < n; i++) ys[i] = Math.atanh(xs[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) ys[i] = sigmoid(xs[i]!);
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) ys[i] = softplus(xs[i]!);
      return;
    case 'softsign':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        // Infinite inputs would give Inf/Inf; the limit is the sign.
        ys[i] = Number.isFinite(v) ? v / (1 + Math.abs(v)) : Number.isNaN(v) ? v : Math.sign(v);
      }
      return;
    case 'erf':
      for (let i = 0; i < n; i++) ys[i] = erf(xs[i]!);
      return;
    case 'floor':
      for (let i = 0; i < n; i++) ys[i] = Math.floor(xs[i]!);
      return;
    case 'ceil':
      for (let i = 0; i < n; i++) ys[i] = Math.ceil(xs[i]!);
      return;
    case 'round':
      for (let i = 0; i < n; i++) ys[i] = roundHalfEven(xs[i]!);
      return;
    case 'sign':
      // Zeros and NaN fall through to themselves.
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 0 ? 1 : v < 0 ? -1 : v;
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 0 || v !== v ? v : 0;
      }
      return;
    case 'relu6':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 6 ? 6 : v > 0 || v !== v ? v : 0;
      }
      return;
    case 'elu': {
      const alpha = attrs.alpha ?? 1;
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 0 ? v : alpha * Math.expm1(v);
      }
      return;
    }
    case 'selu':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v);
      }
      return;
    case 'gelu':
      // As for swish below: the limit at -∞ is 0, not the -∞·0 = NaN of the formula.
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v === -Infinity ? 0 : 0.5 * v * (1 + erf(v * SQRT1_2));
      }
      return;
    case 'leakyRelu': {
      const alpha = attrs.alpha ?? 0.2;
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v > 0 ? v : alpha * v;
      }
      return;
    }
    case 'hardSigmoid': {
      const alpha = attrs.alpha ?? 0.2;
      const beta = attrs.beta ?? 0.5;
      for (let i = 0; i < n; i++) {
        const t = alpha * xs[i]! + beta;
        ys[i] = t > 1 ? 1 : t < 0 ? 0 : t;
      }
      return;
    }
    case 'swish':
      // x·σ(x) → 0 as x → -∞, but the formula gives -∞·0 = NaN at -∞ itself (mish likewise).
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v === -Infinity ? 0 : v * sigmoid(v);
      }
      return;
    case 'mish':
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v === -Infinity ? 0 : v * Math.tanh(softplus(v));
      }
      return;
    case 'clip': {
      const lo = attrs.min ?? -Infinity;
      const hi = attrs.max ?? Infinity;
      for (let i = 0; i < n; i++) {
        const v = xs[i]!;
        ys[i] = v < lo ? lo : v > hi ? hi : v;
      }
      return;
    }
    case 'logicalNot':
    case 'isNaN':
    case 'isInf':
    case 'isFinite':
      predicateLoop(op, xs, ys, n);
      return;
    default: {
      const unknown: never = op;
      throw new Error(`cpu engine: unknown unary op '${String(unknown)}'`);
    }
  }
}
