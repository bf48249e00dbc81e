import { CSVLogger, type CSVLoggerArgs } from './csv-logger.js';
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
import { History } from './history.js';
import { LambdaCallback } from './lambda-callback.js';
import { LearningRateScheduler, type EpochSchedule } from './learning-rate-scheduler.js';
import { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
import { ProgbarLogger, type ProgbarLoggerArgs } from './progbar-logger.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';
import { Callback, type CallbackHooks } from './callback.js';
import { CallbackList } from './callback-list.js';

export { Callback, type BatchKind, type CallbackHooks, type CallbackParams, type HookResult } from './callback.js';
export { CallbackList, toCallbacks, type CallbackLike } from './callback-list.js';
export { History } from './history.js';
export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { LearningRateScheduler, type EpochSchedule } from './learning-rate-scheduler.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export { CSVLogger, type CSVLoggerArgs } from './csv-logger.js';
export { LambdaCallback } from './lambda-callback.js';
export { ProgbarLogger, progressBar, defaultProgressStream, type ProgbarLoggerArgs } from './progbar-logger.js';
export { formatTemplate, formatLogValue, pyFloat } from './format.js';
export { monitorDirection, type MonitorMode } from './monitor.js';

/**
 * The callbacks as lowerCamel factories (TF.js `tf.callbacks.earlyStopping`) beside the classes
 * (Keras `keras.callbacks.EarlyStopping`).
 *
 * @example
 * await model.fit(x, y, {
 *   epochs: 50,
 *   validationSplit: 0.2,
 *   callbacks: [callbacks.earlyStopping({ patience: 3, restoreBestWeights: true }), callbacks.csvLogger({ filename: 'log.csv' })],
 * });
 */
export const callbacks = {
  /** Stops training when a monitored quantity stops improving. */
  earlyStopping: (args?: EarlyStoppingArgs) => new EarlyStopping(args),
  /** Saves the model or its weights after each epoch (or the best one). */
  modelCheckpoint: (args: ModelCheckpointArgs) => new ModelCheckpoint(args),
  /** Reduces the learning rate when a monitored quantity stops improving. */
  reduceLROnPlateau: (args?: ReduceLROnPlateauArgs) => new ReduceLROnPlateau(args),
  /** Sets the learning rate at each epoch from `schedule(epoch, lr)`. */
  learningRateScheduler: (schedule: EpochSchedule, verbose: 0 | 1 = 0) => new LearningRateScheduler(schedule, verbose),
  /** Stops training when the loss becomes NaN or infinite. */
  terminateOnNaN: () => new TerminateOnNaN(),
  /** Writes each epoch's logs to a CSV file. */
  csvLogger: (args: CSVLoggerArgs) => new CSVLogger(args),
  /** A callback made of plain functions. */
  lambdaCallback: (hooks: CallbackHooks) => new LambdaCallback(hooks),
  /** Records each epoch's logs (fit installs one itself). */
  history: () => new History(),
  /** Prints progress (fit installs one itself unless verbose is 0). */
  progbarLogger: (args?: ProgbarLoggerArgs) => new ProgbarLogger(args),
  Callback,
  CallbackList,
  History,
  EarlyStopping,
  ModelCheckpoint,
  ReduceLROnPlateau,
  LearningRateScheduler,
  TerminateOnNaN,
  CSVLogger,
  LambdaCallback,
  ProgbarLogger,
};
