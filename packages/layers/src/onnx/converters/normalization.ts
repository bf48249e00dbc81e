import type { BatchNormalization } from '../../layers/normalization/batch-normalization.js';
import type { LayerNormalization } from '../../layers/normalization/layer-normalization.js';
import type { LayerConverter } from '../context.js';
import { attr, axisIn, type Layout } from '../graph-builder.js';
import { filledHost, type HostTensor } from '../host-tensors.js';

/**
 * BatchNormalization at inference (moving statistics): ONNX `BatchNormalization`, which
 * normalizes axis 1, in a layout that puts the feature axis there (a channels-first view after a
 * convolution, a rank-2 input as is). Otherwise, rather than transposing, the affine map it is at
 * inference, `x · scale + offset` with `scale = gamma / sqrt(var + eps)`, `offset = beta - mean · scale`
 * (computed once, in float64), broadcast along the feature axis.
 *
 * @example
 * CONVERTERS.set(BatchNormalization, convertBatchNormalization);
 */
export const convertBatchNormalization: LayerConverter = (ctx) => {
  const layer = ctx.layer as BatchNormalization;
  const v = ctx.inputs[0]!;
  const b = ctx.b;
  const rank = v.shape.length;
  const axis = layer.axis < 0 ? layer.axis + rank : layer.axis;
  const mean = ctx.weight(layer.movingMean, 'moving_mean');
  const variance = ctx.weight(layer.movingVariance, 'moving_variance');
  const size = mean.data.length;
  const gamma = layer.gamma ? ctx.weight(layer.gamma, 'gamma') : filledHost([size], 1);
  const beta = layer.beta ? ctx.weight(layer.beta, 'beta') : filledHost([size], 0);
  const layouts: Layout[] = v.home === 'native' ? ['native', 'channelsFirst'] : ['channelsFirst', 'native'];
  const direct = layouts.find((l) => axisIn(l, rank, axis) === 1 && (l === v.home || v.names.has(l) || rank < 3));
  if (direct) {
    const param = (w: typeof layer.gamma, name: string, fallback: HostTensor): string =>
      (w ? ctx.init(w, name, (h) => h) : b.initializer(name, 'float32', fallback.shape, fallback.data));
    const y = b.op('BatchNormalization', [
      b.inLayout(v, direct), param(layer.gamma, 'gamma', gamma), param(layer.beta, 'beta', beta),
      ctx.init(layer.movingMean!, 'moving_mean', (h) => h), ctx.init(layer.movingVariance!, 'moving_variance', (h) => h),
    ], [attr.float('epsilon', layer.epsilon)]);
    return [ctx.out(0, y, direct)];
  }
  const scale = new Float32Array(size);
  const offset = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const s = gamma.data[i]! / Math.sqrt(variance.data[i]! + layer.epsilon);
    scale[i] = s;
    offset[i] = beta.data[i]! - mean.data[i]! * s;
  }
  const position = axisIn(v.home, rank, axis);
  const dims = Array.from({ length: rank - position }, (_, i) => (i === 0 ? size : 1));
  const y = b.op('Add', [b.op('Mul', [b.home(v), b.initializer('scale', 'float32', dims, scale)]), b.initializer('offset', 'float32', dims, offset)]);
  return [ctx.out(0, y, v.home)];
};

/**
 * LayerNormalization: ONNX `LayerNormalization` when the normalized axes are the trailing ones
 * (the usual `axis: -1`), in Strata's order; other axis sets as the formula, `(x - mean) /
 * sqrt(var + eps) · gamma + beta` with `ReduceMean` over those axes.
 *
 * @example
 * CONVERTERS.set(LayerNormalization, convertLayerNormalization);
 */
export const convertLayerNormalization: LayerConverter = (ctx) => {
  const layer = ctx.layer as LayerNormalization;
  const v = ctx.inputs[0]!;
  const b = ctx.b;
  const rank = v.shape.length;
  const axes = [...new Set((typeof layer.axis === 'number' ? [layer.axis] : layer.axis).map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
  const dims = axes.map((a) => v.shape[a]!);
  const x = b.native(v);
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (trailing) {
    const scale = layer.gamma ? ctx.init(layer.gamma, 'gamma', (h) => h) : b.initializer('gamma', 'float32', dims, filledHost(dims, 1).data);
    const inputs = [x, scale];
    if (layer.beta) inputs.push(ctx.init(layer.beta, 'beta', (h) => h));
    const y = b.op('LayerNormalization', inputs, [attr.int('axis', axes[0]!), attr.float('epsilon', layer.epsilon)]);
    return [ctx.out(0, y, 'native')];
  }
  const broadcast = v.shape.map((d, i) => (axes.includes(i) ? d! : 1));
  const reduce = [attr.ints('axes', axes), attr.int('keepdims', 1)];
  const centred = b.op('Sub', [x, b.op('ReduceMean', [x], reduce)]);
  const variance = b.op('ReduceMean', [b.op('Mul', [centred, centred])], reduce);
  let y = b.op('Div', [centred, b.op('Sqrt', [b.op('Add', [variance, b.floatConst([layer.epsilon], [])])])]);
  if (layer.gamma) y = b.op('Mul', [y, ctx.init(layer.gamma, 'gamma_broadcast', (h) => ({ shape: broadcast, data: h.data }))]);
  if (layer.beta) y = b.op('Add', [y, ctx.init(layer.beta, 'beta_broadcast', (h) => ({ shape: broadcast, data: h.data }))]);
  return [ctx.out(0, y, 'native')];
};
