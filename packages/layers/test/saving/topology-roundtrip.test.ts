import { expect } from 'chai';
import { memory, tidy, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import type { LayersModel } from '../../src/engine/model.js';
import { resetLayerNames } from '../../src/engine/naming.js';
import { layerRegistry } from '../../src/layers/layer-registry.js';
import '../../src/index.js';
import { modelFromTopology, modelToTopology } from '../../src/saving/topology.js';
import { LAYER_CASES, caseModel } from './topology-cases.js';

/** The model's outputs in inference mode, as flat arrays. */
async function outputs(model: LayersModel, inputs: Tensor[]): Promise<number[][]> {
  // In a scope: run() also makes the masks (Embedding, Masking), which the scope frees.
  const outs = tidy(() => model.run(inputs, false));
  const values = await Promise.all(outs.map(async (t) => Array.from(await t.data())));
  for (const t of outs) t.dispose();
  return values;
}

/** Saves, goes through JSON text as a file would, and loads. */
function roundTrip(model: LayersModel): { json: Record<string, unknown>; loaded: LayersModel } {
  const json = JSON.parse(JSON.stringify(modelToTopology(model))) as Record<string, unknown>;
  return { json, loaded: modelFromTopology(json, 'model.json') };
}

describe('topology: every registered layer round-trips', () => {
  beforeEach(() => resetLayerNames());

  it('has a case for every registered layer class', () => {
    const missing = layerRegistry.names().filter((name) => !(name in LAYER_CASES));
    expect(missing, 'add a case to topology-cases.ts').to.deep.equal([]);
  });

  for (const className of Object.keys(LAYER_CASES)) {
    it(`${className}: same config, same predictions with the same weights`, async () => {
      const before = memory().numTensors;
      const { model, inputs } = caseModel(className);
      const { json, loaded } = roundTrip(model);
      expect(loaded.getLayer('under_test').className).to.equal(className);
      expect(modelToTopology(loaded)).to.deep.equal(json);
      expect(loaded.getLayer('under_test').getConfig()).to.deep.equal(model.getLayer('under_test').getConfig());
      const weights = model.getWeights();
      loaded.setWeights(weights);
      for (const w of weights) w.dispose();
      const [expected, actual] = [await outputs(model, inputs), await outputs(loaded, inputs)];
      expect(actual.length).to.equal(expected.length);
      actual.forEach((a, i) => expectClose(a, expected[i]!, { atol: 1e-6, rtol: 1e-6 }, `${className} output ${i}`));
      model.dispose();
      loaded.dispose();
      for (const t of inputs) t.dispose();
      expect(memory().numTensors).to.equal(before);
    });
  }
});
