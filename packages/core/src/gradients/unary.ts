import { add, div, greater, less, logicalAnd, lessEqual, greaterEqual, mul, sub } from '../ops/binary.js';
import { fill, zerosLike } from '../ops/creation.js';
import { castTo } from '../ops/elementwise.js';
import { cos, cosh, sinh, erf, exp, neg, reciprocal, sign, sigmoid, sin, sqrt, square, tanh, abs, rsqrt, softplus } from '../ops/unary.js';
import { where } from '../ops/where.js';
import { registerGradient, type GradFn } from '../tape.js';
import type { Tensor } from '../tensor.js';

// Gradients of the unary ops, one entry per op, each in terms of core ops so they run on every
// engine. `x` is the input, `y` the output, `dy` the incoming gradient.

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

type UnaryGrad = (dy: Tensor, x: Tensor, y: Tensor, attrs: Record<string, any>) => Tensor | null;

const mask = (cond: Tensor): Tensor => castTo(cond, 'float32');

const unaryGradients: Record<string, UnaryGrad> = {
  neg: (dy) => neg(dy),
  abs: (dy, x) => mul(dy, sign(castTo(x, 'float32'))),
  exp: (dy, _x, y) => mul(dy, y),
  expm1: (dy, _x, y) => mul(dy, add(y, 1)),
  log: (dy, x) => div(dy, x),
  log1p: (dy, x) => div(dy, add(x, 1)),
  sqrt: (dy, _x, y) => div(dy, mul(y, 2)),
  rsqrt: (dy, x, y) => mul(dy, mul(div(y, x), -0.5)),
  square: (dy, x) => mul(dy, mul(castTo(x, 'float32'), 2)),
  reciprocal: (dy, _x, y) => mul(dy, neg(square(y))),
  sin: (dy, x) => mul(dy, cos(x)),
  cos: (dy, x) => mul(dy, neg(sin(x))),
  tan: (dy, x) => div(dy, square(cos(x))),
  asin: (dy, x) => mul(dy, rsqrt(sub(1, square(x)))),
  acos: (dy, x) => neg(mul(dy, rsqrt(sub(1, square(x))))),
  atan: (dy, x) => div(dy, add(square(x), 1)),
  sinh: (dy, x) => mul(dy, cosh(x)),
  cosh: (dy, x) => mul(dy, sinh(x)),
  tanh: (dy, _x, y) => mul(dy, sub(1, square(y))),
  asinh: (dy, x) => mul(dy, rsqrt(add(square(x), 1))),
  acosh: (dy, x) => mul(dy, rsqrt(sub(square(x), 1))),
  atanh: (dy, x) => div(dy, sub(1, square(x))),
  sigmoid: (dy, _x, y) => mul(dy, mul(y, sub(1, y))),
  softplus: (dy, x) => mul(dy, sigmoid(x)),
  softsign: (dy, x) => div(dy, square(add(abs(x), 1))),
  erf: (dy, x) => mul(dy, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))),
  floor: (dy) => zerosLike(dy),
  ceil: (dy) => zerosLike(dy),
  round: (dy) => zerosLike(dy),
  sign: (dy) => zerosLike(dy),
  relu: (dy, x) => mul(dy, mask(greater(x, 0))),
  relu6: (dy, x) => mul(dy, mask(logicalAnd(greater(x, 0), less(x, 6)))),
  elu: (dy, x, y, { alpha = 1 }) => mul(dy, where(greater(x, 0), fill(x.shape, 1), add(y, alpha))),
  selu: (dy, x, y) => mul(dy, where(greater(x, 0), fill(x.shape, SELU_SCALE), add(y, SELU_SCALE * SELU_ALPHA))),
  gelu: (dy, x) => {
    // d/dx [x Phi(x)] = Phi(x) + x phi(x)
    const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return mul(dy, add(cdf, mul(x, pdf)));
  },
  leakyRelu: (dy, x, _y, { alpha = 0.2 }) => mul(dy, where(greater(x, 0), fill(x.shape, 1), fill(x.shape, alpha))),
  hardSigmoid: (dy, x, _y, { alpha = 0.2, beta = 0.5 }) => {
    const z = add(mul(x, alpha), beta);
    return mul(dy, mul(mask(logicalAnd(greater(z, 0), less(z, 1))), alpha));
  },
  swish: (dy, x, y) => {
    const s = sigmoid(x);
    return mul(dy, add(s, mul(y, sub(1, s))));
  },
  mish: (dy, x) => {
    const t = tanh(softplus(x));
    return mul(dy, add(t, mul(mul(x, sigmoid(x)), sub(1, square(t)))));
  },
  clip: (dy, x, _y, { min, max }) => mul(dy, mask(logicalAnd(greaterEqual(x, min), lessEqual(x, max)))),
  logicalNot: () => null,
  isNaN: () => null,
  isInf: () => null,
  isFinite: () => null,
};

for (const [op, g] of Object.entries(unaryGradients)) {
  const fn: GradFn = ([dy], { inputs: [x], outputs: [y], attrs }) => [g(dy!, x!, y!, attrs)];
  registerGradient(op, fn);
}

// Integer-only helpers that reach the tape through dtype promotion have trivial gradients.
registerGradient('cast', ([dy], { inputs: [x] }) => [x!.dtype === 'float32' ? castTo(dy!, 'float32') : null]);
registerGradient('identity', ([dy]) => [dy!]);
