import type { Uniform } from '../program.js';

/**
 * WGSL helpers shared by the reduction-like kernels (reduce, softmax, cumsum, topK).
 * NaN is tested on the bits: GPU compilers may assume comparisons never see NaN.
 */
export const IS_NAN_WGSL = /* wgsl */ `
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
`;

/**
 * Workgroups for `count` groups of any size: `[x, y]` with x, y <= 65535. Shaders recover the
 * flat group with `wid.x + wid.y * nw.x` and return when it is `>= count` (uniform control flow,
 * so barriers stay legal).
 *
 * @example
 * groupGrid(100_000); // [50000, 2]
 */
export function groupGrid(count: number): [number, number] {
  const groups = Math.max(1, count);
  if (groups <= 65535) return [groups, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
}

/**
 * Uniforms `${prefix}d{k}` (dims) and `${prefix}s{k}` (element strides) of a strided view, read by
 * `stridedOffsetWgsl`.
 *
 * @example
 * stridedUniforms('k', [4, 5], [20, 1]); // kd0=4, ks0=20, kd1=5, ks1=1
 */
export function stridedUniforms(prefix: string, dims: readonly number[], strides: readonly number[]): Uniform[] {
  return dims.flatMap((d, k) => [[`${prefix}d${k}`, 'u32', d], [`${prefix}s${k}`, 'u32', strides[k]!]] as Uniform[]);
}

/**
 * A WGSL function `name(i: u32) -> u32`: the element offset of flat (row-major) index `i` in the
 * strided view described by `stridedUniforms(prefix, ...)` of rank `rank`. Rank 1 is a multiply;
 * the outermost dim needs no modulo.
 *
 * @example
 * stridedOffsetWgsl('keptOffset', 'k', 2);
 */
export function stridedOffsetWgsl(name: string, prefix: string, rank: number): string {
  if (rank === 0) return `fn ${name}(i: u32) -> u32 { return 0u; }`;
  const lines = ['var rest = i;', 'var off = 0u;'];
  for (let k = rank - 1; k > 0; k--) {
    lines.push(`off += (rest % u.${prefix}d${k}) * u.${prefix}s${k}; rest = rest / u.${prefix}d${k};`);
  }
  lines.push(`off += rest * u.${prefix}s0;`);
  return `fn ${name}(i: u32) -> u32 {\n  ${lines.join('\n  ')}\n  return off;\n}`;
}
