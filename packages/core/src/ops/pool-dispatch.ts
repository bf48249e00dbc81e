import type { Pool2DAttrs } from '@strata/engine-api';
import { runKernel1 } from '../dispatch.js';
import { runtime } from '../runtime.js';
import type { Tensor } from '../tensor.js';
import { windowOutput } from './patches.js';
import { avgPoolDecomposed, maxPoolDecomposed } from './pool-decompose.js';

// Pooling runs on the engine when it has the forward kernel and its backward kernel (so the
// recorded op's gradient can run there too), else as core's decomposition. Inputs are float32
// `[N, H, W, C]`, validated.

function attrRecord(attrs: Pool2DAttrs): Record<string, unknown> {
  return { windowSize: attrs.windowSize, strides: attrs.strides, pad: attrs.pad };
}

function outputShape(x: Tensor, attrs: Pool2DAttrs): number[] {
  const [outH, outW] = windowOutput(x.shape[1]!, x.shape[2]!, {
    kH: attrs.windowSize[0], kW: attrs.windowSize[1], strides: attrs.strides, dilations: [1, 1], pad: attrs.pad,
  });
  return [x.shape[0]!, outH, outW, x.shape[3]!];
}

/**
 * Max pooling, recorded as `maxPool` on the fast path.
 *
 * @example
 * maxPoolKernel(x, { windowSize: [2, 2], strides: [2, 2], pad: { top: 0, bottom: 0, left: 0, right: 0 } });
 */
export function maxPoolKernel(x: Tensor, attrs: Pool2DAttrs): Tensor {
  const e = runtime.engine;
  if (!e.maxPool || !e.maxPoolBackward) return maxPoolDecomposed(x, attrs);
  const out = { shape: outputShape(x, attrs), dtype: 'float32' as const };
  return runKernel1('maxPool', [x], out, (en, [xi]) => en.maxPool!(xi!, attrs, out), attrRecord(attrs));
}

/**
 * Average pooling over real cells, recorded as `avgPool` on the fast path.
 *
 * @example
 * avgPoolKernel(x, { windowSize: [3, 3], strides: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } });
 */
export function avgPoolKernel(x: Tensor, attrs: Pool2DAttrs): Tensor {
  const e = runtime.engine;
  if (!e.avgPool || !e.avgPoolBackward) return avgPoolDecomposed(x, attrs);
  const out = { shape: outputShape(x, attrs), dtype: 'float32' as const };
  return runKernel1('avgPool', [x], out, (en, [xi]) => en.avgPool!(xi!, attrs, out), attrRecord(attrs));
}

/**
 * The engine's `maxPoolBackward` (present whenever `maxPool` was recorded): each `dy` cell goes
 * to the first maximal cell of its window.
 *
 * @example
 * maxPoolBackwardKernel(dy, x, attrs);
 */
export function maxPoolBackwardKernel(dy: Tensor, x: Tensor, attrs: Pool2DAttrs): Tensor {
  const out = { shape: x.shape, dtype: 'float32' as const };
  return runKernel1('maxPoolBackward', [dy, x], out, (e, [di, xi]) => e.maxPoolBackward!(di!, xi!, attrs, out), attrRecord(attrs));
}

/**
 * The engine's `avgPoolBackward` (present whenever `avgPool` was recorded): each `dy` cell spread
 * evenly over the real cells of its window.
 *
 * @example
 * avgPoolBackwardKernel(dy, x.shape, attrs);
 */
export function avgPoolBackwardKernel(dy: Tensor, xShape: readonly number[], attrs: Pool2DAttrs): Tensor {
  const out = { shape: [...xShape], dtype: 'float32' as const };
  return runKernel1('avgPoolBackward', [dy], out, (e, [di]) => e.avgPoolBackward!(di!, attrs, out), attrRecord(attrs));
}
