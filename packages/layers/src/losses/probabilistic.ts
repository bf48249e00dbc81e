import { add, clip, div, log, mean, mul, sub, sum, tidy, type Tensor, type TensorLike } from '@strata/core';
import { Loss, type LossOptions } from './loss.js';
import { EPSILON, preparePair } from './loss-inputs.js';

// Divergences between distributions and counts (the crossentropies have their own file).

/**
 * Kullback-Leibler divergence per sample:
 * `sum(yTrue * log(clip(yTrue, 1e-7, 1) / clip(yPred, 1e-7, 1)))` over the last axis.
 * The factor in front of the logarithm is the unclipped `yTrue`, as in TF.js (Keras 3 clips it
 * too, which adds about 1e-7 * log(1e-7 / p) for each zero label).
 *
 * @example
 * kld(tensor([[0.5, 0.5]]), tensor([[0.25, 0.75]]));
 */
export function kld(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('kld', yTrue, yPred);
    return sum(mul(t, log(div(clip(t, EPSILON, 1), clip(p, EPSILON, 1)))), -1);
  });
}

/**
 * Poisson loss per sample: `mean(yPred - yTrue * log(yPred + 1e-7))` over the last axis, for
 * count data with predicted rates `yPred >= 0`.
 *
 * @example
 * poisson(tensor([[2]]), tensor([[1]])); // [1 - 2 log(1 + 1e-7)]
 */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = preparePair('poisson', yTrue, yPred);
    return mean(sub(p, mul(t, log(add(p, EPSILON)))), -1);
  });
}

/**
 * Kullback-Leibler divergence as a loss object (Keras `KLDivergence`; names `'kld'`,
 * `'kl_divergence'`, `'kullback_leibler_divergence'`).
 *
 * @example
 * new KLDivergence().compute(tensor([[0.5, 0.5]]), tensor([[0.25, 0.75]]));
 */
export class KLDivergence extends Loss {
  constructor(options: LossOptions = {}) {
    super('KLDivergence', 'kl_divergence', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return kld(yTrue, yPred);
  }
}

/**
 * Poisson loss as a loss object (Keras `Poisson`; `'poisson'`).
 *
 * @example
 * new Poisson().compute(counts, rates);
 */
export class Poisson extends Loss {
  constructor(options: LossOptions = {}) {
    super('Poisson', 'poisson', options);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return poisson(yTrue, yPred);
  }
}
