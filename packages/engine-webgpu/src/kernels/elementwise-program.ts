import type { DType, OutputInfo, Shape } from '@strata/engine-api';
import { sizeOf, stridesOf } from '@strata/engine-api';
import { grid1d, type Program, type Uniform } from '../program.js';
import { broadcastOffsetsWgsl } from './indexing.js';

/** Threads per workgroup of every elementwise program (one output element per thread). */
const WORKGROUP = 64;

/** How an input is read for output element `i`. */
type Access = 'same' | 'scalar' | 'strided';
/** One distinct character per mode in the program key, which decides when a compiled shader is reused. */
const ACCESS_CODE: Record<Access, string> = { same: '=', scalar: '1', strided: 'b' };

/** One input of an elementwise program: its shape (broadcast onto the output) and dtype. */
export interface ElementwiseInput {
  shape: Shape;
  dtype: DType;
}

/** What `elementwiseProgram` builds a program from. */
export interface ElementwiseSpec {
  /** Identifies `helpers` and `apply` (op, dtype paths); shapes and access modes are added. */
  key: string;
  inputs: readonly ElementwiseInput[];
  out: OutputInfo;
  /**
   * WGSL for the output element from the loaded input values `v0..` (typed as stored: f32 for
   * float32, i32 for int32 and bool). Must have the output's storage type.
   */
  apply: string;
  /** WGSL functions `apply` calls (see `wgslMath`). */
  helpers?: string;
  /** Op attributes, read in WGSL as `u.<name>`. */
  uniforms?: readonly Uniform[];
}

/**
 * The broadcast of `inputs` onto `out`, reduced to the fewest dims: size-1 output dims are
 * dropped and neighbouring dims every input walks contiguously (or broadcasts over both) are
 * merged, so shaders decompose the flat index with as few divisions as possible. Returns the
 * reduced dims and, per input, the element stride along each (0 where it broadcasts).
 *
 * @example
 * mergeBroadcast([2, 3, 4], [[2, 3, 4], [4]]); // { dims: [6, 4], strides: [[4, 1], [0, 1]] }
 */
export function mergeBroadcast(out: Shape, inputs: readonly Shape[]): { dims: number[]; strides: number[][] } {
  const rank = out.length;
  const full = inputs.map((shape) => {
    const own = stridesOf(shape);
    return out.map((_, d) => {
      const j = d - (rank - shape.length);
      return j < 0 || shape[j] === 1 ? 0 : own[j]!;
    });
  });
  // Built innermost first, then reversed.
  const dims: number[] = [];
  const strides: number[][] = inputs.map(() => []);
  for (let d = rank - 1; d >= 0; d--) {
    const len = out[d]!;
    if (len === 1) continue;
    const last = dims.length - 1;
    const merge = last >= 0 && full.every((s, k) => s[d] === strides[k]![last]! * dims[last]!);
    if (merge) {
      dims[last]! *= len;
    } else {
      dims.push(len);
      full.forEach((s, k) => strides[k]!.push(s[d]!));
    }
  }
  dims.reverse();
  strides.forEach((s) => s.reverse());
  return { dims, strides };
}

/**
 * A program computing one output element per thread from its inputs' broadcast elements.
 * Inputs as large as the output are read at the thread's own index and single values at 0
 * (no index arithmetic: the common same-shape and scalar cases); only truly broadcast inputs
 * decompose the index, over the merged dims of `mergeBroadcast`. Consecutive threads touch
 * consecutive output elements, so reads and writes coalesce.
 *
 * @example
 * const program = elementwiseProgram({
 *   key: 'add-f', inputs: [a, b], out, apply: 'v0 + v1',
 * });
 * const [y] = runtime.run(program, [a, b], [out]);
 */
export function elementwiseProgram(spec: ElementwiseSpec): Program {
  const size = sizeOf(spec.out.shape);
  const access: Access[] = spec.inputs.map((x) => {
    const n = sizeOf(x.shape);
    // Broadcasting never shrinks, so an input with the output's size has the output's layout.
    return n === 1 ? 'scalar' : n === size ? 'same' : 'strided';
  });
  const stridedIndices = access.flatMap((a, k) => (a === 'strided' ? [k] : []));
  const uniforms: Uniform[] = [['size', 'u32', size], ...(spec.uniforms ?? [])];
  let rank = 0;
  if (stridedIndices.length > 0) {
    const { dims, strides } = mergeBroadcast(spec.out.shape, stridedIndices.map((k) => spec.inputs[k]!.shape));
    rank = dims.length;
    dims.forEach((d, j) => uniforms.push([`out_d${j}`, 'u32', d]));
    stridedIndices.forEach((k, m) => strides[m]!.forEach((s, j) => uniforms.push([`in${k}_s${j}`, 'u32', s])));
  }
  const offsets = stridedIndices.length > 0 ? broadcastOffsetsWgsl('i', rank, stridedIndices.map((k) => `in${k}`)) : '';
  const loads = access.map((a, k) => {
    const index = a === 'same' ? 'i' : a === 'scalar' ? '0u' : `in${k}Off`;
    return `let v${k} = in${k}[${index}];`;
  });
  return {
    key: `ew:${spec.key}:${access.map((a) => ACCESS_CODE[a]).join('')}:${rank}`,
    uniforms,
    workgroups: grid1d(size, WORKGROUP),
    source: (header) => /* wgsl */ `${header}
${spec.helpers ?? ''}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(g, nw, ${WORKGROUP}u);
  if (i >= u.size) { return; }
  ${offsets}
  ${loads.join('\n  ')}
  out0[i] = ${spec.apply};
}`,
  };
}

/** A WGSL expression and the `wgslMath` helpers it calls. */
export interface WgslExpr {
  expr: string;
  deps: string[];
}

/**
 * A float32 result stored as `dtype` the way the CPU engine's typed arrays store it: int32 by
 * JS ToInt32 (truncation, NaN and ±∞ to 0, wrapping), bool as `x != 0` (NaN true).
 *
 * @example
 * storeFloat('int32', 'unaryF(v0)'); // { expr: 'toInt32F(unaryF(v0))', deps: ['toInt32F'] }
 */
export function storeFloat(dtype: DType, expr: string): WgslExpr {
  if (dtype === 'float32') return { expr, deps: [] };
  if (dtype === 'int32') return { expr: `toInt32F(${expr})`, deps: ['toInt32F'] };
  return { expr: `select(0, 1, nonzeroF(${expr}))`, deps: ['nonzeroF'] };
}

/**
 * A WGSL bool stored as `dtype`: 0 or 1.
 *
 * @example
 * storeBool('bool', 'isNanF(v0)'); // 'select(0, 1, isNanF(v0))'
 */
export function storeBool(dtype: DType, expr: string): string {
  return dtype === 'float32' ? `select(0.0, 1.0, ${expr})` : `select(0, 1, ${expr})`;
}

/**
 * A loaded value of `dtype` as f32 (integers rounded to nearest, as JS converts them).
 *
 * @example
 * loadAsFloat('int32', 'v0'); // { expr: 'i32ToF32(v0)', deps: ['i32ToF32'] }
 */
export function loadAsFloat(dtype: DType, expr: string): WgslExpr {
  return dtype === 'float32' ? { expr, deps: [] } : { expr: `i32ToF32(${expr})`, deps: ['i32ToF32'] };
}

/**
 * A loaded value of dtype `from` converted to `to`, as `cast` converts: to int32 truncates
 * (NaN and ±∞ to 0, wrapping past int32), to bool is `x != 0` (NaN true), to float32 rounds to
 * nearest.
 *
 * @example
 * convertExpr('float32', 'bool', 'v0'); // { expr: 'select(0, 1, nonzeroF(v0))', deps: ['nonzeroF'] }
 */
export function convertExpr(from: DType, to: DType, expr: string): WgslExpr {
  if (from === to) return { expr, deps: [] };
  if (from === 'float32') return storeFloat(to, expr);
  if (to === 'float32') return loadAsFloat(from, expr);
  // int32 <-> bool: bools are already 0/1 int32 words.
  return to === 'bool' ? { expr: `select(0, 1, ${expr} != 0)`, deps: [] } : { expr, deps: [] };
}
