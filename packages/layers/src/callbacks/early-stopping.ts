import { StrataError, dispose, type Tensor } from '@strata/core';
import type { Logs } from '../training/types.js';
import { Callback } from './callback.js';
import { checkMonitor, checkOption, resolveMode, warnMissing, type MonitorMode } from './monitor.js';

/** Options of `callbacks.earlyStopping`. */
export interface EarlyStoppingArgs {
  /** The logged quantity to watch (default `'val_loss'`). */
  monitor?: string;
  /** A change smaller than this (in absolute value) is not an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** 0 is silent; 1 prints when it stops and when it restores weights. */
  verbose?: 0 | 1;
  /** `'min'`, `'max'`, or `'auto'` (from the name: losses go down, accuracies up). */
  mode?: MonitorMode;
  /** Training keeps waiting (patience counting) until the quantity beats this value. */
  baseline?: number | null;
  /** At the end of training, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (a warm-up; default 0). */
  startFromEpoch?: number;
}

/**
 * Stops training when a monitored quantity has stopped improving (Keras 3 `EarlyStopping`). After
 * each epoch it compares the quantity with the best so far (an improvement must beat it by
 * `minDelta`); after `patience` epochs without one it sets `model.stopTraining`. With
 * `restoreBestWeights`, the weights of the best epoch are put back when training ends (stopped or
 * not, as Keras 3 does).
 *
 * @example
 * const stop = callbacks.earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2, callbacks: [stop] });
 * stop.stoppedEpoch; // e.g. 17
 */
export class EarlyStopping extends Callback {
  static readonly className = 'EarlyStopping';
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: MonitorMode;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch training was stopped at (0 when it was not stopped). */
  stoppedEpoch = 0;
  /** The best value seen, or null before the first. */
  best: number | null = null;
  /** The epoch of the best value. */
  bestEpoch = 0;
  private direction: 'min' | 'max' | null = null;
  private bestWeights: Tensor[] | null = null;
  private readonly warned = new Set<string>();

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const owner = 'EarlyStopping';
    this.monitor = checkMonitor(owner, args.monitor ?? 'val_loss');
    this.minDelta = Math.abs(checkOption(owner, 'minDelta', args.minDelta ?? 0, {}));
    this.patience = checkOption(owner, 'patience', args.patience ?? 0, { min: 0, integer: true });
    this.verbose = checkOption(owner, 'verbose', args.verbose ?? 0, { min: 0, max: 1, integer: true });
    this.mode = args.mode ?? 'auto';
    resolveMode(owner, this.monitor, this.mode, false);
    this.baseline = args.baseline === undefined || args.baseline === null ? null : checkOption(owner, 'baseline', args.baseline, {});
    if (args.restoreBestWeights !== undefined && typeof args.restoreBestWeights !== 'boolean') {
      throw new StrataError(`${owner}: option 'restoreBestWeights' must be true or false; received ${JSON.stringify(args.restoreBestWeights)}.`);
    }
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkOption(owner, 'startFromEpoch', args.startFromEpoch ?? 0, { min: 0, integer: true });
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.releaseBestWeights();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.direction ??= resolveMode('EarlyStopping', this.monitor, this.mode, true);
    const current = logs[this.monitor];
    if (current === undefined) {
      warnMissing('EarlyStopping', this.monitor, logs, this.warned);
      return;
    }
    if (epoch < this.startFromEpoch) return;
    const model = this.model!;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.releaseBestWeights();
        this.bestWeights = model.getWeights();
      }
      // The wait restarts only when the value beats both the previous best and the baseline.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.bestWeights);
    }
    this.releaseBestWeights();
  }

  /** Keras' `_is_improvement`: beats `reference` by more than `minDelta` in the monitored direction. */
  private isImprovement(value: number, reference: number | null): boolean {
    // No best yet counts as +/-Infinity (Keras' start), so a NaN first value is no improvement.
    const ref = reference ?? (this.direction === 'min' ? Infinity : -Infinity);
    return this.direction === 'min' ? value + this.minDelta < ref : value - this.minDelta > ref;
  }

  private releaseBestWeights(): void {
    if (this.bestWeights) dispose(this.bestWeights);
    this.bestWeights = null;
  }
}
