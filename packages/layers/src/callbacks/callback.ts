import type { LayersModel } from '../engine/model.js';
import type { Logs } from '../training/types.js';

/** What a hook may return: nothing, or a promise the training loop awaits. */
export type HookResult = void | Promise<void>;

/** Which loop a batch hook belongs to. */
export type BatchKind = 'train' | 'test' | 'predict';

/**
 * The hooks of a callback as plain functions, for `callbacks.lambdaCallback({ ... })` or a plain
 * object in `fit({ callbacks })` (TF.js's `CustomCallbackArgs`). Every hook may be async.
 */
export interface CallbackHooks {
  onTrainBegin?: (this: Callback, logs: Logs) => HookResult;
  onTrainEnd?: (this: Callback, logs: Logs) => HookResult;
  onEpochBegin?: (this: Callback, epoch: number, logs: Logs) => HookResult;
  onEpochEnd?: (this: Callback, epoch: number, logs: Logs) => HookResult;
  onBatchBegin?: (this: Callback, batch: number, logs: Logs) => HookResult;
  onBatchEnd?: (this: Callback, batch: number, logs: Logs) => HookResult;
  onTestBegin?: (this: Callback, logs: Logs) => HookResult;
  onTestEnd?: (this: Callback, logs: Logs) => HookResult;
  onTestBatchBegin?: (this: Callback, batch: number, logs: Logs) => HookResult;
  onTestBatchEnd?: (this: Callback, batch: number, logs: Logs) => HookResult;
  onPredictBegin?: (this: Callback, logs: Logs) => HookResult;
  onPredictEnd?: (this: Callback, logs: Logs) => HookResult;
  onPredictBatchBegin?: (this: Callback, batch: number, logs: Logs) => HookResult;
  onPredictBatchEnd?: (this: Callback, batch: number, logs: Logs) => HookResult;
}

/** The parameters of the run a callback is part of (Keras `callback.params`). */
export interface CallbackParams {
  /** The last epoch (exclusive), as given to `fit`. */
  epochs?: number;
  initialEpoch?: number;
  /** Batches per epoch (or per evaluate/predict run). */
  steps?: number;
  /** Samples per epoch. */
  samples?: number;
  batchSize?: number;
  verbose?: number;
  /** Whether `fit` validates. */
  doValidation?: boolean;
  /** Every key the epoch logs will have (`loss`, metrics, and their `val_` versions). */
  metrics?: string[];
  [key: string]: unknown;
}

/**
 * The base of every callback (Keras `keras.callbacks.Callback`): override the hooks you need.
 * `fit` calls `onTrainBegin`, then per epoch `onEpochBegin`, per batch `onBatchBegin`/`onBatchEnd`,
 * the `onTest*` hooks while it validates, `onEpochEnd` with the epoch's logs (validation included),
 * and finally `onTrainEnd`. `evaluate` and `predict` call the `onTest*` and `onPredict*` hooks.
 * Async hooks are awaited before training goes on. Set `this.model.stopTraining = true` to end
 * `fit` after the current batch (the epoch still ends, with validation, as in Keras).
 *
 * Batch logs hold running averages over the epoch so far. Reading them waits for the engine, so
 * the loop reads them only when a callback wants them: by default when the subclass overrides
 * `onBatchEnd` (or `onTestBatchEnd`); override `wantsBatchLogs` to decide per batch.
 *
 * @example
 * class PrintLoss extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs.loss); }
 * }
 * await model.fit(x, y, { epochs: 5, callbacks: [new PrintLoss()] });
 */
export class Callback {
  /** The model being trained, evaluated or run (set by the loop before the first hook). */
  model: LayersModel | null = null;
  /** The run's parameters (set by the loop before the first hook). */
  params: CallbackParams = {};

  /** Called by the loop with the model it runs. */
  setModel(model: LayersModel): void {
    this.model = model;
  }

  /** Called by the loop with the run's parameters. */
  setParams(params: CallbackParams): void {
    this.params = params;
  }

  /**
   * Whether the logs of batch `batch` of a `kind` loop should be read from the engine for this
   * callback. The default is true when the subclass overrides that loop's batch-end hook.
   *
   * @example
   * override wantsBatchLogs(kind: BatchKind, batch: number) { return kind === 'train' && batch % 100 === 0; }
   */
  wantsBatchLogs(kind: BatchKind, _batch: number): boolean {
    const proto = Callback.prototype;
    if (kind === 'train') return this.onBatchEnd !== proto.onBatchEnd;
    if (kind === 'test') return this.onTestBatchEnd !== proto.onTestBatchEnd;
    return false;
  }

  /** Before the first epoch. */
  onTrainBegin(_logs: Logs): HookResult {}
  /** After the last epoch (or when training stopped), with the last epoch's logs. */
  onTrainEnd(_logs: Logs): HookResult {}
  /** At the start of each epoch (0-based). */
  onEpochBegin(_epoch: number, _logs: Logs): HookResult {}
  /** At the end of each epoch, with its logs (validation values prefixed `val_`); may add keys. */
  onEpochEnd(_epoch: number, _logs: Logs): HookResult {}
  /** Before each training batch (0-based within the epoch). */
  onBatchBegin(_batch: number, _logs: Logs): HookResult {}
  /** After each training batch, with the running averages of the epoch so far (when read). */
  onBatchEnd(_batch: number, _logs: Logs): HookResult {}
  /** Before `evaluate`, or the validation at the end of an epoch. */
  onTestBegin(_logs: Logs): HookResult {}
  /** After `evaluate` or validation, with its logs (not prefixed). */
  onTestEnd(_logs: Logs): HookResult {}
  /** Before each evaluation batch. */
  onTestBatchBegin(_batch: number, _logs: Logs): HookResult {}
  /** After each evaluation batch, with running averages (when read). */
  onTestBatchEnd(_batch: number, _logs: Logs): HookResult {}
  /** Before `predict`. */
  onPredictBegin(_logs: Logs): HookResult {}
  /** After `predict`. */
  onPredictEnd(_logs: Logs): HookResult {}
  /** Before each prediction batch. */
  onPredictBatchBegin(_batch: number, _logs: Logs): HookResult {}
  /** After each prediction batch (its logs are empty: predictions are not numbers to log). */
  onPredictBatchEnd(_batch: number, _logs: Logs): HookResult {}
}
