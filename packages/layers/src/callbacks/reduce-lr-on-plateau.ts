import type { Logs } from '../training/types.js';
import { Callback } from './callback.js';
import { compiledOptimizer, fixedLearningRate } from './learning-rate.js';
import { checkMonitor, checkOption, resolveMode, warnMissing, type MonitorMode } from './monitor.js';

/** Options of `callbacks.reduceLROnPlateau`. */
export interface ReduceLROnPlateauArgs {
  /** The logged quantity to watch (default `'val_loss'`). */
  monitor?: string;
  /** The rate is multiplied by this when it is reduced; must be below 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement before the rate is reduced (default 10). */
  patience?: number;
  /** 0 is silent; 1 prints each reduction. */
  verbose?: 0 | 1;
  /** `'min'`, `'max'`, or `'auto'` (from the name; unknown names are minimized, as in Keras). */
  mode?: MonitorMode;
  /** An improvement must beat the best by more than this (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The rate is never reduced below this (default 0). */
  minLr?: number;
}

/**
 * Reduces the learning rate when a monitored quantity stops improving (Keras 3
 * `ReduceLROnPlateau`): after `patience` epochs without improvement the optimizer's
 * `learningRate` becomes `max(lr * factor, minLr)`, then `cooldown` epochs pass before waiting
 * starts again. It adds `learning_rate` to each epoch's logs.
 *
 * @example
 * const reduce = callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5 });
 * await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [reduce] });
 */
export class ReduceLROnPlateau extends Callback {
  static readonly className = 'ReduceLROnPlateau';
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** The best value seen. */
  best = Infinity;
  private direction: 'min' | 'max';
  private readonly warned = new Set<string>();

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const owner = 'ReduceLROnPlateau';
    this.monitor = checkMonitor(owner, args.monitor ?? 'val_loss');
    this.factor = checkOption(owner, 'factor', args.factor ?? 0.1, { min: 0, max: 1, maxOpen: true });
    this.patience = checkOption(owner, 'patience', args.patience ?? 10, { min: 0, integer: true });
    this.verbose = checkOption(owner, 'verbose', args.verbose ?? 0, { min: 0, max: 1, integer: true });
    this.mode = args.mode ?? 'auto';
    this.direction = resolveMode(owner, this.monitor, this.mode, false);
    this.minDelta = checkOption(owner, 'minDelta', args.minDelta ?? 1e-4, { min: 0 });
    this.cooldown = checkOption(owner, 'cooldown', args.cooldown ?? 0, { min: 0, integer: true });
    this.minLr = checkOption(owner, 'minLr', args.minLr ?? 0, { min: 0 });
    this.reset();
  }

  private reset(): void {
    this.best = this.direction === 'min' ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = compiledOptimizer('ReduceLROnPlateau', this.model);
    const lr = fixedLearningRate('ReduceLROnPlateau', optimizer);
    logs.learning_rate = lr;
    const current = logs[this.monitor];
    if (current === undefined) {
      warnMissing('ReduceLROnPlateau', this.monitor, logs, this.warned);
      return;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    const improved = this.direction === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
    if (improved) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown) {
      this.wait += 1;
      // Keras compares with the float32 of minLr: the optimizer holds its rate in float32.
      if (this.wait >= this.patience && lr > Math.fround(this.minLr)) {
        const next = Math.max(lr * this.factor, this.minLr);
        optimizer.learningRate = next;
        if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
