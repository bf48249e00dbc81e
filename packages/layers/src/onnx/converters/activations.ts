import type { Tensor } from '@strata/core';
import { activationName } from '../../activations/index.js';
import type { ConvertContext } from '../context.js';
import { attr, axisIn, type Layout } from '../graph-builder.js';

// Strata's activation functions as ONNX nodes. Elementwise ones work in any layout; softmax and
// log-softmax act on Strata's last axis, wherever that sits in the layout used.

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

type Emit = (ctx: ConvertContext, x: string, lastAxis: number) => string;

const EMITTERS: Record<string, Emit> = {
  linear: (_ctx, x) => x,
  relu: (ctx, x) => ctx.b.op('Relu', [x]),
  relu6: (ctx, x) => ctx.b.op('Clip', [x, ctx.b.floatConst([0], []), ctx.b.floatConst([6], [])]),
  elu: (ctx, x) => ctx.b.op('Elu', [x], [attr.float('alpha', 1)]),
  selu: (ctx, x) => ctx.b.op('Selu', [x], [attr.float('alpha', SELU_ALPHA), attr.float('gamma', SELU_SCALE)]),
  // Opset 17 has no Gelu operator (it arrived in opset 20): the exact erf form from primitives.
  gelu: (ctx, x) => {
    const b = ctx.b;
    const erf = b.op('Erf', [b.op('Mul', [x, b.floatConst([Math.SQRT1_2], [])])]);
    return b.op('Mul', [b.op('Mul', [x, b.floatConst([0.5], [])]), b.op('Add', [erf, b.floatConst([1], [])])]);
  },
  gelu_new: (ctx, x) => {
    const b = ctx.b;
    const cube = b.op('Mul', [b.op('Mul', [x, x]), x]);
    const inner = b.op('Mul', [b.op('Add', [x, b.op('Mul', [cube, b.floatConst([0.044715], [])])]), b.floatConst([Math.sqrt(2 / Math.PI)], [])]);
    return b.op('Mul', [b.op('Mul', [x, b.floatConst([0.5], [])]), b.op('Add', [b.op('Tanh', [inner]), b.floatConst([1], [])])]);
  },
  sigmoid: (ctx, x) => ctx.b.op('Sigmoid', [x]),
  // TF.js's piecewise-linear sigmoid (see activations.hardSigmoid).
  hard_sigmoid: (ctx, x) => ctx.b.op('HardSigmoid', [x], [attr.float('alpha', 0.2), attr.float('beta', 0.5)]),
  tanh: (ctx, x) => ctx.b.op('Tanh', [x]),
  softmax: (ctx, x, lastAxis) => ctx.b.op('Softmax', [x], [attr.int('axis', lastAxis)]),
  log_softmax: (ctx, x, lastAxis) => ctx.b.op('LogSoftmax', [x], [attr.int('axis', lastAxis)]),
  softplus: (ctx, x) => ctx.b.op('Softplus', [x]),
  softsign: (ctx, x) => ctx.b.op('Softsign', [x]),
  swish: (ctx, x) => ctx.b.op('Mul', [x, ctx.b.op('Sigmoid', [x])]),
  // Mish is an operator only from opset 18.
  mish: (ctx, x) => ctx.b.op('Mul', [x, ctx.b.op('Tanh', [ctx.b.op('Softplus', [x])])]),
  exponential: (ctx, x) => ctx.b.op('Exp', [x]),
  leaky_relu: (ctx, x) => ctx.b.op('LeakyRelu', [x], [attr.float('alpha', 0.2)]),
};

/** The activation names that export. */
export const SUPPORTED_ACTIVATIONS: readonly string[] = Object.keys(EMITTERS);

/**
 * The saved name of a layer's activation function, failing with the layer's name for functions
 * that were never registered (they have no name to map to ONNX).
 *
 * @example
 * const name = activationNameOf(ctx, dense.activation); // 'relu'
 */
export function activationNameOf(ctx: ConvertContext, fn: (x: Tensor) => Tensor, option = 'activation'): string {
  try {
    return activationName(fn);
  } catch {
    return ctx.fail(`its ${option} is an unregistered custom function, which has no ONNX equivalent; use one of ${SUPPORTED_ACTIVATIONS.join(', ')}`);
  }
}

/**
 * Emits activation `name` on ONNX value `x` (a rank-`rank` tensor in `layout`) and returns the
 * result's name (`x` itself for linear).
 *
 * @example
 * const y = emitActivation(ctx, 'softmax', x, 2, 'native');
 */
export function emitActivation(ctx: ConvertContext, name: string, x: string, rank: number, layout: Layout, option = 'activation'): string {
  const emit = EMITTERS[name];
  if (!emit) {
    ctx.fail(`its ${option} '${name}' has no ONNX export; supported activations: ${SUPPORTED_ACTIVATIONS.join(', ')}. Use one of them, or export a model without this layer`);
  }
  return emit(ctx, x, axisIn(layout, rank, rank - 1));
}
