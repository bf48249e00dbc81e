import { StrataError } from '@strata/core';
import type { Logs } from '../training/types.js';
import { Callback, type BatchKind, type CallbackHooks, type HookResult } from './callback.js';

const HOOKS: readonly (keyof CallbackHooks)[] = [
  'onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd',
  'onTestBegin', 'onTestEnd', 'onTestBatchBegin', 'onTestBatchEnd',
  'onPredictBegin', 'onPredictEnd', 'onPredictBatchBegin', 'onPredictBatchEnd',
];

/** Keras' snake_case hook names, pointed to their camelCase spelling in errors. */
const KERAS_NAMES: Record<string, keyof CallbackHooks> = {
  on_train_begin: 'onTrainBegin', on_train_end: 'onTrainEnd', on_epoch_begin: 'onEpochBegin', on_epoch_end: 'onEpochEnd',
  on_batch_begin: 'onBatchBegin', on_batch_end: 'onBatchEnd', on_train_batch_begin: 'onBatchBegin', on_train_batch_end: 'onBatchEnd',
  onTrainBatchBegin: 'onBatchBegin', onTrainBatchEnd: 'onBatchEnd',
};

/**
 * A callback made of plain functions (Keras `LambdaCallback`, TF.js `CustomCallback`): pass any of
 * the hooks of `Callback` (`onEpochEnd`, `onBatchEnd`, `onTrainBegin`, ...). Async functions are
 * awaited. A plain object of hooks in `fit({ callbacks })` becomes one of these. Hooks written as
 * `function` (not arrow) functions get the callback as `this`, so `this.model.stopTraining = true` works.
 *
 * @example
 * const cb = callbacks.lambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) });
 * await model.fit(x, y, { epochs: 3, callbacks: [cb] });
 */
export class LambdaCallback extends Callback {
  readonly hooks: CallbackHooks;

  constructor(hooks: CallbackHooks) {
    super();
    if (hooks === null || typeof hooks !== 'object') {
      throw new StrataError(`LambdaCallback: expected an object of hook functions; received ${hooks === null ? 'null' : typeof hooks}. Pass e.g. { onEpochEnd: (epoch, logs) => console.log(logs.loss) }.`);
    }
    for (const [key, fn] of Object.entries(hooks)) {
      if (!(HOOKS as readonly string[]).includes(key)) {
        const hint = KERAS_NAMES[key] ? `use '${KERAS_NAMES[key]}'` : `known hooks: ${HOOKS.join(', ')}`;
        throw new StrataError(`LambdaCallback: unknown hook '${key}'; ${hint}.`);
      }
      if (typeof fn !== 'function' && fn !== undefined) {
        throw new StrataError(`LambdaCallback: hook '${key}' must be a function; received ${typeof fn}. Pass e.g. ${key}: (...args) => { ... }.`);
      }
    }
    this.hooks = { ...hooks };
  }

  override wantsBatchLogs(kind: BatchKind, _batch: number): boolean {
    if (kind === 'train') return this.hooks.onBatchEnd !== undefined;
    if (kind === 'test') return this.hooks.onTestBatchEnd !== undefined;
    return false;
  }

  override onTrainBegin(logs: Logs): HookResult { return this.hooks.onTrainBegin?.call(this, logs); }
  override onTrainEnd(logs: Logs): HookResult { return this.hooks.onTrainEnd?.call(this, logs); }
  override onEpochBegin(epoch: number, logs: Logs): HookResult { return this.hooks.onEpochBegin?.call(this, epoch, logs); }
  override onEpochEnd(epoch: number, logs: Logs): HookResult { return this.hooks.onEpochEnd?.call(this, epoch, logs); }
  override onBatchBegin(batch: number, logs: Logs): HookResult { return this.hooks.onBatchBegin?.call(this, batch, logs); }
  override onBatchEnd(batch: number, logs: Logs): HookResult { return this.hooks.onBatchEnd?.call(this, batch, logs); }
  override onTestBegin(logs: Logs): HookResult { return this.hooks.onTestBegin?.call(this, logs); }
  override onTestEnd(logs: Logs): HookResult { return this.hooks.onTestEnd?.call(this, logs); }
  override onTestBatchBegin(batch: number, logs: Logs): HookResult { return this.hooks.onTestBatchBegin?.call(this, batch, logs); }
  override onTestBatchEnd(batch: number, logs: Logs): HookResult { return this.hooks.onTestBatchEnd?.call(this, batch, logs); }
  override onPredictBegin(logs: Logs): HookResult { return this.hooks.onPredictBegin?.call(this, logs); }
  override onPredictEnd(logs: Logs): HookResult { return this.hooks.onPredictEnd?.call(this, logs); }
  override onPredictBatchBegin(batch: number, logs: Logs): HookResult { return this.hooks.onPredictBatchBegin?.call(this, batch, logs); }
  override onPredictBatchEnd(batch: number, logs: Logs): HookResult { return this.hooks.onPredictBatchEnd?.call(this, batch, logs); }
}
