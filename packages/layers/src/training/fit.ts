import { StrataError, dispose, tidy, type Tensor } from '@strata/core';
import type { Callback } from '../callbacks/callback.js';
import { CallbackList, toCallbacks, type CallbackLike } from '../callbacks/callback-list.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { LayersModel } from '../engine/model.js';
import { classWeightsToSampleWeights, prepareData, splitData, takeBatch, type DataSet } from './data.js';
import { checkData, compiledOf, testLoop } from './loops.js';
import { boolOption, checkKeys, nonNegativeInt, positiveInt, verbosity } from './options.js';
import { BatchStream } from './shuffle.js';
import { LossTrackers, readLogs, trainStep } from './step.js';
import type { ClassWeight, Logs, ModelData, ProgressStream, ValidationData } from './types.js';
import { Yielder, type YieldEvery } from './yield.js';

/** Options of `model.fit` (Keras 3 semantics, TF.js names). */
export interface FitArgs {
  /** Train until this epoch (exclusive; default 1). */
  epochs?: number;
  /** Samples per gradient update (default 32). */
  batchSize?: number;
  /** Shuffle the training samples before each epoch, with a seeded permutation (default true). */
  shuffle?: boolean;
  /** Fraction in (0, 1) of the samples, taken from the end and not shuffled, to validate on. */
  validationSplit?: number;
  /** Data to validate on at the end of epochs: `[x, y]` or `[x, y, sampleWeight]`. Overrides `validationSplit`. */
  validationData?: ValidationData;
  /** Validate every this many epochs, or at the listed epochs (1-based; default 1). */
  validationFreq?: number | number[];
  /** Batch size for validation (default `batchSize`). */
  validationBatchSize?: number;
  /** Callbacks (instances, or plain objects of hook functions). */
  callbacks?: CallbackLike[] | CallbackLike;
  /** 0: silent; 1: a progress bar on a TTY, one line per epoch otherwise (default); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** The epoch to start at (to resume an earlier run; default 0). */
  initialEpoch?: number;
  /** Loss weight of each class (class index -> weight), for single-output models or per output. */
  classWeight?: ClassWeight | ClassWeight[] | Record<string, ClassWeight>;
  /** Per-sample loss weights: one tensor `[N]` per output (or one for a single output). */
  sampleWeight?: ModelData;
  /** Batches per epoch; the data is cycled (and reshuffled at each new pass) to fill them. */
  stepsPerEpoch?: number;
  /** Where progress goes (default `process.stdout`). */
  progressStream?: ProgressStream;
  /**
   * When to let other work run on the thread (TF.js): `'auto'` (default) every 125 ms, after each
   * `'batch'` or `'epoch'`, `'never'`, or every N milliseconds.
   */
  yieldEvery?: YieldEvery;
}

const FIT_KEYS = [
  'epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'validationFreq', 'validationBatchSize', 'callbacks', 'verbose',
  'initialEpoch', 'classWeight', 'sampleWeight', 'stepsPerEpoch', 'progressStream', 'yieldEvery',
];

const running = new WeakSet<LayersModel>();

function validationFreqOf(value: unknown): (epoch: number) => boolean {
  if (value === undefined || value === null) return () => true;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return (epoch) => (epoch + 1) % value === 0;
  if (Array.isArray(value) && value.every((e) => Number.isInteger(e) && e >= 1)) {
    const set = new Set(value as number[]);
    return (epoch) => set.has(epoch + 1);
  }
  throw new StrataError(`fit: option 'validationFreq' must be a positive integer (validate every N epochs) or a list of 1-based epochs; received ${JSON.stringify(value)}.`);
}

function isClassWeight(x: unknown): x is ClassWeight {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).every((k) => /^\d+$/.test(k));
}

/** Spreads `classWeight` over the outputs (null where an output has none). */
function classWeightsPerOutput(value: FitArgs['classWeight'], names: readonly string[]): (ClassWeight | null)[] {
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new StrataError(`fit: classWeight is a list of ${value.length}, but the model has ${names.length} output(s) (${names.join(', ')}); give one per output, or an object keyed by output name.`);
    }
    return value.map((v) => v ?? null);
  }
  if (isClassWeight(value)) {
    if (names.length !== 1) {
      throw new StrataError(`fit: classWeight maps classes to weights, but the model has ${names.length} outputs (${names.join(', ')}); key it by output name ({ ${names[0]}: { 0: 1, 1: 2 } }) or pass a list per output.`);
    }
    return [value];
  }
  if (value !== null && typeof value === 'object') {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      throw new StrataError(`fit: classWeight has key(s) ${unknown.map((k) => `'${k}'`).join(', ')}, which are neither class indices nor output names; the model's outputs are [${names.join(', ')}].`);
    }
    return names.map((n) => (value as Record<string, ClassWeight>)[n] ?? null);
  }
  throw new StrataError(`fit: classWeight must map class indices to weights, e.g. { 0: 1, 1: 5 }; received ${JSON.stringify(value)}.`);
}

/**
 * Trains the model (Keras 3 `Model.fit`): checks every argument and reads the data once (NaN,
 * label range) before any work, then per epoch shuffles with a seeded permutation, runs one
 * synchronous training step per batch, calls the callbacks, validates, and records the logs.
 * Resolves to the `History`. Leaves no tensor behind.
 *
 * @example
 * const history = await fitModel(model, x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
 */
export async function fitModel(model: LayersModel, x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
  checkKeys('fit', args, FIT_KEYS);
  const compiled = compiledOf(model, 'fit');
  const epochs = positiveInt('fit', 'epochs', args.epochs, 1);
  const batchSize = positiveInt('fit', 'batchSize', args.batchSize, 32);
  const validationBatchSize = positiveInt('fit', 'validationBatchSize', args.validationBatchSize, batchSize);
  const initialEpoch = nonNegativeInt('fit', 'initialEpoch', args.initialEpoch, 0);
  const stepsPerEpoch = args.stepsPerEpoch === undefined ? null : positiveInt('fit', 'stepsPerEpoch', args.stepsPerEpoch, 1);
  const shuffle = boolOption('fit', 'shuffle', args.shuffle, true);
  const verbose = verbosity('fit', args.verbose, 1, 2);
  const shouldValidate = validationFreqOf(args.validationFreq);
  const yielder = new Yielder('fit', args.yieldEvery);
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new StrataError(`fit: option 'validationSplit' must be a number in [0, 1) (the fraction of samples, taken from the end, to validate on); received ${JSON.stringify(split)}. Pass e.g. validationSplit: 0.2.`);
  }
  if (args.validationData !== undefined && (!Array.isArray(args.validationData) || args.validationData.length < 2 || args.validationData.length > 3)) {
    throw new StrataError(`fit: option 'validationData' must be [x, y] or [x, y, sampleWeight]; received ${Array.isArray(args.validationData) ? `a list of ${args.validationData.length}` : typeof args.validationData}.`);
  }
  if (args.classWeight !== undefined && args.sampleWeight !== undefined) {
    throw new StrataError('fit: pass classWeight or sampleWeight, not both (Keras refuses the pair too). To combine them, multiply each sample\'s weight by its class weight and pass the result as sampleWeight.');
  }
  const userCallbacks = toCallbacks('fit', args.callbacks);
  if (running.has(model)) {
    throw new StrataError(`fit: model '${model.name}' is already training (an earlier fit has not finished); await it before starting another.`);
  }

  running.add(model);
  const owned: Tensor[] = [];
  try {
    const all = prepareData('fit', model, x, y, args.sampleWeight ?? null);
    compiled.resolve();
    let train: DataSet = all;
    let val: DataSet | null = null;
    if (args.validationData) {
      const [vx, vy, vsw] = args.validationData;
      val = prepareData('fit', model, vx, vy, vsw ?? null, 'validationData ');
    } else if (split > 0) {
      const at = Math.floor(all.size * (1 - split));
      if (at === 0 || at === all.size) {
        throw new StrataError(`fit: the training data has ${all.size} sample(s), too few to split with validationSplit ${split} (it would leave ${at} for training and ${all.size - at} for validation). Pass more data, or a different validationSplit.`);
      }
      [train, val] = splitData(all, at);
      owned.push(...[train, val].flatMap((d) => [...d.xs, ...d.ys, ...d.sws.filter((t): t is Tensor => t !== null)]));
    }
    await checkData('fit', model, compiled, train);
    if (val) await checkData('fit', model, compiled, val, 'validationData ');
    if (args.classWeight !== undefined) {
      const perOutput = classWeightsPerOutput(args.classWeight, model.outputNames);
      const sws = await Promise.all(perOutput.map((cw, i) => (cw ? classWeightsToSampleWeights('fit', model.outputNames.length > 1 ? `y['${model.outputNames[i]}']` : 'y', train.ys[i]!, cw) : null)));
      owned.push(...sws.filter((t): t is Tensor => t !== null));
      train = { ...train, sws };
    }
    return await trainLoop(model, train, val, {
      epochs, batchSize, validationBatchSize, initialEpoch, stepsPerEpoch, shuffle, verbose, shouldValidate, userCallbacks, stream: args.progressStream, yielder,
    });
  } finally {
    dispose(owned);
    running.delete(model);
  }
}

interface LoopOptions {
  epochs: number;
  batchSize: number;
  validationBatchSize: number;
  initialEpoch: number;
  stepsPerEpoch: number | null;
  shuffle: boolean;
  verbose: number;
  shouldValidate: (epoch: number) => boolean;
  userCallbacks: Callback[];
  stream: ProgressStream | undefined;
  yielder: Yielder;
}

async function trainLoop(model: LayersModel, train: DataSet, val: DataSet | null, o: LoopOptions): Promise<History> {
  const compiled = compiledOf(model, 'fit');
  const batches = new BatchStream(model, train.size, o.batchSize, o.shuffle);
  const steps = o.stepsPerEpoch ?? batches.batchesPerPass;
  const history = new History();
  const list: Callback[] = [...o.userCallbacks, history];
  if (o.verbose > 0) list.unshift(new ProgbarLogger({ stream: o.stream, verbose: o.verbose as 1 | 2, kind: 'train' }));
  const names = compiled.logNames;
  const params = {
    epochs: o.epochs, initialEpoch: o.initialEpoch, steps, samples: train.size, batchSize: o.batchSize, verbose: o.verbose,
    doValidation: val !== null, metrics: [...names, ...(val ? names.map((n) => `val_${n}`) : [])],
  };
  history.params = params;
  const callbacks = new CallbackList(list, model, params);
  const trackers = new LossTrackers(compiled);
  model.stopTraining = false;
  try {
    let lastLogs: Logs = {};
    await callbacks.onTrainBegin({});
    for (let epoch = o.initialEpoch; epoch < o.epochs; epoch++) {
      compiled.resetMetrics();
      trackers.reset();
      await callbacks.onEpochBegin(epoch, {});
      // Without stepsPerEpoch every epoch is one fresh pass; with it, batches keep coming from the current pass.
      if (o.stepsPerEpoch === null) batches.restart();
      for (let step = 0; step < steps; step++) {
        await callbacks.onBatchBegin('train', step, {});
        const rows = batches.next();
        tidy(() => trainStep(model, compiled, takeBatch(train, rows), trackers));
        const logs = callbacks.wantsBatchLogs('train', step) ? await readLogs(compiled, trackers) : {};
        await callbacks.onBatchEnd('train', step, logs);
        await o.yielder.afterBatch();
        if (model.stopTraining) break;
      }
      const epochLogs = await readLogs(compiled, trackers);
      if (val && o.shouldValidate(epoch)) {
        const valLogs = await testLoop(model, compiled, val, o.validationBatchSize, callbacks);
        for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
      }
      await callbacks.onEpochEnd(epoch, epochLogs);
      lastLogs = epochLogs;
      await o.yielder.afterEpoch();
      if (model.stopTraining) break;
    }
    await callbacks.onTrainEnd(lastLogs);
    return history;
  } finally {
    trackers.reset();
  }
}
