import type { Pool2DAttrs } from '@strata/engine-api';
import type { Tensor } from '../tensor.js';
import { div, maximum } from './binary.js';
import { ones } from './creation.js';
import { patches, type WindowSpec } from './patches.js';
import { reduceOp } from './reduce.js';
import { reshape } from './reshape.js';

// Default decompositions of pooling, for engines without the fast paths: the windows are
// gathered as patches `[N, OH, OW, KH * KW, C]` and reduced over the window axis. They
// differentiate through core ops. One difference from the kernels' gradient: where a window
// holds several equal maxima, the `max` reduction shares the gradient among them, while
// `maxPoolBackward` routes it all to the first.

function spec(attrs: Pool2DAttrs): WindowSpec {
  return { kH: attrs.windowSize[0], kW: attrs.windowSize[1], strides: attrs.strides, dilations: [1, 1], pad: attrs.pad };
}

function windows(x: Tensor, attrs: Pool2DAttrs, padValue: number): Tensor {
  const cols = patches(x, spec(attrs), padValue);
  const [n, outH, outW] = cols.shape as [number, number, number];
  return reshape(cols, [n, outH, outW, attrs.windowSize[0] * attrs.windowSize[1], x.shape[3]!]);
}

/**
 * Max pooling: padded cells read -Infinity, so they never win (a window of padding only gives
 * -Infinity, like the kernel); NaN wins, as `max` does.
 *
 * @example
 * maxPoolDecomposed(x, { windowSize: [2, 2], strides: [2, 2], pad: { top: 0, bottom: 0, left: 0, right: 0 } });
 */
export function maxPoolDecomposed(x: Tensor, attrs: Pool2DAttrs): Tensor {
  return reduceOp('max', windows(x, attrs, -Infinity), [3], false);
}

/**
 * Average pooling over the real (non-padded) cells of each window: window sums divided by a
 * count of real cells, taken from the same patches of a ones image (a window of padding only
 * gives 0, like the kernel).
 *
 * @example
 * avgPoolDecomposed(x, { windowSize: [3, 3], strides: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } });
 */
export function avgPoolDecomposed(x: Tensor, attrs: Pool2DAttrs): Tensor {
  const sums = reduceOp('sum', windows(x, attrs, 0), [3], false);
  const counts = reduceOp('sum', windows(ones([1, x.shape[1]!, x.shape[2]!, 1]), attrs, 0), [3], false);
  return div(sums, maximum(counts, 1));
}
