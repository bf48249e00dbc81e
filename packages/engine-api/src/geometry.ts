import type { Conv2DAttrs } from './kernels.js';
import type { Shape } from './types.js';

// Shape arithmetic that every engine's kernels share: kept here so engines agree on it exactly.

/** Everything a channels-last 2-D convolution kernel needs to know about its window (every engine uses this). */
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
 * Drops size-1 dims and merges input dims that remain neighbours, in order, in the output.
 * Returns the reduced input shape and the permutation over it (engines then move fewer, longer runs).
 *
 * @example
 * simplifyPermutation([2, 3, 4, 5], [0, 2, 3, 1]); // { shape: [2, 3, 20], order: [0, 2, 1] }
 */
export function simplifyPermutation(inShape: Shape, perm: readonly number[]): { shape: number[]; order: number[] } {
  const kept = perm.filter((d) => inShape[d] !== 1);
  // The next input dim that is not size 1: size-1 dims in between do not break adjacency.
  const nextKept = new Array<number>(inShape.length).fill(-1);
  for (let d = inShape.length - 2; d >= 0; d--) nextKept[d] = inShape[d + 1] !== 1 ? d + 1 : nextKept[d + 1]!;
  const runs: { start: number; size: number }[] = [];
  for (let j = 0; j < kept.length; j++) {
    const d = kept[j]!;
    const last = runs[runs.length - 1];
    if (last !== undefined && nextKept[kept[j - 1]!] === d) last.size *= inShape[d]!;
    else runs.push({ start: d, size: inShape[d]! });
  }
  const byInput = runs.map((_, i) => i).sort((a, b) => runs[a]!.start - runs[b]!.start);
  const shape = byInput.map((i) => runs[i]!.size);
  const rankOf = new Array<number>(runs.length);
  byInput.forEach((runIndex, inputPos) => (rankOf[runIndex] = inputPos));
  return { shape, order: runs.map((_, j) => rankOf[j]!) };
}
