import { add, max, maximum, mean, mul, square, sub, sum, tidy, type Tensor, type TensorLike } from '@strata/core';
import { Loss, type LossOptions } from './loss.js';
import { preparePair } from './loss-inputs.js';

// Maximum-margin losses. Labels are -1/1 for hinge and squared hinge; like TF.js (and unlike
// Keras 3, which converts all-0/1 labels to -1/1 first) the labels are used as given, so 0/1
// labels must be converted by the caller: `sub(mul(labels, 2), 1)`.

/**
 * Hinge loss per sample: `mean(max(1 - yTrue * yPred, 0))` over the last axis, labels -1 or 1.
 * 0/1 labels are not converted (TF.js's behaviour; Keras 3 converts them): pass `2 y - 1`.
 *
 * @example
 * hinge(tensor([[1, -1]]), tensor([[0.5, -2]])); // [0.25]
 */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('hinge', yTrue, yPred);
    return mean(maximum(sub(1, mul(t, p)), 0), -1);
  });
}

/**
 * Squared hinge loss per sample: `mean(max(1 - yTrue * yPred, 0)^2)` over the last axis, labels
 * -1 or 1 (0/1 labels are not converted, as in TF.js).
 *
 * @example
 * squaredHinge(tensor([[1, -1]]), tensor([[0.5, -2]])); // [0.125]
 */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('squaredHinge', yTrue, yPred);
    return mean(square(maximum(sub(1, mul(t, p)), 0)), -1);
  });
}

/**
 * Categorical hinge loss per sample with one-hot labels: `max(neg - pos + 1, 0)` where
 * `pos = sum(yTrue * yPred)` and `neg = max((1 - yTrue) * yPred)` over the last axis.
 *
 * @example
 * categoricalHinge(tensor([[0, 1, 0]]), tensor([[0.3, 0.6, 0.1]])); // [0.7]
 */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('categoricalHinge', yTrue, yPred, 'categorical');
    const pos = sum(mul(t, p), -1);
    const neg = max(mul(sub(1, t), p), -1);
    return maximum(add(sub(neg, pos), 1), 0);
  });
}

/**
 * Hinge loss as a loss object (Keras `Hinge`; `'hinge'`).
 *
 * @example
 * new Hinge().compute(tensor([[1, -1]]), tensor([[0.5, -2]])); // 0.25
 */
export class Hinge extends Loss {
  constructor(options: LossOptions = {}) {
    super('Hinge', 'hinge', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return hinge(yTrue, yPred);
  }
}

/**
 * Squared hinge loss as a loss object (Keras `SquaredHinge`; `'squared_hinge'`).
 *
 * @example
 * new SquaredHinge().compute(yTrue, yPred);
 */
export class SquaredHinge extends Loss {
  constructor(options: LossOptions = {}) {
    super('SquaredHinge', 'squared_hinge', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return squaredHinge(yTrue, yPred);
  }
}

/**
 * Categorical hinge loss as a loss object (Keras `CategoricalHinge`; `'categorical_hinge'`).
 *
 * @example
 * new CategoricalHinge().compute(oneHotLabels, scores);
 */
export class CategoricalHinge extends Loss {
  constructor(options: LossOptions = {}) {
    super('CategoricalHinge', 'categorical_hinge', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return categoricalHinge(yTrue, yPred);
  }
}
