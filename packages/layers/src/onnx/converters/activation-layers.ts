import type { ELU } from '../../layers/activation-layers/elu.js';
import type { LeakyReLU } from '../../layers/activation-layers/leaky-relu.js';
import type { PReLU } from '../../layers/activation-layers/prelu.js';
import type { ReLU } from '../../layers/activation-layers/relu.js';
import type { Softmax } from '../../layers/activation-layers/softmax.js';
import type { LayerConverter } from '../context.js';
import { attr, axisIn } from '../graph-builder.js';

// The activation layers. Elementwise ones run in whatever layout their input is in; Softmax maps
// its axes into that layout.

/**
 * ReLU with its options: `Relu` (or `Clip` with `maxValue`); with a threshold or negative slope,
 * `Where(x > threshold, min(x, maxValue), negativeSlope · (x - threshold))`.
 *
 * @example
 * CONVERTERS.set(ReLU, convertReLU);
 */
export const convertReLU: LayerConverter = (ctx) => {
  const layer = ctx.layer as ReLU;
  const v = ctx.inputs[0]!;
  const b = ctx.b;
  const x = b.home(v);
  let y: string;
  if (layer.negativeSlope === 0 && layer.threshold === 0) {
    y = layer.maxValue === null ? b.op('Relu', [x]) : b.op('Clip', [x, b.floatConst([0], []), b.floatConst([layer.maxValue], [])]);
  } else {
    const threshold = b.floatConst([layer.threshold], []);
    const above = layer.maxValue === null ? x : b.op('Min', [x, b.floatConst([layer.maxValue], [])]);
    const below = b.op('Mul', [b.op('Sub', [x, threshold]), b.floatConst([layer.negativeSlope], [])]);
    y = b.op('Where', [b.op('Greater', [x, threshold]), above, below]);
  }
  return [ctx.out(0, y, v.home)];
};

/**
 * ELU: ONNX `Elu` with the layer's alpha.
 *
 * @example
 * CONVERTERS.set(ELU, convertELU);
 */
export const convertELU: LayerConverter = (ctx) => {
  const v = ctx.inputs[0]!;
  return [ctx.out(0, ctx.b.op('Elu', [ctx.b.home(v)], [attr.float('alpha', (ctx.layer as ELU).alpha)]), v.home)];
};

/**
 * LeakyReLU: ONNX `LeakyRelu` with the layer's alpha.
 *
 * @example
 * CONVERTERS.set(LeakyReLU, convertLeakyReLU);
 */
export const convertLeakyReLU: LayerConverter = (ctx) => {
  const v = ctx.inputs[0]!;
  return [ctx.out(0, ctx.b.op('LeakyRelu', [ctx.b.home(v)], [attr.float('alpha', (ctx.layer as LeakyReLU).alpha)]), v.home)];
};

/**
 * PReLU: ONNX `PRelu` with the learned slopes, which have the sample's shape in Strata's order
 * (so the input is taken in that order; they broadcast over the batch).
 *
 * @example
 * CONVERTERS.set(PReLU, convertPReLU);
 */
export const convertPReLU: LayerConverter = (ctx) => {
  const layer = ctx.layer as PReLU;
  const slope = ctx.init(layer.alpha!, 'alpha', (h) => h);
  return [ctx.out(0, ctx.b.op('PRelu', [ctx.b.native(ctx.inputs[0]!), slope]), 'native')];
};

/**
 * Softmax over the layer's axis (`Softmax`), or over several axes as `exp(x - logSumExp(x))`.
 *
 * @example
 * CONVERTERS.set(Softmax, convertSoftmax);
 */
export const convertSoftmax: LayerConverter = (ctx) => {
  const layer = ctx.layer as Softmax;
  const v = ctx.inputs[0]!;
  const rank = v.shape.length;
  const b = ctx.b;
  const x = b.home(v);
  const axes = (typeof layer.axis === 'number' ? [layer.axis] : layer.axis).map((a) => axisIn(v.home, rank, a < 0 ? a + rank : a));
  if (axes.length === 1) return [ctx.out(0, b.op('Softmax', [x], [attr.int('axis', axes[0]!)]), v.home)];
  const lse = b.op('ReduceLogSumExp', [x], [attr.ints('axes', axes), attr.int('keepdims', 1)]);
  return [ctx.out(0, b.op('Exp', [b.op('Sub', [x, lse])]), v.home)];
};
