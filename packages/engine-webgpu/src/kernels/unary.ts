import type { OutputInfo, TensorInfo, UnaryAttrs, UnaryOp } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import type { Uniform } from '../program.js';
import { wgslMath } from './elementwise-math.js';
import { elementwiseProgram, loadAsFloat, storeBool, storeFloat } from './elementwise-program.js';
import { FLOAT_UNARY, INT_UNARY, intClipUniforms, PREDICATES, type UnaryPredicate } from './elementwise-unary-ops.js';

const isPredicate = (op: UnaryOp): op is UnaryPredicate => op in PREDICATES;

/** The op's attributes as float uniforms (defaults as in the CPU engine). */
function floatUniforms(op: UnaryOp, attrs: UnaryAttrs): Uniform[] {
  switch (op) {
    case 'elu':
      return [['alpha', 'f32', attrs.alpha ?? 1]];
    case 'leakyRelu':
      return [['alpha', 'f32', attrs.alpha ?? 0.2]];
    case 'hardSigmoid':
      return [['alpha', 'f32', attrs.alpha ?? 0.2], ['beta', 'f32', attrs.beta ?? 0.5]];
    case 'clip':
      return [['lo', 'f32', attrs.min ?? -Infinity], ['hi', 'f32', attrs.max ?? Infinity]];
    default:
      return [];
  }
}

/**
 * Applies a unary op elementwise, as the CPU engine does: predicates give 0/1; int32 outputs of
 * integer inputs use exact integer arithmetic where the op has an integer meaning (neg, abs,
 * square, sign, relu, relu6, clip, floor, ceil, round); everything else computes in float32
 * and is stored as the output dtype (int32 by truncation, bool as `!= 0`).
 *
 * @example
 * const y = unary(runtime, 'exp', x, { shape: x.shape, dtype: 'float32' });
 */
export function unary(runtime: GpuRuntime, op: UnaryOp, x: TensorInfo, out: OutputInfo, attrs: UnaryAttrs = {}): GpuData {
  const xFloat = x.dtype === 'float32';
  const xType = xFloat ? 'f32' : 'i32';
  let helpers: string;
  let apply: string;
  let uniforms: Uniform[] = [];
  let path: string;
  if (isPredicate(op)) {
    const p = PREDICATES[op];
    path = 'p';
    helpers = `${wgslMath(p.deps)}\nfn pred(x: ${xType}) -> bool { return ${xFloat ? p.f : p.i}; }`;
    apply = storeBool(out.dtype, 'pred(v0)');
  } else if (out.dtype === 'int32' && !xFloat && INT_UNARY[op] !== undefined) {
    path = 'i';
    helpers = `fn unaryI(x: i32) -> i32 { ${INT_UNARY[op]} }`;
    apply = 'unaryI(v0)';
    if (op === 'clip') uniforms = intClipUniforms(attrs.min ?? -Infinity, attrs.max ?? Infinity);
  } else {
    path = 'f';
    const fn = FLOAT_UNARY[op];
    if (!fn) throw new Error(`webgpu engine: unknown unary op '${String(op)}'`);
    const input = loadAsFloat(x.dtype, 'v0');
    const stored = storeFloat(out.dtype, `unaryF(${input.expr})`);
    helpers = `${wgslMath([...fn.deps, ...input.deps, ...stored.deps])}\nfn unaryF(x: f32) -> f32 {\n  ${fn.body}\n}`;
    apply = stored.expr;
    uniforms = floatUniforms(op, attrs);
  }
  const program = elementwiseProgram({
    key: `unary:${op}:${path}:${x.dtype}>${out.dtype}`,
    inputs: [x],
    out,
    helpers,
    apply,
    uniforms,
  });
  return runtime.run(program, [x], [out])[0]!;
}
