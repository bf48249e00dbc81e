/**
 * `@strata/layers`: Keras-style layers and models (Sequential and Functional), training with
 * compile / fit / evaluate / predict, optimizers, losses, metrics, callbacks, initializers,
 * regularizers, constraints and activations — all written in core ops, so they run on every engine.
 *
 * @example
 * import { layers, sequential } from '@strata/layers';
 * const m = sequential({ layers: [layers.dense({ units: 10, inputShape: [784], activation: 'softmax' })] });
 * m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 */
import { LayersModel, Sequential, type ModelArgs, type SequentialArgs } from './engine/model.js';

export { Layer, type LayerArgs, type CallArgs, type InputSpec, type LayerWeight, type InitializerLike, type RegularizerLike, type ConstraintLike } from './engine/layer.js';
export { LayersModel, Sequential, type ModelArgs, type SequentialArgs } from './engine/model.js';
export { InputLayer, input, type InputArgs } from './engine/input-layer.js';
export { SymbolicTensor } from './engine/symbolic.js';
export { LayerError, type LayerShape } from './engine/errors.js';
export { resetLayerNames } from './engine/naming.js';
export type { SummaryOptions } from './engine/summary.js';
export { Registry, type Serializable, type Identifier } from './registry.js';
export { layerRegistry, registerLayer } from './layers/layer-registry.js';
export * from './layers/index.js';

export {
  Initializer, Zeros, Ones, Constant, RandomUniform, RandomNormal, TruncatedNormal, VarianceScaling,
  GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Orthogonal, IdentityInitializer,
  computeFans, getInitializer, initializerRegistry, initializers,
  type ConstantOptions, type RandomUniformOptions, type RandomNormalOptions, type VarianceScalingOptions,
  type SeedOptions, type FanMode, type Distribution, type OrthogonalOptions, type IdentityOptions,
} from './initializers/index.js';
export { Regularizer, L1, L2, L1L2, getRegularizer, regularizerRegistry, regularizers, type L1Options, type L2Options, type L1L2Options } from './regularizers/index.js';
export { Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm, getConstraint, constraintRegistry, constraints, type MaxNormOptions, type MinMaxNormOptions, type UnitNormOptions } from './constraints/index.js';
export { activations, getActivation, activationName, registerActivation, activationRegistry, type ActivationFn } from './activations/index.js';
export * from './optimizers/index.js';
export {
  Loss, LossFunctionWrapper, getLoss, lossRegistry, losses, validateSparseLabels, reduceWeightedValues,
  MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Huber, LogCosh,
  CosineSimilarity, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
  BinaryFocalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge,
} from './losses/index.js';
export type {
  LossIdentifier, LossFunction, LossOptions, Reduction, HuberOptions, CosineSimilarityOptions,
  BinaryCrossentropyOptions, CategoricalCrossentropyOptions, SparseCategoricalCrossentropyOptions,
  BinaryFocalCrossentropyOptions,
} from './losses/index.js';
export {
  Metric, Mean, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
  TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, Precision, Recall, AUC, F1Score, FBetaScore,
  RootMeanSquaredError, R2Score, metricRegistry, getMetric, resolveAccuracy, metrics, metricFunctions,
  type MetricIdentifier, type MetricFn, type MeanOptions, type MeanMetricWrapperOptions, type AccuracyOptions,
  type BinaryAccuracyOptions, type TopKCategoricalAccuracyOptions, type SparseTopKCategoricalAccuracyOptions,
  type PrecisionRecallOptions, type AUCOptions, type AUCCurve, type AUCSummationMethod, type FBetaScoreOptions,
  type F1ScoreOptions, type FScoreAverage, type R2ScoreOptions, type R2ClassAggregation, type RegressionMetricOptions,
} from './metrics/index.js';
export * from './callbacks/index.js';
export { CompiledModel, type CompileArgs, type CompileLoss, type CompileMetrics } from './training/compile.js';
export type { FitArgs } from './training/fit.js';
export type { OnBatchArgs } from './training/evaluate.js';
export type { YieldEvery } from './training/yield.js';
export type { ModelData, ClassWeight, Logs, ProgressStream, ValidationData, EvaluateArgs, PredictArgs } from './training/types.js';
export { loadModel, type LoadModelOptions } from './saving/load-model.js';
export type { SaveOptions } from './saving/save-model.js';
export { SavedModelError, type SavedModelErrorDetails } from './saving/errors.js';
export { exportOnnx, modelToOnnx, onnxSupportedLayers, OnnxExportError, ONNX_OPSET, ONNX_IR_VERSION, type ExportOnnxOptions } from './onnx/index.js';

/**
 * A linear stack of layers.
 *
 * @example
 * const m = sequential({ layers: [layers.dense({ units: 32, inputShape: [8], activation: 'relu' }), layers.dense({ units: 1 })] });
 */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}

/**
 * A Functional model from symbolic inputs to outputs.
 *
 * @example
 * const x = input({ shape: [4] });
 * const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(x) as SymbolicTensor });
 */
export function model(args: ModelArgs): LayersModel {
  return new LayersModel(args);
}
