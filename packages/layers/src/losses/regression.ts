import {
  abs,
  add,
  div,
  lessEqual,
  log1p,
  maximum,
  mean,
  mul,
  neg,
  softplus,
  sqrt,
  square,
  squaredDifference,
  sub,
  sum,
  tidy,
  where,
  type Tensor,
  type TensorLike,
} from '@strata/core';
import { Loss, numberOption, type LossOptions } from './loss.js';
import { EPSILON, preparePair, resolveAxis } from './loss-inputs.js';

// Regression losses: each reduces its elementwise error with a mean over the last axis, so the
// per-sample loss has yPred's shape without that axis (Keras and TF.js).

/**
 * Mean squared error per sample: `mean((yPred - yTrue)^2)` over the last axis.
 *
 * @example
 * meanSquaredError(tensor([[0, 1]]), tensor([[1, 1]])); // [0.5]
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('meanSquaredError', yTrue, yPred);
    return mean(squaredDifference(p, t), -1);
  });
}

/**
 * Mean absolute error per sample: `mean(|yPred - yTrue|)` over the last axis.
 *
 * @example
 * meanAbsoluteError(tensor([[0, 1]]), tensor([[2, 1]])); // [1]
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('meanAbsoluteError', yTrue, yPred);
    return mean(abs(sub(p, t)), -1);
  });
}

/**
 * Mean absolute percentage error per sample:
 * `100 * mean(|yTrue - yPred| / max(|yTrue|, 1e-7))` over the last axis.
 *
 * @example
 * meanAbsolutePercentageError(tensor([[2, 4]]), tensor([[1, 4]])); // [25]
 */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('meanAbsolutePercentageError', yTrue, yPred);
    return mul(mean(abs(div(sub(t, p), maximum(abs(t), EPSILON))), -1), 100);
  });
}

/**
 * Mean squared logarithmic error per sample:
 * `mean((log(max(yPred, 1e-7) + 1) - log(max(yTrue, 1e-7) + 1))^2)` over the last axis.
 * (`log1p` computes the logarithms, the same numbers with better float32 accuracy.)
 *
 * @example
 * meanSquaredLogarithmicError(tensor([[0]]), tensor([[Math.E - 1]])); // [1]
 */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('meanSquaredLogarithmicError', yTrue, yPred);
    return mean(square(sub(log1p(maximum(p, EPSILON)), log1p(maximum(t, EPSILON)))), -1);
  });
}

/**
 * Huber loss per sample: with `e = yPred - yTrue`, `0.5 e^2` where `|e| <= delta` and
 * `delta (|e| - 0.5 delta)` elsewhere, averaged over the last axis.
 *
 * @example
 * huber(tensor([[0, 0]]), tensor([[0.5, 3]])); // [(0.125 + 2.5) / 2]
 * huber(yTrue, yPred, 2);
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  const d = numberOption('huber', 'delta', delta, 1, { min: 0, minExclusive: true });
  return tidy(() => {
    const [t, p] = preparePair('huber', yTrue, yPred);
    const error = sub(p, t);
    const absError = abs(error);
    const quadratic = mul(square(error), 0.5);
    const linear = sub(mul(absError, d), 0.5 * d * d);
    return mean(where(lessEqual(absError, d), quadratic, linear), -1);
  });
}

/**
 * Log-cosh loss per sample: `mean(log(cosh(yPred - yTrue)))` over the last axis, computed as
 * `e + softplus(-2e) - log 2` so large errors cannot overflow `cosh`.
 *
 * @example
 * logCosh(tensor([[0]]), tensor([[1]])); // [log(cosh(1))]
 */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('logCosh', yTrue, yPred);
    const e = sub(p, t);
    return mean(sub(add(e, softplus(mul(e, -2))), Math.LN2), -1);
  });
}

/** `x / sqrt(max(sum(x^2), 1e-7))` along `axis`, as TF.js's `l2Normalize`. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), axis, true), EPSILON)));
}

/**
 * Negative cosine similarity per sample (Keras' loss convention, so minimising it aligns the
 * vectors): `-sum(l2Normalize(yTrue) * l2Normalize(yPred))` along `axis` (default the last), in
 * [-1, 1]. The normalisation is TF.js's `x / sqrt(max(sum(x^2), 1e-7))`; Keras 3 clamps the norm
 * itself at 1e-7, which only differs for vectors of norm below 3e-4 (a zero vector gives 0 in both).
 *
 * @example
 * cosineSimilarity(tensor([[1, 0]]), tensor([[2, 0]])); // [-1]
 */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, axis = -1): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('cosineSimilarity', yTrue, yPred);
    const ax = resolveAxis('cosineSimilarity', axis, p.rank);
    return neg(sum(mul(l2Normalize(t, ax), l2Normalize(p, ax)), ax));
  });
}

/**
 * Mean squared error as a loss object (Keras `MeanSquaredError`; names `'mse'`, `'mean_squared_error'`).
 *
 * @example
 * new MeanSquaredError().compute(tensor([[0, 1]]), tensor([[1, 1]])); // 0.5
 */
export class MeanSquaredError extends Loss {
  constructor(options: LossOptions = {}) {
    super('MeanSquaredError', 'mean_squared_error', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
}

/**
 * Mean absolute error as a loss object (Keras `MeanAbsoluteError`; names `'mae'`, `'mean_absolute_error'`).
 *
 * @example
 * new MeanAbsoluteError({ reduction: 'sum' }).compute(yTrue, yPred);
 */
export class MeanAbsoluteError extends Loss {
  constructor(options: LossOptions = {}) {
    super('MeanAbsoluteError', 'mean_absolute_error', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
}

/**
 * Mean absolute percentage error as a loss object (Keras `MeanAbsolutePercentageError`; `'mape'`).
 *
 * @example
 * new MeanAbsolutePercentageError().compute(tensor([[2, 4]]), tensor([[1, 4]])); // 25
 */
export class MeanAbsolutePercentageError extends Loss {
  constructor(options: LossOptions = {}) {
    super('MeanAbsolutePercentageError', 'mean_absolute_percentage_error', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanAbsolutePercentageError(yTrue, yPred);
  }
}

/**
 * Mean squared logarithmic error as a loss object (Keras `MeanSquaredLogarithmicError`; `'msle'`).
 *
 * @example
 * new MeanSquaredLogarithmicError().compute(yTrue, yPred);
 */
export class MeanSquaredLogarithmicError extends Loss {
  constructor(options: LossOptions = {}) {
    super('MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanSquaredLogarithmicError(yTrue, yPred);
  }
}

/** Options of `Huber`. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear; default 1, must be positive. */
  delta?: number;
}

/**
 * Huber loss as a loss object (Keras `Huber`; names `'huber'`, `'huber_loss'`).
 *
 * @example
 * new Huber({ delta: 0.5 }).compute(yTrue, yPred);
 */
export class Huber extends Loss {
  readonly delta: number;

  constructor(options: HuberOptions = {}) {
    super('Huber', 'huber_loss', options, ['delta']);
    this.delta = numberOption('Huber', 'delta', options.delta, 1, { min: 0, minExclusive: true });
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return huber(yTrue, yPred, this.delta);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

/**
 * Log-cosh loss as a loss object (Keras `LogCosh`; names `'log_cosh'`, `'logcosh'`).
 *
 * @example
 * new LogCosh().compute(yTrue, yPred);
 */
export class LogCosh extends Loss {
  constructor(options: LossOptions = {}) {
    super('LogCosh', 'log_cosh', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return logCosh(yTrue, yPred);
  }
}

/** Options of `CosineSimilarity`. */
export interface CosineSimilarityOptions extends LossOptions {
  /** The axis the similarity is computed along; default -1. */
  axis?: number;
}

/**
 * Negative cosine similarity as a loss object (Keras `CosineSimilarity`; names
 * `'cosine_similarity'`, and TF.js's `'cosineProximity'`).
 *
 * @example
 * new CosineSimilarity({ axis: -1 }).compute(tensor([[1, 0]]), tensor([[0, 1]])); // 0
 */
export class CosineSimilarity extends Loss {
  readonly axis: number;

  constructor(options: CosineSimilarityOptions = {}) {
    super('CosineSimilarity', 'cosine_similarity', options, ['axis']);
    this.axis = numberOption('CosineSimilarity', 'axis', options.axis, -1, { integer: true });
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return cosineSimilarity(yTrue, yPred, this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
