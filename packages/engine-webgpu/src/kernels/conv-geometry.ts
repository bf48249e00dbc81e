import type { Conv2DAttrs, Shape } from '@strata/engine-api';
import type { Uniform } from '../program.js';

/** Everything a channels-last 2-D convolution kernel needs to know about its window. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly kH: number;
  readonly kW: number;
  readonly outH: number;
  readonly outW: number;
  /** Output channels: OC for conv2d, C * M for depthwise. */
  readonly outC: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/**
 * The geometry of a convolution from its input shape `[N, H, W, C]`, filter shape `[KH, KW, *, *]`
 * and output shape `[N, OH, OW, outC]`.
 *
 * @example
 * const g = convGeometry([1, 5, 5, 3], [3, 3, 3, 8], [1, 5, 5, 8], attrs);
 */
export function convGeometry(xShape: Shape, filterShape: Shape, outShape: Shape, attrs: Conv2DAttrs): ConvGeometry {
  return {
    batch: xShape[0]!, inH: xShape[1]!, inW: xShape[2]!, inC: xShape[3]!,
    kH: filterShape[0]!, kW: filterShape[1]!,
    outH: outShape[1]!, outW: outShape[2]!, outC: outShape[3]!,
    strideH: attrs.strides[0], strideW: attrs.strides[1],
    dilationH: attrs.dilations[0], dilationW: attrs.dilations[1],
    padTop: attrs.pad.top, padLeft: attrs.pad.left,
  };
}

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
