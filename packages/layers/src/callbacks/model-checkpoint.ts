import { StrataError } from '@strata/core';
import type { Logs } from '../training/types.js';
import { Callback } from './callback.js';
import { formatTemplate } from './format.js';
import { checkMonitor, checkOption, resolveMode, warnMissing, type MonitorMode } from './monitor.js';

/** Options of `callbacks.modelCheckpoint`. */
export interface ModelCheckpointArgs {
  /**
   * The directory to save into (`model.save` writes model.json and weights.bin there,
   * `model.saveWeights` weights.json and weights.bin); it may hold Python-style fields filled from
   * the epoch (1-based) and the logs: `'ckpt/epoch-{epoch:02d}-{val_loss:.2f}'`.
   */
  filepath: string;
  /** The logged quantity `saveBestOnly` compares (default `'val_loss'`). */
  monitor?: string;
  /** 0 is silent; 1 prints each save. */
  verbose?: 0 | 1;
  /** Save only when the monitored quantity improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Save the weights only (`model.saveWeights`) rather than the whole model (`model.save`). */
  saveWeightsOnly?: boolean;
  /** `'min'`, `'max'`, or `'auto'` (from the name). */
  mode?: MonitorMode;
  /** With `saveBestOnly`, a value the first save must already beat. */
  initialValueThreshold?: number | null;
}

/**
 * Saves the model (or its weights) at the end of each epoch (Keras 3 `ModelCheckpoint`), or with
 * `saveBestOnly` only when the monitored quantity improves. The path is formatted as Keras does
 * with Python's `str.format` (`{epoch:02d}` is the 1-based epoch, any log name may appear) and
 * names a directory: `model.save(path)` writes the whole model there (topology, weights, training
 * config and optimizer state, so `loadModel(path)` resumes training), or with `saveWeightsOnly`
 * `model.saveWeights(path)` the weights alone. Saves are atomic, so a path without fields can be
 * overwritten each epoch safely. Node only.
 *
 * @example
 * const ckpt = callbacks.modelCheckpoint({ filepath: 'ckpt/epoch-{epoch:02d}-{val_loss:.2f}', saveBestOnly: true });
 * await model.fit(x, y, { epochs: 20, validationSplit: 0.2, callbacks: [ckpt] });
 * const best = await loadModel(ckpt.saved.at(-1)!);
 */
export class ModelCheckpoint extends Callback {
  static readonly className = 'ModelCheckpoint';
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  /** The best monitored value so far (with `saveBestOnly`), or null. */
  best: number | null;
  /** Paths written, in order. */
  readonly saved: string[] = [];
  private direction: 'min' | 'max' | null = null;
  private readonly warned = new Set<string>();

  constructor(args: ModelCheckpointArgs) {
    super();
    const owner = 'ModelCheckpoint';
    if (!args || typeof args.filepath !== 'string' || args.filepath === '') {
      throw new StrataError(`${owner}: option 'filepath' must be a non-empty path; received ${JSON.stringify(args?.filepath)}. Pass e.g. { filepath: 'ckpt/epoch-{epoch:02d}' }.`);
    }
    for (const key of ['saveBestOnly', 'saveWeightsOnly'] as const) {
      if (args[key] !== undefined && typeof args[key] !== 'boolean') {
        throw new StrataError(`${owner}: option '${key}' must be true or false; received ${JSON.stringify(args[key])}.`);
      }
    }
    this.filepath = args.filepath;
    this.monitor = checkMonitor(owner, args.monitor ?? 'val_loss');
    this.verbose = checkOption(owner, 'verbose', args.verbose ?? 0, { min: 0, max: 1, integer: true });
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.mode = args.mode ?? 'auto';
    resolveMode(owner, this.monitor, this.mode, false);
    this.best = args.initialValueThreshold === undefined || args.initialValueThreshold === null ? null : checkOption(owner, 'initialValueThreshold', args.initialValueThreshold, {});
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const path = formatTemplate('ModelCheckpoint', this.filepath, { ...logs, epoch: epoch + 1 });
    if (this.saveBestOnly) {
      this.direction ??= resolveMode('ModelCheckpoint', this.monitor, this.mode, true);
      const current = logs[this.monitor];
      if (current === undefined) {
        // Keras saves anyway when the monitored value is missing, and warns.
        warnMissing('ModelCheckpoint', this.monitor, logs, this.warned);
      } else {
        const bestText = this.best === null ? 'None' : this.best.toFixed(5);
        const ref = this.best ?? (this.direction === 'min' ? Infinity : -Infinity);
        if (!(this.direction === 'min' ? current < ref : current > ref)) {
          if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
          return;
        }
        if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${current.toFixed(5)}, saving model to ${path}`);
        this.best = current;
      }
    } else if (this.verbose > 0) {
      console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    if (this.saveWeightsOnly) await this.model!.saveWeights(path);
    else await this.model!.save(path);
    this.saved.push(path);
  }
}
