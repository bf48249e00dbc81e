import { Add } from '../../layers/merge/add.js';
import { Average } from '../../layers/merge/average.js';
import type { Concatenate } from '../../layers/merge/concatenate.js';
import { Maximum } from '../../layers/merge/maximum.js';
import { Minimum } from '../../layers/merge/minimum.js';
import { Multiply } from '../../layers/merge/multiply.js';
import type { ConvertContext, LayerConverter } from '../context.js';
import { attr, axisIn, type Layout } from '../graph-builder.js';

/**
 * The inputs of a merge in one layout: channels-first when every input is already there (a merge
 * of two convolution branches stays in NCHW), else Strata's order, where lower-rank inputs get
 * size-1 axes after the batch axis as Strata's merge layers do (ONNX would align them from the end).
 */
function mergeInputs(ctx: ConvertContext): { names: string[]; layout: Layout; rank: number } {
  const rank = Math.max(...ctx.inputs.map((v) => v.shape.length));
  const allChannelsFirst = rank >= 3 && ctx.inputs.every((v) => v.shape.length === rank && v.home === 'channelsFirst');
  const layout: Layout = allChannelsFirst ? 'channelsFirst' : 'native';
  const names = ctx.inputs.map((v) => {
    const name = ctx.b.inLayout(v, layout);
    const missing = rank - v.shape.length;
    if (missing === 0) return name;
    return ctx.b.op('Unsqueeze', [name, ctx.b.int64Const(Array.from({ length: missing }, (_, i) => i + 1))]);
  });
  return { names, layout, rank };
}

/**
 * Add, Subtract, Multiply, Average, Maximum and Minimum: chains of the binary ONNX operator in
 * input order (the order Strata folds them in); Average divides the sum by the input count.
 *
 * @example
 * CONVERTERS.set(Add, convertElementwiseMerge);
 */
export const convertElementwiseMerge: LayerConverter = (ctx) => {
  const { names, layout } = mergeInputs(ctx);
  const layer = ctx.layer;
  const op = layer instanceof Add || layer instanceof Average ? 'Add'
    : layer instanceof Multiply ? 'Mul'
      : layer instanceof Maximum ? 'Max'
        : layer instanceof Minimum ? 'Min'
          : 'Sub';
  let y = names.slice(1).reduce((acc, x) => ctx.b.op(op, [acc, x]), names[0]!);
  if (layer instanceof Average) y = ctx.b.op('Div', [y, ctx.b.floatConst([names.length], [])]);
  return [ctx.out(0, y, layout)];
};

/**
 * Concatenate: ONNX `Concat` along the layer's axis, mapped into the layout used.
 *
 * @example
 * CONVERTERS.set(Concatenate, convertConcatenate);
 */
export const convertConcatenate: LayerConverter = (ctx) => {
  const layer = ctx.layer as Concatenate;
  const { names, layout, rank } = mergeInputs(ctx);
  const axis = axisIn(layout, rank, layer.axis < 0 ? layer.axis + rank : layer.axis);
  return [ctx.out(0, ctx.b.op('Concat', names, [attr.int('axis', axis)]), layout)];
};
