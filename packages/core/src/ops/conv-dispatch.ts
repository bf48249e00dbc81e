import type { Conv2DAttrs, Engine } from '@strata/engine-api';
import { runKernel1 } from '../dispatch.js';
import { runtime } from '../runtime.js';
import type { Tensor } from '../tensor.js';
import { conv2dBackpropInputDecomposed, conv2dDecomposed, depthwiseConv2dDecomposed } from './conv-decompose.js';
import { windowOutput } from './patches.js';

// Each convolution runs on the engine when it has the whole triple (forward and both backward
// kernels, so the recorded op's gradient can run there too), else as core's decomposition, which
// differentiates through core ops. The filter-gradient and depthwise-gradient kernels are thus
// only ever needed by gradients of ops recorded on the fast path, so they call the engine
// directly. Inputs are float32, channels-last and validated.

function hasConv2d(e: Engine): boolean {
  return !!(e.conv2d && e.conv2dBackpropInput && e.conv2dBackpropFilter);
}

function hasDepthwise(e: Engine): boolean {
  return !!(e.depthwiseConv2d && e.depthwiseConv2dBackpropInput && e.depthwiseConv2dBackpropFilter);
}

function attrRecord(attrs: Conv2DAttrs): Record<string, unknown> {
  return { strides: attrs.strides, dilations: attrs.dilations, pad: attrs.pad };
}

function outputShape(x: readonly number[], filter: readonly number[], channels: number, attrs: Conv2DAttrs): number[] {
  const [outH, outW] = windowOutput(x[1]!, x[2]!, { kH: filter[0]!, kW: filter[1]!, ...attrs });
  return [x[0]!, outH, outW, channels];
}

/**
 * 2-D convolution of `x [N, H, W, C]` with `filter [KH, KW, C, OC]`, recorded as `conv2d`.
 *
 * @example
 * conv2dKernel(x, filter, { strides: [1, 1], dilations: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } });
 */
export function conv2dKernel(x: Tensor, filter: Tensor, attrs: Conv2DAttrs): Tensor {
  if (!hasConv2d(runtime.engine)) return conv2dDecomposed(x, filter, attrs);
  const out = { shape: outputShape(x.shape, filter.shape, filter.shape[3]!, attrs), dtype: 'float32' as const };
  return runKernel1('conv2d', [x, filter], out, (e, [xi, fi]) => e.conv2d!(xi!, fi!, attrs, out), attrRecord(attrs));
}

/**
 * Gradient of conv2d with respect to its input (the transposed convolution), recorded as
 * `conv2dBackpropInput` with inputs `[dy, filter]`.
 *
 * @example
 * conv2dBackpropInputKernel(dy, filter, x.shape, attrs);
 */
export function conv2dBackpropInputKernel(dy: Tensor, filter: Tensor, xShape: readonly number[], attrs: Conv2DAttrs): Tensor {
  if (!hasConv2d(runtime.engine)) return conv2dBackpropInputDecomposed(dy, filter, xShape, attrs, conv2dKernel);
  const out = { shape: [...xShape], dtype: 'float32' as const };
  return runKernel1('conv2dBackpropInput', [dy, filter], out, (e, [di, fi]) => e.conv2dBackpropInput!(di!, fi!, attrs, out), attrRecord(attrs));
}

/**
 * Gradient of conv2d with respect to its filter (the engine's kernel, present whenever `conv2d`
 * was recorded), recorded as `conv2dBackpropFilter` with inputs `[x, dy]`.
 *
 * @example
 * conv2dBackpropFilterKernel(x, dy, filter.shape, attrs);
 */
export function conv2dBackpropFilterKernel(x: Tensor, dy: Tensor, filterShape: readonly number[], attrs: Conv2DAttrs): Tensor {
  const out = { shape: [...filterShape], dtype: 'float32' as const };
  return runKernel1('conv2dBackpropFilter', [x, dy], out, (e, [xi, di]) => e.conv2dBackpropFilter!(xi!, di!, attrs, out), attrRecord(attrs));
}

/**
 * Depthwise convolution of `x [N, H, W, C]` with `filter [KH, KW, C, M]` into `C * M` channels,
 * recorded as `depthwiseConv2d`.
 *
 * @example
 * depthwiseConv2dKernel(x, filter, attrs);
 */
export function depthwiseConv2dKernel(x: Tensor, filter: Tensor, attrs: Conv2DAttrs): Tensor {
  if (!hasDepthwise(runtime.engine)) return depthwiseConv2dDecomposed(x, filter, attrs);
  const out = { shape: outputShape(x.shape, filter.shape, filter.shape[2]! * filter.shape[3]!, attrs), dtype: 'float32' as const };
  return runKernel1('depthwiseConv2d', [x, filter], out, (e, [xi, fi]) => e.depthwiseConv2d!(xi!, fi!, attrs, out), attrRecord(attrs));
}

/**
 * Gradient of depthwiseConv2d with respect to its input (the engine's kernel, present whenever
 * `depthwiseConv2d` was recorded), recorded as `depthwiseConv2dBackpropInput`.
 *
 * @example
 * depthwiseConv2dBackpropInputKernel(dy, filter, x.shape, attrs);
 */
export function depthwiseConv2dBackpropInputKernel(dy: Tensor, filter: Tensor, xShape: readonly number[], attrs: Conv2DAttrs): Tensor {
  const out = { shape: [...xShape], dtype: 'float32' as const };
  return runKernel1('depthwiseConv2dBackpropInput', [dy, filter], out,
    (e, [di, fi]) => e.depthwiseConv2dBackpropInput!(di!, fi!, attrs, out), attrRecord(attrs));
}

/**
 * Gradient of depthwiseConv2d with respect to its filter (the engine's kernel, present whenever
 * `depthwiseConv2d` was recorded), recorded as `depthwiseConv2dBackpropFilter`.
 *
 * @example
 * depthwiseConv2dBackpropFilterKernel(x, dy, filter.shape, attrs);
 */
export function depthwiseConv2dBackpropFilterKernel(x: Tensor, dy: Tensor, filterShape: readonly number[], attrs: Conv2DAttrs): Tensor {
  const out = { shape: [...filterShape], dtype: 'float32' as const };
  return runKernel1('depthwiseConv2dBackpropFilter', [x, dy], out,
    (e, [xi, di]) => e.depthwiseConv2dBackpropFilter!(xi!, di!, attrs, out), attrRecord(attrs));
}
