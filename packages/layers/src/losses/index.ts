import { StrataError } from '@strata/core';
import { Registry, type Identifier } from '../registry.js';
import {
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './crossentropy.js';
import { CategoricalHinge, Hinge, SquaredHinge, categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { Loss, LossFunctionWrapper, type LossFunction } from './loss.js';
import { KLDivergence, Poisson, kld, poisson } from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  cosineSimilarity,
  huber,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from './regression.js';

export * from './loss.js';
export { EPSILON } from './loss-inputs.js';
export * from './regression.js';
export * from './crossentropy.js';
export * from './probabilistic.js';
export * from './hinge.js';
export { validateSparseLabels } from './sparse-labels.js';

/**
 * TF.js's and Keras 2's long name of `kld`.
 *
 * @example
 * kullbackLeiblerDivergence(tensor([[0.5, 0.5]]), tensor([[0.25, 0.75]]));
 */
export const kullbackLeiblerDivergence = kld;

/** Keras JSON configs spell options in snake_case (`from_logits`); the classes take camelCase. */
function camelKeys(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]));
}

/**
 * Every loss class by Keras name, with the Keras and TF.js aliases (`'mse'`, `'mae'`, `'mape'`,
 * `'msle'`, `'kld'`, `'logcosh'`, `'cosineProximity'`, ...). Lookup ignores case and underscores, so
 * `'categorical_crossentropy'` and `'categoricalCrossentropy'` are the same; configs may use
 * Keras' snake_case keys.
 *
 * @example
 * lossRegistry.get('categorical_crossentropy');
 * lossRegistry.get({ className: 'Huber', config: { delta: 2 } });
 */
export const lossRegistry = new Registry<Loss>('loss', (x): x is Loss => x instanceof Loss);

const builtins: ReadonlyArray<[string, (config: Record<string, unknown>) => Loss, readonly string[], unknown]> = [
  ['MeanSquaredError', (c) => new MeanSquaredError(c), ['mean_squared_error', 'mse'], meanSquaredError],
  ['MeanAbsoluteError', (c) => new MeanAbsoluteError(c), ['mean_absolute_error', 'mae'], meanAbsoluteError],
  ['MeanAbsolutePercentageError', (c) => new MeanAbsolutePercentageError(c), ['mean_absolute_percentage_error', 'mape'], meanAbsolutePercentageError],
  ['MeanSquaredLogarithmicError', (c) => new MeanSquaredLogarithmicError(c), ['mean_squared_logarithmic_error', 'msle'], meanSquaredLogarithmicError],
  ['Huber', (c) => new Huber(c), ['huber', 'huber_loss'], huber],
  ['LogCosh', (c) => new LogCosh(c), ['log_cosh', 'logcosh'], logCosh],
  ['BinaryCrossentropy', (c) => new BinaryCrossentropy(c), ['binary_crossentropy'], binaryCrossentropy],
  ['CategoricalCrossentropy', (c) => new CategoricalCrossentropy(c), ['categorical_crossentropy'], categoricalCrossentropy],
  ['SparseCategoricalCrossentropy', (c) => new SparseCategoricalCrossentropy(c), ['sparse_categorical_crossentropy'], sparseCategoricalCrossentropy],
  ['BinaryFocalCrossentropy', (c) => new BinaryFocalCrossentropy(c), ['binary_focal_crossentropy'], binaryFocalCrossentropy],
  ['KLDivergence', (c) => new KLDivergence(c), ['kl_divergence', 'kld', 'kullback_leibler_divergence'], kld],
  ['Poisson', (c) => new Poisson(c), ['poisson'], poisson],
  ['Hinge', (c) => new Hinge(c), ['hinge'], hinge],
  ['SquaredHinge', (c) => new SquaredHinge(c), ['squared_hinge'], squaredHinge],
  ['CategoricalHinge', (c) => new CategoricalHinge(c), ['categorical_hinge'], categoricalHinge],
  ['CosineSimilarity', (c) => new CosineSimilarity(c), ['cosine_similarity', 'cosine_proximity', 'cosine'], cosineSimilarity],
];

const classOfFunction = new Map<unknown, () => Loss>();
for (const [className, create, aliases, fn] of builtins) {
  lossRegistry.register(className, (config) => create(camelKeys(config)), aliases);
  classOfFunction.set(fn, () => create({}));
}

/** What `compile({ loss })` accepts: a name, a `{ className, config }`, a Loss, a loss class, or a function. */
export type LossIdentifier = Identifier<Loss> | LossFunction | (new () => Loss);

/**
 * Resolves a loss identifier to a `Loss`: a registered name (`'mse'`, `'categorical_crossentropy'`),
 * a Keras-style `{ className, config }`, an instance (returned as is), a loss class (instantiated
 * with its defaults), one of the `losses` functions (its class, so it serializes by name), or a
 * user function `(yTrue, yPred) => Tensor` (wrapped in a `LossFunctionWrapper` named after it).
 *
 * @example
 * getLoss('sparse_categorical_crossentropy');
 * getLoss({ className: 'BinaryCrossentropy', config: { fromLogits: true } });
 * getLoss((yTrue, yPred) => mean(abs(sub(yPred, yTrue)), -1));
 */
export function getLoss(identifier: LossIdentifier): Loss {
  if (typeof identifier === 'function') {
    if (identifier.prototype instanceof Loss) {
      if (identifier === (LossFunctionWrapper as unknown)) {
        throw new StrataError('getLoss: LossFunctionWrapper needs the function it wraps; pass the function itself (getLoss(myLoss)) or new LossFunctionWrapper(myLoss).');
      }
      return new (identifier as new () => Loss)();
    }
    const builtin = classOfFunction.get(identifier);
    return builtin ? builtin() : new LossFunctionWrapper(identifier as LossFunction);
  }
  return lossRegistry.get(identifier);
}

/**
 * The loss functions by their lowerCamel names (each gives per-sample losses), with the loss
 * classes beside them, as `keras.losses` holds both.
 *
 * @example
 * losses.meanSquaredError(yTrue, yPred);
 * new losses.CategoricalCrossentropy({ fromLogits: true });
 */
export const losses = {
  meanSquaredError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  huber,
  logCosh,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  binaryFocalCrossentropy,
  kld,
  kullbackLeiblerDivergence,
  poisson,
  hinge,
  squaredHinge,
  categoricalHinge,
  cosineSimilarity,
  Loss,
  LossFunctionWrapper,
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  Huber,
  LogCosh,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  BinaryFocalCrossentropy,
  KLDivergence,
  Poisson,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  CosineSimilarity,
} as const;
