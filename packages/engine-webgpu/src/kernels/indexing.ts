import type { Shape } from '@strata/engine-api';
import { stridesOf } from '@strata/engine-api';
import type { Uniform } from '../program.js';

/**
 * Uniforms `${name}_d0..` holding a shape's dims, so shaders can decompose a flat index with
 * `coordsWgsl`. The rank is part of the program key; the dims are not.
 *
 * @example
 * shapeUniforms('out', [2, 3]); // [['out_d0', 'u32', 2], ['out_d1', 'u32', 3]]
 */
export function shapeUniforms(name: string, shape: Shape): Uniform[] {
  return shape.map((d, k) => [`${name}_d${k}`, 'u32', d] as const);
}

/**
 * Uniforms `${name}_s0..` with the element stride of an input for each output dim, 0 where the
 * input is broadcast (NumPy: trailing dims aligned, size-1 or missing dims repeat).
 *
 * @example
 * broadcastStrideUniforms('a', [3], [2, 3]); // a_s0 = 0, a_s1 = 1
 */
export function broadcastStrideUniforms(name: string, input: Shape, out: Shape): Uniform[] {
  const strides = stridesOf(input);
  const lead = out.length - input.length;
  return out.map((_, k) => {
    const j = k - lead;
    const stride = j < 0 || input[j] === 1 ? 0 : strides[j]!;
    return [`${name}_s${k}`, 'u32', stride] as const;
  });
}

/**
 * WGSL statements that set `var ${target}: u32` to the offset of flat output index `index` in
 * each named input, using `out_d*` and `<input>_s*` uniforms (see `broadcastStrideUniforms`).
 * The loop over dims is unrolled, so the rank is baked into the shader.
 *
 * @example
 * broadcastOffsetsWgsl('i', 2, ['a', 'b']); // declares aOff and bOff
 */
export function broadcastOffsetsWgsl(index: string, rank: number, inputs: readonly string[]): string {
  const lines = inputs.map((n) => `var ${n}Off = 0u;`);
  lines.push(`var rest = ${index};`);
  for (let k = rank - 1; k >= 0; k--) {
    lines.push(`{ let c = rest % u.out_d${k}; rest = rest / u.out_d${k};`);
    for (const n of inputs) lines.push(`  ${n}Off += c * u.${n}_s${k};`);
    lines.push('}');
  }
  return lines.join('\n  ');
}

/**
 * WGSL statements that declare `let c0..c{rank-1}` (the coordinates of flat index `index` in a
 * shape given by `${shape}_d*` uniforms), innermost dim last.
 *
 * @example
 * coordsWgsl('i', 'out', 3); // let c2 = ...; let c1 = ...; let c0 = ...
 */
export function coordsWgsl(index: string, shape: string, rank: number, prefix = 'c'): string {
  const lines = [`var rest_${prefix} = ${index};`];
  for (let k = rank - 1; k >= 0; k--) {
    lines.push(`let ${prefix}${k} = rest_${prefix} % u.${shape}_d${k}; rest_${prefix} = rest_${prefix} / u.${shape}_d${k};`);
  }
  return lines.join('\n  ');
}

/**
 * True when an input needs no index arithmetic: it has the output's size (same shape) or is a
 * single value (broadcast scalar, read at offset 0).
 *
 * @example
 * isDirect([2, 3], [2, 3]); // true
 */
export function isDirect(input: Shape, out: Shape): boolean {
  const n = input.reduce((a, b) => a * b, 1);
  return n === 1 || (input.length === out.length && input.every((d, k) => d === out[k]));
}
