/**
 * WGSL statements that set `var ${target}: u32` to the offset of flat output index `index` in
 * each named input, using `out_d*` and `<input>_s*` uniforms (the output's dims and each input's
 * element stride per output dim, 0 where it is broadcast).
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
