import { expect } from 'chai';
import { memory, tensor, tidy, type Tensor } from '@strata/core';
import { expectClose, randomValues } from '@strata/conformance';
import { InputLayer, input } from '../../src/engine/input-layer.js';
import { LayersModel, Sequential } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { GRU, LSTM, layers } from '../../src/index.js';
import { modelFromTopology, modelToTopology } from '../../src/saving/topology.js';
import { tfjsReady, tfl } from './tfjs-setup.js';

// Graph shapes and file forms: shared layers, several inputs and outputs, nested models both
// ways, call arguments that are tensors, frozen models, Sequential models built in every way, and
// configs in the forms of Keras 2 and Keras 3 that TF.js's converter passes on.

type Json = Record<string, unknown>;

function viaJson(model: LayersModel): { json: Json; loaded: LayersModel } {
  const json = JSON.parse(JSON.stringify(modelToTopology(model))) as Json;
  return { json, loaded: modelFromTopology(json, 'model.json') };
}

function sample(shape: number[], seed: number): Tensor {
  return tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

async function run(model: LayersModel, xs: Tensor[]): Promise<number[][]> {
  const outs = tidy(() => model.run(xs, false));
  const values = await Promise.all(outs.map(async (t) => Array.from(await t.data())));
  for (const t of outs) t.dispose();
  return values;
}

/** Loads the model back, copies the weights, and checks the same topology and the same outputs. */
async function expectRoundTrip(model: LayersModel, xs: Tensor[]): Promise<LayersModel> {
  const { json, loaded } = viaJson(model);
  expect(modelToTopology(loaded)).to.deep.equal(json);
  const weights = model.getWeights();
  loaded.setWeights(weights);
  for (const w of weights) w.dispose();
  const [expected, actual] = [await run(model, xs), await run(loaded, xs)];
  expect(actual.length).to.equal(expected.length);
  actual.forEach((a, i) => expectClose(a, expected[i]!, { atol: 1e-6, rtol: 1e-6 }, `output ${i}`));
  return loaded;
}

describe('topology: graphs', () => {
  beforeEach(() => resetLayerNames());

  it('shared layers, several inputs and outputs, a model nested twice: same graph, same outputs, no leak', async () => {
    const before = memory().numTensors;
    const shared = layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
    // A call outside the model: the file numbers only the model's own calls of a layer.
    shared.apply(input({ shape: [4], name: 'elsewhere' }));
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const ha = shared.apply(a) as SymbolicTensor;
    const hb = shared.apply(b) as SymbolicTensor;
    const bin = input({ shape: [4], name: 'bin' });
    const block = new LayersModel({ inputs: bin, outputs: layers.dense({ units: 4, name: 'bd' }).apply(bin) as SymbolicTensor, name: 'block' });
    const c = input({ shape: [4], name: 'c' });
    const twice = block.apply(block.apply(c) as SymbolicTensor) as SymbolicTensor;
    const joined = layers.concatenate({ name: 'joined' }).apply([hb, twice]) as SymbolicTensor;
    const head = layers.dense({ units: 2, name: 'head' }).apply(joined) as SymbolicTensor;
    const m = new LayersModel({ inputs: [a, b, c], outputs: [head, ha], name: 'outer' });
    const json = JSON.parse(JSON.stringify(modelToTopology(m))) as Json;
    const entries = (json.config as Json).layers as Json[];
    expect(entries.find((e) => e.name === 'shared')!.inbound_nodes).to.deep.equal([[['a', 0, 0, {}]], [['b', 0, 0, {}]]]);
    // The nested model's calls count from 1 in the file, as TF.js and Keras count them.
    expect(entries.find((e) => e.name === 'block')!.inbound_nodes).to.deep.equal([[['c', 0, 0, {}]], [['block', 1, 0, {}]]]);
    expect(entries.find((e) => e.name === 'joined')!.inbound_nodes).to.deep.equal([[['shared', 1, 0, {}], ['block', 2, 0, {}]]]);
    expect((json.config as Json).output_layers).to.deep.equal([['head', 0, 0], ['shared', 0, 0]]);
    const xs = [sample([2, 4], 1), sample([2, 4], 2), sample([2, 4], 3)];
    const loaded = await expectRoundTrip(m, xs);
    expect(loaded.inputNames).to.deep.equal(['a', 'b', 'c']);
    expect(loaded.outputNames).to.deep.equal(['head', 'shared']);
    m.dispose();
    loaded.dispose();
    for (const x of xs) x.dispose();
    expect(memory().numTensors).to.equal(before);
  });

  it('refuses a layer shared across a nested model\'s boundary, which the format cannot express', () => {
    const x = input({ shape: [3], name: 'x' });
    const shared = layers.dense({ units: 3, name: 'shared' });
    const inner = new LayersModel({ inputs: x, outputs: shared.apply(x) as SymbolicTensor, name: 'inner' });
    const z = input({ shape: [3], name: 'z' });
    const m = new LayersModel({ inputs: z, outputs: shared.apply(inner.apply(z) as SymbolicTensor) as SymbolicTensor, name: 'outer' });
    expect(() => modelToTopology(m)).to.throw(/cannot be saved: layer 'shared' is used both in model '(inner|outer)' and in model '(inner|outer)'/);
    m.dispose();
  });

  it('TF.js reads the node indices Strata writes for nested models', async () => {
    await tfjsReady();
    const x = input({ shape: [3], name: 'x' });
    const inner = new Sequential({ name: 'inner', layers: [layers.dense({ units: 3, inputShape: [3], name: 'd' })] });
    const y = layers.dense({ units: 2, name: 'head' }).apply(inner.apply(inner.apply(x) as SymbolicTensor) as SymbolicTensor) as SymbolicTensor;
    const m = new LayersModel({ inputs: x, outputs: y, name: 'outer' });
    const theirs = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(JSON.stringify(modelToTopology(m))) as Json } as never);
    expect(theirs.weights.map((w) => w.shape)).to.deep.equal(m.weights.map((w) => w.shape));
    expect(theirs.getLayer('inner').inboundNodes).to.have.length(3); // its own, then two calls
    theirs.dispose();
    m.dispose();
  });

  it('a Sequential nested in a Functional model and a Functional model nested in a Sequential', async () => {
    const inner = new Sequential({ name: 'inner_seq', layers: [layers.dense({ units: 3, inputShape: [4], name: 'i1' }), layers.reLU({ name: 'i2' })] });
    const x = input({ shape: [4], name: 'x' });
    const f = new LayersModel({ inputs: x, outputs: layers.dense({ units: 2, name: 'f_head' }).apply(inner.apply(x) as SymbolicTensor) as SymbolicTensor, name: 'f' });
    const outer = new Sequential({ name: 'outer_seq', layers: [f, layers.softmax({ name: 'probs' })] });
    const xs = [sample([3, 4], 3)];
    // Built at once from the input of its first layer, a model (as TF.js and Keras do).
    expect(outer.inputs[0]!.shape).to.deep.equal([null, 4]);
    expect(((modelToTopology(outer).config as Json).layers as Json[]).map((e) => e.class_name)).to.deep.equal(['Model', 'Softmax']);
    const loaded = await expectRoundTrip(outer, xs);
    expect(loaded).to.be.instanceOf(Sequential);
    expect(loaded.getLayer('f')).to.be.instanceOf(LayersModel);
    expect((loaded.getLayer('f') as LayersModel).getLayer('inner_seq')).to.be.instanceOf(Sequential);
    outer.dispose();
    loaded.dispose();
    xs[0]!.dispose();
  });

  it('Sequential models built from an InputLayer, from data, or with an integer input', async () => {
    const fromInput = new Sequential({ name: 's1' });
    fromInput.add(new InputLayer({ batchShape: [null, 3] }));
    fromInput.add(layers.dense({ units: 2, name: 'd' }));
    const fromData = new Sequential({ name: 's2', layers: [layers.dense({ units: 2, name: 'd2' })] });
    const x = sample([2, 3], 4);
    fromData.ensureBuilt(x);
    for (const m of [fromInput, fromData]) {
      const json = JSON.parse(JSON.stringify(modelToTopology(m))) as Json;
      const first = ((json.config as Json).layers as Json[])[0]!;
      expect((first.config as Json).batch_input_shape).to.deep.equal([null, 3]);
      const loaded = await expectRoundTrip(m, [x]);
      loaded.dispose();
      m.dispose();
    }
    // An int32 input feeding a float32 layer is saved as an InputLayer entry (the layer keeps its dtype).
    const ints = new Sequential({ name: 's3' });
    ints.add(new InputLayer({ batchShape: [null, 5], dtype: 'int32', name: 'tokens' }));
    ints.add(layers.embedding({ inputDim: 7, outputDim: 2, name: 'emb' }));
    const entries = (modelToTopology(ints).config as Json).layers as Json[];
    expect(entries[0]).to.deep.include({ class_name: 'InputLayer' });
    expect(entries[0]!.config).to.deep.include({ batch_input_shape: [null, 5], dtype: 'int32' });
    const tokens = tensor([1, 2, 3, 0, 6, 5, 4, 3, 2, 1], [2, 5], 'int32');
    const loaded = await expectRoundTrip(ints, [tokens]);
    expect(loaded.inputs[0]!.dtype).to.equal('int32');
    for (const t of [x, tokens]) t.dispose();
    ints.dispose();
    loaded.dispose();
  });

  it('an unbuilt Sequential saves and loads unbuilt', () => {
    const m = new Sequential({ name: 'lazy', layers: [layers.dense({ units: 2 })] });
    const { loaded } = viaJson(m);
    expect(loaded.inputs).to.have.length(0);
    expect(loaded.layers.map((l) => l.className)).to.deep.equal(['Dense']);
    m.dispose();
    loaded.dispose();
  });

  it('recurrent initial states given as tensors, and returned states', async () => {
    const seqIn = input({ shape: [5, 3], name: 'seq' });
    const h0 = input({ shape: [4], name: 'h0' });
    const c0 = input({ shape: [4], name: 'c0' });
    const [out, h, c] = new LSTM({ units: 4, returnSequences: true, returnState: true, name: 'enc' }).apply(seqIn, { initialState: [h0, c0] }) as SymbolicTensor[];
    const dec = new GRU({ units: 4, name: 'dec' }).apply(out!, { initialState: h! }) as SymbolicTensor;
    const m = new LayersModel({ inputs: [seqIn, h0, c0], outputs: [dec, c!], name: 'seq2seq' });
    const enc = ((modelToTopology(m).config as Json).layers as Json[]).find((e) => e.name === 'enc')!;
    expect(enc.inbound_nodes).to.deep.equal([[['seq', 0, 0, {}], ['h0', 0, 0, {}], ['c0', 0, 0, {}]]]);
    const xs = [sample([2, 5, 3], 5), sample([2, 4], 6), sample([2, 4], 7)];
    const loaded = await expectRoundTrip(m, xs);
    m.dispose();
    loaded.dispose();
    for (const x of xs) x.dispose();
  });

  it('attention with a mask input and call arguments', async () => {
    const q = input({ shape: [3, 4], name: 'q' });
    const v = input({ shape: [5, 4], name: 'v' });
    const mask = input({ shape: [3, 5], name: 'mask' });
    const y = layers.multiHeadAttention({ numHeads: 2, keyDim: 2, name: 'mha' }).apply([q, v], { attentionMask: mask, useCausalMask: false }) as SymbolicTensor;
    const m = new LayersModel({ inputs: [q, v, mask], outputs: y, name: 'attn' });
    const entry = ((modelToTopology(m).config as Json).layers as Json[]).find((e) => e.name === 'mha')!;
    expect(((entry.inbound_nodes as unknown[][][])[0]![0]![3] as Json)).to.deep.equal({ use_causal_mask: false, attention_mask_in_inputs: true });
    const maskValues = tensor(Array.from({ length: 30 }, (_, i) => (i % 4 === 0 ? 0 : 1)), [2, 3, 5]);
    const xs = [sample([2, 3, 4], 8), sample([2, 5, 4], 9), maskValues];
    const loaded = await expectRoundTrip(m, xs);
    m.dispose();
    loaded.dispose();
    for (const x of xs) x.dispose();
  });

  it('frozen layers and a frozen nested model stay frozen', () => {
    const x = input({ shape: [3], name: 'x' });
    const base = new LayersModel({ inputs: x, outputs: layers.dense({ units: 3, name: 'b' }).apply(x) as SymbolicTensor, name: 'base' });
    base.trainable = false;
    const z = input({ shape: [3], name: 'z' });
    const top = layers.dense({ units: 2, name: 'top', trainable: false });
    const m = new LayersModel({ inputs: z, outputs: top.apply(base.apply(z) as SymbolicTensor) as SymbolicTensor, name: 'm' });
    const { loaded } = viaJson(m);
    expect(loaded.getLayer('base').trainable).to.equal(false);
    expect(loaded.getLayer('top').trainable).to.equal(false);
    expect(loaded.trainableWeights).to.have.length(0);
    m.dispose();
    loaded.dispose();
  });

  it('refuses to save a call argument that is not JSON', () => {
    const x = input({ shape: [3], name: 'x' });
    const d = layers.dense({ units: 2, name: 'd' });
    const y = d.apply(x, { scale: () => 1 }) as SymbolicTensor;
    const m = new LayersModel({ inputs: x, outputs: y });
    expect(() => modelToTopology(m)).to.throw(/d \(Dense\) was called with argument 'scale' that cannot be saved/);
    m.dispose();
  });
});

describe('topology: Keras files', () => {
  beforeEach(() => resetLayerNames());

  // What tf.keras 2.x writes (and TF.js's converter carries inside `model_config`).
  const keras2 = {
    keras_version: '2.15.0',
    backend: 'tensorflow',
    model_config: {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 4], dtype: 'float32', sparse: false, ragged: false, name: 'tokens' }, name: 'tokens', inbound_nodes: [] },
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 3, 4], dtype: 'float32', sparse: false, ragged: false, name: 'memory' }, name: 'memory', inbound_nodes: [] },
          {
            class_name: 'MultiHeadAttention', name: 'mha',
            config: { name: 'mha', trainable: true, dtype: 'float32', num_heads: 2, key_dim: 2, value_dim: 2, dropout: 0.0, use_bias: true, output_shape: null, attention_axes: [1], kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null, query_shape: [null, 6, 4], key_shape: [null, 3, 4], value_shape: [null, 3, 4] },
            inbound_nodes: [[['tokens', 0, 0, { value: ['memory', 0, 0], training: false }]]],
          },
          {
            class_name: 'GRU', name: 'gru',
            config: { name: 'gru', trainable: true, dtype: 'float32', return_sequences: true, return_state: false, go_backwards: false, stateful: false, unroll: false, time_major: false, units: 3, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null, dropout: 0.0, recurrent_dropout: 0.0, implementation: 2, reset_after: true },
            inbound_nodes: [[['mha', 0, 0, {}]]],
          },
          {
            class_name: 'Conv1D', name: 'conv',
            config: { name: 'conv', trainable: true, dtype: 'float32', filters: 2, kernel_size: [2], strides: [1], padding: 'causal', data_format: 'channels_last', dilation_rate: [1], groups: 1, activation: 'relu', use_bias: true, kernel_initializer: { class_name: 'HeNormal', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } }, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
            inbound_nodes: [[['gru', 0, 0, {}]]],
          },
          {
            class_name: 'GlobalAveragePooling1D', name: 'pool',
            config: { name: 'pool', trainable: true, dtype: 'float32', data_format: 'channels_last', keepdims: false },
            inbound_nodes: [[['conv', 0, 0, {}]]],
          },
          {
            class_name: 'LeakyReLU', name: 'leaky',
            config: { name: 'leaky', trainable: true, dtype: 'float32', alpha: 0.2 },
            inbound_nodes: [[['pool', 0, 0, {}]]],
          },
        ],
        input_layers: [['tokens', 0, 0], ['memory', 0, 0]],
        output_layers: [['leaky', 0, 0]],
      },
    },
  };

  it('loads a Keras 2 Functional config (model_config wrapper, tensor call arguments, harmless Keras keys)', async () => {
    const m = modelFromTopology(JSON.parse(JSON.stringify(keras2)), 'keras2/model.json');
    expect(m.inputNames).to.deep.equal(['tokens', 'memory']);
    expect(m.layers.map((l) => l.className)).to.deep.equal(['InputLayer', 'InputLayer', 'MultiHeadAttention', 'GRU', 'Conv1D', 'GlobalAveragePooling1D', 'LeakyReLU']);
    expect((m.getLayer('gru') as GRU).resetAfter).to.equal(true);
    const out = tidy(() => m.run([sample([2, 6, 4], 1), sample([2, 3, 4], 2)], false));
    expect(out[0]!.shape).to.deep.equal([2, 2]);
    for (const t of out) t.dispose();
    m.dispose();
  });

  it('reads a GRU without reset_after as TF.js and early Keras meant it: reset before', () => {
    const gru = JSON.parse(JSON.stringify(keras2.model_config.config.layers[3])) as Json;
    delete (gru.config as Json).reset_after;
    const topology = {
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'GRU', config: { ...(gru.config as Json), batch_input_shape: [null, 6, 4] } }] },
    };
    const m = modelFromTopology(topology, 'm.json');
    expect((m.layers[0] as GRU).resetAfter).to.equal(false);
    expect(m.weights.map((w) => w.shape)).to.deep.equal([[4, 9], [3, 9], [9]]);
    m.dispose();
  });

  it('loads a Keras 3 Functional config ({ args, kwargs } nodes, batch_shape, dtype policies, bare references)', () => {
    const policy = (name: string): Json => ({ module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null });
    const kt = (layer: string, shape: (number | null)[]): Json => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } });
    const keras3 = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'functional',
        trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'x' }, registered_name: null, name: 'x', inbound_nodes: [] },
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'y' }, registered_name: null, name: 'y', inbound_nodes: [] },
          {
            module: 'keras.layers', class_name: 'Dense', registered_name: null, build_config: { input_shape: [null, 4] }, name: 'dense',
            config: { name: 'dense', trainable: true, dtype: policy('float32'), units: 3, activation: 'relu', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null, quantization_config: null },
            inbound_nodes: [{ args: [kt('x', [null, 4])], kwargs: {} }, { args: [kt('y', [null, 4])], kwargs: {} }],
          },
          {
            module: 'keras.layers', class_name: 'Add', registered_name: null, name: 'add',
            config: { name: 'add', trainable: true, dtype: policy('mixed_float16') },
            inbound_nodes: [{ args: [[{ ...kt('dense', [null, 3]) }, { class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: ['dense', 1, 0] } }]], kwargs: {} }],
          },
          {
            module: 'keras.layers', class_name: 'LeakyReLU', registered_name: null, name: 'leaky',
            config: { name: 'leaky', trainable: true, dtype: policy('float32'), negative_slope: 0.1 },
            inbound_nodes: [{ args: [kt('add', [null, 3])], kwargs: { training: false } }],
          },
        ],
        input_layers: [['x', 0, 0], ['y', 0, 0]],
        output_layers: ['leaky', 0, 0],
      },
    };
    const m = modelFromTopology(JSON.parse(JSON.stringify(keras3)), 'keras3/model.json');
    expect(m.inputNames).to.deep.equal(['x', 'y']);
    expect(m.getLayer('dense').inboundNodes).to.have.length(2);
    expect(m.getLayer('add').dtype).to.equal('float32');
    expect(m.outputs[0]!.shape).to.deep.equal([null, 3]);
    expect((m.getLayer('leaky').getConfig() as { alpha: number }).alpha).to.equal(0.1);
    m.dispose();
  });

  it('loads a Keras 2 Sequential with an InputLayer entry, and an old bare-list Sequential', () => {
    const withInput = {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 5], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } },
          { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 2, activation: 'softmax', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
        ],
      },
    };
    const bare = { class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 5] } }] };
    for (const topology of [withInput, bare]) {
      const m = modelFromTopology(topology, 'm.json');
      expect(m.inputs[0]!.shape).to.deep.equal([null, 5]);
      expect(m.weights.map((w) => w.shape)).to.deep.equal([[5, 2], [2]]);
      m.dispose();
    }
  });

  it('accepts Keras keys whose values change nothing, and refuses those that would', () => {
    const topology = (extra: Json): Json => ({
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 3, 4], dtype: 'float32', name: 'x' } },
          { class_name: 'BatchNormalization', config: { name: 'bn', axis: -1, renorm: false, renorm_clipping: null, renorm_momentum: 0.99, fused: null, synchronized: false } },
          { class_name: 'LayerNormalization', config: { name: 'ln', axis: [-1], rms_scaling: false, ...extra } },
          { class_name: 'Dense', config: { name: 'd', units: 2, activation: { module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'function' } } },
        ],
      },
    });
    const m = modelFromTopology(topology({}), 'keras3/model.json');
    expect(m.layers.map((l) => l.className)).to.deep.equal(['BatchNormalization', 'LayerNormalization', 'Dense']);
    expect(m.getLayer('d').getConfig().activation).to.equal('relu');
    m.dispose();
    expect(() => modelFromTopology(topology({ rms_scaling: true }), 'keras3/model.json')).to.throw(/'rms_scaling' = true is not supported by Strata's LayerNormalization/);
  });

  it('drops initializers it cannot build (the saved weights replace their values)', () => {
    const topology = {
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'Dense', config: { units: 2, batch_input_shape: [null, 3], kernel_initializer: { class_name: 'SomeKerasOnlyInitializer', config: { x: 1 } } } }] },
    };
    const m = modelFromTopology(topology, 'm.json');
    expect(m.weights.map((w) => w.shape)).to.deep.equal([[3, 2], [2]]);
    m.dispose();
  });
});
