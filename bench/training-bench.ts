/**
 * Training bench: Strata's layers API (`strata`, cpu engine) against TF.js (tfjs-core +
 * tfjs-layers on the plain-JS cpu backend) doing the same work in the same process. Both models
 * start from the same weights (Strata's glorot-uniform draw, copied into the TF.js model), and see
 * the same random data of the Fashion-MNIST shape; the figures are throughput, not accuracy.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import * as st from 'strata';
import type { loadTfjsCpu } from './tfjs.js';
import { seededValues } from './timing.js';

type Tf = Awaited<ReturnType<typeof loadTfjsCpu>>;

/** One row of the training table: a figure for each library, and how Strata compares. */
export interface TrainingRow {
  label: string;
  unit: string;
  strata: number;
  tfjs: number;
  /** How many times better Strata is (higher is better for both units, via the right division). */
  ratio: number;
  note: string;
}

const CLASSES = 10;

/**
 * Labels 0..9 from a fixed seed, as float32 (both libraries cast sparse labels themselves).
 *
 * @example
 * const ys = seededLabels(128, 12);
 */
export function seededLabels(n: number, seed: number): Float32Array {
  return Float32Array.from(seededValues(n, seed), (v) => Math.min(CLASSES - 1, Math.floor((v + 1) * 5)));
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Copies the Strata model's weights (same order and shapes as Keras/TF.js) into the TF.js model. */
function copyWeights(tf: Tf, from: st.LayersModel, to: tfl.LayersModel): void {
  const values = from.getWeights();
  const tensors = values.map((w) => tf.tensor(w.dataSync() as Float32Array, [...w.shape]));
  to.setWeights(tensors);
  tf.dispose(tensors);
  st.dispose(values);
}

/**
 * The MLP both training benches use: 784-256-128-10, relu, softmax, adam, sparse categorical crossentropy.
 *
 * @example
 * const model = strataMlp();
 */
export function strataMlp(): st.LayersModel {
  const m = st.sequential();
  m.add(st.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }));
  m.add(st.layers.dense({ units: 128, activation: 'relu' }));
  m.add(st.layers.dense({ units: CLASSES, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/**
 * The same MLP as `strataMlp` in tfjs-layers, on whichever TF.js backend is active.
 *
 * @example
 * const model = tfjsMlp();
 */
export function tfjsMlp(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ units: 256, activation: 'relu', inputShape: [784], kernelInitializer: 'glorotUniform' }));
  m.add(tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'glorotUniform' }));
  m.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

function strataCnn(): st.LayersModel {
  const m = st.sequential();
  m.add(st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  m.add(st.layers.maxPooling2d({ poolSize: 2 }));
  m.add(st.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  m.add(st.layers.maxPooling2d({ poolSize: 2 }));
  m.add(st.layers.flatten());
  m.add(st.layers.dense({ units: 128, activation: 'relu' }));
  m.add(st.layers.dense({ units: CLASSES, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

function tfjsCnn(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], kernelInitializer: 'glorotUniform' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: 'glorotUniform' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'glorotUniform' }));
  m.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/**
 * Runs the training figures: (a) MLP fit throughput, (b) CNN trainOnBatch throughput (plus
 * Strata's own fit epoch), (c) MLP batch-1 predict latency. Takes about 100 s on a 2-core machine, most of it TF.js's CNN batch.
 *
 * @example
 * const rows = await benchTraining(await loadTfjsCpu());
 */
export async function benchTraining(tf: Tf): Promise<TrainingRow[]> {
  await st.ready({ engine: 'cpu', seed: 1 });
  const rows: TrainingRow[] = [];
  const liveBefore = st.memory().numTensors;

  // ---- (a) MLP 784-256-128-10, adam, batch 128: one warm-up epoch, then one timed epoch each.
  {
    const n = 2048, batchSize = 128;
    const xv = seededValues(n * 784, 11), yv = seededLabels(n, 12);
    const sx = st.tensor(xv, [n, 784]), sy = st.tensor(yv, [n, 1]);
    const tx = tf.tensor(xv, [n, 784]), ty = tf.tensor(yv, [n, 1]);
    const sm = strataMlp(), tm = tfjsMlp();
    copyWeights(tf, sm, tm);
    const fitArgs = { epochs: 1, batchSize, verbose: 0 as const };
    // Warm-up: a full epoch for Strata (about 2 s); TF.js's epoch takes ~10 s on a small machine,
    // so it warms up on 2 batches (its cpu backend has no compile step; that warms the JS JIT).
    const warm = 2 * batchSize;
    const txw = tf.slice(tx, [0, 0], [warm, 784]), tyw = tf.slice(ty, [0, 0], [warm, 1]);
    await sm.fit(sx, sy, fitArgs);
    await tm.fit(txw, tyw, fitArgs);
    tf.dispose([txw, tyw]);
    const sMs = await timeAsync(() => sm.fit(sx, sy, fitArgs));
    const tMs = await timeAsync(() => tm.fit(tx, ty, fitArgs));
    const s = n / (sMs / 1000), t = n / (tMs / 1000);
    rows.push({ label: `MLP fit, batch ${batchSize} (${n} samples)`, unit: 'samples/s', strata: s, tfjs: t, ratio: s / t, note: '1 timed epoch each, after warm-up' });

    // Per-step cost at a tiny batch, where the arithmetic is negligible and overhead dominates.
    const small = 16, steps = 16;
    const sxs = st.slice(sx, [0, 0], [small * steps, 784]), sys = st.slice(sy, [0, 0], [small * steps, 1]);
    const txs = tf.slice(tx, [0, 0], [small * steps, 784]), tys = tf.slice(ty, [0, 0], [small * steps, 1]);
    const smallArgs = { epochs: 1, batchSize: small, verbose: 0 as const };
    const sStep = (await timeAsync(() => sm.fit(sxs, sys, smallArgs))) / steps;
    const tStep = (await timeAsync(() => tm.fit(txs, tys, smallArgs))) / steps;
    rows.push({ label: `MLP fit, batch ${small}: ms per step`, unit: 'ms/step', strata: sStep, tfjs: tStep, ratio: tStep / sStep, note: `${steps} steps` });

    // ---- (c) MLP batch-1 predict latency (predictOnBatch + reading the result), interleaved.
    const x1 = seededValues(784, 13);
    const s1 = st.tensor(x1, [1, 784]), t1 = tf.tensor(x1, [1, 784]);
    const predictS = () => {
      const p = sm.predictOnBatch(s1) as st.Tensor;
      p.dataSync();
      p.dispose();
    };
    const predictT = () => {
      const p = tm.predictOnBatch(t1) as ReturnType<typeof tf.tensor>;
      p.dataSync();
      p.dispose();
    };
    for (let i = 0; i < 50; i++) {
      predictS();
      predictT();
    }
    const ps: number[] = [], pt: number[] = [];
    for (let i = 0; i < 500; i++) {
      let t0 = performance.now();
      predictS();
      ps.push(performance.now() - t0);
      t0 = performance.now();
      predictT();
      pt.push(performance.now() - t0);
    }
    const sLat = median(ps), tLat = median(pt);
    rows.push({ label: 'MLP predictOnBatch, batch 1', unit: 'ms (median)', strata: sLat, tfjs: tLat, ratio: tLat / sLat, note: '500 calls' });

    // model.predict (async, batched API) on one sample: what a serving loop awaiting predict pays.
    const aps: number[] = [], apt: number[] = [];
    for (let i = 0; i < 200; i++) {
      let t0 = performance.now();
      const p = (await sm.predict(s1)) as st.Tensor;
      await p.data();
      aps.push(performance.now() - t0);
      p.dispose();
      t0 = performance.now();
      const q = tm.predict(t1) as ReturnType<typeof tf.tensor>;
      await q.data();
      apt.push(performance.now() - t0);
      q.dispose();
    }
    const sA = median(aps.slice(20)), tA = median(apt.slice(20));
    rows.push({ label: 'MLP predict(), batch 1', unit: 'ms (median)', strata: sA, tfjs: tA, ratio: tA / sA, note: '180 calls' });

    st.dispose([sx, sy, sxs, sys, s1]);
    tf.dispose([tx, ty, txs, tys, t1]);
    sm.dispose();
    tm.dispose();
  }

  // ---- (b) CNN on [28,28,1], batch 64: trainOnBatch for both (TF.js only a few batches, it is slow).
  {
    const batchSize = 64, n = batchSize * 4;
    const xv = seededValues(n * 784, 21), yv = seededLabels(n, 22);
    const sx = st.tensor(xv, [n, 28, 28, 1]), sy = st.tensor(yv, [n, 1]);
    const sm = strataCnn(), tm = tfjsCnn();
    copyWeights(tf, sm, tm);
    const bx = xv.subarray(0, batchSize * 784), by = yv.subarray(0, batchSize);
    const sbx = st.tensor(bx, [batchSize, 28, 28, 1]), sby = st.tensor(by, [batchSize, 1]);
    const tbx = tf.tensor(bx, [batchSize, 28, 28, 1]), tby = tf.tensor(by, [batchSize, 1]);
    // TF.js's cpu backend needs about a minute for one batch of 64 here (its conv backprop is
    // naive loops), so it warms up on a 4-sample batch and times a single batch of 64.
    const wx = tf.slice(tbx, [0, 0, 0, 0], [4, 28, 28, 1]), wy = tf.slice(tby, [0, 0], [4, 1]);
    await sm.trainOnBatch(sbx, sby);
    await tm.trainOnBatch(wx, wy);
    tf.dispose([wx, wy]);
    const sMs: number[] = [];
    for (let r = 0; r < 5; r++) sMs.push(await timeAsync(() => sm.trainOnBatch(sbx, sby)));
    const tMs = await timeAsync(() => tm.trainOnBatch(tbx, tby));
    const s = batchSize / (median(sMs) / 1000), t = batchSize / (tMs / 1000);
    rows.push({ label: `CNN trainOnBatch, batch ${batchSize}`, unit: 'samples/s', strata: s, tfjs: t, ratio: s / t, note: `strata median of ${sMs.length}, tfjs 1 batch` });

    // Strata's fit over a few batches, for the loop's own cost against trainOnBatch (no TF.js figure).
    const fitArgs = { epochs: 1, batchSize, verbose: 0 as const };
    const fitMs = await timeAsync(() => sm.fit(sx, sy, fitArgs));
    const sf = n / (fitMs / 1000);
    rows.push({ label: `CNN fit, batch ${batchSize} (${n} samples)`, unit: 'samples/s', strata: sf, tfjs: t, ratio: sf / t, note: 'tfjs figure: trainOnBatch above' });

    st.dispose([sx, sy, sbx, sby]);
    tf.dispose([tbx, tby]);
    sm.dispose();
    tm.dispose();
  }

  const leaked = st.memory().numTensors - liveBefore;
  if (leaked !== 0) console.log(`(strata: ${leaked} tensor(s) left alive by the training bench)`);
  return rows;
}
