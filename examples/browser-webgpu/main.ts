// Trains a 2-16-1 MLP on the two-moons task in the page, on the engine named by `?engine=`
// (default webgpu), draws the loss curve after every epoch, and publishes the result on
// `window.strataResult` and in the page, where the e2e test reads it.
import * as st from 'strata';
import { drawLossCurve } from './loss-plot.js';
import { twoMoons } from './moons.js';

/** What the page publishes when training ends: the numbers, or why it failed. */
export type BrowserResult =
  | { done: true; engine: string; losses: number[]; accuracy: number; seconds: number; liveTensors: number }
  | { done: true; error: string };

declare global {
  interface Window {
    strataResult?: BrowserResult;
  }
}

const EPOCHS = 30;
const BATCH_SIZE = 32;
const TRAIN = 256;
const TEST = 256;

const $ = (id: string): HTMLElement => document.getElementById(id)!;
const canvas = $('loss') as HTMLCanvasElement;

async function train(engine: string): Promise<BrowserResult> {
  // Browsers read no config file: the engine comes from the URL, and engines other than cpu are
  // given as modules so the bundler sees the import (and loads it only when chosen).
  const info = await st.ready({ engine, seed: 42, engines: { webgpu: () => import('@strata/engine-webgpu') } });
  $('engine').textContent = info.name;

  const train = twoMoons(TRAIN, 0.15, 1);
  const test = twoMoons(TEST, 0.15, 2);
  const xTrain = st.tensor(train.points, [TRAIN, 2]);
  const yTrain = st.tensor(train.labels, [TRAIN, 1]);
  const xTest = st.tensor(test.points, [TEST, 2]);
  const yTest = st.tensor(test.labels, [TEST, 1]);

  const model = st.sequential({
    layers: [
      st.layers.dense({ units: 16, inputShape: [2], activation: 'tanh' }),
      st.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  // The optimizer instance belongs to us (disposed at the end); a name such as 'adam' would belong to the model.
  const optimizer = st.optimizers.adam({ learningRate: 0.05 });
  model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });

  const losses: number[] = [];
  drawLossCurve(canvas, losses, EPOCHS);
  const start = performance.now();
  await model.fit(xTrain, yTrain, {
    epochs: EPOCHS,
    batchSize: BATCH_SIZE,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => {
        losses.push(logs.loss!);
        drawLossCurve(canvas, losses, EPOCHS);
        $('status').textContent = `epoch ${epoch + 1}/${EPOCHS}  loss ${logs.loss!.toFixed(4)}  accuracy ${logs.accuracy!.toFixed(3)}`;
      },
    },
  });
  const seconds = (performance.now() - start) / 1000;
  const { accuracy } = await model.evaluate(xTest, yTest, { batchSize: TEST });

  st.dispose([xTrain, yTrain, xTest, yTest]);
  model.dispose();
  optimizer.dispose();
  return { done: true, engine: info.name, losses, accuracy: accuracy!, seconds, liveTensors: st.memory().numTensors };
}

function publish(result: BrowserResult): void {
  window.strataResult = result;
  document.body.dataset.state = 'error' in result ? 'error' : 'done';
  $('status').textContent =
    'error' in result
      ? `failed: ${result.error}`
      : `${$('status').textContent}\ndone in ${result.seconds.toFixed(1)} s: held-out accuracy ${result.accuracy.toFixed(3)}, ` +
        `loss ${result.losses[0]!.toFixed(4)} → ${result.losses.at(-1)!.toFixed(4)}`;
}

const engine = new URLSearchParams(location.search).get('engine') ?? 'webgpu';
train(engine).then(publish, (error: unknown) => publish({ done: true, error: error instanceof Error ? error.message : String(error) }));
