import { StrataError } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import type { Logs } from '../training/types.js';
import { Callback } from './callback.js';
import { formatTemplate } from './format.js';
import { checkMonitor, checkOption, resolveMode, warnMissing, type MonitorMode } from './monitor.js';
import { writeFileAtomic } from './node-files.js';

/** Options of `callbacks.modelCheckpoint`. */
export interface ModelCheckpointArgs {
  /**
   * Where to save; may hold Python-style fields filled from the epoch (1-based) and the logs:
   * `'ckpt/weights.{epoch:02d}-{val_loss:.2f}.json'`.
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

type Saver = (path: string) => unknown;

/** The JSON the checkpoint writes when the model has no `save`/`saveWeights` of its own. */
export interface WeightsJson {
  format: 'strata-weights';
  formatVersion: 1;
  modelName: string;
  /** The epoch (1-based, as in the file name) the weights are from. */
  epoch: number;
  weights: { name: string; shape: number[]; dtype: string; values: number[] }[];
}

/**
 * Serializes a model's weights as JSON: each weight's Keras name, shape, dtype and values.
 *
 * @example
 * const json = await weightsToJson(model, 3);
 */
export async function weightsToJson(model: LayersModel, epoch: number): Promise<WeightsJson> {
  const entries = model.weightEntries;
  const values = await Promise.all(entries.map((w) => w.variable.data()));
  return {
    format: 'strata-weights',
    formatVersion: 1,
    modelName: model.name,
    epoch,
    weights: entries.map((w, i) => ({ name: w.name, shape: [...w.variable.shape], dtype: w.variable.dtype, values: Array.from(values[i]!) })),
  };
}

/**
 * Saves the model (or its weights) at the end of each epoch (Keras 3 `ModelCheckpoint`), or with
 * `saveBestOnly` only when the monitored quantity improves. The path is formatted as Keras does
 * with Python's `str.format` (`{epoch:02d}` is the 1-based epoch, any log name may appear). It
 * uses the model's `saveWeights(path)` / `save(path)` when the model has them; otherwise it writes
 * the weights as JSON (names, shapes, dtypes, values; see `WeightsJson`) atomically, through a
 * temporary file renamed into place. Node only for the JSON fallback.
 *
 * @example
 * const ckpt = callbacks.modelCheckpoint({ filepath: 'ckpt/weights.{epoch:02d}-{val_loss:.2f}.json', saveBestOnly: true });
 * await model.fit(x, y, { epochs: 20, validationSplit: 0.2, callbacks: [ckpt] });
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
      throw new StrataError(`${owner}: option 'filepath' must be a non-empty path; received ${JSON.stringify(args?.filepath)}. Pass e.g. { filepath: 'ckpt/weights.{epoch:02d}.json' }.`);
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
    await this.save(path, epoch + 1);
    this.saved.push(path);
  }

  private async save(path: string, epoch: number): Promise<void> {
    const model = this.model!;
    const own = model as unknown as { save?: Saver; saveWeights?: Saver };
    const saver = this.saveWeightsOnly ? own.saveWeights : own.save;
    if (typeof saver === 'function') {
      await saver.call(model, path);
      return;
    }
    const json = await weightsToJson(model, epoch);
    await writeFileAtomic('ModelCheckpoint', path, JSON.stringify(json));
  }
}
