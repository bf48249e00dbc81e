// Every built-in layer: the classes (for subclassing and instanceof) and the `layers` namespace of
// lowerCamel factories as TF.js names them. Importing a group registers its classes for loading.

export {
  Dense, type DenseArgs,
} from './core/index.js';
export {
  Activation, AlphaDropout, Dropout, Flatten, GaussianDropout, GaussianNoise, Masking, Permute, RepeatVector, Reshape, SpatialDropout1D, SpatialDropout2D, type ActivationArgs, type AlphaDropoutArgs, type DropoutArgs, type FlattenArgs, type GaussianDropoutArgs, type GaussianNoiseArgs, type MaskingArgs, type PermuteArgs, type RepeatVectorArgs, type ReshapeArgs, type SpatialDropout1DArgs, type SpatialDropout2DArgs, SeedStream, type DataFormat,
} from './basic/index.js';
export {
  Merge, type MergeArgs, Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs, type DotArgs,
} from './merge/index.js';
export {
  ELU, LeakyReLU, PReLU, ReLU, Softmax, type ELUArgs, type LeakyReLUArgs, type PReLUArgs, type ReLUArgs, type SoftmaxArgs,
} from './activation-layers/index.js';
export {
  Normalization, Rescaling, type NormalizationArgs, type NumericValues, type RescalingArgs,
} from './preprocessing/index.js';
export {
  BatchNormalization, GroupNormalization, LayerNormalization, type BatchNormalizationArgs, type GroupNormalizationArgs, type LayerNormalizationArgs,
} from './normalization/index.js';
export {
  Embedding, type EmbeddingArgs,
} from './embedding/index.js';
export {
  BaseConv, type BaseConvArgs, Conv, type ConvArgs, Conv1D, type Conv1DArgs, Conv2D, type Conv2DArgs, Conv2DTranspose, type Conv2DTransposeArgs, DepthwiseConv2D, type DepthwiseConv2DArgs, SeparableConv2D, type SeparableConv2DArgs,
} from './convolutional/index.js';
export {
  Pooling1D, type Pooling1DArgs, Pooling2D, type Pooling2DArgs, GlobalPooling, type GlobalPoolingArgs, MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D,
} from './pooling/index.js';
export {
  Cropping2D, type Cropping2DArgs, UpSampling2D, type UpSampling2DArgs, type Interpolation, ZeroPadding2D, type ZeroPadding2DArgs,
} from './spatial/index.js';
export {
  BaseRNN, type RecurrentArgs, rnnLoop, type RnnStep, type RnnLoopOptions, type RnnLoopResult, simpleRnnStep, lstmStep, gruStep, type GruStepWeights, type StepActivation, SimpleRNN, type SimpleRNNArgs, LSTM, type LSTMArgs, GRU, type GRUArgs,
} from './recurrent/index.js';
export {
  Wrapper, type WrappedLayer, Bidirectional, type BidirectionalArgs, type BidirectionalMergeMode, TimeDistributed, type TimeDistributedArgs,
} from './wrappers/index.js';
export {
  MultiHeadAttention, type MultiHeadAttentionArgs,
} from './attention/index.js';

import { dense } from './core/index.js';
import { activation, dropout, spatialDropout1d, spatialDropout2d, gaussianNoise, gaussianDropout, alphaDropout, flatten, reshape, permute, repeatVector, masking } from './basic/index.js';
import { add, subtract, multiply, average, maximum, minimum, concatenate, dot } from './merge/index.js';
import { reLU, leakyReLU, pReLU, eLU, softmax, prelu, elu } from './activation-layers/index.js';
import { rescaling, normalization } from './preprocessing/index.js';
import { batchNormalization, layerNormalization, groupNormalization } from './normalization/index.js';
import { embedding } from './embedding/index.js';
import { conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d } from './convolutional/index.js';
import { maxPooling1d, maxPool1d, maxPooling2d, maxPool2d, averagePooling1d, avgPool1d, avgPooling1d, averagePooling2d, avgPool2d, avgPooling2d, globalMaxPooling1d, globalMaxPool1d, globalMaxPooling2d, globalMaxPool2d, globalAveragePooling1d, globalAveragePooling2d } from './pooling/index.js';
import { upSampling2d, zeroPadding2d, cropping2d, cropping2D } from './spatial/index.js';
import { simpleRNN, lstm, gru } from './recurrent/index.js';
import { bidirectional, timeDistributed } from './wrappers/index.js';
import { multiHeadAttention } from './attention/index.js';
import { input } from '../engine/input-layer.js';

/**
 * Layer factories, as TF.js names them (`layers.dense({ units: 10 })`), plus `input`.
 *
 * @example
 * const m = sequential({ layers: [layers.dense({ units: 8, inputShape: [4], activation: 'relu' }), layers.dense({ units: 1 })] });
 */
export const layers = {
  input,
  dense,
  activation, dropout, spatialDropout1d, spatialDropout2d, gaussianNoise, gaussianDropout, alphaDropout, flatten, reshape, permute, repeatVector, masking,
  add, subtract, multiply, average, maximum, minimum, concatenate, dot,
  reLU, leakyReLU, pReLU, eLU, softmax, prelu, elu,
  rescaling, normalization,
  batchNormalization, layerNormalization, groupNormalization,
  embedding,
  conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d,
  maxPooling1d, maxPool1d, maxPooling2d, maxPool2d, averagePooling1d, avgPool1d, avgPooling1d, averagePooling2d, avgPool2d, avgPooling2d, globalMaxPooling1d, globalMaxPool1d, globalMaxPooling2d, globalMaxPool2d, globalAveragePooling1d, globalAveragePooling2d,
  upSampling2d, zeroPadding2d, cropping2d, cropping2D,
  simpleRNN, lstm, gru,
  bidirectional, timeDistributed,
  multiHeadAttention,
};
