import * as core from '@strata/core';
import type { Tensor } from '@strata/core';

/** An activation: elementwise (or, for softmax, along the last axis) and differentiable. */
export type ActivationFn = (x: Tensor) => Tensor;

/**
 * `x` unchanged. A new handle on the same buffer (no copy), so the caller may dispose the input
 * and output independently.
 *
 * @example
 * linear(x);
 */
export const linear: ActivationFn = (x) => core.clone(x);

/**
 * `max(x, 0)`.
 *
 * @example
 * relu(tensor([-1, 2])); // [0, 2]
 */
export const relu: ActivationFn = (x) => core.relu(x);

/**
 * `min(max(x, 0), 6)`.
 *
 * @example
 * relu6(tensor([-1, 8])); // [0, 6]
 */
export const relu6: ActivationFn = (x) => core.relu6(x);

/**
 * `x` for x > 0, `exp(x) - 1` otherwise (alpha 1, as Keras and TF.js).
 *
 * @example
 * elu(tensor([-1, 1])); // [-0.632, 1]
 */
export const elu: ActivationFn = (x) => core.elu(x);

/**
 * Scaled ELU with Klambauer et al.'s constants (scale 1.0507, alpha 1.6733).
 *
 * @example
 * selu(tensor([-1, 1]));
 */
export const selu: ActivationFn = (x) => core.selu(x);

/**
 * Exact GELU `0.5 x (1 + erf(x / sqrt 2))` (Keras 3's default, TF.js's `gelu`).
 *
 * @example
 * gelu(tensor([1])); // [0.841]
 */
export const gelu: ActivationFn = (x) => core.gelu(x);

/**
 * GELU's tanh approximation `0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³)))` (TF.js's `gelu_new`,
 * Keras 3's `gelu(x, approximate=true)`).
 *
 * @example
 * geluNew(tensor([1])); // [0.841]
 */
export const geluNew: ActivationFn = (x) =>
  core.tidy(() => {
    // x·x·x rather than pow(x, 3): GPU pow is undefined for negative bases.
    const cube = core.mul(core.mul(x, x), x);
    const inner = core.mul(core.add(x, core.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI));
    return core.mul(core.mul(x, 0.5), core.add(core.tanh(inner), 1));
  });

/**
 * `1 / (1 + exp(-x))`.
 *
 * @example
 * sigmoid(tensor([0])); // [0.5]
 */
export const sigmoid: ActivationFn = (x) => core.sigmoid(x);

/**
 * TF.js's (and Keras 2's) piecewise-linear sigmoid `clip(0.2 x + 0.5, 0, 1)`. Keras 3 changed its
 * `hard_sigmoid` to `relu6(x + 3) / 6` = `clip(x / 6 + 0.5, 0, 1)`; Strata keeps TF.js's numbers
 * so models exchanged with TF.js compute the same.
 *
 * @example
 * hardSigmoid(tensor([-3, 0, 1])); // [0, 0.5, 0.7]
 */
export const hardSigmoid: ActivationFn = (x) => core.hardSigmoid(x, 0.2, 0.5);

/**
 * Hyperbolic tangent.
 *
 * @example
 * tanh(tensor([0])); // [0]
 */
export const tanh: ActivationFn = (x) => core.tanh(x);

/**
 * Softmax over the last axis, for any rank ≥ 1 (TF.js; Keras 2 rejected rank 1).
 *
 * @example
 * softmax(tensor([[1, 2, 3]])); // [[0.090, 0.245, 0.665]]
 */
export const softmax: ActivationFn = (x) => core.softmax(x, -1);

/**
 * Log of the softmax over the last axis, computed stably.
 *
 * @example
 * logSoftmax(tensor([[1, 2, 3]]));
 */
export const logSoftmax: ActivationFn = (x) => core.logSoftmax(x, -1);

/**
 * `log(1 + exp(x))`.
 *
 * @example
 * softplus(tensor([0])); // [0.693]
 */
export const softplus: ActivationFn = (x) => core.softplus(x);

/**
 * `x / (1 + |x|)`.
 *
 * @example
 * softsign(tensor([1])); // [0.5]
 */
export const softsign: ActivationFn = (x) => core.softsign(x);

/**
 * `x * sigmoid(x)` (also called SiLU).
 *
 * @example
 * swish(tensor([1])); // [0.731]
 */
export const swish: ActivationFn = (x) => core.swish(x);

/**
 * `x * tanh(softplus(x))`.
 *
 * @example
 * mish(tensor([1])); // [0.865]
 */
export const mish: ActivationFn = (x) => core.mish(x);

/**
 * `exp(x)`.
 *
 * @example
 * exponential(tensor([0])); // [1]
 */
export const exponential: ActivationFn = (x) => core.exp(x);

/**
 * `x` for x > 0, `0.2 x` otherwise (the slope of Keras 3's `leaky_relu` and core's `leakyRelu`;
 * the LeakyReLU layer has its own `alpha`).
 *
 * @example
 * leakyRelu(tensor([-1, 1])); // [-0.2, 1]
 */
export const leakyRelu: ActivationFn = (x) => core.leakyRelu(x, 0.2);
