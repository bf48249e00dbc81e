import type { Tensor } from '@strata/core';
import type { CallbackLike } from '../callbacks/callback-list.js';

/**
 * Data for a model's inputs or outputs: one tensor, one per input/output in order, or an object
 * keyed by input/output name.
 */
export type ModelData = Tensor | Tensor[] | Record<string, Tensor>;

/** How a loss, metric or optimizer may be named: a Keras string, a `{ className, config }`, an instance, or a function. */
export type Named<T> = string | { className: string; config?: Record<string, unknown> } | T;

/** Per-class weights for the loss: class index -> weight. */
export type ClassWeight = Record<number, number>;

/** The logs callbacks receive: loss and metric values by Keras name (`loss`, `val_loss`, `accuracy`, ...). */
export type Logs = Record<string, number>;

/** What `fit` resolves to: one value per epoch for each logged quantity. */
export interface History {
  /** `history.loss[i]` is the loss of epoch `initialEpoch + i`. */
  history: Record<string, number[]>;
  /** The epochs that ran. */
  epoch: number[];
  /** The arguments fit ran with. */
  params: Record<string, unknown>;
}

/**
 * Where progress output goes: `process.stdout` by default. Anything with `write` works; `isTTY`
 * true gets a bar redrawn in place, otherwise one line per epoch is written.
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width, used to clear the previous bar (optional). */
  columns?: number;
}

/** Validation data for `fit`: inputs and labels, optionally with sample weights. */
export type ValidationData = [ModelData, ModelData] | [ModelData, ModelData, ModelData];

/** Options of `model.evaluate`. */
export interface EvaluateArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Per-sample weights for the loss: one tensor per output (or one for a single output). */
  sampleWeight?: ModelData;
  /** 0 is silent (the default, as TF.js); 1 draws a progress bar. */
  verbose?: 0 | 1;
  /** Batches to evaluate (default: all the data). */
  steps?: number;
  /** Callbacks receiving `onTestBegin`, `onTestBatchBegin/End` and `onTestEnd`. */
  callbacks?: CallbackLike[] | CallbackLike;
  /** Where a progress bar goes (default `process.stdout`). */
  progressStream?: ProgressStream;
}

/** Options of `model.predict`. */
export interface PredictArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** 0 is silent (the default, as TF.js); 1 draws a progress bar. */
  verbose?: 0 | 1;
  /** Batches to predict (default: all the data). */
  steps?: number;
  /** Callbacks receiving `onPredictBegin`, `onPredictBatchBegin/End` and `onPredictEnd`. */
  callbacks?: CallbackLike[] | CallbackLike;
  /** Where a progress bar goes (default `process.stdout`). */
  progressStream?: ProgressStream;
}
