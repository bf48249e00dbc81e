/**
 * Kernel vocabulary: the names and attributes every engine speaks. One name per op everywhere:
 * the same string names the op in core, the kernel here, the gradient file and the tests.
 */

/** Elementwise ops of one input. Output dtype is decided by core (see `unaryOutputDType` in core). */
export const UNARY_OPS = [
  'neg', 'abs', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'sigmoid', 'softplus', 'softsign', 'erf', 'floor', 'ceil', 'round', 'sign',
  'relu', 'relu6', 'elu', 'selu', 'gelu', 'leakyRelu', 'hardSigmoid', 'swish', 'mish', 'clip',
  'logicalNot', 'isNaN', 'isInf', 'isFinite',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/**
 * Attributes some unary ops take: `alpha` for leakyRelu (slope), elu (scale), hardSigmoid (slope);
 * `beta` for hardSigmoid (offset); `min`/`max` for clip.
 */
export interface UnaryAttrs {
  alpha?: number;
  beta?: number;
  min?: number;
  max?: number;
}

/** Elementwise ops of two inputs, NumPy broadcasting (core has computed the output shape). */
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'floorDiv', 'mod', 'pow', 'maximum', 'minimum', 'squaredDifference',
  'atan2', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
  'logicalAnd', 'logicalOr', 'logicalXor',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over a set of axes. `argMax`/`argMin` reduce exactly one axis and output int32. */
export const REDUCE_OPS = ['sum', 'prod', 'max', 'min', 'mean', 'any', 'all', 'argMax', 'argMin'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Distributions of the `random` kernel. */
export type RandomDistribution = 'uniform' | 'normal' | 'truncatedNormal';

/**
 * Attributes of the `random` kernel. Element `i` of the output is drawn from Philox4x32-10 with
 * key `[seed, stream]` and counter `[i, 0, round, 0]` as `philoxUniform`/`philoxNormal` in this
 * package specify, so every engine draws the same numbers.
 */
export interface RandomAttrs {
  distribution: RandomDistribution;
  /** 32-bit unsigned seed (the user's or the config's seed). */
  seed: number;
  /** 32-bit unsigned stream number: core gives each random op call its own. */
  stream: number;
  /** uniform: lower bound (inclusive). */
  low?: number;
  /** uniform: upper bound (exclusive). */
  high?: number;
  /** normal, truncatedNormal: mean. */
  mean?: number;
  /** normal, truncatedNormal: standard deviation (truncation at two of them). */
  stddev?: number;
}

/** Explicit padding amounts, already resolved by core from `'valid'`/`'same'`. */
export interface Padding2D {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Attributes of 2-D convolutions (channels-last). Input `[N, H, W, C]`, filter
 * `[KH, KW, C, OC]` (depthwise: `[KH, KW, C, M]`, output channels `C * M`).
 */
export interface Conv2DAttrs {
  strides: readonly [number, number];
  dilations: readonly [number, number];
  pad: Padding2D;
}

/** Attributes of 2-D pooling (channels-last, `[N, H, W, C]`). avgPool averages only real cells. */
export interface Pool2DAttrs {
  windowSize: readonly [number, number];
  strides: readonly [number, number];
  pad: Padding2D;
}

/** Activations the fused matmul fast path can apply. */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'elu' | 'gelu' | 'swish';

/**
 * Plain gradient descent with optional (Nesterov) momentum, Keras 3's `SGD`:
 * `momentum = 0`: `w -= lr * g` (no slot); otherwise, with slot `[m]`:
 * `m = momentum * m - lr * g`, then `w += m`, or with `nesterov`, `w += momentum * m - lr * g`.
 */
export interface SgdUpdate {
  readonly kind: 'sgd';
  readonly learningRate: number;
  /** In [0, 1]; 0 means no slot. */
  readonly momentum: number;
  readonly nesterov: boolean;
}

/**
 * Adam, Keras 3's `Adam`, with slots `[m, v]` (`[m, v, vHat]` with `amsgrad`):
 * `m += (g - m) * (1 - beta1)`; `v += (g^2 - v) * (1 - beta2)`; amsgrad: `vHat = max(vHat, v)`
 * (NaN wins) and `vHat` replaces `v` below; `w -= m * alpha / (sqrt(v) + epsilon)`.
 * AdamW is this update after a separate decoupled weight-decay step.
 */
export interface AdamUpdate {
  readonly kind: 'adam';
  /** The bias-corrected rate `lr * sqrt(1 - beta2^t) / (1 - beta1^t)`, computed on the host. */
  readonly alpha: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
}

/**
 * RMSprop, Keras 3's `RMSprop`, with slots `[v]`, then `mom` when `momentum > 0`, then `a` when
 * `centered`: `v = rho * v + (1 - rho) * g^2`; centered: `a = rho * a + (1 - rho) * g` and
 * `d = v - a^2 + epsilon`, otherwise `d = v + epsilon`; `inc = lr * g / sqrt(d)`;
 * momentum: `mom = momentum * mom + inc; w -= mom`, otherwise `w -= inc`.
 */
export interface RmspropUpdate {
  readonly kind: 'rmsprop';
  readonly learningRate: number;
  readonly rho: number;
  /** In [0, 1]; 0 means no momentum slot. */
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
}

/** Adagrad, Keras 3's `Adagrad`, with slot `[acc]`: `acc += g^2`; `w -= lr * g / sqrt(acc + epsilon)`. */
export interface AdagradUpdate {
  readonly kind: 'adagrad';
  readonly learningRate: number;
  readonly epsilon: number;
}

/**
 * One optimizer step for one variable, as the `optimizerUpdate` fast path receives it: the rule
 * and its host scalars. Each member documents its formula and its slots, in the order the engine
 * receives them. Weight decay and gradient clipping are separate steps done before, in core ops.
 */
export type OptimizerUpdate = SgdUpdate | AdamUpdate | RmspropUpdate | AdagradUpdate;

/** The update rules an `optimizerUpdate` kernel implements (every engine that has it implements all). */
export const OPTIMIZER_UPDATE_KINDS = ['sgd', 'adam', 'rmsprop', 'adagrad'] as const satisfies readonly OptimizerUpdate['kind'][];
