import { expect } from 'chai';
import { setSeed } from '@strata/core';
import { input, layers, model, sequential } from '../../src/index.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { countOps, expectOnnxMatches, tempDir } from './onnx-helpers.js';

// Convolutions, pooling, normalization and the spatial layers: Strata is channels-last, ONNX's
// Conv and pools channels-first, so these also check where the exporter puts its Transposes.

describe('exportOnnx: convolution, pooling, normalization', () => {
  const tmp = tempDir();
  before(() => setSeed(11));
  after(() => tmp.cleanup());

  it('transposes once at each end of a convolution chain', async () => {
    const m = sequential({
      layers: [
        layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 8, 3] }),
        layers.batchNormalization(),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.conv2d({ filters: 5, kernelSize: [2, 3], strides: 2, activation: 'swish' }),
        layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        layers.flatten(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const graph = await expectOnnxMatches(m, tmp.dir);
    expect(countOps(graph, 'Transpose')).to.equal(2);
    expect(countOps(graph, 'BatchNormalization')).to.equal(1);
  });

  for (const padding of ['valid', 'same'] as const) {
    it(`exports Conv2D with padding '${padding}', strides and dilation`, async () => {
      const m = sequential({
        layers: [
          layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding, inputShape: [13, 11, 2] }),
          layers.conv2d({ filters: 4, kernelSize: [3, 2], dilationRate: [2, 1], padding, activation: 'elu' }),
          layers.conv2d({ filters: 3, kernelSize: 1, activation: 'softmax' }),
        ],
      });
      await expectOnnxMatches(m, tmp.dir);
    });
  }

  it('exports Conv1D (valid, same, causal with dilation) and 1-D pooling', async () => {
    const m = sequential({
      layers: [
        layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2, inputShape: [12, 3] }),
        layers.conv1d({ filters: 4, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' }),
        layers.maxPooling1d({ poolSize: 2, padding: 'same' }),
        layers.conv1d({ filters: 3, kernelSize: 2 }),
        layers.averagePooling1d({ poolSize: 2, strides: 1 }),
        layers.globalMaxPooling1d(),
      ],
    });
    await expectOnnxMatches(m, tmp.dir);
  });

  it('exports DepthwiseConv2D and SeparableConv2D as grouped convolutions', async () => {
    const m = sequential({
      layers: [
        layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [7, 7, 3], activation: 'relu6' }),
        layers.separableConv2d({ filters: 5, kernelSize: 2, depthMultiplier: 2, strides: 2 }),
        layers.globalAveragePooling2d(),
      ],
    });
    const graph = await expectOnnxMatches(m, tmp.dir);
    expect(graph.nodes.filter((n) => n.opType === 'Conv').map((n) => n.attributes.find((a) => a.name === 'group')?.value)).to.deep.equal([3, 6, undefined]);
  });

  for (const padding of ['valid', 'same'] as const) {
    it(`exports Conv2DTranspose with padding '${padding}' (strides 1, 2 and a kernel smaller than the stride)`, async () => {
      const m = sequential({
        layers: [
          layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding, inputShape: [4, 5, 2] }),
          layers.conv2dTranspose({ filters: 2, kernelSize: [2, 3], padding, activation: 'sigmoid' }),
          layers.conv2dTranspose({ filters: 2, kernelSize: 1, strides: 2, padding }),
        ],
      });
      await expectOnnxMatches(m, tmp.dir);
    });
  }

  it('exports Conv2DTranspose with outputPadding and dilation', async () => {
    const m = sequential({
      layers: [
        layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, inputShape: [3, 4, 2] }),
        layers.conv2dTranspose({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'valid' }),
      ],
    });
    await expectOnnxMatches(m, tmp.dir);
  });

  it('exports channelsFirst layers on their own order (no transposes)', async () => {
    const m = sequential({
      layers: [
        layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', inputShape: [2, 6, 6] }),
        layers.batchNormalization({ axis: 1 }),
        layers.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' }),
        layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst' }),
        layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }),
      ],
    });
    const graph = await expectOnnxMatches(m, tmp.dir);
    expect(countOps(graph, 'Transpose')).to.equal(0);
    const flat = sequential({ layers: [layers.conv1d({ filters: 3, kernelSize: 2, dataFormat: 'channelsFirst', inputShape: [2, 5] }), layers.flatten({ dataFormat: 'channelsFirst' })] });
    await expectOnnxMatches(flat, tmp.dir);
  });

  it('exports global pooling with keepDims, in either layout', async () => {
    const x = input({ shape: [6, 5, 3] });
    const conv = layers.conv2d({ filters: 4, kernelSize: 2 }).apply(x) as SymbolicTensor;
    const outputs = [
      layers.globalMaxPooling2d({ keepDims: true }).apply(conv) as SymbolicTensor,
      layers.globalAveragePooling2d().apply(x) as SymbolicTensor,
      layers.globalAveragePooling1d().apply(layers.reshape({ targetShape: [30, 3] }).apply(x) as SymbolicTensor) as SymbolicTensor,
    ];
    await expectOnnxMatches(model({ inputs: x, outputs }), tmp.dir);
  });

  it('exports BatchNormalization as the ONNX operator where the feature axis is axis 1, else as an affine map', async () => {
    const dense = sequential({ layers: [layers.dense({ units: 4, inputShape: [3] }), layers.batchNormalization({ epsilon: 0.01 })] });
    expect(countOps(await expectOnnxMatches(dense, tmp.dir), 'BatchNormalization')).to.equal(1);
    const sequence = sequential({ layers: [layers.dense({ units: 4, inputShape: [5, 3] }), layers.batchNormalization({ center: false, scale: false })] });
    const graph = await expectOnnxMatches(sequence, tmp.dir);
    expect(countOps(graph, 'BatchNormalization')).to.equal(0);
    expect(countOps(graph, 'Transpose')).to.equal(0);
    const middle = sequential({ layers: [layers.batchNormalization({ axis: 1, inputShape: [4, 3, 2] })] });
    await expectOnnxMatches(middle, tmp.dir);
    // After a convolution (channels-first view) the height axis sits at position 2.
    const height = sequential({ layers: [layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [5, 4, 2] }), layers.batchNormalization({ axis: 1 }), layers.conv2d({ filters: 2, kernelSize: 2 })] });
    const graph2 = await expectOnnxMatches(height, tmp.dir);
    expect(countOps(graph2, 'BatchNormalization')).to.equal(0);
    expect(countOps(graph2, 'Transpose')).to.equal(2);
  });

  it('exports LayerNormalization (trailing axes as the operator, other axes as the formula)', async () => {
    const trailing = sequential({ layers: [layers.layerNormalization({ inputShape: [4, 6] }), layers.layerNormalization({ axis: [1, 2], scale: false })] });
    expect(countOps(await expectOnnxMatches(trailing, tmp.dir), 'LayerNormalization')).to.equal(2);
    const middle = sequential({ layers: [layers.layerNormalization({ axis: 1, epsilon: 1e-5, inputShape: [4, 6] }), layers.layerNormalization({ axis: [1], center: false })] });
    expect(countOps(await expectOnnxMatches(middle, tmp.dir), 'LayerNormalization')).to.equal(0);
  });

  it('exports ZeroPadding2D, Cropping2D and UpSampling2D (nearest, bilinear, bilinear as TF.js)', async () => {
    const m = sequential({
      layers: [
        layers.zeroPadding2d({ padding: [[1, 0], [2, 1]], inputShape: [4, 5, 2] }),
        layers.conv2d({ filters: 3, kernelSize: 2 }),
        layers.cropping2d({ cropping: [[1, 0], [0, 2]] }),
        layers.upSampling2d({ size: [2, 3] }),
        layers.upSampling2d({ size: 2, interpolation: 'bilinear' }),
        layers.upSampling2d({ size: [3, 2], interpolation: 'bilinear', halfPixelCenters: false }),
      ],
    });
    const graph = await expectOnnxMatches(m, tmp.dir);
    expect(countOps(graph, 'Transpose')).to.equal(2);
  });
});
