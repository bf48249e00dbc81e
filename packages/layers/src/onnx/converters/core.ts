import type { Activation } from '../../layers/basic/activation.js';
import type { Dense } from '../../layers/core/dense.js';
import type { Embedding } from '../../layers/embedding/embedding.js';
import type { Rescaling } from '../../layers/preprocessing/rescaling.js';
import type { LayerConverter } from '../context.js';
import { attr } from '../graph-builder.js';
import { activationNameOf, emitActivation } from './activations.js';

const same = (h: { shape: readonly number[]; data: Float32Array }) => h;

/**
 * Dense: `MatMul` (which broadcasts over leading axes, so rank ≥ 3 inputs need no reshape), the
 * bias `Add`, then the activation, on Strata's own axis order.
 *
 * @example
 * CONVERTERS.set(Dense, convertDense);
 */
export const convertDense: LayerConverter = (ctx) => {
  const layer = ctx.layer as Dense;
  const x = ctx.inputs[0]!;
  let y = ctx.b.op('MatMul', [ctx.b.native(x), ctx.init(layer.kernel!, 'kernel', same)]);
  if (layer.bias) y = ctx.b.op('Add', [y, ctx.init(layer.bias, 'bias', same)]);
  y = emitActivation(ctx, activationNameOf(ctx, layer.activation), y, x.shape.length, 'native');
  return [ctx.out(0, y, 'native')];
};

/**
 * Activation: the function's nodes, in whatever layout the input is in (softmax's axis follows).
 *
 * @example
 * CONVERTERS.set(Activation, convertActivation);
 */
export const convertActivation: LayerConverter = (ctx) => {
  const layer = ctx.layer as Activation;
  const x = ctx.inputs[0]!;
  const y = emitActivation(ctx, activationNameOf(ctx, layer.activation), ctx.b.home(x), x.shape.length, x.home);
  return [ctx.out(0, y, x.home)];
};

/**
 * Embedding: `Gather` of the vectors by id (float ids are cast to int32 first, as Strata does).
 * A `maskZero` mask cannot travel in an ONNX graph; layers that would use it refuse to export.
 *
 * @example
 * CONVERTERS.set(Embedding, convertEmbedding);
 */
export const convertEmbedding: LayerConverter = (ctx) => {
  const layer = ctx.layer as Embedding;
  const x = ctx.inputs[0]!;
  let ids = ctx.b.native(x);
  if (x.dtype !== 'int32') ids = ctx.b.op('Cast', [ids], [attr.int('to', 6)]);
  const y = ctx.b.op('Gather', [ctx.init(layer.embeddings!, 'embeddings', same), ids], [attr.int('axis', 0)]);
  const out = ctx.out(0, y, 'native');
  out.masked = layer.maskZero;
  return [out];
};

/**
 * Rescaling: `x · scale + offset`, elementwise in the input's layout.
 *
 * @example
 * CONVERTERS.set(Rescaling, convertRescaling);
 */
export const convertRescaling: LayerConverter = (ctx) => {
  const layer = ctx.layer as Rescaling;
  const x = ctx.inputs[0]!;
  let y = ctx.b.home(x);
  if (x.dtype !== 'float32') y = ctx.b.op('Cast', [y], [attr.int('to', 1)]);
  y = ctx.b.op('Mul', [y, ctx.b.floatConst([layer.scale], [])]);
  if (layer.offset !== 0) y = ctx.b.op('Add', [y, ctx.b.floatConst([layer.offset], [])]);
  return [ctx.out(0, y, x.home)];
};
