import { randomValues } from '@strata/conformance';
import { tensor, type DType, type Tensor } from '@strata/core';
import { input } from '../../src/engine/input-layer.js';
import type { Layer } from '../../src/engine/layer.js';
import { LayersModel } from '../../src/engine/model.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { layerRegistry } from '../../src/layers/layer-registry.js';

/** A tiny model around one layer class, for the topology round trips. */
export interface LayerCase {
  /** Input shapes without the batch dim. */
  inputs: number[][];
  /** The layer's config (camelCase, as a file would carry it after loading). */
  config: Record<string, unknown>;
  /** Integer inputs below this bound (Embedding), else floats. */
  intBelow?: number;
  /** Call arguments at definition time. */
  callArgs?: Record<string, unknown>;
}

const l2 = { className: 'L2', config: { l2: 0.01 } };
const maxNorm = { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } };

/** One case per registered layer class; a test checks that none is missing. */
export const LAYER_CASES: Readonly<Record<string, LayerCase>> = {
  Dense: { inputs: [[4]], config: { units: 3, activation: 'relu', kernelRegularizer: l2, kernelConstraint: maxNorm, biasInitializer: { className: 'Constant', config: { value: 0.1 } } } },
  Activation: { inputs: [[4]], config: { activation: 'hard_sigmoid' } },
  AlphaDropout: { inputs: [[4]], config: { rate: 0.2, seed: 3 } },
  Dropout: { inputs: [[3, 4]], config: { rate: 0.3, noiseShape: [null, 1, 4] } },
  Flatten: { inputs: [[2, 3]], config: { dataFormat: 'channelsFirst' } },
  GaussianDropout: { inputs: [[4]], config: { rate: 0.2 } },
  GaussianNoise: { inputs: [[4]], config: { stddev: 0.5 } },
  Masking: { inputs: [[3, 2]], config: { maskValue: 0.25 } },
  Permute: { inputs: [[2, 3]], config: { dims: [2, 1] } },
  RepeatVector: { inputs: [[3]], config: { n: 2 } },
  Reshape: { inputs: [[6]], config: { targetShape: [2, -1] } },
  SpatialDropout1D: { inputs: [[3, 4]], config: { rate: 0.3 } },
  SpatialDropout2D: { inputs: [[3, 3, 2]], config: { rate: 0.3, dataFormat: 'channelsLast' } },
  Add: { inputs: [[4], [4]], config: {} },
  Average: { inputs: [[4], [4]], config: {} },
  Maximum: { inputs: [[4], [4]], config: {} },
  Minimum: { inputs: [[4], [4]], config: {} },
  Multiply: { inputs: [[4], [4]], config: {} },
  Subtract: { inputs: [[4], [4]], config: {} },
  Concatenate: { inputs: [[2, 4], [3, 4]], config: { axis: 1 } },
  Dot: { inputs: [[4], [4]], config: { axes: 1, normalize: true } },
  ELU: { inputs: [[4]], config: { alpha: 0.5 } },
  LeakyReLU: { inputs: [[4]], config: { alpha: 0.2 } },
  PReLU: { inputs: [[3, 4]], config: { sharedAxes: [1], alphaInitializer: { className: 'Constant', config: { value: 0.25 } } } },
  ReLU: { inputs: [[4]], config: { maxValue: 6, negativeSlope: 0.1, threshold: 0.5 } },
  Softmax: { inputs: [[3, 4]], config: { axis: 1 } },
  Rescaling: { inputs: [[4]], config: { scale: 0.5, offset: 1 } },
  Normalization: { inputs: [[4]], config: { axis: -1, mean: [1, 2, 3, 4], variance: [1, 4, 9, 16] } },
  BatchNormalization: { inputs: [[4]], config: { momentum: 0.9, epsilon: 0.01, center: false } },
  GroupNormalization: { inputs: [[5, 6]], config: { groups: 3, epsilon: 0.01 } },
  LayerNormalization: { inputs: [[3, 4]], config: { axis: [1, 2], scale: false } },
  Embedding: { inputs: [[5]], intBelow: 10, config: { inputDim: 10, outputDim: 3, maskZero: true } },
  Conv1D: { inputs: [[6, 2]], config: { filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2, activation: 'tanh' } },
  Conv2D: { inputs: [[5, 5, 2]], config: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' } },
  Conv2DTranspose: { inputs: [[3, 3, 2]], config: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 } },
  DepthwiseConv2D: { inputs: [[5, 5, 2]], config: { kernelSize: 2, depthMultiplier: 2, useBias: false } },
  SeparableConv2D: { inputs: [[5, 5, 2]], config: { filters: 3, kernelSize: 2, depthMultiplier: 2 } },
  MaxPooling1D: { inputs: [[6, 2]], config: { poolSize: 2, strides: 1 } },
  AveragePooling1D: { inputs: [[6, 2]], config: { poolSize: 3, padding: 'same' } },
  MaxPooling2D: { inputs: [[4, 4, 2]], config: { poolSize: [2, 2] } },
  AveragePooling2D: { inputs: [[5, 5, 2]], config: { poolSize: 2, strides: 1, padding: 'same' } },
  GlobalMaxPooling1D: { inputs: [[6, 2]], config: { keepDims: true } },
  GlobalAveragePooling1D: { inputs: [[6, 2]], config: {} },
  GlobalMaxPooling2D: { inputs: [[4, 4, 2]], config: {} },
  GlobalAveragePooling2D: { inputs: [[4, 4, 2]], config: { keepDims: true } },
  Cropping2D: { inputs: [[5, 5, 2]], config: { cropping: [[1, 0], [0, 2]] } },
  UpSampling2D: { inputs: [[3, 3, 2]], config: { size: [2, 1], interpolation: 'bilinear' } },
  ZeroPadding2D: { inputs: [[3, 3, 2]], config: { padding: [[1, 0], [0, 2]] } },
  SimpleRNN: { inputs: [[4, 3]], config: { units: 3, returnSequences: true } },
  LSTM: { inputs: [[4, 3]], config: { units: 3, returnState: true, recurrentActivation: 'hard_sigmoid' } },
  GRU: { inputs: [[4, 3]], config: { units: 3, goBackwards: true } },
  Bidirectional: { inputs: [[4, 3]], config: { layer: { className: 'GRU', config: { units: 2, resetAfter: false } }, mergeMode: 'sum' } },
  TimeDistributed: { inputs: [[4, 3]], config: { layer: { className: 'Dense', config: { units: 2 } } } },
  MultiHeadAttention: { inputs: [[4, 6], [5, 6]], config: { numHeads: 2, keyDim: 3, valueDim: 2 }, callArgs: { useCausalMask: false } },
};

/**
 * A Functional model of one layer of `className`, built from its case (the layer named
 * `under_test`), and sample inputs for it (the caller disposes them).
 *
 * @example
 * const { model, inputs } = caseModel('Dense');
 */
export function caseModel(className: string): { model: LayersModel; inputs: Tensor[] } {
  const c = LAYER_CASES[className];
  if (!c) throw new Error(`no topology case for ${className}`);
  const dtype: DType = c.intBelow ? 'int32' : 'float32';
  const xs = c.inputs.map((shape, i) => input({ shape, dtype, name: `in_${i}` }));
  const layer = layerRegistry.get({ className, config: { ...c.config, name: 'under_test' } }) as Layer;
  const out = layer.apply(xs.length === 1 ? xs[0]! : xs, c.callArgs ?? {}) as SymbolicTensor | SymbolicTensor[];
  const model = new LayersModel({ inputs: xs.length === 1 ? xs[0]! : xs, outputs: out, name: `case_${className}` });
  const inputs = c.inputs.map((shape, i) => {
    const full = [2, ...shape];
    const n = full.reduce((a, b) => a * b, 1);
    const values = c.intBelow ? Array.from({ length: n }, (_, k) => (k * 7 + i) % c.intBelow!) : randomValues(n, 100 + i);
    return tensor(values, full, dtype);
  });
  return { model, inputs };
}
