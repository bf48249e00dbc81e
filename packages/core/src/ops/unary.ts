import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError } from '../util/errors.js';
import { defineOp } from './define-op.js';
import { unaryOp } from './elementwise.js';

// Elementwise ops of one tensor. Each runs the engine's `unary` kernel; int32 inputs of float
// math are promoted to float32 (see `unaryOp`).

/**
 * Negates each element.
 *
 * @example
 * neg(tensor([1, -2])); // [-1, 2]
 */
export const neg = defineOp('neg', (x: TensorLike): Tensor => unaryOp('neg', convert(x, 'x', 'neg')));

/**
 * Absolute value.
 *
 * @example
 * abs(tensor([-1, 2])); // [1, 2]
 */
export const abs = defineOp('abs', (x: TensorLike): Tensor => unaryOp('abs', convert(x, 'x', 'abs')));

/**
 * e to the power of each element.
 *
 * @example
 * exp(tensor([0, 1])); // [1, 2.718...]
 */
export const exp = defineOp('exp', (x: TensorLike): Tensor => unaryOp('exp', convert(x, 'x', 'exp')));

/**
 * `exp(x) - 1`, accurate near zero.
 *
 * @example
 * expm1(tensor([1e-7]));
 */
export const expm1 = defineOp('expm1', (x: TensorLike): Tensor => unaryOp('expm1', convert(x, 'x', 'expm1')));

/**
 * Natural logarithm (NaN below 0, -Infinity at 0).
 *
 * @example
 * log(tensor([1, Math.E])); // [0, 1]
 */
export const log = defineOp('log', (x: TensorLike): Tensor => unaryOp('log', convert(x, 'x', 'log')));

/**
 * `log(1 + x)`, accurate near zero.
 *
 * @example
 * log1p(tensor([1e-7]));
 */
export const log1p = defineOp('log1p', (x: TensorLike): Tensor => unaryOp('log1p', convert(x, 'x', 'log1p')));

/**
 * Square root.
 *
 * @example
 * sqrt(tensor([4, 9])); // [2, 3]
 */
export const sqrt = defineOp('sqrt', (x: TensorLike): Tensor => unaryOp('sqrt', convert(x, 'x', 'sqrt')));

/**
 * `1 / sqrt(x)`.
 *
 * @example
 * rsqrt(tensor([4])); // [0.5]
 */
export const rsqrt = defineOp('rsqrt', (x: TensorLike): Tensor => unaryOp('rsqrt', convert(x, 'x', 'rsqrt')));

/**
 * `x * x`.
 *
 * @example
 * square(tensor([3])); // [9]
 */
export const square = defineOp('square', (x: TensorLike): Tensor => unaryOp('square', convert(x, 'x', 'square')));

/**
 * `1 / x`.
 *
 * @example
 * reciprocal(tensor([4])); // [0.25]
 */
export const reciprocal = defineOp('reciprocal', (x: TensorLike): Tensor => unaryOp('reciprocal', convert(x, 'x', 'reciprocal')));

/**
 * Sine.
 *
 * @example
 * sin(tensor([0]));
 */
export const sin = defineOp('sin', (x: TensorLike): Tensor => unaryOp('sin', convert(x, 'x', 'sin')));

/**
 * Cosine.
 *
 * @example
 * cos(tensor([0])); // [1]
 */
export const cos = defineOp('cos', (x: TensorLike): Tensor => unaryOp('cos', convert(x, 'x', 'cos')));

/**
 * Tangent.
 *
 * @example
 * tan(tensor([0]));
 */
export const tan = defineOp('tan', (x: TensorLike): Tensor => unaryOp('tan', convert(x, 'x', 'tan')));

/**
 * Arcsine.
 *
 * @example
 * asin(tensor([1]));
 */
export const asin = defineOp('asin', (x: TensorLike): Tensor => unaryOp('asin', convert(x, 'x', 'asin')));

/**
 * Arccosine.
 *
 * @example
 * acos(tensor([1])); // [0]
 */
export const acos = defineOp('acos', (x: TensorLike): Tensor => unaryOp('acos', convert(x, 'x', 'acos')));

/**
 * Arctangent.
 *
 * @example
 * atan(tensor([1]));
 */
export const atan = defineOp('atan', (x: TensorLike): Tensor => unaryOp('atan', convert(x, 'x', 'atan')));

/**
 * Hyperbolic sine.
 *
 * @example
 * sinh(tensor([0]));
 */
export const sinh = defineOp('sinh', (x: TensorLike): Tensor => unaryOp('sinh', convert(x, 'x', 'sinh')));

/**
 * Hyperbolic cosine.
 *
 * @example
 * cosh(tensor([0])); // [1]
 */
export const cosh = defineOp('cosh', (x: TensorLike): Tensor => unaryOp('cosh', convert(x, 'x', 'cosh')));

/**
 * Hyperbolic tangent.
 *
 * @example
 * tanh(tensor([0, 1]));
 */
export const tanh = defineOp('tanh', (x: TensorLike): Tensor => unaryOp('tanh', convert(x, 'x', 'tanh')));

/**
 * Inverse hyperbolic sine.
 *
 * @example
 * asinh(tensor([0]));
 */
export const asinh = defineOp('asinh', (x: TensorLike): Tensor => unaryOp('asinh', convert(x, 'x', 'asinh')));

/**
 * Inverse hyperbolic cosine.
 *
 * @example
 * acosh(tensor([1])); // [0]
 */
export const acosh = defineOp('acosh', (x: TensorLike): Tensor => unaryOp('acosh', convert(x, 'x', 'acosh')));

/**
 * Inverse hyperbolic tangent.
 *
 * @example
 * atanh(tensor([0.5]));
 */
export const atanh = defineOp('atanh', (x: TensorLike): Tensor => unaryOp('atanh', convert(x, 'x', 'atanh')));

/**
 * Logistic sigmoid `1 / (1 + exp(-x))`, stable for large |x|.
 *
 * @example
 * sigmoid(tensor([0])); // [0.5]
 */
export const sigmoid = defineOp('sigmoid', (x: TensorLike): Tensor => unaryOp('sigmoid', convert(x, 'x', 'sigmoid')));

/**
 * `log(1 + exp(x))`, stable for large |x|.
 *
 * @example
 * softplus(tensor([0])); // [0.693...]
 */
export const softplus = defineOp('softplus', (x: TensorLike): Tensor => unaryOp('softplus', convert(x, 'x', 'softplus')));

/**
 * `x / (1 + |x|)`.
 *
 * @example
 * softsign(tensor([1])); // [0.5]
 */
export const softsign = defineOp('softsign', (x: TensorLike): Tensor => unaryOp('softsign', convert(x, 'x', 'softsign')));

/**
 * Gauss error function.
 *
 * @example
 * erf(tensor([0.5])); // [0.5205]
 */
export const erf = defineOp('erf', (x: TensorLike): Tensor => unaryOp('erf', convert(x, 'x', 'erf')));

/**
 * Largest integer not above x.
 *
 * @example
 * floor(tensor([1.5, -1.5])); // [1, -2]
 */
export const floor = defineOp('floor', (x: TensorLike): Tensor => unaryOp('floor', convert(x, 'x', 'floor')));

/**
 * Smallest integer not below x.
 *
 * @example
 * ceil(tensor([1.5])); // [2]
 */
export const ceil = defineOp('ceil', (x: TensorLike): Tensor => unaryOp('ceil', convert(x, 'x', 'ceil')));

/**
 * Rounds half to even, like NumPy and TensorFlow.
 *
 * @example
 * round(tensor([0.5, 1.5, 2.5])); // [0, 2, 2]
 */
export const round = defineOp('round', (x: TensorLike): Tensor => unaryOp('round', convert(x, 'x', 'round')));

/**
 * -1, 0 or 1.
 *
 * @example
 * sign(tensor([-3, 0, 2])); // [-1, 0, 1]
 */
export const sign = defineOp('sign', (x: TensorLike): Tensor => unaryOp('sign', convert(x, 'x', 'sign')));

/**
 * `max(x, 0)`.
 *
 * @example
 * relu(tensor([-1, 2])); // [0, 2]
 */
export const relu = defineOp('relu', (x: TensorLike): Tensor => unaryOp('relu', convert(x, 'x', 'relu')));

/**
 * `min(max(x, 0), 6)`.
 *
 * @example
 * relu6(tensor([-1, 8])); // [0, 6]
 */
export const relu6 = defineOp('relu6', (x: TensorLike): Tensor => unaryOp('relu6', convert(x, 'x', 'relu6')));

/**
 * Scaled exponential linear unit (Klambauer et al.).
 *
 * @example
 * selu(tensor([-1, 1]));
 */
export const selu = defineOp('selu', (x: TensorLike): Tensor => unaryOp('selu', convert(x, 'x', 'selu')));

/**
 * Gaussian error linear unit, exact form `0.5 x (1 + erf(x / sqrt 2))`.
 *
 * @example
 * gelu(tensor([1]));
 */
export const gelu = defineOp('gelu', (x: TensorLike): Tensor => unaryOp('gelu', convert(x, 'x', 'gelu')));

/**
 * `x * sigmoid(x)` (also called SiLU).
 *
 * @example
 * swish(tensor([1]));
 */
export const swish = defineOp('swish', (x: TensorLike): Tensor => unaryOp('swish', convert(x, 'x', 'swish')));

/**
 * `x * tanh(softplus(x))`.
 *
 * @example
 * mish(tensor([1]));
 */
export const mish = defineOp('mish', (x: TensorLike): Tensor => unaryOp('mish', convert(x, 'x', 'mish')));

/**
 * True where x is NaN.
 *
 * @example
 * isNaN(tensor([NaN, 1])); // [true, false]
 */
export const isNaN = defineOp('isNaN', (x: TensorLike): Tensor => unaryOp('isNaN', convert(x, 'x', 'isNaN')));

/**
 * True where x is +-Infinity.
 *
 * @example
 * isInf(tensor([Infinity, 1]));
 */
export const isInf = defineOp('isInf', (x: TensorLike): Tensor => unaryOp('isInf', convert(x, 'x', 'isInf')));

/**
 * True where x is neither NaN nor infinite.
 *
 * @example
 * isFinite(tensor([NaN, 1])); // [false, true]
 */
export const isFinite = defineOp('isFinite', (x: TensorLike): Tensor => unaryOp('isFinite', convert(x, 'x', 'isFinite')));

/**
 * Logical not (non-bool inputs are compared with 0 first).
 *
 * @example
 * logicalNot(tensor([true, false]));
 */
export const logicalNot = defineOp('logicalNot', (x: TensorLike): Tensor => unaryOp('logicalNot', convert(x, 'x', 'logicalNot')));

/**
 * Exponential linear unit: `x` for x > 0, `alpha (exp(x) - 1)` otherwise.
 *
 * @example
 * elu(tensor([-1, 1]));
 */
export const elu = defineOp('elu', (x: TensorLike, alpha: number = 1): Tensor => unaryOp('elu', convert(x, 'x', 'elu'), { alpha }));

/**
 * Leaky ReLU: `x` for x > 0, `alpha x` otherwise.
 *
 * @example
 * leakyRelu(tensor([-1, 1]), 0.1); // [-0.1, 1]
 */
export const leakyRelu = defineOp('leakyRelu', (x: TensorLike, alpha: number = 0.2): Tensor => unaryOp('leakyRelu', convert(x, 'x', 'leakyRelu'), { alpha }));

/**
 * Piecewise-linear sigmoid `max(0, min(1, alpha x + beta))` (Keras 2 / TF.js defaults 0.2, 0.5).
 *
 * @example
 * hardSigmoid(tensor([0])); // [0.5]
 */
export const hardSigmoid = defineOp('hardSigmoid', (x: TensorLike, alpha: number = 0.2, beta: number = 0.5): Tensor =>
  unaryOp('hardSigmoid', convert(x, 'x', 'hardSigmoid'), { alpha, beta }));

/**
 * Clamps every element to [min, max].
 *
 * @example
 * clip(tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 */
export const clip = defineOp('clip', (x: TensorLike, min: number, max: number): Tensor => {
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new OpError('clip', 'min/max', `${min}, ${max}`, 'must be numbers with min <= max');
  }
  return unaryOp('clip', convert(x, 'x', 'clip'), { min, max });
});

/** TF.js's name for `clip`. */
export const clipByValue = clip;
