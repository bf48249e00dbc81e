import { expect } from 'chai';
import { memory, tensor, tidy, type Tensor } from '@strata/core';
import { expectClose, randomValues } from '@strata/conformance';
import { input } from '../../src/engine/input-layer.js';
import type { Layer } from '../../src/engine/layer.js';
import { LayersModel, Sequential } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { layers } from '../../src/index.js';
import { modelFromTopology, modelToTopology } from '../../src/saving/topology.js';
import { tf, tfjsReady, tfl } from './tfjs-setup.js';

// The topology against TF.js 4.22 itself: what Strata writes is what TF.js writes for the same
// model; what TF.js writes loads here, layer kind by layer kind, with TF.js's weight shapes and
// predictions; and TF.js loads what Strata writes.

type Json = Record<string, unknown>;
const L = tfl.layers;

/** TF.js's `model.toJSON()` as an object (what `modelTopology` holds in its model.json). */
function tfjsTopology(model: tfl.LayersModel): Json {
  return model.toJSON(null, false) as Json;
}

/** A model's layer entries by name. */
function layerEntries(topology: Json): Map<string, Json> {
  const config = topology.config as Json;
  return new Map((config.layers as Json[]).map((l) => [(l.name ?? (l.config as Json).name) as string, l]));
}

/**
 * Checks that Strata's topology says what TF.js's does: the same structure (class names, layer
 * order, inbound nodes, inputs and outputs) and, in each layer config, every key TF.js writes
 * with the same value. Strata may add keys TF.js does not know (`dtype` everywhere, `seed`).
 */
function expectSameTopology(ours: Json, theirs: Json): void {
  expect(ours.class_name).to.equal(theirs.class_name);
  const [a, b] = [ours.config as Json, theirs.config as Json];
  expect(a.name).to.equal(b.name);
  expect(a.input_layers).to.deep.equal(b.input_layers);
  expect(a.output_layers).to.deep.equal(b.output_layers);
  const [la, lb] = [a.layers as Json[], b.layers as Json[]];
  expect(la.map((l) => l.class_name)).to.deep.equal(lb.map((l) => l.class_name));
  lb.forEach((entry, i) => {
    const mine = la[i]!;
    expect(mine.name).to.equal(entry.name);
    expect(mine.inbound_nodes).to.deep.equal(entry.inbound_nodes);
    if (entry.class_name === 'Model' || entry.class_name === 'Sequential') return expectSameTopology(mine, entry);
    const config = mine.config as Json;
    for (const [key, value] of Object.entries(entry.config as Json)) {
      // TF.js's Embedding records a batch_input_shape even where it is not the first layer.
      if (entry.class_name === 'Embedding' && key === 'batch_input_shape') continue;
      expect(config, `${String(entry.class_name)} '${String((entry.config as Json).name)}'`).to.have.property(key);
      expectSubset(config[key], value, `${String(entry.class_name)}.${key}`);
    }
  });
}

/** `actual` holds everything `expected` does (objects may have more keys: a wrapped layer's `dtype`). */
function expectSubset(actual: unknown, expected: unknown, label: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    expect(actual, label).to.be.an('object');
    for (const [key, value] of Object.entries(expected)) expectSubset((actual as Json)[key], value, `${label}.${key}`);
  } else {
    expect(actual, label).to.deep.equal(expected);
  }
}

/** Copies TF.js's weights into a Strata model, in model order (both follow Keras's order). */
function copyFromTfjs(from: tfl.LayersModel, to: LayersModel): void {
  const values = from.getWeights().map((w) => tensor(w.dataSync() as Float32Array, w.shape));
  to.setWeights(values);
  for (const v of values) v.dispose();
}

async function strataPredict(model: LayersModel, xs: Tensor[]): Promise<number[][]> {
  const outs = tidy(() => model.run(xs, false));
  const values = await Promise.all(outs.map(async (t) => Array.from(await t.data())));
  for (const t of outs) t.dispose();
  return values;
}

function tfjsPredict(model: tfl.LayersModel, xs: tf.Tensor[]): number[][] {
  const out = model.predict(xs.length === 1 ? xs[0]! : xs);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

/** Sample inputs for both libraries from the shapes (without batch) and an integer bound for Embedding. */
function sampleInputs(shapes: number[][], intBelow?: number): { ours: Tensor[]; theirs: tf.Tensor[] } {
  const arrays = shapes.map((shape, i) => {
    const full = [2, ...shape];
    const n = full.reduce((a, b) => a * b, 1);
    return { full, values: intBelow ? Float32Array.from({ length: n }, (_, k) => (k * 5 + i) % intBelow) : randomValues(n, 7 + i) };
  });
  const dtype = intBelow ? 'int32' : 'float32';
  return {
    ours: arrays.map(({ full, values }) => tensor(Array.from(values), full, dtype)),
    theirs: arrays.map(({ full, values }) => tf.tensor(Array.from(values), full, dtype)),
  };
}

/** One TF.js model per layer kind that TF.js and Strata share. */
interface TfjsKind {
  inputs: number[][];
  intBelow?: number;
  build: (xs: tfl.SymbolicTensor[]) => tfl.SymbolicTensor | tfl.SymbolicTensor[];
}

const TFJS_KINDS: Record<string, TfjsKind> = {
  Dense: { inputs: [[4]], build: ([x]) => L.dense({ units: 3, activation: 'relu', kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), kernelConstraint: tfl.constraints.maxNorm({ maxValue: 2 }) }).apply(x!) as tfl.SymbolicTensor },
  Activation: { inputs: [[4]], build: ([x]) => L.activation({ activation: 'hardSigmoid' }).apply(x!) as tfl.SymbolicTensor },
  Dropout: { inputs: [[4]], build: ([x]) => L.dropout({ rate: 0.3 }).apply(x!) as tfl.SymbolicTensor },
  SpatialDropout1D: { inputs: [[3, 4]], build: ([x]) => L.spatialDropout1d({ rate: 0.3 }).apply(x!) as tfl.SymbolicTensor },
  GaussianNoise: { inputs: [[4]], build: ([x]) => L.gaussianNoise({ stddev: 0.3 }).apply(x!) as tfl.SymbolicTensor },
  GaussianDropout: { inputs: [[4]], build: ([x]) => L.gaussianDropout({ rate: 0.3 }).apply(x!) as tfl.SymbolicTensor },
  AlphaDropout: { inputs: [[4]], build: ([x]) => L.alphaDropout({ rate: 0.3 }).apply(x!) as tfl.SymbolicTensor },
  Flatten: { inputs: [[2, 3]], build: ([x]) => L.flatten().apply(x!) as tfl.SymbolicTensor },
  Reshape: { inputs: [[6]], build: ([x]) => L.reshape({ targetShape: [2, 3] }).apply(x!) as tfl.SymbolicTensor },
  Permute: { inputs: [[2, 3]], build: ([x]) => L.permute({ dims: [2, 1] }).apply(x!) as tfl.SymbolicTensor },
  RepeatVector: { inputs: [[3]], build: ([x]) => L.repeatVector({ n: 2 }).apply(x!) as tfl.SymbolicTensor },
  Masking: { inputs: [[3, 2]], build: ([x]) => L.masking({ maskValue: 0.5 }).apply(x!) as tfl.SymbolicTensor },
  ReLU: { inputs: [[4]], build: ([x]) => L.reLU({ maxValue: 0.5 }).apply(x!) as tfl.SymbolicTensor },
  LeakyReLU: { inputs: [[4]], build: ([x]) => L.leakyReLU({ alpha: 0.2 }).apply(x!) as tfl.SymbolicTensor },
  PReLU: { inputs: [[3, 4]], build: ([x]) => L.prelu({ sharedAxes: [1] }).apply(x!) as tfl.SymbolicTensor },
  ELU: { inputs: [[4]], build: ([x]) => L.elu({}).apply(x!) as tfl.SymbolicTensor },
  // TF.js's softmax op runs only along the last axis.
  Softmax: { inputs: [[3, 4]], build: ([x]) => L.softmax({ axis: -1 }).apply(x!) as tfl.SymbolicTensor },
  Rescaling: { inputs: [[4]], build: ([x]) => L.rescaling({ scale: 0.5, offset: 1 }).apply(x!) as tfl.SymbolicTensor },
  BatchNormalization: { inputs: [[4]], build: ([x]) => L.batchNormalization({ momentum: 0.9, epsilon: 0.01 }).apply(x!) as tfl.SymbolicTensor },
  LayerNormalization: { inputs: [[3, 4]], build: ([x]) => L.layerNormalization({ epsilon: 0.01 }).apply(x!) as tfl.SymbolicTensor },
  Embedding: { inputs: [[5]], intBelow: 10, build: ([x]) => L.embedding({ inputDim: 10, outputDim: 3 }).apply(x!) as tfl.SymbolicTensor },
  Conv1D: { inputs: [[6, 2]], build: ([x]) => L.conv1d({ filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' }).apply(x!) as tfl.SymbolicTensor },
  Conv2D: { inputs: [[5, 5, 2]], build: ([x]) => L.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }).apply(x!) as tfl.SymbolicTensor },
  Conv2DTranspose: { inputs: [[3, 3, 2]], build: ([x]) => L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }).apply(x!) as tfl.SymbolicTensor },
  DepthwiseConv2D: { inputs: [[5, 5, 2]], build: ([x]) => L.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2 }).apply(x!) as tfl.SymbolicTensor },
  // TF.js's SeparableConv2D leaves depth_multiplier out of its config (so TF.js cannot reload its
  // own files with another value): only the default 1 can come from a TF.js file.
  SeparableConv2D: { inputs: [[5, 5, 2]], build: ([x]) => L.separableConv2d({ filters: 3, kernelSize: 2 }).apply(x!) as tfl.SymbolicTensor },
  MaxPooling1D: { inputs: [[6, 2]], build: ([x]) => L.maxPooling1d({ poolSize: 2 }).apply(x!) as tfl.SymbolicTensor },
  AveragePooling1D: { inputs: [[6, 2]], build: ([x]) => L.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x!) as tfl.SymbolicTensor },
  MaxPooling2D: { inputs: [[4, 4, 2]], build: ([x]) => L.maxPooling2d({ poolSize: 2 }).apply(x!) as tfl.SymbolicTensor },
  AveragePooling2D: { inputs: [[4, 4, 2]], build: ([x]) => L.averagePooling2d({ poolSize: 2, strides: 1 }).apply(x!) as tfl.SymbolicTensor },
  GlobalMaxPooling1D: { inputs: [[6, 2]], build: ([x]) => L.globalMaxPooling1d({}).apply(x!) as tfl.SymbolicTensor },
  GlobalAveragePooling1D: { inputs: [[6, 2]], build: ([x]) => L.globalAveragePooling1d({}).apply(x!) as tfl.SymbolicTensor },
  GlobalMaxPooling2D: { inputs: [[4, 4, 2]], build: ([x]) => L.globalMaxPooling2d({}).apply(x!) as tfl.SymbolicTensor },
  GlobalAveragePooling2D: { inputs: [[4, 4, 2]], build: ([x]) => L.globalAveragePooling2d({}).apply(x!) as tfl.SymbolicTensor },
  Cropping2D: { inputs: [[5, 5, 2]], build: ([x]) => L.cropping2D({ cropping: [[1, 0], [0, 2]] }).apply(x!) as tfl.SymbolicTensor },
  UpSampling2D: { inputs: [[3, 3, 2]], build: ([x]) => L.upSampling2d({ size: [2, 1] }).apply(x!) as tfl.SymbolicTensor },
  ZeroPadding2D: { inputs: [[3, 3, 2]], build: ([x]) => L.zeroPadding2d({ padding: [[1, 0], [0, 2]] }).apply(x!) as tfl.SymbolicTensor },
  SimpleRNN: { inputs: [[4, 3]], build: ([x]) => L.simpleRNN({ units: 3, returnSequences: true }).apply(x!) as tfl.SymbolicTensor },
  LSTM: { inputs: [[4, 3]], build: ([x]) => L.lstm({ units: 3 }).apply(x!) as tfl.SymbolicTensor },
  GRU: { inputs: [[4, 3]], build: ([x]) => L.gru({ units: 3, goBackwards: true }).apply(x!) as tfl.SymbolicTensor },
  Bidirectional: { inputs: [[4, 3]], build: ([x]) => L.bidirectional({ layer: L.lstm({ units: 2 }) as never, mergeMode: 'concat' }).apply(x!) as tfl.SymbolicTensor },
  TimeDistributed: { inputs: [[4, 3]], build: ([x]) => L.timeDistributed({ layer: L.dense({ units: 2 }) }).apply(x!) as tfl.SymbolicTensor },
  Add: { inputs: [[4], [4]], build: (xs) => L.add({}).apply(xs) as tfl.SymbolicTensor },
  Average: { inputs: [[4], [4]], build: (xs) => L.average({}).apply(xs) as tfl.SymbolicTensor },
  Concatenate: { inputs: [[2, 4], [3, 4]], build: (xs) => L.concatenate({ axis: 1 }).apply(xs) as tfl.SymbolicTensor },
  Maximum: { inputs: [[4], [4]], build: (xs) => L.maximum({}).apply(xs) as tfl.SymbolicTensor },
  Minimum: { inputs: [[4], [4]], build: (xs) => L.minimum({}).apply(xs) as tfl.SymbolicTensor },
  Multiply: { inputs: [[4], [4]], build: (xs) => L.multiply({}).apply(xs) as tfl.SymbolicTensor },
  Dot: { inputs: [[4], [4]], build: (xs) => L.dot({ axes: 1, normalize: true }).apply(xs) as tfl.SymbolicTensor },
};

function tfjsKindModel(kind: TfjsKind): tfl.LayersModel {
  const xs = kind.inputs.map((shape, i) => tfl.input({ shape, dtype: kind.intBelow ? 'int32' : 'float32', name: `in_${i}` }));
  return tfl.model({ inputs: xs, outputs: kind.build(xs) });
}

describe('topology vs TF.js', () => {
  before(async () => {
    await tfjsReady();
  });
  beforeEach(() => resetLayerNames());

  describe('Strata writes what TF.js writes', () => {
    it('a Sequential model', () => {
      const zeros = 'zeros' as const;
      const theirs = tfl.sequential({
        name: 'mlp',
        layers: [
          L.dense({ units: 4, inputShape: [3], activation: 'relu', name: 'd1', kernelInitializer: zeros, kernelRegularizer: tfl.regularizers.l1l2({ l1: 0, l2: 0.01 }), kernelConstraint: tfl.constraints.maxNorm({ maxValue: 2, axis: 0 }) }),
          L.dropout({ rate: 0.25, name: 'drop' }),
          L.dense({ units: 2, activation: 'softmax', name: 'd2', kernelInitializer: zeros }),
        ],
      });
      const ours = new Sequential({
        name: 'mlp',
        layers: [
          layers.dense({ units: 4, inputShape: [3], activation: 'relu', name: 'd1', kernelInitializer: zeros, kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } }, kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } } }),
          layers.dropout({ rate: 0.25, name: 'drop' }),
          layers.dense({ units: 2, activation: 'softmax', name: 'd2', kernelInitializer: zeros }),
        ],
      });
      const [a, b] = [modelToTopology(ours), tfjsTopology(theirs)];
      expect(a.backend).to.equal(b.backend);
      expect(a.class_name).to.equal('Sequential');
      const la = ((a.config as Json).layers as Json[]);
      const lb = ((b.config as Json).layers as Json[]);
      expect(la.map((l) => l.class_name)).to.deep.equal(lb.map((l) => l.class_name));
      lb.forEach((entry, i) => {
        for (const [key, value] of Object.entries(entry.config as Json)) expect((la[i]!.config as Json)[key], `${i}.${key}`).to.deep.equal(value);
      });
      ours.dispose();
      theirs.dispose();
    });

    it('a Functional model with two inputs, two outputs, a shared layer and a nested model', () => {
      const build = <T>(lib: { input: (a: { shape: number[]; name: string }) => T; dense: (a: object) => { apply: (x: T) => unknown }; add: (a: object) => { apply: (x: T[]) => unknown }; model: (a: { inputs: T | T[]; outputs: T | T[]; name: string }) => { apply: (x: T) => unknown } }): unknown => {
        const x1 = lib.input({ shape: [4], name: 'x1' });
        const x2 = lib.input({ shape: [4], name: 'x2' });
        const shared = lib.dense({ units: 3, name: 'shared', kernelInitializer: 'ones', activation: 'tanh' });
        const h1 = shared.apply(x1) as T;
        const h2 = shared.apply(x2) as T;
        // The nested model shares the input layer x1 (weightless) with the outer model.
        const own = lib.dense({ units: 3, name: 'own', kernelInitializer: 'ones' }).apply(x1) as T;
        const inner = lib.model({ inputs: x1, outputs: own, name: 'inner' });
        const sum = lib.add({ name: 'sum' }).apply([h1, h2]) as T;
        const z = lib.input({ shape: [4], name: 'z' });
        const head = lib.dense({ units: 2, name: 'head', kernelInitializer: 'ones' }).apply(inner.apply(z) as T) as T;
        return lib.model({ inputs: [x1, x2, z], outputs: [sum, head], name: 'outer' });
      };
      const theirs = build<tfl.SymbolicTensor>({
        input: (a) => tfl.input(a), dense: (a) => L.dense(a as never), add: (a) => L.add(a as never),
        model: (a) => tfl.model(a),
      }) as tfl.LayersModel;
      const ours = build<SymbolicTensor>({
        input: (a) => input(a), dense: (a) => layers.dense(a as never), add: (a) => layers.add(a as never),
        model: (a) => new LayersModel(a),
      }) as LayersModel;
      expectSameTopology(modelToTopology(ours), tfjsTopology(theirs));
      ours.dispose();
      theirs.dispose();
    });

    it('a recurrent model (Embedding, LSTM, GRU, Bidirectional, TimeDistributed)', () => {
      const theirs = (() => {
        const x = tfl.input({ shape: [5], name: 'tokens' });
        let h = L.embedding({ inputDim: 10, outputDim: 4, name: 'emb', embeddingsInitializer: 'zeros', maskZero: true }).apply(x) as tfl.SymbolicTensor;
        h = L.lstm({ units: 3, returnSequences: true, name: 'lstm', recurrentActivation: 'sigmoid', unitForgetBias: true, implementation: 2, kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }).apply(h) as tfl.SymbolicTensor;
        h = L.timeDistributed({ layer: L.dense({ units: 3, name: 'td_dense', kernelInitializer: 'zeros' }), name: 'td' }).apply(h) as tfl.SymbolicTensor;
        h = L.gru({ units: 2, name: 'gru', returnSequences: true, implementation: 2, kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }).apply(h) as tfl.SymbolicTensor;
        const y = L.bidirectional({ layer: L.simpleRNN({ units: 2, name: 'rnn', kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }) as never, name: 'bi', mergeMode: 'sum' }).apply(h) as tfl.SymbolicTensor;
        return tfl.model({ inputs: x, outputs: y, name: 'rnn_model' });
      })();
      const ours = (() => {
        const x = input({ shape: [5], name: 'tokens' });
        let h = layers.embedding({ inputDim: 10, outputDim: 4, name: 'emb', embeddingsInitializer: 'zeros', maskZero: true }).apply(x) as SymbolicTensor;
        h = layers.lstm({ units: 3, returnSequences: true, name: 'lstm', recurrentActivation: 'sigmoid', kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }).apply(h) as SymbolicTensor;
        h = layers.timeDistributed({ layer: layers.dense({ units: 3, name: 'td_dense', kernelInitializer: 'zeros' }), name: 'td' }).apply(h) as SymbolicTensor;
        h = layers.gru({ units: 2, name: 'gru', returnSequences: true, resetAfter: false, recurrentActivation: 'hard_sigmoid', kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }).apply(h) as SymbolicTensor;
        const y = layers.bidirectional({ layer: layers.simpleRNN({ units: 2, name: 'rnn', kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }), name: 'bi', mergeMode: 'sum' }).apply(h) as SymbolicTensor;
        return new LayersModel({ inputs: x, outputs: y, name: 'rnn_model' });
      })();
      expectSameTopology(modelToTopology(ours), tfjsTopology(theirs));
      ours.dispose();
      theirs.dispose();
    });
  });

  describe('TF.js files load, layer kind by layer kind', () => {
    for (const [className, kind] of Object.entries(TFJS_KINDS)) {
      it(`${className}: TF.js's classes, names and weight shapes; TF.js's predictions`, async () => {
        const before = memory().numTensors;
        const theirs = tfjsKindModel(kind);
        const json = JSON.parse(JSON.stringify(tfjsTopology(theirs))) as Json;
        const ours = modelFromTopology(json, 'tfjs/model.json');
        const entries = layerEntries(json);
        expect(ours.layers.map((l: Layer) => l.name)).to.have.members([...entries.keys()]);
        for (const layer of ours.layers) expect(layer.className).to.equal(entries.get(layer.name)!.class_name);
        expect(ours.weights.map((w) => w.shape)).to.deep.equal(theirs.weights.map((w) => w.shape));
        copyFromTfjs(theirs, ours);
        const { ours: xs, theirs: txs } = sampleInputs(kind.inputs, kind.intBelow);
        const [expected, actual] = [tfjsPredict(theirs, txs), await strataPredict(ours, xs)];
        actual.forEach((values, i) => expectClose(values, expected[i]!, { atol: 1e-5, rtol: 1e-4 }, `${className} output ${i}`));
        ours.dispose();
        theirs.dispose();
        tf.dispose(txs);
        for (const x of xs) x.dispose();
        expect(memory().numTensors).to.equal(before);
      });
    }

    it('a Sequential model, with its shape on the first layer or on an InputLayer entry', () => {
      for (const theirs of [
        tfl.sequential({ layers: [L.dense({ units: 3, inputShape: [4] }), L.dense({ units: 2 })] }),
        tfl.sequential({ layers: [L.inputLayer({ inputShape: [4] }), L.dense({ units: 2 })] }),
      ]) {
        const ours = modelFromTopology(JSON.parse(JSON.stringify(tfjsTopology(theirs))), 'tfjs/model.json');
        expect(ours).to.be.instanceOf(Sequential);
        expect(ours.inputs[0]!.shape).to.deep.equal([null, 4]);
        expect(ours.weights.map((w) => w.shape)).to.deep.equal(theirs.weights.map((w) => w.shape));
        ours.dispose();
        theirs.dispose();
      }
    });

    it('a Functional model with shared layers and a nested model (node indices counted as TF.js counts them)', async () => {
      const x1 = tfl.input({ shape: [4], name: 'x1' });
      const x2 = tfl.input({ shape: [4], name: 'x2' });
      const shared = L.dense({ units: 4, name: 'shared', activation: 'tanh' });
      const h1 = shared.apply(x1) as tfl.SymbolicTensor;
      const h2 = shared.apply(x2) as tfl.SymbolicTensor;
      const inner = tfl.model({ inputs: x1, outputs: h1, name: 'inner' });
      const z = tfl.input({ shape: [4], name: 'z' });
      const twice = inner.apply(inner.apply(z) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
      const sum = L.add({ name: 'sum' }).apply([h2, twice]) as tfl.SymbolicTensor;
      const theirs = tfl.model({ inputs: [x2, z, x1], outputs: [sum, h1], name: 'outer' });
      const json = JSON.parse(JSON.stringify(tfjsTopology(theirs))) as Json;
      const ours = modelFromTopology(json, 'tfjs/model.json');
      expect(ours.inputNames).to.deep.equal(['x2', 'z', 'x1']);
      expect(ours.outputNames).to.deep.equal(['sum', 'shared']);
      expect(ours.getLayer('inner').inboundNodes).to.have.length(2);
      copyFromTfjs(theirs, ours);
      const { ours: xs, theirs: txs } = sampleInputs([[4], [4], [4]]);
      const [expected, actual] = [tfjsPredict(theirs, txs), await strataPredict(ours, xs)];
      actual.forEach((values, i) => expectClose(values, expected[i]!, { atol: 1e-5, rtol: 1e-4 }, `output ${i}`));
      expectSameTopology(modelToTopology(ours), json);
      ours.dispose();
      theirs.dispose();
      tf.dispose(txs);
      for (const x of xs) x.dispose();
    });
  });

  describe('TF.js loads what Strata writes', () => {
    for (const className of ['Dense', 'Conv2D', 'BatchNormalization', 'LSTM', 'GRU', 'Bidirectional', 'Concatenate', 'Embedding']) {
      it(className, async () => {
        const kind = TFJS_KINDS[className]!;
        // Strata's model from TF.js's file; saved by Strata; loaded by TF.js.
        const source = tfjsKindModel(kind);
        const ours = modelFromTopology(JSON.parse(JSON.stringify(tfjsTopology(source))), 'tfjs/model.json');
        copyFromTfjs(source, ours);
        const theirs = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(JSON.stringify(modelToTopology(ours))) as Json } as never);
        expect(theirs.weights.map((w) => w.shape)).to.deep.equal(ours.weights.map((w) => w.shape));
        theirs.setWeights(source.getWeights());
        const { ours: xs, theirs: txs } = sampleInputs(kind.inputs, kind.intBelow);
        const [expected, actual] = [await strataPredict(ours, xs), tfjsPredict(theirs, txs)];
        actual.forEach((values, i) => expectClose(values, expected[i]!, { atol: 1e-5, rtol: 1e-4 }, `${className} output ${i}`));
        for (const m of [source, theirs]) m.dispose();
        ours.dispose();
        tf.dispose(txs);
        for (const x of xs) x.dispose();
      });
    }
  });
});
