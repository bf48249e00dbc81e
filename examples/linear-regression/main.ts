// Fits y = 3x + 2 (plus noise) by gradient descent on two variables: tensors, autograd and
// memory management with the engine chosen by ./strata.config.json.
import * as st from 'strata';

const info = await st.ready();
console.log(`engine: ${info.name} (chosen by ${info.file ?? info.source})`);

const n = 256;
const x = st.uniform([n, 1], -1, 1);
const y = st.tidy(() => st.add(st.add(st.mul(x, 3), 2), st.normal([n, 1], 0, 0.1)));

// Variables outlive tidy, while the zeros they copy are freed with it.
const w = st.tidy(() => st.variable(st.zeros([1, 1]), true, 'w'));
const b = st.tidy(() => st.variable(st.zeros([1]), true, 'b'));
const learningRate = 0.5;

for (let step = 0; step <= 100; step++) {
  const loss = st.tidy(() => {
    const { value, grads } = st.variableGrads(() => st.mean(st.square(st.sub(st.add(st.matmul(x, w), b), y))));
    w.assign(st.sub(w, st.mul(grads.w!, learningRate)));
    b.assign(st.sub(b, st.mul(grads.b!, learningRate)));
    return value;
  });
  if (step % 20 === 0) console.log(`step ${String(step).padStart(3)}  loss ${((await loss.data())[0]!).toFixed(5)}`);
  loss.dispose();
}

const [wv] = await w.data();
const [bv] = await b.data();
console.log(`learned w = ${wv!.toFixed(3)}, b = ${bv!.toFixed(3)} (true: 3, 2)`);
st.dispose([x, y, w, b]);
console.log(`live tensors at exit: ${st.memory().numTensors}`);
