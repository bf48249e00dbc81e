import { expect } from 'chai';
import { setSeed } from '@strata/core';
import * as ort from 'onnxruntime-node';
import { input, layers, model, modelToOnnx, sequential } from '../../src/index.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { countOps, expectOnnxMatches, randomizeWeights, tempDir } from './onnx-helpers.js';

// Dense, the activations, the activation layers and the layers that only move values around,
// each exported and run with onnxruntime against Strata's predict.

describe('exportOnnx: dense, activations and shape layers', () => {
  const tmp = tempDir();
  before(() => setSeed(7));
  after(() => tmp.cleanup());

  it('exports a Dense stack (rank 2, and rank 3 inputs through MatMul broadcasting)', async () => {
    const flat = sequential({ layers: [layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }), layers.dense({ units: 3, useBias: false })] });
    const graph = await expectOnnxMatches(flat, tmp.dir);
    expect(countOps(graph, 'MatMul')).to.equal(2);
    const seq = sequential({ layers: [layers.dense({ units: 6, inputShape: [5, 4], activation: 'relu' }), layers.dense({ units: 2 })] });
    await expectOnnxMatches(seq, tmp.dir);
  });

  const activations = ['relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'elu', 'selu', 'gelu', 'gelu_new', 'swish', 'softplus',
    'softsign', 'leaky_relu', 'hard_sigmoid', 'linear', 'mish', 'exponential'];
  for (const activation of activations) {
    it(`exports the '${activation}' activation (Dense option and Activation layer)`, async () => {
      const m = sequential({
        layers: [layers.dense({ units: 6, inputShape: [4], activation }), layers.dense({ units: 4 }), layers.activation({ activation })],
      });
      await expectOnnxMatches(m, tmp.dir, { fills: [{ scale: 3 }] });
    });
  }

  it('exports the activation layers with their options (ReLU, ELU, LeakyReLU, PReLU, Softmax)', async () => {
    const m = sequential({
      layers: [
        layers.dense({ units: 6, inputShape: [3, 4] }),
        layers.reLU({ maxValue: 0.4 }),
        layers.dense({ units: 6 }),
        layers.reLU({ negativeSlope: 0.1, threshold: 0.05, maxValue: 0.3 }),
        layers.dense({ units: 6 }),
        layers.eLU({ alpha: 0.7 }),
        layers.leakyReLU({ alpha: 0.15 }),
        layers.pReLU({ sharedAxes: [1] }),
        layers.softmax({ axis: 1 }),
        layers.dense({ units: 5 }),
        layers.softmax({ axis: [1, 2] }),
      ],
    });
    await expectOnnxMatches(m, tmp.dir, { fills: [{ scale: 2 }] });
  });

  it('exports dropout and the noise layers as the identity (inference)', async () => {
    const m = sequential({
      layers: [
        layers.dense({ units: 6, inputShape: [4] }),
        layers.dropout({ rate: 0.5 }),
        layers.gaussianNoise({ stddev: 1 }),
        layers.gaussianDropout({ rate: 0.3 }),
        layers.alphaDropout({ rate: 0.3 }),
        layers.dense({ units: 2 }),
      ],
    });
    const graph = await expectOnnxMatches(m, tmp.dir);
    expect(graph.nodes.map((n) => n.opType)).to.deep.equal(['MatMul', 'Add', 'MatMul', 'Add', 'Identity']);
  });

  it('exports Flatten, Reshape, Permute and RepeatVector in Strata order', async () => {
    const m = sequential({
      layers: [
        layers.reshape({ targetShape: [3, 4], inputShape: [12] }),
        layers.permute({ dims: [2, 1] }),
        layers.dense({ units: 2 }),
        layers.flatten(),
        layers.repeatVector({ n: 3 }),
        layers.reshape({ targetShape: [-1, 2] }),
        layers.flatten(),
      ],
    });
    await expectOnnxMatches(m, tmp.dir);
  });

  it('exports Embedding (int32 and float ids) and Rescaling', async () => {
    const ids = input({ shape: [5], dtype: 'int32', name: 'ids' });
    const embedded = layers.embedding({ inputDim: 10, outputDim: 3 }).apply(ids) as SymbolicTensor;
    const out = layers.dense({ units: 2 }).apply(layers.flatten().apply(embedded) as SymbolicTensor) as SymbolicTensor;
    await expectOnnxMatches(model({ inputs: ids, outputs: out }), tmp.dir, { fills: [{ ids: 10 }] });

    const floatIds = sequential({ layers: [layers.embedding({ inputDim: 7, outputDim: 2, inputShape: [4] }), layers.rescaling({ scale: 2, offset: -0.5 })] });
    await expectOnnxMatches(floatIds, tmp.dir, { fills: [{ ids: 7 }] });
  });

  it('exports TimeDistributed (folding time into the batch) and Masking (zeroing masked steps)', async () => {
    const m = sequential({
      layers: [
        layers.timeDistributed({ layer: layers.conv2d({ filters: 2, kernelSize: 2, activation: 'relu' }), inputShape: [3, 4, 4, 1] }),
        layers.timeDistributed({ layer: layers.flatten() }),
        layers.timeDistributed({ layer: layers.dense({ units: 3 }) }),
        layers.masking({ maskValue: 0 }),
        layers.dense({ units: 2 }),
      ],
    });
    await expectOnnxMatches(m, tmp.dir);
    const masked = sequential({ layers: [layers.masking({ maskValue: 0.5, inputShape: [4, 2] }), layers.flatten()] });
    randomizeWeights(masked);
    const session = await ort.InferenceSession.create(await modelToOnnx(masked));
    const x = [0.5, 0.5, 0.5, 1, 2, 0.5, 0.5, 0.5];
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x), [1, 4, 2]) });
    expect([...(out[session.outputNames[0]!]!.data as Float32Array)]).to.deep.equal([0, 0, 0.5, 1, 2, 0.5, 0, 0]);
    await session.release();
  });
});
