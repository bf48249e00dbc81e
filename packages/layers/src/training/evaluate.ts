import { StrataError, tidy } from '@strata/core';
import { CallbackList, toCallbacks } from '../callbacks/callback-list.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { LayersModel } from '../engine/model.js';
import { classWeightsToSampleWeights, prepareData } from './data.js';
import { checkData, compiledOf, testLoop } from './loops.js';
import { checkKeys, positiveInt, verbosity } from './options.js';
import { LossTrackers, readLogs, testStep, trainStep } from './step.js';
import type { ClassWeight, EvaluateArgs, Logs, ModelData } from './types.js';

const EVALUATE_KEYS = ['batchSize', 'sampleWeight', 'verbose', 'steps', 'callbacks', 'progressStream'];

/**
 * Computes the loss and metrics on data, batch by batch (Keras 3 `Model.evaluate` with
 * `return_dict`): `{ loss, <output>_loss..., <metric>... }` as numbers. Checks the data first
 * (shapes, sample counts, NaN, label range); leaves no tensor behind.
 *
 * @example
 * const { loss, accuracy } = await evaluateModel(model, xTest, yTest, { batchSize: 64 });
 */
export async function evaluateModel(model: LayersModel, x: ModelData, y: ModelData, args: EvaluateArgs = {}): Promise<Logs> {
  checkKeys('evaluate', args, EVALUATE_KEYS);
  const compiled = compiledOf(model, 'evaluate');
  const batchSize = positiveInt('evaluate', 'batchSize', args.batchSize, 32);
  const steps = args.steps === undefined ? undefined : positiveInt('evaluate', 'steps', args.steps, 1);
  const verbose = verbosity('evaluate', args.verbose, 0, 1);
  const userCallbacks = toCallbacks('evaluate', args.callbacks);
  const data = prepareData('evaluate', model, x, y, args.sampleWeight ?? null);
  await checkData('evaluate', model, compiled, data);
  const list = [...userCallbacks];
  if (verbose > 0) list.push(new ProgbarLogger({ stream: args.progressStream, kind: 'test' }));
  const numBatches = Math.min(steps ?? Infinity, Math.ceil(data.size / batchSize));
  const callbacks = new CallbackList(list, model, { steps: numBatches, samples: data.size, batchSize, verbose, metrics: compiled.logNames });
  return testLoop(model, compiled, data, batchSize, callbacks, steps);
}

/** Options of `trainOnBatch` and `testOnBatch`. */
export interface OnBatchArgs {
  /** Per-sample loss weights, one tensor per output. */
  sampleWeight?: ModelData;
  /** Class weights (trainOnBatch only). */
  classWeight?: ClassWeight;
}

/**
 * One training step on exactly the data given (Keras `train_on_batch`, TF.js `trainOnBatch`):
 * returns that batch's logs (the metrics are reset first, as TF.js and Keras 2 do).
 *
 * @example
 * const { loss } = await trainOnBatchModel(model, xBatch, yBatch);
 */
export async function trainOnBatchModel(model: LayersModel, x: ModelData, y: ModelData, args: OnBatchArgs = {}): Promise<Logs> {
  return onBatch('trainOnBatch', model, x, y, args, true);
}

/**
 * The loss and metrics of one batch in inference mode (Keras `test_on_batch`).
 *
 * @example
 * const { loss } = await testOnBatchModel(model, xBatch, yBatch);
 */
export async function testOnBatchModel(model: LayersModel, x: ModelData, y: ModelData, args: OnBatchArgs = {}): Promise<Logs> {
  return onBatch('testOnBatch', model, x, y, args, false);
}

async function onBatch(fn: string, model: LayersModel, x: ModelData, y: ModelData, args: OnBatchArgs, training: boolean): Promise<Logs> {
  checkKeys(fn, args, training ? ['sampleWeight', 'classWeight'] : ['sampleWeight']);
  const compiled = compiledOf(model, fn);
  if (args.classWeight !== undefined && args.sampleWeight !== undefined) {
    throw new StrataError(`${fn}: pass classWeight or sampleWeight, not both; multiply them into sampleWeight yourself.`);
  }
  let data = prepareData(fn, model, x, y, args.sampleWeight ?? null);
  await checkData(fn, model, compiled, data);
  let classSw = null;
  if (args.classWeight !== undefined) {
    if (model.outputNames.length !== 1) throw new StrataError(`${fn}: classWeight is supported for single-output models only; pass sampleWeight per output instead.`);
    classSw = await classWeightsToSampleWeights(fn, 'y', data.ys[0]!, args.classWeight);
    data = { ...data, sws: [classSw] };
  }
  const trackers = new LossTrackers(compiled);
  try {
    compiled.resetMetrics();
    tidy(() => (training ? trainStep(model, compiled, data, trackers) : testStep(model, compiled, data, trackers)));
    return await readLogs(compiled, trackers);
  } finally {
    trackers.reset();
    classSw?.dispose();
  }
}
