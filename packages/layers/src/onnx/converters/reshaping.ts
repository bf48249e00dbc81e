import type { Flatten } from '../../layers/basic/flatten.js';
import type { Permute } from '../../layers/basic/permute.js';
import type { RepeatVector } from '../../layers/basic/repeat-vector.js';
import type { Reshape } from '../../layers/basic/reshape.js';
import type { LayerConverter } from '../context.js';
import { attr, fromChannelsFirst } from '../graph-builder.js';

/**
 * Layers that are the identity at inference (Dropout and the noise layers): the output is the
 * input value itself, so they add no node.
 *
 * @example
 * CONVERTERS.set(Dropout, convertIdentity);
 */
export const convertIdentity: LayerConverter = (ctx) => [ctx.inputs[0]!];

/**
 * Flatten: ONNX `Flatten` on Strata's order, so the features come out in the order Strata's
 * (channels-last) flatten gives; with `dataFormat: 'channelsFirst'` the channels move last first.
 *
 * @example
 * CONVERTERS.set(Flatten, convertFlatten);
 */
export const convertFlatten: LayerConverter = (ctx) => {
  const layer = ctx.layer as Flatten;
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  let y = ctx.b.native(x);
  if (layer.dataFormat === 'channelsFirst' && rank > 2) y = ctx.b.op('Transpose', [y], [attr.ints('perm', fromChannelsFirst(rank))]);
  return [ctx.out(0, ctx.b.op('Flatten', [y], [attr.int('axis', 1)]), 'native')];
};

/**
 * Reshape: ONNX `Reshape` to `[0, ...targetShape]` (0 copies the batch dim, so any batch size runs).
 *
 * @example
 * CONVERTERS.set(Reshape, convertReshape);
 */
export const convertReshape: LayerConverter = (ctx) => {
  const layer = ctx.layer as Reshape;
  const shape = ctx.b.int64Const([0, ...layer.targetShape]);
  return [ctx.out(0, ctx.b.op('Reshape', [ctx.b.native(ctx.inputs[0]!), shape]), 'native')];
};

/**
 * Permute: ONNX `Transpose` with the batch axis kept first.
 *
 * @example
 * CONVERTERS.set(Permute, convertPermute);
 */
export const convertPermute: LayerConverter = (ctx) => {
  const layer = ctx.layer as Permute;
  return [ctx.out(0, ctx.b.op('Transpose', [ctx.b.native(ctx.inputs[0]!)], [attr.ints('perm', [0, ...layer.dims])]), 'native')];
};

/**
 * RepeatVector: `Unsqueeze` a time axis, then `Tile` it `n` times.
 *
 * @example
 * CONVERTERS.set(RepeatVector, convertRepeatVector);
 */
export const convertRepeatVector: LayerConverter = (ctx) => {
  const layer = ctx.layer as RepeatVector;
  const b = ctx.b;
  const expanded = b.op('Unsqueeze', [b.native(ctx.inputs[0]!), b.int64Const([1])]);
  return [ctx.out(0, b.op('Tile', [expanded, b.int64Const([1, layer.n, 1])]), 'native')];
};
