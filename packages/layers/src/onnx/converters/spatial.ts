import type { Cropping2D } from '../../layers/spatial/cropping2d.js';
import type { UpSampling2D } from '../../layers/spatial/up-sampling2d.js';
import type { ZeroPadding2D } from '../../layers/spatial/zero-padding2d.js';
import type { ConvertContext, LayerConverter } from '../context.js';
import { attr, type Layout } from '../graph-builder.js';
import { INT64_MAX } from './int64.js';

/**
 * The input of a layer with a `dataFormat` option in NCHW order, and the layout that is: a
 * channels-last layer works on the channels-first view, a channels-first one on the value as is.
 *
 * @example
 * const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
 */
export function channelsFirstInput(ctx: ConvertContext, dataFormat: 'channelsFirst' | 'channelsLast'): { x: string; layout: Layout } {
  const layout: Layout = dataFormat === 'channelsLast' ? 'channelsFirst' : 'native';
  return { x: ctx.b.inLayout(ctx.inputs[0]!, layout), layout };
}

/**
 * ZeroPadding2D: ONNX `Pad` (constant zeros) on the height and width axes.
 *
 * @example
 * CONVERTERS.set(ZeroPadding2D, convertZeroPadding2D);
 */
export const convertZeroPadding2D: LayerConverter = (ctx) => {
  const layer = ctx.layer as ZeroPadding2D;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const [[top, bottom], [left, right]] = layer.padding;
  const pads = ctx.b.int64Const([0, 0, top, left, 0, 0, bottom, right]);
  return [ctx.out(0, ctx.b.op('Pad', [x, pads], [attr.string('mode', 'constant')]), layout)];
};

/**
 * Cropping2D: ONNX `Slice` of the height and width axes.
 *
 * @example
 * CONVERTERS.set(Cropping2D, convertCropping2D);
 */
export const convertCropping2D: LayerConverter = (ctx) => {
  const layer = ctx.layer as Cropping2D;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const [[top, bottom], [left, right]] = layer.cropping;
  const end = (n: number): number | bigint => (n === 0 ? INT64_MAX : -n);
  const b = ctx.b;
  const y = b.op('Slice', [x, b.int64Const([top, left]), b.int64Const([end(bottom), end(right)]), b.int64Const([2, 3])]);
  return [ctx.out(0, y, layout)];
};

/**
 * UpSampling2D: ONNX `Resize` by the integer factors: nearest with `floor` on asymmetric
 * coordinates (each cell repeated), bilinear with half-pixel centres (Keras) or asymmetric
 * coordinates (TF.js's `halfPixelCenters: false`).
 *
 * @example
 * CONVERTERS.set(UpSampling2D, convertUpSampling2D);
 */
export const convertUpSampling2D: LayerConverter = (ctx) => {
  const layer = ctx.layer as UpSampling2D;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const scales = ctx.b.floatConst([1, 1, layer.size[0], layer.size[1]]);
  const attributes = layer.interpolation === 'nearest'
    ? [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]
    : [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', layer.halfPixelCenters ? 'half_pixel' : 'asymmetric')];
  return [ctx.out(0, ctx.b.op('Resize', [x, '', scales], attributes), layout)];
};
