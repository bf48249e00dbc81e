// Fashion-MNIST with a multilayer perceptron: 784-256-128-10 (relu, relu, softmax), Adam and
// sparse categorical cross-entropy, on the real 60k/10k IDX files from Debian's
// dataset-fashion-mnist package. EPOCHS (default 3) sets the number of epochs.
import * as st from 'strata';
import { envInt } from '../shared/env.js';
import { loadFashionMnist } from '../shared/idx.js';
import { epochTimer } from '../shared/timing.js';

const info = await st.ready();
console.log(`engine: ${info.name} (chosen by ${info.file ?? info.source})`);
const epochs = envInt('EPOCHS', 3);

const { xTrain, yTrain, xTest, yTest } = loadFashionMnist();
console.log(`train: ${xTrain.shape[0]} images, test: ${xTest.shape[0]} images`);

const model = st.sequential({
  layers: [
    st.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
    st.layers.dense({ units: 128, activation: 'relu' }),
    st.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
// An optimizer passed as an instance belongs to the caller (its slots are disposed below); pass
// 'adam' instead to let the model own it.
const optimizer = st.optimizers.adam();
model.compile({ optimizer, loss: st.losses.sparseCategoricalCrossentropy, metrics: ['accuracy'] });
model.summary();

const timer = epochTimer();
await model.fit(xTrain, yTrain, { epochs, batchSize: 128, verbose: 1, callbacks: [timer.callback] });
const { accuracy, loss } = await model.evaluate(xTest, yTest, { batchSize: 512 });
console.log(`test loss: ${loss!.toFixed(4)}`);
console.log(`test accuracy: ${accuracy!.toFixed(4)}`);
console.log(`seconds per epoch: ${timer.mean().toFixed(2)} (${timer.seconds.map((s) => s.toFixed(2)).join(', ')})`);

st.dispose([xTrain, yTrain, xTest, yTest]);
model.dispose();
optimizer.dispose();
console.log(`live tensors at exit: ${st.memory().numTensors}`);
