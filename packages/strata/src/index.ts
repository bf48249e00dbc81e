/**
 * `strata`: what users import. Everything from `@strata/core` (tensors, ops, autograd, memory),
 * plus `ready()` and the config that picks the engine.
 *
 * @example
 * import * as st from 'strata';
 * await st.ready();
 * const y = st.matmul(st.ones([2, 3]), st.ones([3, 4]));
 */
export * from '@strata/core';
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
export { ready, getEngine } from './ready.js';
export { loadConfig, CONFIG_SEARCH_PLACES, type LoadedConfig } from './config.js';
export {
  strataConfigSchema, ENGINE_NAMES, DEFAULT_ENGINE, type StrataConfig, type EngineName, type CpuOptions,
  type WebgpuOptions, type CudaOptions, type EngineOptionsByName,
} from './config-schema.js';
export { ENGINE_PACKAGES } from './load-engine.js';
export type { ReadyOptions, EngineInfo, ChoiceSource } from './resolve-choice.js';
export { ConfigError, EngineLoadError, type EngineLoadFailure } from './errors.js';
