import type { ConvGeometry } from '@strata/engine-api';
import type { Uniform } from '../program.js';

/**
 * The geometry as uniforms, under the short names the conv and pooling shaders use (`u.H`,
 * `u.sh`, `u.pt`...). Pads are i32 because shaders subtract them from coordinates.
 *
 * @example
 * const uniforms = geometryUniforms(g); // [['N', 'u32', 1], ['H', 'u32', 5], ...]
 */
export function geometryUniforms(g: ConvGeometry): Uniform[] {
  return [
    ['N', 'u32', g.batch], ['H', 'u32', g.inH], ['W', 'u32', g.inW], ['C', 'u32', g.inC],
    ['KH', 'u32', g.kH], ['KW', 'u32', g.kW], ['OH', 'u32', g.outH], ['OW', 'u32', g.outW], ['OC', 'u32', g.outC],
    ['sh', 'u32', g.strideH], ['sw', 'u32', g.strideW], ['dh', 'u32', g.dilationH], ['dw', 'u32', g.dilationW],
    ['pt', 'i32', g.padTop], ['pl', 'i32', g.padLeft],
  ];
}

/**
 * Greatest common divisor, for the tap steps of strided transposed convolutions.
 *
 * @example
 * gcd(4, 6); // 2
 */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
