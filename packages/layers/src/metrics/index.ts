import { StrataError, fmtShape } from '@strata/core';
import { Registry, type Identifier } from '../registry.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  topKCategoricalAccuracy,
  type AccuracyOptions,
  type BinaryAccuracyOptions,
  type SparseTopKCategoricalAccuracyOptions,
  type TopKCategoricalAccuracyOptions,
} from './accuracy.js';
import { AUC, type AUCOptions } from './auc.js';
import { F1Score, FBetaScore, type F1ScoreOptions, type FBetaScoreOptions } from './f-score.js';
import { Mean, MeanMetricWrapper, type MeanMetricWrapperOptions, type MeanOptions, type MetricFn } from './mean.js';
import { Metric, describeValue } from './metric.js';
import { Precision, Recall, type PrecisionRecallOptions } from './precision-recall.js';
import {
  MeanAbsoluteError,
  MeanSquaredError,
  R2Score,
  RootMeanSquaredError,
  meanAbsoluteError,
  meanSquaredError,
  type R2ScoreOptions,
  type RegressionMetricOptions,
} from './regression.js';

// Classes and option types are public; the per-sample functions are exported only inside
// `metricFunctions`, since losses use some of the same names (meanSquaredError, ...).
export { Metric } from './metric.js';
export { Mean, MeanMetricWrapper, type MeanOptions, type MeanMetricWrapperOptions, type MetricFn } from './mean.js';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type AccuracyOptions,
  type BinaryAccuracyOptions,
  type TopKCategoricalAccuracyOptions,
  type SparseTopKCategoricalAccuracyOptions,
} from './accuracy.js';
export { Precision, Recall, type PrecisionRecallOptions } from './precision-recall.js';
export { AUC, type AUCOptions, type AUCCurve, type AUCSummationMethod } from './auc.js';
export { F1Score, FBetaScore, type F1ScoreOptions, type FBetaScoreOptions, type FScoreAverage } from './f-score.js';
export {
  MeanSquaredError,
  MeanAbsoluteError,
  RootMeanSquaredError,
  R2Score,
  type R2ScoreOptions,
  type R2ClassAggregation,
  type RegressionMetricOptions,
} from './regression.js';

/** How users name a metric: a registered name, `{ className, config }`, an instance, or a per-sample function. */
export type MetricIdentifier = Identifier<Metric> | MetricFn;

/**
 * Every metric by Keras class name, with Keras' short names as aliases (`'mse'`, `'mae'`, `'acc'`,
 * plus `'rmse'`). Names match ignoring case and underscores, so `'binary_accuracy'` finds
 * `BinaryAccuracy`. `'accuracy'` and `'acc'` name the exact-match `Accuracy` here, as
 * `keras.metrics.get` does; `compile` resolves them by output shape through `resolveAccuracy`.
 *
 * @example
 * metricRegistry.get('top_k_categorical_accuracy'); // a TopKCategoricalAccuracy with k = 5
 * metricRegistry.get({ className: 'AUC', config: { curve: 'PR' } });
 */
export const metricRegistry = new Registry<Metric>('metric', (x): x is Metric => x instanceof Metric);

metricRegistry.register('Accuracy', (c) => new Accuracy(c as AccuracyOptions), ['acc']);
metricRegistry.register('BinaryAccuracy', (c) => new BinaryAccuracy(c as BinaryAccuracyOptions), ['binary_accuracy']);
metricRegistry.register('CategoricalAccuracy', (c) => new CategoricalAccuracy(c as AccuracyOptions), ['categorical_accuracy']);
metricRegistry.register('SparseCategoricalAccuracy', (c) => new SparseCategoricalAccuracy(c as AccuracyOptions), ['sparse_categorical_accuracy']);
metricRegistry.register('TopKCategoricalAccuracy', (c) => new TopKCategoricalAccuracy(c as TopKCategoricalAccuracyOptions), ['top_k_categorical_accuracy']);
metricRegistry.register('SparseTopKCategoricalAccuracy', (c) => new SparseTopKCategoricalAccuracy(c as SparseTopKCategoricalAccuracyOptions), ['sparse_top_k_categorical_accuracy']);
metricRegistry.register('Precision', (c) => new Precision(c as PrecisionRecallOptions));
metricRegistry.register('Recall', (c) => new Recall(c as PrecisionRecallOptions));
metricRegistry.register('AUC', (c) => new AUC(c as AUCOptions));
metricRegistry.register('F1Score', (c) => new F1Score(c as F1ScoreOptions), ['f1_score']);
metricRegistry.register('FBetaScore', (c) => new FBetaScore(c as FBetaScoreOptions), ['fbeta_score']);
metricRegistry.register('MeanSquaredError', (c) => new MeanSquaredError(c as RegressionMetricOptions), ['mse', 'mean_squared_error']);
metricRegistry.register('MeanAbsoluteError', (c) => new MeanAbsoluteError(c as RegressionMetricOptions), ['mae', 'mean_absolute_error']);
metricRegistry.register('RootMeanSquaredError', (c) => new RootMeanSquaredError(c as RegressionMetricOptions), ['rmse', 'root_mean_squared_error']);
metricRegistry.register('R2Score', (c) => new R2Score(c as R2ScoreOptions), ['r2_score']);
metricRegistry.register('Mean', (c) => new Mean(c as MeanOptions));
metricRegistry.register('MeanMetricWrapper', (c) => {
  const { fn, ...rest } = c as MeanMetricWrapperOptions;
  if (typeof fn !== 'function') {
    throw new StrataError(`MeanMetricWrapper: config needs 'fn', the per-sample function (yTrue, yPred) => values; received ${describeValue(fn)}. A wrapped function cannot be rebuilt from a name: pass the function itself to getMetric().`);
  }
  return new MeanMetricWrapper(fn, rest);
});

/**
 * Resolves a metric identifier to a new metric: a registered name, `{ className, config }`, an
 * instance (returned as is), or a per-sample function `(yTrue, yPred) => values`, which is wrapped
 * in a `MeanMetricWrapper` named after the function.
 *
 * @example
 * getMetric('auc');
 * getMetric((t, p) => abs(sub(t, p))); // a MeanMetricWrapper
 */
export function getMetric(identifier: MetricIdentifier): Metric {
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier);
  return metricRegistry.get(identifier);
}

const BINARY_LOSSES = new Set(['binarycrossentropy', 'bce']);
const SPARSE_LOSSES = new Set(['sparsecategoricalcrossentropy']);

function checkShape(arg: string, shape: unknown): readonly (number | null)[] {
  if (!Array.isArray(shape) || shape.some((d) => d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d < 0))) {
    throw new StrataError(`resolveAccuracy: argument '${arg}' must be a shape, an array of non-negative integers or null for unknown dimensions; received ${describeValue(shape)}. Pass e.g. [null, 10].`);
  }
  return shape as (number | null)[];
}

/**
 * Resolves one entry of `compile({ metrics })` as Keras' compile does. `'accuracy'` and `'acc'`
 * (any case) become, named as written:
 * - `BinaryAccuracy` when predictions have a last dimension of 1 or the loss is binary crossentropy;
 * - else `SparseCategoricalAccuracy` when the loss is sparse categorical crossentropy, or labels have
 *   a last dimension of 1 while predictions have more, or labels have a lower rank than predictions
 *   (integer labels `[batch]` against scores `[batch, classes]`, as tf.keras decides);
 * - else `CategoricalAccuracy`.
 * Any other identifier goes to `getMetric`; a string identifier also names the metric (`'mse'` is
 * logged as `mse`, as in Keras 3). `lossName` is the loss's name or class name in any spelling.
 *
 * @example
 * resolveAccuracy('accuracy', 'sparse_categorical_crossentropy', [null], [null, 10]); // SparseCategoricalAccuracy named 'accuracy'
 * resolveAccuracy('acc', 'mse', [null, 1], [null, 1]); // BinaryAccuracy named 'acc'
 */
export function resolveAccuracy(
  identifier: MetricIdentifier,
  lossName: string | null | undefined,
  yTrueShape: readonly (number | null)[],
  yPredShape: readonly (number | null)[],
): Metric {
  const isAccuracy = typeof identifier === 'string' && ['accuracy', 'acc'].includes(identifier.toLowerCase());
  if (!isAccuracy) {
    const metric = getMetric(identifier);
    if (typeof identifier === 'string') metric.name = identifier;
    return metric;
  }
  const name = identifier as string;
  const trueShape = checkShape('yTrueShape', yTrueShape);
  const predShape = checkShape('yPredShape', yPredShape);
  if (predShape.length === 0) {
    throw new StrataError(`resolveAccuracy: '${name}' needs predictions with at least one dimension to pick binary or categorical accuracy; received yPredShape ${fmtShape(predShape)}. ` +
      "Give the model output a last dimension, or name the metric explicitly ('binary_accuracy', 'categorical_accuracy').");
  }
  if (lossName !== undefined && lossName !== null && typeof lossName !== 'string') {
    throw new StrataError(`resolveAccuracy: argument 'lossName' must be the loss's name (a string) or null; received ${describeValue(lossName)}. Pass e.g. loss.className.`);
  }
  const loss = (lossName ?? '').replace(/_/g, '').toLowerCase();
  const predLast = predShape[predShape.length - 1];
  const trueLast = trueShape.length > 0 ? trueShape[trueShape.length - 1] : null;
  if (predLast === 1 || BINARY_LOSSES.has(loss)) return new BinaryAccuracy({ name });
  const moreClasses = predLast !== null && predLast !== undefined && predLast > 1;
  if (SPARSE_LOSSES.has(loss) || (trueLast === 1 && moreClasses) || trueShape.length < predShape.length) {
    return new SparseCategoricalAccuracy({ name });
  }
  return new CategoricalAccuracy({ name });
}

/**
 * Metric factories by their lowerCamel Keras names, and the metric classes, as `keras.metrics`
 * exposes them. Unlike TF.js's `tf.metrics.binaryAccuracy(yTrue, yPred)`, the lowerCamel entries
 * build stateful metrics; the per-sample functions are in `metricFunctions`.
 *
 * @example
 * const m = metrics.auc({ curve: 'PR' });
 * m.updateState(yTrue, yPred);
 */
export const metrics = {
  accuracy: (options?: AccuracyOptions) => new Accuracy(options),
  binaryAccuracy: (options?: BinaryAccuracyOptions) => new BinaryAccuracy(options),
  categoricalAccuracy: (options?: AccuracyOptions) => new CategoricalAccuracy(options),
  sparseCategoricalAccuracy: (options?: AccuracyOptions) => new SparseCategoricalAccuracy(options),
  topKCategoricalAccuracy: (options?: TopKCategoricalAccuracyOptions) => new TopKCategoricalAccuracy(options),
  sparseTopKCategoricalAccuracy: (options?: SparseTopKCategoricalAccuracyOptions) => new SparseTopKCategoricalAccuracy(options),
  precision: (options?: PrecisionRecallOptions) => new Precision(options),
  recall: (options?: PrecisionRecallOptions) => new Recall(options),
  auc: (options?: AUCOptions) => new AUC(options),
  f1Score: (options?: F1ScoreOptions) => new F1Score(options),
  fBetaScore: (options?: FBetaScoreOptions) => new FBetaScore(options),
  meanSquaredError: (options?: RegressionMetricOptions) => new MeanSquaredError(options),
  meanAbsoluteError: (options?: RegressionMetricOptions) => new MeanAbsoluteError(options),
  rootMeanSquaredError: (options?: RegressionMetricOptions) => new RootMeanSquaredError(options),
  r2Score: (options?: R2ScoreOptions) => new R2Score(options),
  mean: (options?: MeanOptions) => new Mean(options),
  meanMetricWrapper: (fn: MetricFn, options?: Omit<MeanMetricWrapperOptions, 'fn'>) => new MeanMetricWrapper(fn, options),
  get: getMetric,
  resolveAccuracy,
  Metric,
  Mean,
  MeanMetricWrapper,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  Precision,
  Recall,
  AUC,
  F1Score,
  FBetaScore,
  MeanSquaredError,
  MeanAbsoluteError,
  RootMeanSquaredError,
  R2Score,
} as const;

/**
 * The per-sample metric functions `(yTrue, yPred) => values` (Keras' `keras.metrics.binary_accuracy`
 * and friends, TF.js's `tf.metrics.*` functions), for use in losses, custom metrics or by hand.
 *
 * @example
 * metricFunctions.binaryAccuracy(yTrue, yPred); // one 0/1 value per prediction
 */
export const metricFunctions = {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  meanSquaredError,
  meanAbsoluteError,
} as const;
