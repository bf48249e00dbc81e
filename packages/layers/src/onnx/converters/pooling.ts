import { spatialDims } from '../../layers/convolutional/conv-utils.js';
import { GlobalAveragePooling1D } from '../../layers/pooling/global-average-pooling1d.js';
import type { GlobalPooling } from '../../layers/pooling/global-pooling.js';
import { AveragePooling1D } from '../../layers/pooling/average-pooling1d.js';
import { AveragePooling2D } from '../../layers/pooling/average-pooling2d.js';
import { GlobalAveragePooling2D } from '../../layers/pooling/global-average-pooling2d.js';
import type { Pooling1D } from '../../layers/pooling/pooling1d.js';
import type { Pooling2D } from '../../layers/pooling/pooling2d.js';
import type { LayerConverter } from '../context.js';
import { attr, axisIn } from '../graph-builder.js';
import { windowAttributes } from './convolution.js';
import { channelsFirstInput } from './spatial.js';

// Window pooling runs as ONNX MaxPool / AveragePool in channels-first order (padded cells never
// count in an average: ONNX's count_include_pad 0, as Keras). Global pooling is a reduction over
// the spatial axes, in whichever layout the input already is.

/**
 * MaxPooling2D and AveragePooling2D.
 *
 * @example
 * CONVERTERS.set(MaxPooling2D, convertPooling2D);
 */
export const convertPooling2D: LayerConverter = (ctx) => {
  const layer = ctx.layer as Pooling2D;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const spatial = spatialDims(ctx.inputs[0]!.shape, layer.dataFormat);
  const op = layer instanceof AveragePooling2D ? 'AveragePool' : 'MaxPool';
  return [ctx.out(0, ctx.b.op(op, [x], windowAttributes(spatial, layer.poolSize, layer.strides, null, layer.padding)), layout)];
};

/**
 * MaxPooling1D and AveragePooling1D.
 *
 * @example
 * CONVERTERS.set(MaxPooling1D, convertPooling1D);
 */
export const convertPooling1D: LayerConverter = (ctx) => {
  const layer = ctx.layer as Pooling1D;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const spatial = spatialDims(ctx.inputs[0]!.shape, layer.dataFormat);
  const op = layer instanceof AveragePooling1D ? 'AveragePool' : 'MaxPool';
  return [ctx.out(0, ctx.b.op(op, [x], windowAttributes(spatial, [layer.poolSize], [layer.strides], null, layer.padding)), layout)];
};

/**
 * The global poolings (1-D and 2-D, max and average): `ReduceMax` / `ReduceMean` over the spatial
 * axes, mapped into the input's layout. A masked GlobalAveragePooling1D (after
 * `Embedding({ maskZero })` or Masking) averages only unmasked steps, which the graph cannot know, so it refuses.
 *
 * @example
 * CONVERTERS.set(GlobalAveragePooling2D, convertGlobalPooling);
 */
export const convertGlobalPooling: LayerConverter = (ctx) => {
  const layer = ctx.layer as GlobalPooling;
  const v = ctx.inputs[0]!;
  if (v.masked && layer instanceof GlobalAveragePooling1D) {
    ctx.fail('its input carries a mask (from Embedding maskZero or Masking), and the masked average has no ONNX export; build the model without masking (maskZero: false, no Masking layer) to export it');
  }
  const rank = v.shape.length;
  const first = layer.dataFormat === 'channelsFirst' ? 2 : 1;
  const axes = Array.from({ length: rank - 2 }, (_, i) => axisIn(v.home, rank, first + i));
  const op = layer instanceof GlobalAveragePooling1D || layer instanceof GlobalAveragePooling2D ? 'ReduceMean' : 'ReduceMax';
  const y = ctx.b.op(op, [ctx.b.home(v)], [attr.ints('axes', axes), attr.int('keepdims', layer.keepDims ? 1 : 0)]);
  return [ctx.out(0, y, layer.keepDims ? v.home : 'native')];
};
