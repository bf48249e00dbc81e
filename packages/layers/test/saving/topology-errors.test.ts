import { expect } from 'chai';
import { memory, mul, type Tensor } from '@strata/core';
import type { LayerShape } from '../../src/engine/errors.js';
import { input } from '../../src/engine/input-layer.js';
import { Layer, type LayerArgs } from '../../src/engine/layer.js';
import { LayersModel } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { layerRegistry, registerLayer } from '../../src/layers/layer-registry.js';
import '../../src/index.js';
import { SavedModelError } from '../../src/saving/errors.js';
import { modelFromTopology, modelToTopology } from '../../src/saving/topology.js';
import { tfjsReady, tfl } from './tfjs-setup.js';

type Json = Record<string, unknown>;

/** Runs `fn`, expecting a SavedModelError for `file` whose message matches every pattern. */
function expectLoadError(fn: () => unknown, ...patterns: RegExp[]): SavedModelError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a SavedModelError').to.be.instanceOf(SavedModelError);
  const error = caught as SavedModelError;
  expect(error.file).to.equal('bad/model.json');
  expect(error.message.startsWith('bad/model.json: ')).to.equal(true);
  for (const p of patterns) expect(error.message).to.match(p);
  return error;
}

const load = (topology: unknown, maxWeightElements?: number) => (): LayersModel => modelFromTopology(topology, 'bad/model.json', { maxWeightElements });

const dense = (name: string, inbound: unknown[], config: Json = {}): Json => ({ name, class_name: 'Dense', config: { name, units: 2, ...config }, inbound_nodes: inbound });
const inputEntry = (name: string, shape: (number | null)[] = [null, 3]): Json => ({ name, class_name: 'InputLayer', config: { name, batch_input_shape: shape, dtype: 'float32' }, inbound_nodes: [] });

/** A Functional topology from layer entries, the first input and the given output. */
function functional(layers: Json[], output: [string, number, number] = [String(layers[layers.length - 1]!.name), 0, 0]): Json {
  return { class_name: 'Model', config: { name: 'm', layers, input_layers: [[layers[0]!.name, 0, 0]], output_layers: [output] } };
}

/** A custom layer for the registration tests: `x * factor`. */
class TopologyTestScale extends Layer {
  static override readonly className: string = 'TopologyTestScale';
  readonly factor: number;
  constructor(args: LayerArgs & { factor?: number } = {}) {
    super(args);
    this.factor = args.factor ?? 1;
  }
  override call(x: Tensor | Tensor[]): Tensor {
    return mul(x as Tensor, this.factor);
  }
  override computeOutputShape(shape: LayerShape | LayerShape[]): LayerShape {
    return shape as LayerShape;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

describe('topology: errors', () => {
  beforeEach(() => resetLayerNames());

  describe('unknown layer classes', () => {
    it('names the class, the file, the place and registerLayer (a TF.js file with a layer Strata lacks)', async () => {
      await tfjsReady();
      const x = tfl.input({ shape: [3] });
      const tfModel = tfl.model({ inputs: x, outputs: tfl.layers.thresholdedReLU({ theta: 0.5 }).apply(x) as tfl.SymbolicTensor });
      const topology = JSON.parse(JSON.stringify(tfModel.toJSON(null, false))) as Json;
      const error = expectLoadError(load(topology), /unknown layer class 'ThresholdedReLU'/, /registerLayer\(ThresholdedReLU\)/, /static className = 'ThresholdedReLU'/, /Dense/);
      expect(error.where).to.equal('modelTopology.config.layers[1].class_name');
      tfModel.dispose();
    });

    it('loads a custom layer once registered, and round-trips it', () => {
      const topology = functional([inputEntry('x'), { name: 'scale', class_name: 'TopologyTestScale', config: { name: 'scale', factor: 3 }, inbound_nodes: [[['x', 0, 0, {}]]] }]);
      expectLoadError(load(topology), /unknown layer class 'TopologyTestScale'/);
      registerLayer(TopologyTestScale);
      try {
        const m = load(topology)();
        expect((m.getLayer('scale') as TopologyTestScale).factor).to.equal(3);
        expect(((modelToTopology(m).config as Json).layers as Json[])[1]!.config).to.deep.include({ factor: 3 });
        m.dispose();
      } finally {
        // Other tests list the registered classes; this one is not built in.
        (layerRegistry as unknown as { factories: Map<string, unknown> }).factories.delete('topologytestscale');
      }
    });

    it('an unknown class inside a wrapper', () => {
      const topology = functional([
        inputEntry('x', [null, 4, 3]),
        { name: 'td', class_name: 'TimeDistributed', config: { name: 'td', layer: { class_name: 'Lambda', config: { function: 'x' } } }, inbound_nodes: [[['x', 0, 0, {}]]] },
      ]);
      const error = expectLoadError(load(topology), /unknown layer class 'Lambda'/);
      expect(error.where).to.equal('modelTopology.config.layers[1].config.layer');
    });
  });

  describe('wrong structure, named by key path', () => {
    const cases: [string, unknown, RegExp[]][] = [
      ['not an object', 'model', [/modelTopology: expected object/]],
      ['null', null, [/modelTopology/]],
      ['no class_name', { config: {} }, [/modelTopology\.class_name: is missing/]],
      ['a layer at the top', { class_name: 'Dense', config: { units: 2 } }, [/expected a model class \(Sequential, Model or Functional\), received 'Dense'/]],
      ['no layers', { class_name: 'Model', config: { input_layers: [['x', 0, 0]], output_layers: [['x', 0, 0]] } }, [/modelTopology\.config\.layers: is missing/]],
      ['no input_layers', { class_name: 'Model', config: { layers: [inputEntry('x')], output_layers: [['x', 0, 0]] } }, [/modelTopology\.config\.input_layers: is missing/]],
      ['a layer without config', functional([inputEntry('x'), { name: 'd', class_name: 'Dense', inbound_nodes: [[['x', 0, 0, {}]]] }]), [/modelTopology\.config\.layers\[1\]\.config: is missing/]],
      ['inbound_nodes not a list', functional([inputEntry('x'), { ...dense('d', []), inbound_nodes: 'x' }]), [/layers\[1\]\.inbound_nodes: expected array/]],
      ['a node input of the wrong form', functional([inputEntry('x'), dense('d', [[['x', 'zero', 0, {}]]])]), [/layers\[1\]\.inbound_nodes\[0\]\[0\]\[1\]: expected number/]],
      ['a negative node index', functional([inputEntry('x'), dense('d', [[['x', -1, 0, {}]]])]), [/inbound_nodes\[0\]\[0\]\[1\]: expected a number >= 0/]],
      ['a shape with a negative dim', functional([inputEntry('x', [null, -3]), dense('d', [[['x', 0, 0, {}]]])]), [/layers\[0\]\.config\.batch_input_shape\[1\]/]],
      ['a name that is not a string', functional([inputEntry('x'), { ...dense('d', [[['x', 0, 0, {}]]]), name: 7 }]), [/layers\[1\]\.name: expected string/]],
      ['a Sequential layer without class_name', { class_name: 'Sequential', config: { layers: [{ config: { units: 2 } }] } }, [/modelTopology\.config\.layers\[0\]\.class_name: is missing/]],
    ];
    for (const [what, topology, patterns] of cases) {
      it(what, () => {
        expectLoadError(load(topology), ...patterns);
      });
    }
  });

  describe('wrong values and wrong graphs', () => {
    it('an option a layer refuses (units of the wrong type), with the layer named', () => {
      const error = expectLoadError(load(functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]], { units: 'three' })])), /d \(Dense\): units must be a positive integer; received "three"/);
      expect(error.where).to.equal("modelTopology.config.layers[1] ('d', Dense)");
    });

    it('an inbound node naming a layer that is not in the model', () => {
      const error = expectLoadError(load(functional([inputEntry('x'), dense('d', [[['ghost', 0, 0, {}]]])])), /names layer 'ghost', which is not among the model's layers \(x, d\)/);
      expect(error.where).to.equal('modelTopology.config.layers[1].inbound_nodes[0][0]');
    });

    it('a call index or output index past the end', () => {
      expectLoadError(load(functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]]), dense('e', [[['d', 3, 0, {}]]])])), /names call 3 of layer 'd', which the file does not define \(it lists 1 call\(s\) of that layer\)/);
      expectLoadError(load(functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]]), dense('e', [[['d', 0, 2, {}]]])])), /names output 2 of layer 'd', which has 1 output\(s\)/);
      expectLoadError(load(functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]])], ['d', 1, 0])), /output_layers\[0\]: names call 1 of layer 'd'/);
    });

    it('calls that depend on each other in a cycle', () => {
      expectLoadError(load(functional([inputEntry('x'), dense('d', [[['e', 0, 0, {}]]]), dense('e', [[['d', 0, 0, {}]]])])), /the call of layer 'd' cannot be made: it needs output 0 of call 0 of layer 'e', which is never made/);
    });

    it('two layers with one name', () => {
      expectLoadError(load(functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]]), dense('d', [[['x', 0, 0, {}]]])])), /layers\[2\]\.name: a second layer is named 'd'/);
    });

    it('an output that is not computed from the inputs', () => {
      const topology = functional([inputEntry('x'), inputEntry('y'), dense('d', [[['y', 0, 0, {}]]])]);
      expectLoadError(load(topology), /graph disconnected/);
    });

    it('options Strata does not support, and keys it does not know', () => {
      const conv = (extra: Json): Json => functional([inputEntry('x', [null, 5, 5, 2]), { name: 'c', class_name: 'Conv2D', config: { name: 'c', filters: 4, kernel_size: [3, 3], ...extra }, inbound_nodes: [[['x', 0, 0, {}]]] }]);
      const ok = load(conv({ groups: 1 }))();
      ok.dispose();
      const error = expectLoadError(load(conv({ groups: 2 })), /'groups' = 2 is not supported by Strata's Conv2D \(it supports 1 or null\)/);
      expect(error.where).to.equal('modelTopology.config.layers[1].config.groups');
      expectLoadError(load(conv({ fancy_option: true })), /'fancy_option' = true is not an option of Strata's Conv2D/, /remove it from the file/);
    });

    it('dtypes Strata cannot compute in, and sparse inputs', () => {
      expectLoadError(load(functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]], { dtype: 'string' })])), /layers\[1\]\.config\.dtype: dtype "string" is not supported/);
      const sparse = inputEntry('x');
      (sparse.config as Json).sparse = true;
      expectLoadError(load(functional([sparse, dense('d', [[['x', 0, 0, {}]]])])), /sparse inputs are not supported/);
    });

    it('a tensor call argument a layer does not take, and a Keras 3 constant argument', () => {
      const twoInputs = [inputEntry('x'), inputEntry('y')];
      expectLoadError(load(functional([...twoInputs, dense('d', [[['x', 0, 0, { extra: ['y', 0, 0] }]]])])), /a tensor passed as call argument 'extra' is not supported by Strata's Dense/);
      const keras3 = functional([inputEntry('x'), dense('d', [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: ['x', 0, 0] } }, 2.5], kwargs: {} }])]);
      expectLoadError(load(keras3), /inbound_nodes\[0\]\.args\[1\]: a positional call argument that is not a tensor is not supported/);
    });

    it('models nested too deeply', () => {
      let topology: Json = functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]])]);
      for (let i = 0; i < 40; i++) {
        topology = functional([inputEntry('x'), { name: `n${i}`, class_name: 'Model', config: topology.config, inbound_nodes: [[['x', 0, 0, {}]]] }]);
      }
      expectLoadError(load(topology), /models nest deeper than 32 levels/);
    });
  });

  describe('sizes a file claims', () => {
    it('a weight larger than the budget fails before it is allocated', () => {
      const before = memory().numTensors;
      expectLoadError(load(functional([inputEntry('x', [null, 100000]), dense('d', [[['x', 0, 0, {}]]], { units: 1e9 })])), /weight 'd\/kernel' would hold 100000000000000 values/);
      expectLoadError(load(functional([inputEntry('x'), dense('d', [[['x', 0, 0, {}]]], { units: 4 })]), 10), /weight 'd\/kernel' would hold 12 values, more than the 10 left of the 10/);
      expect(memory().numTensors).to.equal(before);
    });

    it('the stored states of a stateful recurrent layer count too', () => {
      const lstm = { name: 'r', class_name: 'LSTM', config: { name: 'r', units: 2, stateful: true }, inbound_nodes: [[['x', 0, 0, {}]]] };
      expectLoadError(load(functional([inputEntry('x', [1e9, 4, 3]), lstm])), /weight 'r\/states' would hold 4000000000 values/);
    });

    it('a failed load frees every layer it made', () => {
      const before = memory().numTensors;
      const topology = functional([inputEntry('x'), dense('d1', [[['x', 0, 0, {}]]]), dense('d2', [[['d1', 0, 0, {}]]]), dense('d3', [[['d2', 0, 0, {}]]], { units: -1 })]);
      expectLoadError(load(topology), /d3 \(Dense\): units must be a positive integer/);
      expect(memory().numTensors).to.equal(before);
    });
  });

  describe('saving', () => {
    it('refuses a config that is not JSON, naming the key', () => {
      class FunctionConfig extends TopologyTestScale {
        static override readonly className = 'FunctionConfig';
        override getConfig(): Record<string, unknown> {
          return { ...super.getConfig(), fn: () => 1 };
        }
      }
      const x = input({ shape: [3], name: 'x' });
      const m = new LayersModel({ inputs: x, outputs: new FunctionConfig({ name: 'f' }).apply(x) as SymbolicTensor, name: 'm' });
      expect(() => modelToTopology(m)).to.throw(/model 'm' cannot be saved: config\.layers\[1\]\.config\.fn: a function cannot be saved in a model config/);
      m.dispose();
    });
  });
});
