import type { Conv } from '../../layers/convolutional/conv.js';
import type { Conv2DTranspose } from '../../layers/convolutional/conv2d-transpose.js';
import { deconvOutputLength, dilatedSize, spatialDims } from '../../layers/convolutional/conv-utils.js';
import type { DepthwiseConv2D } from '../../layers/convolutional/depthwise-conv2d.js';
import type { SeparableConv2D } from '../../layers/convolutional/separable-conv2d.js';
import type { OnnxAttribute } from '../onnx-proto.js';
import type { ConvertContext, LayerConverter } from '../context.js';
import { attr } from '../graph-builder.js';
import { reshapeHost, transposeHost } from '../host-tensors.js';
import { activationNameOf, emitActivation } from './activations.js';
import { channelsFirstInput } from './spatial.js';

// Convolutions run as ONNX Conv / ConvTranspose in NCHW (NCW) order. Channels-last layers read the
// channels-first view of their input and leave their output in it, so a chain of convolutions,
// activations and pools transposes only where the chain starts and ends.

/**
 * The pads of one axis for Keras/TensorFlow `'same'` padding: `total = max((ceil(n / s) - 1) · s +
 * k_eff - n, 0)`, the odd cell at the end (ONNX `SAME_UPPER`).
 *
 * @example
 * samePads(5, 3, 2, 1); // [1, 1]
 */
export function samePads(input: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + dilatedSize(kernel, dilation) - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * The window attributes of Conv, MaxPool and AveragePool: `kernel_shape`, `strides`, and explicit
 * `pads` where the input's spatial sizes are known (`auto_pad: SAME_UPPER` where not, which pads
 * the same way).
 *
 * @example
 * windowAttributes([28, 28], [3, 3], [1, 1], [1, 1], 'same');
 */
export function windowAttributes(
  spatial: readonly (number | null)[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[] | null, padding: string,
): OnnxAttribute[] {
  const out: OnnxAttribute[] = [attr.ints('kernel_shape', kernel), attr.ints('strides', strides)];
  if (dilations) out.push(attr.ints('dilations', dilations));
  const d = (i: number): number => dilations?.[i] ?? 1;
  if (padding === 'valid') return [...out, attr.ints('pads', new Array<number>(kernel.length * 2).fill(0))];
  if (padding === 'causal') {
    // Conv1D 'causal': every pad cell on the left.
    return [...out, attr.ints('pads', [dilatedSize(kernel[0]!, d(0)) - 1, 0])];
  }
  if (spatial.some((n) => n === null)) return [...out, attr.string('auto_pad', 'SAME_UPPER')];
  const pads = spatial.map((n, i) => samePads(n!, kernel[i]!, strides[i]!, d(i)));
  return [...out, attr.ints('pads', [...pads.map((p) => p[0]), ...pads.map((p) => p[1])])];
}

/** `[rank + 1, rank, 0, ..., rank - 1]`: Keras `[...k, in, out]` → ONNX `[out, in, ...k]`. */
function kernelToOnnx(rank: number): number[] {
  return [rank + 1, rank, ...Array.from({ length: rank }, (_, i) => i)];
}

function finish(ctx: ConvertContext, y: string, layout: 'native' | 'channelsFirst', activation: string): ReturnType<LayerConverter> {
  const rank = ctx.outputShapes[0]!.length;
  return [ctx.out(0, emitActivation(ctx, activation, y, rank, layout), layout)];
}

/**
 * Conv1D and Conv2D: ONNX `Conv` with the kernel as `[out, in, ...kernelSize]`.
 *
 * @example
 * CONVERTERS.set(Conv2D, convertConv);
 */
export const convertConv: LayerConverter = (ctx) => {
  const layer = ctx.layer as Conv;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const spatial = spatialDims(ctx.inputs[0]!.shape, layer.dataFormat);
  const inputs = [x, ctx.init(layer.kernel!, 'oihw', (h) => transposeHost(h, kernelToOnnx(layer.rank)), 'kernel')];
  if (layer.bias) inputs.push(ctx.init(layer.bias, 'bias', (h) => h));
  const y = ctx.b.op('Conv', inputs, windowAttributes(spatial, layer.kernelSize, layer.strides, layer.dilationRate, layer.padding));
  return finish(ctx, y, layout, activationNameOf(ctx, layer.activation));
};

/** The depthwise kernel `[kh, kw, in, m]` as a grouped Conv's `[in · m, 1, kh, kw]`. */
function depthwiseToOnnx(h: { shape: readonly number[]; data: Float32Array }): { shape: readonly number[]; data: Float32Array } {
  const [kh, kw, channels, multiplier] = h.shape as [number, number, number, number];
  return reshapeHost(transposeHost(h, [2, 3, 0, 1]), [channels * multiplier, 1, kh, kw]);
}

/**
 * DepthwiseConv2D: a grouped ONNX `Conv` with one group per input channel (output channel
 * `c · depthMultiplier + m` is filter m of channel c in both).
 *
 * @example
 * CONVERTERS.set(DepthwiseConv2D, convertDepthwiseConv2D);
 */
export const convertDepthwiseConv2D: LayerConverter = (ctx) => {
  const layer = ctx.layer as DepthwiseConv2D;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const spatial = spatialDims(ctx.inputs[0]!.shape, layer.dataFormat);
  const kernel = ctx.weight(layer.depthwiseKernel, 'depthwise_kernel');
  const inputs = [x, ctx.init(layer.depthwiseKernel!, 'grouped', depthwiseToOnnx, 'depthwise_kernel')];
  if (layer.bias) inputs.push(ctx.init(layer.bias, 'bias', (h) => h));
  const attributes = [...windowAttributes(spatial, layer.kernelSize, layer.strides, layer.dilationRate, layer.padding), attr.int('group', kernel.shape[2]!)];
  return finish(ctx, ctx.b.op('Conv', inputs, attributes), layout, activationNameOf(ctx, layer.activation));
};

/**
 * SeparableConv2D: the grouped depthwise `Conv` (strides, padding, dilation), then a 1x1 `Conv`
 * with the pointwise kernel and the bias.
 *
 * @example
 * CONVERTERS.set(SeparableConv2D, convertSeparableConv2D);
 */
export const convertSeparableConv2D: LayerConverter = (ctx) => {
  const layer = ctx.layer as SeparableConv2D;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const spatial = spatialDims(ctx.inputs[0]!.shape, layer.dataFormat);
  const kernel = ctx.weight(layer.depthwiseKernel, 'depthwise_kernel');
  const depthwise = ctx.b.op('Conv', [x, ctx.init(layer.depthwiseKernel!, 'grouped', depthwiseToOnnx, 'depthwise_kernel')],
    [...windowAttributes(spatial, layer.kernelSize, layer.strides, layer.dilationRate, layer.padding), attr.int('group', kernel.shape[2]!)]);
  const inputs = [depthwise, ctx.init(layer.pointwiseKernel!, 'oihw', (h) => transposeHost(h, kernelToOnnx(2)), 'pointwise_kernel')];
  if (layer.bias) inputs.push(ctx.init(layer.bias, 'bias', (h) => h));
  const y = ctx.b.op('Conv', inputs, [attr.ints('kernel_shape', [1, 1]), attr.ints('strides', [1, 1]), attr.ints('pads', [0, 0, 0, 0])]);
  return finish(ctx, y, layout, activationNameOf(ctx, layer.activation));
};

/**
 * Conv2DTranspose: ONNX `ConvTranspose` with the kernel `[kh, kw, out, in]` as `[in, out, kh, kw]`.
 * TensorFlow crops `floor(total / 2)` cells before and the rest after, where `total` is how far
 * the full transposed output `(n - 1) · s + k_eff` exceeds the wanted size; when it falls short,
 * the missing cells (bias only) come from `output_padding`. Neither depends on the input size.
 *
 * @example
 * CONVERTERS.set(Conv2DTranspose, convertConv2DTranspose);
 */
export const convertConv2DTranspose: LayerConverter = (ctx) => {
  const layer = ctx.layer as Conv2DTranspose;
  const { x, layout } = channelsFirstInput(ctx, layer.dataFormat);
  const spatial = spatialDims(ctx.inputs[0]!.shape, layer.dataFormat);
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  spatial.forEach((known, i) => {
    const n = known ?? 1;
    const k = layer.kernelSize[i]!;
    const s = layer.strides[i]!;
    const d = layer.dilationRate[i]!;
    const wanted = deconvOutputLength(n, k, layer.padding, layer.outputPadding?.[i] ?? null, s, d)!;
    const full = (n - 1) * s + dilatedSize(k, d);
    const total = Math.max(full - wanted, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
    outputPadding.push(wanted - (full - total));
  });
  const inputs = [x, ctx.init(layer.kernel!, 'iohw', (h) => transposeHost(h, [3, 2, 0, 1]), 'kernel')];
  if (layer.bias) inputs.push(ctx.init(layer.bias, 'bias', (h) => h));
  const y = ctx.b.op('ConvTranspose', inputs, [
    attr.ints('kernel_shape', layer.kernelSize), attr.ints('strides', layer.strides), attr.ints('dilations', layer.dilationRate),
    attr.ints('pads', [...begin, ...end]), attr.ints('output_padding', outputPadding),
  ]);
  return finish(ctx, y, layout, activationNameOf(ctx, layer.activation));
};
