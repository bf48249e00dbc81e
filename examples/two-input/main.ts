// A functional model with two inputs: 6 numeric features and a store id (one of 10 categories,
// looked up in an embedding), concatenated and fed to dense layers to predict whether a sale
// happens. The synthetic target depends on both inputs, so neither alone is enough.
import * as st from 'strata';
import { normal, rng } from '../shared/random.js';

const info = await st.ready();
console.log(`engine: ${info.name} (chosen by ${info.file ?? info.source})`);

const FEATURES = 6;
const STORES = 10;
const next = rng(7);
const gauss = normal(next);
const weights = [1.5, -2, 1, 0.5, -1, 0];
const storeEffect = [-2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, -2, 2, 0];

function makeData(n: number): { numeric: st.Tensor; store: st.Tensor; label: st.Tensor } {
  const numeric = new Float32Array(n * FEATURES);
  const store = new Int32Array(n);
  const label = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let j = 0; j < FEATURES; j++) {
      const v = gauss();
      numeric[i * FEATURES + j] = v;
      score += weights[j]! * v;
    }
    store[i] = Math.floor(next() * STORES);
    score += storeEffect[store[i]!]! + 0.3 * gauss();
    label[i] = score > 0 ? 1 : 0;
  }
  return { numeric: st.tensor(numeric, [n, FEATURES]), store: st.tensor(store, [n, 1], 'int32'), label: st.tensor(label, [n, 1]) };
}

const train = makeData(4000);
const test = makeData(1000);

const numericIn = st.input({ shape: [FEATURES], name: 'numeric' });
const storeIn = st.input({ shape: [1], dtype: 'int32', name: 'store' });
const storeVec = st.layers.flatten().apply(st.layers.embedding({ inputDim: STORES, outputDim: 4 }).apply(storeIn) as st.SymbolicTensor) as st.SymbolicTensor;
const joined = st.layers.concatenate().apply([numericIn, storeVec]) as st.SymbolicTensor;
const hidden = st.layers.dense({ units: 32, activation: 'relu' }).apply(joined) as st.SymbolicTensor;
const out = st.layers.dense({ units: 1, activation: 'sigmoid', name: 'sale' }).apply(hidden) as st.SymbolicTensor;
const model = st.model({ inputs: [numericIn, storeIn], outputs: out, name: 'two_input' });
// The optimizer instance belongs to us (disposed at the end); a name such as 'adam' would belong to the model.
const optimizer = st.optimizers.adam({ learningRate: 0.01 });
model.compile({ optimizer, loss: 'binary_crossentropy', metrics: ['accuracy'] });
model.summary();

// Inputs may be given as a list in input order, or keyed by input name as here.
const before = await model.evaluate({ numeric: test.numeric, store: test.store }, test.label, { batchSize: 500 });
await model.fit({ numeric: train.numeric, store: train.store }, train.label, { epochs: 10, batchSize: 64, verbose: 2 });
const after = await model.evaluate({ numeric: test.numeric, store: test.store }, test.label, { batchSize: 500 });
console.log(`test accuracy before training: ${before.accuracy!.toFixed(4)}`);
console.log(`test accuracy: ${after.accuracy!.toFixed(4)} (loss ${after.loss!.toFixed(4)})`);

st.dispose([...Object.values(train), ...Object.values(test)]);
model.dispose();
optimizer.dispose();
console.log(`live tensors at exit: ${st.memory().numTensors}`);
