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
