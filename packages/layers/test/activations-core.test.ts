import { expect } from 'chai';
import { grad, memory, relu, square, tensor, type Tensor } from '@strata/core';
import { activationName, activationRegistry, activations, getActivation, registerActivation, type ActivationFn } from '../src/activations/index.js';

async function read(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data(), Number);
  t.dispose();
  return v;
}

/** erf in float64: Taylor series near 0, the asymptotic erfc series far out (both well under 1e-12 here). */
function erf(z: number): number {
  const a = Math.abs(z);
  if (a < 3) {
    let term = a;
    let total = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      total += term / (2 * n + 1);
    }
    return Math.sign(z) * (2 / Math.sqrt(Math.PI)) * total;
  }
  let series = 1;
  let term = 1;
  for (let n = 1; n < 6; n++) {
    term *= -(2 * n - 1) / (2 * a * a);
    series += term;
  }
  return Math.sign(z) * (1 - (Math.exp(-a * a) / (a * Math.sqrt(Math.PI))) * series);
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Float64 references from the Keras / TF.js formulas. */
const elementwise: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  gelu_new: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  sigmoid,
  hard_sigmoid: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
  tanh: Math.tanh,
  softplus,
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(softplus(x)),
  exponential: Math.exp,
  leaky_relu: (x) => (x > 0 ? x : 0.2 * x),
};

const INPUTS = [-6.5, -3, -2.5, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2.5, 3, 6.5];

function expectClose(got: number[], expected: number[], label: string): void {
  expect(got.length, label).to.equal(expected.length);
  got.forEach((v, i) => expect(v, `${label} at ${INPUTS[i] ?? i}`).to.be.closeTo(expected[i], 2e-6 * Math.max(1, Math.abs(expected[i]))));
}

/** Softmax (or log-softmax) over the last axis of a row-major tensor, in float64. */
function softmaxRef(values: number[], last: number, log = false): number[] {
  const out: number[] = [];
  for (let r = 0; r < values.length; r += last) {
    const row = values.slice(r, r + last);
    const m = Math.max(...row);
    const total = row.reduce((s, v) => s + Math.exp(v - m), 0);
    for (const v of row) out.push(log ? v - m - Math.log(total) : Math.exp(v - m) / total);
  }
  return out;
}

describe('activations: values', () => {
  for (const [name, ref] of Object.entries(elementwise)) {
    it(`${name} matches its float64 formula`, async () => {
      const x = tensor(INPUTS);
      expectClose(await read(getActivation(name)(x)), INPUTS.map(ref), name);
      x.dispose();
    });
  }

  it('hard_sigmoid follows TF.js (0.2 x + 0.5), not Keras 3 (x / 6 + 0.5)', async () => {
    const x = tensor([1, -1]);
    expect(await read(activations.hardSigmoid(x))).to.deep.equal([Math.fround(0.7), Math.fround(0.3)]);
    x.dispose();
  });

  it('softmax and log_softmax work along the last axis of rank 1, 2 and 3 inputs', async () => {
    const v3 = [0.5, -1, 2, 3, 0, 0, 1, -2, 4, 1, 1, 1, -3, 2, 0.25, 5, 1.5, -0.5, 2, 2, 0, 7, -1, 1];
    const cases: [number[], number[]][] = [[[1, 2, 3], [3]], [v3.slice(0, 8), [2, 4]], [v3, [2, 3, 4]], [v3, [2, 4, 3]]];
    for (const [values, shape] of cases) {
      const x = tensor(values, shape);
      const last = shape[shape.length - 1];
      const y = getActivation('softmax')(x);
      expect(y.shape).to.deep.equal(shape);
      const got = await read(y);
      got.forEach((v, i) => expect(v).to.be.closeTo(softmaxRef(values, last)[i], 1e-6));
      const lg = await read(getActivation('log_softmax')(x));
      lg.forEach((v, i) => expect(v).to.be.closeTo(softmaxRef(values, last, true)[i], 2e-6));
      x.dispose();
    }
  });

  it('linear returns an independent handle on the same values', async () => {
    const x = tensor([1, -2, 3]);
    const y = activations.linear(x);
    expect(y).to.not.equal(x);
    x.dispose();
    expect(await read(y)).to.deep.equal([1, -2, 3]);
  });

  it('gradients flow through the composite gelu_new', async () => {
    const xs = [-2, -0.5, 0.3, 1.7];
    const g = await read(grad(activations.geluNew)(tensor(xs)));
    const h = 1e-5;
    xs.forEach((x, i) => {
      const fd = (elementwise.gelu_new(x + h) - elementwise.gelu_new(x - h)) / (2 * h);
      expect(g[i]).to.be.closeTo(fd, 1e-5);
    });
  });

  it('does not leak', () => {
    const x = tensor([[0.5, -1, 2], [3, 0, -4]]);
    const before = memory().numTensors;
    for (const name of activationRegistry.names()) getActivation(name)(x).dispose();
    expect(memory().numTensors).to.equal(before);
    x.dispose();
  });
});

describe('activations: names', () => {
  const camel: Record<string, string> = {
    linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', gelu: 'gelu', geluNew: 'gelu_new',
    sigmoid: 'sigmoid', hardSigmoid: 'hard_sigmoid', tanh: 'tanh', softmax: 'softmax', logSoftmax: 'log_softmax',
    softplus: 'softplus', softsign: 'softsign', swish: 'swish', silu: 'swish', mish: 'mish', exponential: 'exponential',
    leakyRelu: 'leaky_relu',
  };

  it('accepts snake_case and camelCase names; activationName gives the saved (Keras) name', () => {
    for (const [key, saved] of Object.entries(camel)) {
      const fn = activations[key as keyof typeof activations];
      expect(getActivation(key), key).to.equal(fn);
      expect(getActivation(saved), saved).to.equal(fn);
      expect(activationName(fn), key).to.equal(saved);
      expect(getActivation(activationName(fn))).to.equal(fn);
    }
    expect(getActivation('silu')).to.equal(activations.swish);
    expect(getActivation('LeakyRelu')).to.equal(activations.leakyRelu);
    expect(getActivation({ className: 'relu' })).to.equal(activations.relu);
    expect(activationRegistry.names()).to.include.members([
      'elu', 'exponential', 'gelu', 'gelu_new', 'hard_sigmoid', 'leaky_relu', 'linear', 'log_softmax', 'mish', 'relu', 'relu6',
      'selu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'swish', 'tanh',
    ]);
  });

  it('null and undefined mean linear; functions pass through', () => {
    expect(getActivation(null)).to.equal(activations.linear);
    expect(getActivation(undefined)).to.equal(activations.linear);
    const custom: ActivationFn = (x) => square(x);
    expect(getActivation(custom)).to.equal(custom);
  });

  it('custom activations register, resolve and round-trip by name', async () => {
    const squareRelu: ActivationFn = (x) => square(relu(x));
    registerActivation('square_relu_test', squareRelu, ['srelu_test']);
    expect(getActivation('squareReluTest')).to.equal(squareRelu);
    expect(getActivation('srelu_test')).to.equal(squareRelu);
    expect(activationName(squareRelu)).to.equal('square_relu_test');
    registerActivation('square_relu_test', squareRelu); // registering the same function again is harmless
    const x = tensor([-1, 2]);
    expect(await read(getActivation('square_relu_test')(x))).to.deep.equal([0, 4]);
    x.dispose();
  });

  it('errors name what went wrong, the received value and the fix', () => {
    expect(() => getActivation('rellu')).to.throw(/^Unknown activation "rellu"\. Known activations: elu, exponential, gelu, .*relu, relu6, .*tanh\.$/);
    expect(() => getActivation(3 as never)).to.throw(/Expected an activation: a name \(one of elu, .*\), a \{ className, config \} object, or an instance; received number 3\./);
    const anon: ActivationFn = (x) => square(x);
    expect(() => activationName(anon)).to.throw(/^activationName: function anon is not a registered activation, so it cannot be saved by name; register it first with registerActivation\('my_activation', fn\), or use one of elu, /);
    expect(() => registerActivation('relu', (x) => square(x))).to.throw(/^registerActivation: the name "relu" is already registered to another activation; choose another name\. Registered: elu, /);
    expect(() => registerActivation('LeakyRelu', (x) => square(x))).to.throw(/the name "LeakyRelu" is already registered/);
    expect(() => registerActivation('', (x) => x)).to.throw("registerActivation: argument 'name' must be a non-empty string; received an empty string.");
    expect(() => registerActivation('nope', 5 as never)).to.throw("registerActivation: argument 'fn' for \"nope\" must be a function (x: Tensor) => Tensor; received number.");
  });
});
