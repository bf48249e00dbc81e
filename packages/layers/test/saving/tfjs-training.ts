import { randomValues } from '@strata/conformance';
import { optimizers, type Optimizer } from '../../src/index.js';
import { tf, tfl } from './tfjs-setup.js';
import type { FixtureArray } from './tfjs-fixtures.js';

// The TF.js side of the training-parity tests: two small models, seeded data, TF.js's optimizers
// with the settings the tests compare, and the steps both libraries run.

/** A model to train in both libraries, with its data and loss. */
export interface TrainingCase {
  name: string;
  build(): tfl.LayersModel;
  /** TF.js's loss name (camelCase, as `compile` takes it). */
  loss: string;
  x: FixtureArray;
  y: FixtureArray;
}

const SAMPLES = 8;

function oneHot(n: number, classes: number, seed: number): Float32Array {
  const out = new Float32Array(n * classes);
  randomValues(n, seed, 0, classes).forEach((v, i) => (out[i * classes + Math.min(classes - 1, Math.floor(v))] = 1));
  return out;
}

/**
 * The training-parity models: an MLP with a softmax head under categorical crossentropy, and a
 * Conv1D → BatchNormalization → LSTM → Dense regressor under mean squared error (batch statistics
 * and moving averages, TF.js's hard_sigmoid LSTM gates, gradients through time). No dropout: its
 * masks come from each library's own generator.
 *
 * @example
 * const [mlp] = trainingCases();
 */
export function trainingCases(): TrainingCase[] {
  const { layers: L } = tfl;
  return [
    {
      name: 'MLP (Dense tanh, Dense softmax; categorical crossentropy)',
      build: () => tfl.sequential({ layers: [L.dense({ units: 5, activation: 'tanh', inputShape: [4] }), L.dense({ units: 3, activation: 'softmax' })] }),
      loss: 'categoricalCrossentropy',
      x: { values: randomValues(SAMPLES * 4, 101, -2, 2), shape: [SAMPLES, 4], dtype: 'float32' },
      y: { values: oneHot(SAMPLES, 3, 102), shape: [SAMPLES, 3], dtype: 'float32' },
    },
    {
      name: 'Conv1D, BatchNormalization, LSTM, Dense (mean squared error)',
      build: () => tfl.sequential({
        layers: [
          L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 3] }),
          L.batchNormalization({}), L.lstm({ units: 3 }), L.dense({ units: 2 }),
        ],
      }),
      loss: 'meanSquaredError',
      x: { values: randomValues(SAMPLES * 18, 103), shape: [SAMPLES, 6, 3], dtype: 'float32' },
      y: { values: randomValues(SAMPLES * 2, 104), shape: [SAMPLES, 2], dtype: 'float32' },
    },
  ];
}

/** One optimizer setting, in TF.js and in Strata. */
export interface OptimizerCase {
  name: string;
  tfjs(): tf.Optimizer;
  /** The same optimizer for Strata's `compile`. */
  strata(): Optimizer;
  /** Largest allowed difference of any weight after the steps, and why it is that large. */
  tolerance: { atol: number; rtol: number; why: string };
}

const FLOAT_ROUNDING = 'float32 rounding in different summation orders, grown over the steps';
const ROUNDING = { atol: 1e-5, rtol: 1e-5, why: FLOAT_ROUNDING };

/**
 * Adam's epsilon. TF.js updates `w -= lr * mHat / (sqrt(vHat) + eps)` with the bias-corrected
 * moments; Keras 3 (and Strata) update `w -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)`,
 * which is TF.js's formula with `eps / sqrt(1 - beta2^t)` in place of `eps` — 31.6 eps at step 1,
 * 12 eps at step 7 for beta2 0.999. Per step the updates then differ by at most
 * `lr * (eps / sqrt(1 - beta2^t) - eps) / sqrt(vHat)` (times `|mHat| / sqrt(vHat)`, about 1), and
 * over the 7 steps here by about `127 * lr * eps / |g|`: 1.3e-7 / |g| for lr 0.01 and eps 1e-7.
 * The LSTM's kernel has gradients near 1e-3 and ends 1.5e-4 apart; 5e-4 holds while every
 * gradient stays above 2.5e-4 in size. With eps 1e-10 the placement falls below float32 rounding,
 * and that case (same models, same steps) holds to the ordinary 1e-5, which pins everything else.
 */
export const ADAM_EPSILON_TOLERANCE = { atol: 5e-4, rtol: 0, why: "epsilon placement (TF.js: sqrt(vHat) + eps, Keras 3: sqrt(v) + eps; see ADAM_EPSILON_TOLERANCE's note)" };

/**
 * The optimizer settings compared: sgd with and without (Nesterov) momentum, adam, rmsprop with
 * and without momentum, centered rmsprop. The notes say where TF.js's formulas differ from Keras 3's.
 *
 * @example
 * for (const o of optimizerCases()) model.compile({ optimizer: o.tfjs(), loss: 'meanSquaredError' });
 */
export function optimizerCases(): OptimizerCase[] {
  return [
    // TF.js's MomentumOptimizer keeps `acc = momentum * acc + g; w -= lr * acc`, Keras 3's SGD
    // `v = momentum * v - lr * g; w += v`: the same weights while the learning rate is constant.
    { name: 'sgd', tfjs: () => tf.train.sgd(0.1), strata: () => optimizers.sgd({ learningRate: 0.1 }), tolerance: ROUNDING },
    { name: 'sgd with momentum 0.9', tfjs: () => tf.train.momentum(0.1, 0.9), strata: () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), tolerance: ROUNDING },
    {
      name: 'sgd with Nesterov momentum 0.5',
      tfjs: () => tf.train.momentum(0.1, 0.5, true),
      strata: () => optimizers.sgd({ learningRate: 0.1, momentum: 0.5, nesterov: true }),
      tolerance: ROUNDING,
    },
    {
      name: 'adam, epsilon 1e-7',
      tfjs: () => tf.train.adam(0.01, 0.9, 0.999, 1e-7),
      strata: () => optimizers.adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
      tolerance: ADAM_EPSILON_TOLERANCE,
    },
    {
      name: 'adam, epsilon 1e-10 (where epsilon goes no longer matters)',
      tfjs: () => tf.train.adam(0.01, 0.9, 0.999, 1e-10),
      strata: () => optimizers.adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-10 }),
      tolerance: ROUNDING,
    },
    // Not centered, TF.js's RMSProp is Keras 3's: `lr * g / sqrt(ms + eps)` (epsilon under the root).
    { name: 'rmsprop', tfjs: () => tf.train.rmsprop(0.01), strata: () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 }), tolerance: ROUNDING },
    {
      name: 'rmsprop with momentum 0.5',
      tfjs: () => tf.train.rmsprop(0.01, 0.9, 0.5),
      strata: () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7 }),
      tolerance: ROUNDING,
    },
    {
      // TF.js 4.22's centered RMSProp takes sqrt(ms - (mg^2 + epsilon)): epsilon is subtracted, so a
      // gradient below about 1e-3 gives the root of a negative number and NaN weights (it does on
      // the Conv1D model at its first step). Keras 3 (and Strata) take sqrt(ms - mg^2 + epsilon).
      // With epsilon 0 both compute sqrt(ms - mg^2), which is what is compared.
      name: 'rmsprop centered, momentum 0.5, epsilon 0 (TF.js subtracts epsilon when centered)',
      tfjs: () => tf.train.rmsprop(0.01, 0.9, 0.5, 0, true),
      strata: () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 0, centered: true }),
      tolerance: ROUNDING,
    },
  ];
}

/** The steps both libraries take: three `trainOnBatch` on all samples, then `fit` for 2 epochs of batches of 4, unshuffled. */
export const STEPS = { onBatch: 3, epochs: 2, batchSize: 4 } as const;

/**
 * Runs {@link STEPS} in TF.js on a compiled model.
 *
 * @example
 * await trainTfjs(model, c.x, c.y);
 */
export async function trainTfjs(model: tfl.LayersModel, x: FixtureArray, y: FixtureArray): Promise<void> {
  const xs = tf.tensor(x.values, x.shape);
  const ys = tf.tensor(y.values, y.shape);
  try {
    for (let i = 0; i < STEPS.onBatch; i++) await model.trainOnBatch(xs, ys);
    await model.fit(xs, ys, { epochs: STEPS.epochs, batchSize: STEPS.batchSize, shuffle: false, verbose: 0 });
  } finally {
    tf.dispose([xs, ys]);
  }
}

/**
 * Every weight of a TF.js model by its saved name (`dense_Dense1/kernel`), read back.
 *
 * @example
 * const w = await tfjsWeights(model);
 */
export async function tfjsWeights(model: tfl.LayersModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const w of model.weights) out.set(w.originalName, (await w.read().data()) as Float32Array);
  return out;
}
