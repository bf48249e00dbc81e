import type { BinaryOp, DType, OutputInfo, TensorInfo } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { COMPARISONS, FLOAT_BINARY, INT_BINARY, LOGICAL } from './elementwise-binary-ops.js';
import { wgslMath } from './elementwise-math.js';
import { elementwiseProgram, loadAsFloat, storeBool, storeFloat } from './elementwise-program.js';

/** The WGSL (helpers and output expression over `v0`, `v1`) of one op and dtype combination. */
interface BinaryCode {
  path: string;
  helpers: string;
  apply: string;
}

const typeOf = (dtype: DType): 'f32' | 'i32' => (dtype === 'float32' ? 'f32' : 'i32');

/** Comparisons and logical ops: a bool per element. */
function predicateCode(op: BinaryOp, a: DType, b: DType, out: DType): BinaryCode | null {
  const comparison = COMPARISONS[op as keyof typeof COMPARISONS];
  if (comparison) {
    if (a !== 'float32' && b !== 'float32') {
      return { path: 'ci', helpers: `fn pred(a: i32, b: i32) -> bool { return ${comparison.i}; }`, apply: storeBool(out, 'pred(v0, v1)') };
    }
    // Mixed operands compare as float32 (core promotes them to one dtype before this).
    const va = loadAsFloat(a, 'v0');
    const vb = loadAsFloat(b, 'v1');
    const helpers = `${wgslMath(['isNanF', ...va.deps, ...vb.deps])}\nfn pred(a: f32, b: f32) -> bool { return ${comparison.f}; }`;
    return { path: 'cf', helpers, apply: storeBool(out, `pred(${va.expr}, ${vb.expr})`) };
  }
  const logical = LOGICAL[op as keyof typeof LOGICAL];
  if (logical) {
    const truth = (dtype: DType, v: string): string => (dtype === 'float32' ? `nonzeroF(${v})` : `${v} != 0`);
    const helpers = `${wgslMath(['nonzeroF'])}\nfn pred(a: ${typeOf(a)}, b: ${typeOf(b)}) -> bool { let p = ${truth(a, 'a')}; let q = ${truth(b, 'b')}; return ${logical}; }`;
    return { path: 'l', helpers, apply: storeBool(out, 'pred(v0, v1)') };
  }
  return null;
}

function arithmeticCode(op: BinaryOp, a: DType, b: DType, out: DType): BinaryCode {
  const arithmetic = op as keyof typeof FLOAT_BINARY;
  if (out === 'int32' && a !== 'float32' && b !== 'float32') {
    const fn = INT_BINARY[arithmetic];
    const helpers = `${wgslMath(fn.deps)}\nfn binaryI(a: i32, b: i32) -> i32 {\n  ${fn.body}\n}`;
    return { path: 'i', helpers, apply: 'binaryI(v0, v1)' };
  }
  // float32 math, also for a bool output (test against zero after) as the CPU engine does.
  const fn = FLOAT_BINARY[arithmetic];
  if (!fn) throw new Error(`webgpu engine: unknown binary op '${op}'`);
  const va = loadAsFloat(a, 'v0');
  const vb = loadAsFloat(b, 'v1');
  const stored = storeFloat(out, `binaryF(${va.expr}, ${vb.expr})`);
  const helpers = `${wgslMath([...fn.deps, ...va.deps, ...vb.deps, ...stored.deps])}\nfn binaryF(a: f32, b: f32) -> f32 {\n  ${fn.body}\n}`;
  return { path: 'f', helpers, apply: stored.expr };
}

/**
 * Applies a binary op with NumPy broadcasting onto `out.shape`, with the CPU engine's
 * semantics: comparisons (false against NaN, except notEqual) and logical ops (nonzero is true)
 * give 0/1; int32 outputs of integer operands use wrapping int32 arithmetic with floor division
 * (x / 0 → 0), the divisor's sign for mod, and exact pow; the rest computes in float32.
 * Same-shape and scalar operands read without index arithmetic.
 *
 * @example
 * const y = binary(runtime, 'add', a, b, { shape: [2, 3], dtype: 'float32' });
 */
export function binary(runtime: GpuRuntime, op: BinaryOp, a: TensorInfo, b: TensorInfo, out: OutputInfo): GpuData {
  const code = predicateCode(op, a.dtype, b.dtype, out.dtype) ?? arithmeticCode(op, a.dtype, b.dtype, out.dtype);
  const program = elementwiseProgram({
    key: `binary:${op}:${code.path}:${a.dtype},${b.dtype}>${out.dtype}`,
    inputs: [a, b],
    out,
    helpers: code.helpers,
    apply: code.apply,
  });
  return runtime.run(program, [a, b], [out])[0]!;
}
