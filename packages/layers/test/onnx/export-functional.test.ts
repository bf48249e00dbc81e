import { expect } from 'chai';
import { setSeed } from '@strata/core';
import { input, layers, model, sequential } from '../../src/index.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { countOps, expectOnnxMatches, tempDir } from './onnx-helpers.js';

// Functional graphs: several inputs and outputs, every merge layer, shared layers, nested models,
// and dims other than the batch left unknown.

const apply = (layer: { apply: (x: never) => unknown }, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor => layer.apply(x as never) as SymbolicTensor;

describe('exportOnnx: functional models', () => {
  const tmp = tempDir();
  before(() => setSeed(3));
  after(() => tmp.cleanup());

  it('exports a model with two inputs, every merge layer, and three outputs', async () => {
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const ha = apply(layers.dense({ units: 5, activation: 'tanh' }), a);
    const hb = apply(layers.dense({ units: 5, activation: 'sigmoid' }), b);
    const merged = [
      apply(layers.add(), [ha, hb, ha]),
      apply(layers.subtract(), [ha, hb]),
      apply(layers.multiply(), [ha, hb]),
      apply(layers.average(), [ha, hb, hb]),
      apply(layers.maximum(), [ha, hb]),
      apply(layers.minimum(), [ha, hb]),
    ];
    const joined = apply(layers.concatenate(), merged);
    const outputs = [
      apply(layers.dense({ units: 2, activation: 'softmax', name: 'probs' }), joined),
      apply(layers.dense({ units: 1, name: 'score' }), joined),
      apply(layers.concatenate({ axis: 1 }), [a, b]),
    ];
    const m = model({ inputs: [a, b], outputs, name: 'two_in_three_out' });
    await expectOnnxMatches(m, tmp.dir);
  });

  it('broadcasts lower-rank merge inputs after the batch axis, as Strata does', async () => {
    const seq = input({ shape: [3, 4], name: 'seq' });
    const vec = input({ shape: [4], name: 'vec' });
    const one = input({ shape: [1, 4], name: 'one' });
    const out = apply(layers.add(), [seq, vec, one]);
    await expectOnnxMatches(model({ inputs: [seq, vec, one], outputs: [out, apply(layers.multiply(), [vec, seq])] }), tmp.dir);
  });

  it('keeps merged convolution branches channels-first', async () => {
    const x = input({ shape: [8, 8, 3] });
    const left = apply(layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), x);
    const right = apply(layers.conv2d({ filters: 4, kernelSize: 1 }), x);
    const sum = apply(layers.add(), [left, right]);
    const cat = apply(layers.concatenate(), [sum, left]);
    const pooled = apply(layers.maxPooling2d({ poolSize: 2 }), cat);
    const m = model({ inputs: x, outputs: apply(layers.flatten(), pooled) });
    const graph = await expectOnnxMatches(m, tmp.dir);
    expect(countOps(graph, 'Transpose')).to.equal(2);
  });

  it('exports a shared layer once (one set of weights, used twice)', async () => {
    const a = input({ shape: [3] });
    const b = input({ shape: [3] });
    const shared = layers.dense({ units: 4, activation: 'relu' });
    const out = apply(layers.concatenate(), [apply(shared, a), apply(shared, b)]);
    const graph = await expectOnnxMatches(model({ inputs: [a, b], outputs: out }), tmp.dir);
    expect(graph.initializers.filter((t) => t.dims.join() === '3,4')).to.have.length(1);
    expect(countOps(graph, 'MatMul')).to.equal(2);
  });

  it('inlines nested Sequential and Functional models', async () => {
    const encoder = sequential({ layers: [layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2] }), layers.globalAveragePooling2d()], name: 'encoder' });
    const hx = input({ shape: [3] });
    const head = model({ inputs: hx, outputs: apply(layers.dense({ units: 2 }), hx), name: 'head' });
    const image = input({ shape: [6, 6, 2] });
    const outer = model({ inputs: image, outputs: apply(head, apply(encoder, image)) });
    const graph = await expectOnnxMatches(outer, tmp.dir);
    expect(graph.nodes.some((n) => n.name.includes('encoder/'))).to.equal(true);
    const stacked = sequential({ layers: [layers.reshape({ targetShape: [6, 6, 2], inputShape: [72] }), encoder, layers.dense({ units: 1 })] });
    await expectOnnxMatches(stacked, tmp.dir);
  });

  it('leaves unknown sequence and image sizes symbolic', async () => {
    const seq = input({ shape: [null, 3], name: 'tokens' });
    const rnn = apply(layers.gru({ units: 4, returnSequences: true }), seq);
    const conv = input({ shape: [null, null, 2], name: 'image' });
    const features = apply(layers.globalMaxPooling2d(), apply(layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), conv));
    const m = model({ inputs: [seq, conv], outputs: [rnn, features] });
    const graph = await expectOnnxMatches(m, tmp.dir, { sampleShapes: [[5, 3], [7, 6, 2]] });
    expect(graph.inputs.map((i) => i.shape)).to.deep.equal([['batch', 'tokens_dim1', 3], ['batch', 'image_dim1', 'image_dim2', 2]]);
    await expectOnnxMatches(m, tmp.dir, { sampleShapes: [[2, 3], [4, 9, 2]], keepWeights: true, batchSizes: [2] });
  });
});
