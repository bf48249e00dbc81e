import { StrataError } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import type { Logs } from '../training/types.js';
import { Callback, type BatchKind, type CallbackHooks, type CallbackParams } from './callback.js';
import { LambdaCallback } from './lambda-callback.js';

/** What `fit({ callbacks })` accepts: `Callback` instances, or plain objects of hook functions. */
export type CallbackLike = Callback | CallbackHooks;

/**
 * Turns what the user passed as `callbacks` into `Callback` instances, wrapping plain hook objects
 * in a `LambdaCallback`; the error names the entry that is neither.
 *
 * @example
 * const list = toCallbacks('fit', [new History(), { onEpochEnd: () => {} }]);
 */
export function toCallbacks(fn: string, given: unknown): Callback[] {
  if (given === undefined || given === null) return [];
  const list = Array.isArray(given) ? given : [given];
  return list.map((c, i) => {
    if (c instanceof Callback) return c;
    if (c !== null && typeof c === 'object' && !Array.isArray(c)) return new LambdaCallback(c as CallbackHooks);
    throw new StrataError(`${fn}: callbacks[${i}] must be a Callback (e.g. callbacks.earlyStopping()) or an object of hook functions; received ${c === null ? 'null' : typeof c}.`);
  });
}

/**
 * The callbacks of one run, called in order with each hook awaited (Keras `CallbackList`); hooks
 * see the same logs object, so keys a callback adds (`learning_rate`) reach those after it.
 *
 * @example
 * const list = new CallbackList([history, progbar], model, { epochs: 3, steps: 10 });
 * await list.onEpochBegin(0);
 */
export class CallbackList {
  constructor(
    readonly callbacks: Callback[],
    model: LayersModel,
    params: CallbackParams,
  ) {
    for (const c of callbacks) {
      c.setModel(model);
      c.setParams(params);
    }
  }

  /** True if any callback wants the logs of this batch read from the engine. */
  wantsBatchLogs(kind: BatchKind, batch: number): boolean {
    return this.callbacks.some((c) => c.wantsBatchLogs(kind, batch));
  }

  async onTrainBegin(logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onTrainBegin(logs); }
  async onTrainEnd(logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onTrainEnd(logs); }
  async onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onEpochBegin(epoch, logs); }
  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onEpochEnd(epoch, logs); }
  async onTestBegin(logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onTestBegin(logs); }
  async onTestEnd(logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onTestEnd(logs); }
  async onPredictBegin(logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onPredictBegin(logs); }
  async onPredictEnd(logs: Logs = {}): Promise<void> { for (const c of this.callbacks) await c.onPredictEnd(logs); }

  /** The batch-begin hook of a `kind` loop. */
  async onBatchBegin(kind: BatchKind, batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) {
      if (kind === 'train') await c.onBatchBegin(batch, logs);
      else if (kind === 'test') await c.onTestBatchBegin(batch, logs);
      else await c.onPredictBatchBegin(batch, logs);
    }
  }

  /** The batch-end hook of a `kind` loop. */
  async onBatchEnd(kind: BatchKind, batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) {
      if (kind === 'train') await c.onBatchEnd(batch, logs);
      else if (kind === 'test') await c.onTestBatchEnd(batch, logs);
      else await c.onPredictBatchEnd(batch, logs);
    }
  }
}
