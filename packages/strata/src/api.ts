/**
 * What both entries of `strata` export (Node's `index.ts` and the browser's `browser.ts`) besides
 * `@strata/core`: all but `ready`/`getEngine`, which each entry binds to its platform, and the
 * Node-only config loader. `export * from '@strata/core'` stays in each entry: re-exported
 * through this module, esbuild (tsup) turns it into a run-time copy and the ES build loses
 * core's named exports.
 */
// The layers API: namespaces and classes (layer factories live under `layers` because names such
// as `add`, `dense` or `softmax` are core ops at the top level).
export {
  layers, sequential, model, input, optimizers, schedules, losses, metrics, callbacks, initializers,
  regularizers, constraints, activations, registerLayer, resetLayerNames,
  Layer, LayersModel, Sequential, InputLayer, SymbolicTensor, LayerError, Optimizer, Loss, Metric, Callback,
  Initializer, Regularizer, Constraint,
  Dense, Activation, Dropout, SpatialDropout1D, SpatialDropout2D, GaussianNoise, GaussianDropout, AlphaDropout,
  Flatten, Reshape, Permute, RepeatVector, Masking, Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D,
  Conv2DTranspose, MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D, GlobalMaxPooling1D,
  GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, UpSampling2D, ZeroPadding2D, Cropping2D,
  BatchNormalization, LayerNormalization, GroupNormalization, Embedding, SimpleRNN, LSTM, GRU, Bidirectional,
  TimeDistributed, MultiHeadAttention, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot,
  ReLU, LeakyReLU, PReLU, ELU, Softmax, Rescaling, Normalization,
  type LayerArgs, type CallArgs, type LayerShape, type ModelArgs, type SequentialArgs, type InputArgs,
  type CompileArgs, type FitArgs, type Logs, type ModelData,
} from '@strata/layers';
export { loadModel, SavedModelError, type LoadModelOptions, type SaveOptions, type SavedModelErrorDetails } from '@strata/layers';
export { exportOnnx, modelToOnnx, onnxSupportedLayers, OnnxExportError, type ExportOnnxOptions } from '@strata/layers';
export {
  strataConfigSchema, ENGINE_NAMES, DEFAULT_ENGINE, type StrataConfig, type EngineName, type CpuOptions,
  type WebgpuOptions, type CudaOptions, type EngineOptionsByName,
} from './config-schema.js';
export { ENGINE_PACKAGES } from './load-engine.js';
export type { ReadyOptions, EngineInfo, ChoiceSource } from './resolve-choice.js';
export { ConfigError, EngineLoadError, type EngineLoadFailure } from './errors.js';
export type { EngineModule, EngineModuleSource, EngineModules } from './engine-modules.js';
