import { StrataError, tidy } from '@strata/core';
import type { CallbackList } from '../callbacks/callback-list.js';
import type { LayersModel } from '../engine/model.js';
import type { CompiledModel } from './compile.js';
import { checkFinite, namedArrays, takeBatch, type DataSet } from './data.js';
import { LossTrackers, readLogs, testStep } from './step.js';
import type { Logs } from './types.js';

/**
 * The compiled state of `model`, or the error telling the caller to compile first.
 *
 * @example
 * const compiled = compiledOf(model, 'fit');
 */
export function compiledOf(model: LayersModel, fn: string): CompiledModel {
  const compiled = model.compiled;
  if (!compiled) {
    throw new StrataError(`${fn}: model '${model.name}' is not compiled; call model.compile({ optimizer: 'adam', loss: 'mse' }) (with your optimizer and loss) before ${fn}.`);
  }
  return compiled;
}

/**
 * Checks a data set before a run, reading it once: no NaN or infinity anywhere, and labels the
 * losses accept (sparse class indices within range), then builds the metrics for its label shapes.
 *
 * @example
 * await checkData('fit', model, compiled, data);
 */
export async function checkData(fn: string, model: LayersModel, compiled: CompiledModel, data: DataSet, prefix = ''): Promise<void> {
  await checkFinite(fn, namedArrays(model, data, prefix));
  for (let i = 0; i < data.ys.length; i++) {
    const loss = compiled.losses[i];
    if (!loss) continue;
    try {
      await loss.validateLabels(data.ys[i]!, model.outputs[i]!.shape);
    } catch (e) {
      const where = model.outputNames.length > 1 ? `${prefix}y['${model.outputNames[i]}']` : `${prefix}y`;
      throw new StrataError(`${fn}: ${where} does not fit the loss: ${(e as Error).message}`);
    }
  }
  compiled.buildMetrics(data.ys.map((t) => t.shape));
}

/** Which batch rows to take next: a range in order. */
function rangeOf(batch: number, batchSize: number, size: number): { start: number; size: number } {
  const start = batch * batchSize;
  return { start, size: Math.min(batchSize, size - start) };
}

/**
 * Evaluates the model on a data set batch by batch, in order (the loop behind `evaluate` and
 * `fit`'s validation): resets the metrics, runs a test step per batch, calls the `onTest*` hooks,
 * and returns the logs (loss, per-output losses, metrics), not prefixed.
 *
 * @example
 * const logs = await testLoop(model, compiled, data, 32, callbackList);
 */
export async function testLoop(model: LayersModel, compiled: CompiledModel, data: DataSet, batchSize: number, callbacks: CallbackList, steps?: number): Promise<Logs> {
  const trackers = new LossTrackers(compiled);
  const numBatches = Math.min(steps ?? Infinity, Math.ceil(data.size / batchSize));
  try {
    compiled.resetMetrics();
    await callbacks.onTestBegin({});
    for (let b = 0; b < numBatches; b++) {
      await callbacks.onBatchBegin('test', b, {});
      // The batch slices are freed with the step.
      tidy(() => testStep(model, compiled, takeBatch(data, rangeOf(b, batchSize, data.size)), trackers));
      const logs = callbacks.wantsBatchLogs('test', b) ? await readLogs(compiled, trackers) : {};
      await callbacks.onBatchEnd('test', b, logs);
    }
    const logs = await readLogs(compiled, trackers);
    await callbacks.onTestEnd(logs);
    return logs;
  } finally {
    trackers.reset();
  }
}
