// Fashion-MNIST with a small convnet on [28, 28, 1] images: conv 32 - max pool - conv 64 - max pool
// - dense 128 - dense 10 (softmax). To finish in a few minutes on a laptop's CPU it trains on the
// first TRAIN_SAMPLES images (default 12000) for EPOCHS epochs (default 1), then evaluates on the
// full 10k test set.
import * as st from 'strata';
import { envInt } from '../shared/env.js';
import { loadFashionMnist } from '../shared/idx.js';
import { epochTimer } from '../shared/timing.js';

const info = await st.ready();
console.log(`engine: ${info.name} (chosen by ${info.file ?? info.source})`);
const epochs = envInt('EPOCHS', 1);
const trainSamples = envInt('TRAIN_SAMPLES', 12000);
const testSamples = envInt('TEST_SAMPLES', 10000);

const { xTrain, yTrain, xTest, yTest } = loadFashionMnist({ imageShape: [28, 28, 1], trainLimit: trainSamples, testLimit: testSamples });
console.log(`train: ${xTrain.shape[0]} images, test: ${xTest.shape[0]} images`);

const model = st.sequential({
  layers: [
    st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.flatten(),
    st.layers.dense({ units: 128, activation: 'relu' }),
    st.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
model.summary();

const timer = epochTimer();
await model.fit(xTrain, yTrain, { epochs, batchSize: 64, verbose: 1, callbacks: [timer.callback] });
const { accuracy, loss } = await model.evaluate(xTest, yTest, { batchSize: 256 });
console.log(`test loss: ${loss!.toFixed(4)}`);
console.log(`test accuracy: ${accuracy!.toFixed(4)}`);
console.log(`seconds per epoch: ${timer.mean().toFixed(2)} (${timer.seconds.map((s) => s.toFixed(2)).join(', ')}) on ${xTrain.shape[0]} samples`);

st.dispose([xTrain, yTrain, xTest, yTest]);
model.dispose();
console.log(`live tensors at exit: ${st.memory().numTensors}`);
