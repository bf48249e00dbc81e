import { ELU } from '../../layers/activation-layers/elu.js';
import { LeakyReLU } from '../../layers/activation-layers/leaky-relu.js';
import { PReLU } from '../../layers/activation-layers/prelu.js';
import { ReLU } from '../../layers/activation-layers/relu.js';
import { Softmax } from '../../layers/activation-layers/softmax.js';
import { Activation } from '../../layers/basic/activation.js';
import { AlphaDropout } from '../../layers/basic/alpha-dropout.js';
import { Dropout } from '../../layers/basic/dropout.js';
import { Flatten } from '../../layers/basic/flatten.js';
import { Masking } from '../../layers/basic/masking.js';
import { GaussianDropout } from '../../layers/basic/gaussian-dropout.js';
import { GaussianNoise } from '../../layers/basic/gaussian-noise.js';
import { Permute } from '../../layers/basic/permute.js';
import { RepeatVector } from '../../layers/basic/repeat-vector.js';
import { Reshape } from '../../layers/basic/reshape.js';
import { SpatialDropout1D, SpatialDropout2D } from '../../layers/basic/spatial-dropout.js';
import { Conv1D } from '../../layers/convolutional/conv1d.js';
import { Conv2D } from '../../layers/convolutional/conv2d.js';
import { Conv2DTranspose } from '../../layers/convolutional/conv2d-transpose.js';
import { DepthwiseConv2D } from '../../layers/convolutional/depthwise-conv2d.js';
import { SeparableConv2D } from '../../layers/convolutional/separable-conv2d.js';
import { Dense } from '../../layers/core/dense.js';
import { Embedding } from '../../layers/embedding/embedding.js';
import { Add } from '../../layers/merge/add.js';
import { Average } from '../../layers/merge/average.js';
import { Concatenate } from '../../layers/merge/concatenate.js';
import { Maximum } from '../../layers/merge/maximum.js';
import { Minimum } from '../../layers/merge/minimum.js';
import { Multiply } from '../../layers/merge/multiply.js';
import { Subtract } from '../../layers/merge/subtract.js';
import { BatchNormalization } from '../../layers/normalization/batch-normalization.js';
import { LayerNormalization } from '../../layers/normalization/layer-normalization.js';
import { AveragePooling1D } from '../../layers/pooling/average-pooling1d.js';
import { AveragePooling2D } from '../../layers/pooling/average-pooling2d.js';
import { GlobalAveragePooling1D } from '../../layers/pooling/global-average-pooling1d.js';
import { GlobalAveragePooling2D } from '../../layers/pooling/global-average-pooling2d.js';
import { GlobalMaxPooling1D } from '../../layers/pooling/global-max-pooling1d.js';
import { GlobalMaxPooling2D } from '../../layers/pooling/global-max-pooling2d.js';
import { MaxPooling1D } from '../../layers/pooling/max-pooling1d.js';
import { MaxPooling2D } from '../../layers/pooling/max-pooling2d.js';
import { Rescaling } from '../../layers/preprocessing/rescaling.js';
import { GRU } from '../../layers/recurrent/gru.js';
import { LSTM } from '../../layers/recurrent/lstm.js';
import { SimpleRNN } from '../../layers/recurrent/simple-rnn.js';
import { Cropping2D } from '../../layers/spatial/cropping2d.js';
import { UpSampling2D } from '../../layers/spatial/up-sampling2d.js';
import { ZeroPadding2D } from '../../layers/spatial/zero-padding2d.js';
import { Bidirectional } from '../../layers/wrappers/bidirectional.js';
import { TimeDistributed } from '../../layers/wrappers/time-distributed.js';
import type { LayerConverter } from '../context.js';
import { convertELU, convertLeakyReLU, convertPReLU, convertReLU, convertSoftmax } from './activation-layers.js';
import { convertConv, convertConv2DTranspose, convertDepthwiseConv2D, convertSeparableConv2D } from './convolution.js';
import { convertActivation, convertDense, convertEmbedding, convertRescaling } from './core.js';
import { convertConcatenate, convertElementwiseMerge } from './merge.js';
import { convertBatchNormalization, convertLayerNormalization } from './normalization.js';
import { convertGlobalPooling, convertPooling1D, convertPooling2D } from './pooling.js';
import { convertBidirectional, convertRecurrent } from './recurrent.js';
import { convertFlatten, convertIdentity, convertPermute, convertRepeatVector, convertReshape } from './reshaping.js';
import { convertCropping2D, convertUpSampling2D, convertZeroPadding2D } from './spatial.js';
import { convertMasking, convertTimeDistributed } from './wrappers.js';

/** A layer class, as the key of its converter. */
type LayerClass = abstract new (...args: never[]) => unknown;

/**
 * The converter of each exportable layer class. Keyed by the exact class, so a subclass (which may
 * compute something else) is refused rather than exported as its parent.
 */
const CONVERTERS = new Map<LayerClass, LayerConverter>([
  [Dense, convertDense],
  [Activation, convertActivation],
  [Embedding, convertEmbedding],
  [Rescaling, convertRescaling],
  [Dropout, convertIdentity],
  [SpatialDropout1D, convertIdentity],
  [SpatialDropout2D, convertIdentity],
  [GaussianNoise, convertIdentity],
  [GaussianDropout, convertIdentity],
  [AlphaDropout, convertIdentity],
  [Flatten, convertFlatten],
  [Reshape, convertReshape],
  [Permute, convertPermute],
  [RepeatVector, convertRepeatVector],
  [Masking, convertMasking],
  [ReLU, convertReLU],
  [ELU, convertELU],
  [LeakyReLU, convertLeakyReLU],
  [PReLU, convertPReLU],
  [Softmax, convertSoftmax],
  [Conv1D, convertConv],
  [Conv2D, convertConv],
  [DepthwiseConv2D, convertDepthwiseConv2D],
  [SeparableConv2D, convertSeparableConv2D],
  [Conv2DTranspose, convertConv2DTranspose],
  [MaxPooling1D, convertPooling1D],
  [AveragePooling1D, convertPooling1D],
  [MaxPooling2D, convertPooling2D],
  [AveragePooling2D, convertPooling2D],
  [GlobalMaxPooling1D, convertGlobalPooling],
  [GlobalAveragePooling1D, convertGlobalPooling],
  [GlobalMaxPooling2D, convertGlobalPooling],
  [GlobalAveragePooling2D, convertGlobalPooling],
  [BatchNormalization, convertBatchNormalization],
  [LayerNormalization, convertLayerNormalization],
  [ZeroPadding2D, convertZeroPadding2D],
  [Cropping2D, convertCropping2D],
  [UpSampling2D, convertUpSampling2D],
  [SimpleRNN, convertRecurrent],
  [LSTM, convertRecurrent],
  [GRU, convertRecurrent],
  [Bidirectional, convertBidirectional],
  [TimeDistributed, convertTimeDistributed],
  [Add, convertElementwiseMerge],
  [Subtract, convertElementwiseMerge],
  [Multiply, convertElementwiseMerge],
  [Average, convertElementwiseMerge],
  [Maximum, convertElementwiseMerge],
  [Minimum, convertElementwiseMerge],
  [Concatenate, convertConcatenate],
]);

/**
 * The converter for a layer's exact class, or undefined when it has none.
 *
 * @example
 * converterFor(layer)?.(ctx);
 */
export function converterFor(layer: object): LayerConverter | undefined {
  return CONVERTERS.get(layer.constructor as LayerClass);
}

/**
 * The Keras class names of the layers `exportOnnx` converts (besides models nested as layers),
 * sorted.
 *
 * @example
 * onnxSupportedLayers(); // ['Activation', 'Add', 'AlphaDropout', ...]
 */
export function onnxSupportedLayers(): string[] {
  return [...CONVERTERS.keys()].map((c) => (c as unknown as { className: string }).className).sort();
}
