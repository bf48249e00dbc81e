// An LSTM reads a noisy sequence and says whether its sum is positive: the answer depends on every
// step, so the network has to carry a running total in its state. Prints the loss and accuracy on
// held-out sequences before and after training.
import * as st from 'strata';
import { envInt } from '../shared/env.js';
import { normal, rng } from '../shared/random.js';

const info = await st.ready();
console.log(`engine: ${info.name} (chosen by ${info.file ?? info.source})`);

const STEPS = 12;
const next = rng(11);
const gauss = normal(next);

function makeData(n: number): { x: st.Tensor; y: st.Tensor } {
  const x = new Float32Array(n * STEPS);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < STEPS; t++) {
      const v = gauss();
      sum += v;
      x[i * STEPS + t] = v + 0.1 * gauss(); // the network sees the values with a little noise
    }
    y[i] = sum > 0 ? 1 : 0;
  }
  return { x: st.tensor(x, [n, STEPS, 1]), y: st.tensor(y, [n, 1]) };
}

const train = makeData(2000);
const test = makeData(500);

const model = st.sequential({
  layers: [
    st.layers.lstm({ units: 16, inputShape: [STEPS, 1] }),
    st.layers.dense({ units: 1, activation: 'sigmoid' }),
  ],
});
model.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
model.summary();

const before = await model.evaluate(test.x, test.y, { batchSize: 500 });
console.log(`before training: loss ${before.loss!.toFixed(4)}, accuracy ${before.accuracy!.toFixed(4)}`);
const epochs = envInt('EPOCHS', 8);
await model.fit(train.x, train.y, { epochs, batchSize: 64, verbose: 2 });
const after = await model.evaluate(test.x, test.y, { batchSize: 500 });
console.log(`after training: loss ${after.loss!.toFixed(4)}, accuracy ${after.accuracy!.toFixed(4)}`);

st.dispose([train.x, train.y, test.x, test.y]);
model.dispose();
console.log(`live tensors at exit: ${st.memory().numTensors}`);
