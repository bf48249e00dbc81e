import type { Conv2DAttrs } from '@strata/engine-api';
import type { Tensor } from '../tensor.js';
import { mul } from './binary.js';
import { zeros } from './creation.js';
import { matmul } from './matmul.js';
import { pad } from './pad.js';
import { patches, padOrCrop, type WindowSpec } from './patches.js';
import { reduceOp } from './reduce.js';
import { reshape } from './reshape.js';
import { reverse } from './reverse.js';
import { transpose } from './transpose.js';

// Default decompositions of the convolutions, for engines without the fast paths: conv2d,
// depthwiseConv2d, and conv2dBackpropInput (which conv2dTranspose runs). Each is written in core
// ops, so each differentiates through them (the backward kernels are only needed by the fast
// paths' own gradients); results equal the kernels' up to float32 rounding. Shapes are
// channels-last and already validated by the public ops.

function spec(kH: number, kW: number, attrs: Conv2DAttrs): WindowSpec {
  return { kH, kW, strides: attrs.strides, dilations: attrs.dilations, pad: attrs.pad };
}

/**
 * `conv2d` as im2col: the patch matrix `[N * OH * OW, KH * KW * C]` times the filter flattened to
 * `[KH * KW * C, OC]`.
 *
 * @example
 * conv2dDecomposed(x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 0, bottom: 0, left: 0, right: 0 } });
 */
export function conv2dDecomposed(x: Tensor, filter: Tensor, attrs: Conv2DAttrs): Tensor {
  const [kH, kW, c, oc] = filter.shape as [number, number, number, number];
  const cols = patches(x, spec(kH, kW, attrs), 0);
  const [n, outH, outW] = cols.shape as [number, number, number];
  const y = matmul(reshape(cols, [n * outH * outW, kH * kW * c]), reshape(filter, [kH * kW * c, oc]));
  return reshape(y, [n, outH, outW, oc]);
}

/**
 * Spreads `dy [N, OH, OW, K]` onto the stride grid (stride - 1 zeros after each cell along H and
 * W), then pads (or crops) it so that a stride-1 "valid" correlation with the spatially flipped
 * filter, at the forward dilation, lands exactly on the `H x W` input: the adjoint of a strided,
 * padded, dilated correlation.
 */
function spreadForBackprop(dy: Tensor, kH: number, kW: number, inH: number, inW: number, attrs: Conv2DAttrs): Tensor {
  const [n, outH, outW, k] = dy.shape as [number, number, number, number];
  const [sH, sW] = attrs.strides, [dH, dW] = attrs.dilations;
  let spread = dy;
  if (sH > 1 || sW > 1) {
    const lifted = reshape(dy, [n, outH, 1, outW, 1, k]);
    spread = reshape(pad(lifted, [[0, 0], [0, 0], [0, sH - 1], [0, 0], [0, sW - 1], [0, 0]]), [n, outH * sH, outW * sW, k]);
  }
  // Rows before: the flipped window's reach minus the forward's top padding; rows after: whatever
  // completes `inH + (kH - 1) * dH` (the trailing stride zeros count as already there).
  const top = (kH - 1) * dH - attrs.pad.top;
  const left = (kW - 1) * dW - attrs.pad.left;
  const bottom = inH + (kH - 1) * dH - top - outH * sH;
  const right = inW + (kW - 1) * dW - left - outW * sW;
  return padOrCrop(spread, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

function stride1(attrs: Conv2DAttrs): Conv2DAttrs {
  return { strides: [1, 1], dilations: attrs.dilations, pad: { top: 0, bottom: 0, left: 0, right: 0 } };
}

/**
 * `conv2dBackpropInput` (the transposed convolution) as a stride-1 convolution of the spread
 * `dy` with the filter flipped in space and its channel axes swapped, run through `conv`
 * (the engine's conv2d or its decomposition).
 *
 * @example
 * conv2dBackpropInputDecomposed(dy, filter, x.shape, attrs, conv2dDecomposed);
 */
export function conv2dBackpropInputDecomposed(
  dy: Tensor, filter: Tensor, xShape: readonly number[], attrs: Conv2DAttrs,
  conv: (x: Tensor, filter: Tensor, attrs: Conv2DAttrs) => Tensor,
): Tensor {
  const [kH, kW] = filter.shape as [number, number];
  const [, inH, inW] = xShape as [number, number, number];
  if (dy.size === 0 || xShape.includes(0)) return zeros(xShape);
  const flipped = transpose(reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return conv(spreadForBackprop(dy, kH, kW, inH, inW, attrs), flipped, stride1(attrs));
}

/**
 * `depthwiseConv2d`: patches `[P, KH*KW, C, 1]` times the filter `[KH*KW, C, M]`, summed over the
 * window; output channel `c * M + m`.
 *
 * @example
 * depthwiseConv2dDecomposed(x, filter, attrs);
 */
export function depthwiseConv2dDecomposed(x: Tensor, filter: Tensor, attrs: Conv2DAttrs): Tensor {
  const [kH, kW, c, m] = filter.shape as [number, number, number, number];
  const cols = patches(x, spec(kH, kW, attrs), 0);
  const [n, outH, outW] = cols.shape as [number, number, number];
  const p = n * outH * outW;
  const prod = mul(reshape(cols, [p, kH * kW, c, 1]), reshape(filter, [kH * kW, c, m]));
  return reshape(reduceOp('sum', prod, [1], false), [n, outH, outW, c * m]);
}
