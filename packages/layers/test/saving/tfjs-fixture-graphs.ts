import { tfl } from './tfjs-setup.js';
import type { TfjsFixture } from './tfjs-fixtures.js';

// Functional topologies built in TF.js: every merge layer TF.js has (it has no Subtract), shared
// layers (several inbound nodes), nested models (a model used as a layer), several inputs and
// outputs, and files in the variants TF.js writes (optimizer state, the browser's weights path).

type Sym = tfl.SymbolicTensor;
const { layers: L } = tfl;
const apply = (layer: { apply(x: Sym | Sym[]): unknown }, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

/** Two inputs `[3]`, each through its own Dense(4), merged by `merge`, then a Dense(2) head. */
function twoBranches(merge: { apply(x: Sym[]): unknown }): tfl.LayersModel {
  const a = tfl.input({ shape: [3], name: 'in_a' });
  const b = tfl.input({ shape: [3], name: 'in_b' });
  const m = merge.apply([apply(L.dense({ units: 4 }), a), apply(L.dense({ units: 4, activation: 'tanh' }), b)]) as Sym;
  return tfl.model({ inputs: [a, b], outputs: apply(L.dense({ units: 2 }), m) });
}

const two = [{ shape: [3] }, { shape: [3] }];

const merges: TfjsFixture[] = [
  { name: 'Add', build: () => twoBranches(L.add()), inputs: two },
  { name: 'Multiply', build: () => twoBranches(L.multiply()), inputs: two },
  { name: 'Average', build: () => twoBranches(L.average()), inputs: two },
  { name: 'Maximum', build: () => twoBranches(L.maximum()), inputs: two },
  { name: 'Minimum', build: () => twoBranches(L.minimum()), inputs: two },
  { name: 'Concatenate', build: () => twoBranches(L.concatenate()), inputs: two },
  { name: 'Dot axes -1', build: () => twoBranches(L.dot({ axes: -1 })), inputs: two },
  { name: 'Dot normalize', build: () => twoBranches(L.dot({ axes: 1, normalize: true })), inputs: two },
  {
    name: 'Add of three inputs',
    build: () => {
      const xs = [0, 1, 2].map(() => tfl.input({ shape: [4] }));
      return tfl.model({ inputs: xs, outputs: apply(L.add(), xs) });
    },
    inputs: [{ shape: [4] }, { shape: [4] }, { shape: [4] }],
  },
  {
    name: 'Concatenate axis 1 of sequences',
    build: () => {
      const a = tfl.input({ shape: [2, 3] });
      const b = tfl.input({ shape: [4, 3] });
      return tfl.model({ inputs: [a, b], outputs: apply(L.concatenate({ axis: 1 }), [a, b]) });
    },
    inputs: [{ shape: [2, 3] }, { shape: [4, 3] }],
  },
  {
    name: 'Dot of sequences, axes [2, 2]',
    build: () => {
      const a = tfl.input({ shape: [3, 4] });
      const b = tfl.input({ shape: [5, 4] });
      return tfl.model({ inputs: [a, b], outputs: apply(L.dot({ axes: [2, 2] }), [a, b]) });
    },
    inputs: [{ shape: [3, 4] }, { shape: [5, 4] }],
  },
];

const graphs: TfjsFixture[] = [
  {
    name: 'Shared Dense on two inputs, two outputs',
    build: () => {
      const a = tfl.input({ shape: [3] });
      const b = tfl.input({ shape: [3] });
      const shared = L.dense({ units: 4, activation: 'relu' });
      const ha = apply(shared, a);
      const hb = apply(shared, b);
      const both = apply(L.concatenate(), [ha, hb]);
      return tfl.model({ inputs: [a, b], outputs: [apply(L.dense({ units: 2 }), both), apply(L.dense({ units: 1 }), hb)] });
    },
    inputs: two,
  },
  {
    name: 'Shared LSTM on two sequences',
    build: () => {
      const a = tfl.input({ shape: [4, 2] });
      const b = tfl.input({ shape: [4, 2] });
      const shared = L.lstm({ units: 3 });
      return tfl.model({ inputs: [a, b], outputs: apply(L.add(), [apply(shared, a), apply(shared, b)]) });
    },
    inputs: [{ shape: [4, 2] }, { shape: [4, 2] }],
  },
  {
    name: 'LSTM returnState: outputs, h and c',
    build: () => {
      const x = tfl.input({ shape: [5, 2] });
      const outs = L.lstm({ units: 3, returnSequences: true, returnState: true }).apply(x) as Sym[];
      return tfl.model({ inputs: x, outputs: outs });
    },
    inputs: [{ shape: [5, 2] }],
  },
  {
    name: 'Sequential model nested in a Functional model',
    build: () => {
      const inner = tfl.sequential({ layers: [L.dense({ units: 4, activation: 'relu', inputShape: [3] }), L.dense({ units: 3 })] });
      const x = tfl.input({ shape: [3] });
      return tfl.model({ inputs: x, outputs: apply(L.dense({ units: 2 }), apply(inner, x)) });
    },
    inputs: [{ shape: [3] }],
  },
  {
    name: 'Functional model nested in a Sequential model',
    build: () => {
      const x = tfl.input({ shape: [4] });
      const inner = tfl.model({ inputs: x, outputs: apply(L.dense({ units: 3, activation: 'tanh' }), x), name: 'inner_block' });
      return tfl.sequential({ layers: [inner as never, L.dense({ units: 2 })] });
    },
    inputs: [{ shape: [4] }],
  },
  {
    name: 'Nested model shared by two inputs',
    build: () => {
      const z = tfl.input({ shape: [3] });
      const inner = tfl.model({ inputs: z, outputs: apply(L.dense({ units: 2 }), z) });
      const a = tfl.input({ shape: [3] });
      const b = tfl.input({ shape: [3] });
      return tfl.model({ inputs: [a, b], outputs: apply(L.maximum(), [apply(inner, a), apply(inner, b)]) });
    },
    inputs: two,
  },
  {
    name: 'CNN: Conv2D, MaxPooling2D, BatchNormalization, Flatten, Dropout, Dense softmax',
    build: () => tfl.sequential({
      layers: [
        L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }), L.maxPooling2d({ poolSize: 2 }),
        L.batchNormalization({}), L.flatten(), L.dropout({ rate: 0.25 }), L.dense({ units: 3, activation: 'softmax' }),
      ],
    }),
    inputs: [{ shape: [8, 8, 1] }],
  },
  {
    name: 'Compiled model saved with includeOptimizer (trainingConfig and Adam state in the files)',
    build: () => {
      const m = tfl.sequential({ layers: [L.dense({ units: 3, activation: 'relu', inputShape: [4] }), L.dense({ units: 2, activation: 'softmax' })] });
      m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    },
    inputs: [{ shape: [4] }],
    save: { includeOptimizer: true },
  },
  {
    name: "Weights file named as TF.js's browser downloads name it (./model.weights.bin)",
    build: () => tfl.sequential({ layers: [L.dense({ units: 3, inputShape: [2] })] }),
    inputs: [{ shape: [2] }],
    save: { weightsPath: './model.weights.bin' },
  },
];

/**
 * The Functional-topology fixtures: merges, shared layers, nested models, file variants.
 *
 * @example
 * for (const f of GRAPH_FIXTURES) await generateFixture(f, dir, 1);
 */
export const GRAPH_FIXTURES: readonly TfjsFixture[] = [...merges, ...graphs];
