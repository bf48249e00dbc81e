import { StrataError } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import { Loss, getLoss, lossRegistry, type LossIdentifier } from '../losses/index.js';
import { Metric, getMetric, metricFunctions, metricRegistry, type MetricIdentifier } from '../metrics/index.js';
import { Optimizer, optimizerRegistry } from '../optimizers/index.js';
import type { CompileArgs } from '../training/compile.js';
import { SavedModelError } from './errors.js';
import { toSnakeCase } from './keras-keys.js';
import { keyPath, parseJson, trainingConfigSchema } from './manifest.js';

/**
 * The training config of a saved model (TF.js's `trainingConfig`, Keras's `training_config`): the
 * loss, metrics, loss weights and optimizer that `loadModel` compiles the model with.
 */

/** A loss or metric as saved: a snake_case name (as TF.js writes them) or Keras's `{ class_name, config }`. */
export type SavedIdentifier = string | { class_name: string; config: Record<string, unknown> };

/** TF.js's `trainingConfig`, as `model.save` writes it. */
export interface TrainingConfig {
  loss: SavedIdentifier | (SavedIdentifier | null)[] | Record<string, SavedIdentifier | null>;
  metrics?: SavedIdentifier[] | Record<string, SavedIdentifier | SavedIdentifier[]>;
  optimizer_config: { class_name: string; config: Record<string, unknown> };
  loss_weights?: number[] | Record<string, number>;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;
}

/** Refuses configs that hold code or other values JSON cannot carry. */
function jsonSafe(value: unknown, what: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StrataError(`${what} holds the number ${value}, which JSON cannot carry.`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, what));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, jsonSafe(v, what)]));
  throw new StrataError(`${what} holds ${typeof value === 'function' ? 'a function' : `a ${typeof value}`}, which a saved model cannot carry.`);
}

const cannotSave = 'Compile with named losses and metrics (e.g. \'mse\', \'accuracy\') or registered classes, or save with { includeOptimizer: false } to leave the training config out.';

/**
 * TF.js's loss names where its spelling differs from the class name's (its `losses.get` takes the
 * camelCase of what the file says, and knows no short names such as `mse`).
 */
const TFJS_LOSS_NAMES: Readonly<Record<string, string>> = {
  LogCosh: 'logcosh',
  KLDivergence: 'kullback_leibler_divergence',
  CosineSimilarity: 'cosine_proximity',
};

function lossToSaved(loss: Loss, output: string): SavedIdentifier {
  if (!lossRegistry.has(loss.className)) {
    throw new StrataError(`model.save: the loss of output '${output}' (${loss.className} '${loss.name}') is not a registered loss class, so it cannot be saved by name. ${cannotSave}`);
  }
  const config = jsonSafe(loss.getConfig(), `model.save: the config of loss ${loss.className}`) as Record<string, unknown>;
  const defaults = JSON.stringify(lossRegistry.get(loss.className).getConfig());
  // A loss with default options is saved by the name TF.js knows it by, so TF.js can load it too.
  return JSON.stringify(config) === defaults ? (TFJS_LOSS_NAMES[loss.className] ?? toSnakeCase(loss.className)) : { class_name: loss.className, config };
}

function builtinMetricName(fn: unknown): string | null {
  const found = Object.entries(metricFunctions).find(([, f]) => f === fn);
  return found ? toSnakeCase(found[0]) : null;
}

function metricToSaved(m: MetricIdentifier): SavedIdentifier {
  if (typeof m === 'string') return toSnakeCase(m);
  if (typeof m === 'function') {
    const name = builtinMetricName(m);
    if (name) return name;
    throw new StrataError(`model.save: metric function '${m.name || '(anonymous)'}' is not one of Strata's metrics, so it cannot be saved by name. ${cannotSave}`);
  }
  if (m instanceof Metric) {
    if (m.className === 'MeanMetricWrapper') {
      const name = builtinMetricName(m.getConfig().fn);
      if (name) return name;
    }
    if (!metricRegistry.has(m.className) || m.className === 'MeanMetricWrapper') {
      throw new StrataError(`model.save: metric '${m.name}' (${m.className}) is not a registered metric class, so it cannot be saved. ${cannotSave}`);
    }
    return { class_name: m.className, config: jsonSafe(m.getConfig(), `model.save: the config of metric ${m.className}`) as Record<string, unknown> };
  }
  const { className, config } = m as { className: string; config?: Record<string, unknown> };
  return { class_name: className, config: jsonSafe(config ?? {}, `model.save: the config of metric ${className}`) as Record<string, unknown> };
}

/**
 * The optimizer as TF.js names it where TF.js has the same optimizer (so TF.js can load the file):
 * SGD with momentum is TF.js's `Momentum`, RMSprop is `RMSProp` with `rho` written as `decay`.
 * The config keeps Strata's camelCase keys (TF.js writes camelCase here too); a learning-rate
 * schedule is written as Keras's `{ class_name, config }`. The class name also decides how the
 * optimizer state is laid out (optimizer-state.ts).
 *
 * @example
 * optimizerToSaved(optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })).class_name; // 'Momentum'
 */
export function optimizerToSaved(opt: Optimizer): TrainingConfig['optimizer_config'] {
  const config = { ...opt.getConfig() };
  const lr = config.learningRate as { className?: string; config?: unknown } | number;
  if (typeof lr === 'object' && lr !== null) config.learningRate = { class_name: lr.className, config: lr.config };
  const safe = jsonSafe(config, `model.save: the config of optimizer ${opt.className}`) as Record<string, unknown>;
  // TF.js's Momentum state is Strata's velocity divided by -lr: only a fixed, positive rate converts.
  if (opt.className === 'SGD' && typeof safe.momentum === 'number' && safe.momentum > 0 && typeof lr === 'number' && lr > 0) {
    return { class_name: 'Momentum', config: { ...safe, useNesterov: safe.nesterov } };
  }
  if (opt.className === 'RMSprop') {
    const { rho, ...rest } = safe;
    return { class_name: 'RMSProp', config: { ...rest, decay: rho } };
  }
  return { class_name: opt.className, config: safe };
}

/**
 * The training config of a compiled model, as TF.js writes it: losses by the snake_case name
 * TF.js knows them by (`'mse'` is written `'mean_squared_error'`), metrics by snake_case name,
 * and `{ class_name, config }` for classes with options, `loss_weights` when given, and
 * `optimizer_config`. Throws when the model was compiled with something that cannot be saved
 * (a custom loss function).
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
 * trainingConfigOf(model); // { loss: 'mean_squared_error', metrics: ['mae'], optimizer_config: { class_name: 'Adam', config: {...} } }
 */
export function trainingConfigOf(model: LayersModel): TrainingConfig {
  const compiled = model.compiled;
  if (!compiled) throw new StrataError(`model.save: model '${model.name}' is not compiled, so it has no training config.`);
  compiled.resolve();
  const names = model.outputNames;
  const { loss, metrics, lossWeights } = compiled.args;
  const perOutput = (i: number): SavedIdentifier | null => {
    const l = compiled.losses[i];
    return l ? lossToSaved(l, names[i]!) : null;
  };
  // The losses compile built, in the layout the user gave: one for all outputs, a list, or by output name.
  let savedLoss: TrainingConfig['loss'];
  if (Array.isArray(loss)) savedLoss = names.map((_, i) => perOutput(i));
  else if (isPlainObject(loss) && !('className' in loss)) savedLoss = Object.fromEntries(names.map((n, i) => [n, perOutput(i)]));
  else savedLoss = perOutput(0)!;
  const out: TrainingConfig = { loss: savedLoss, optimizer_config: optimizerToSaved(compiled.optimizer) };
  if (metrics !== undefined && metrics !== null) {
    if (Array.isArray(metrics)) out.metrics = metrics.map(metricToSaved);
    else if (isPlainObject(metrics) && !('className' in metrics)) {
      out.metrics = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, Array.isArray(v) ? v.map(metricToSaved) : metricToSaved(v as MetricIdentifier)]));
    } else out.metrics = [metricToSaved(metrics as MetricIdentifier)];
  }
  if (lossWeights !== undefined) out.loss_weights = Array.isArray(lossWeights) ? [...lossWeights] : { ...lossWeights };
  // The key order TF.js writes.
  return { loss: out.loss, ...(out.metrics ? { metrics: out.metrics } : {}), optimizer_config: out.optimizer_config, ...(out.loss_weights ? { loss_weights: out.loss_weights } : {}) };
}

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function camelKeys(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [snakeToCamel(k), v]));
}

function lossFromSaved(id: unknown): LossIdentifier {
  if (typeof id === 'string') return id;
  const { class_name: className, config = {} } = id as { class_name: string; config?: Record<string, unknown> };
  const { reduction, ...rest } = config;
  // Keras 2 writes reduction 'auto', which is its sum-over-batch-size default.
  return { className, config: reduction === 'auto' ? rest : config };
}

function metricFromSaved(id: unknown): MetricIdentifier {
  if (typeof id === 'string') return id;
  const { class_name: className, config = {} } = id as { class_name: string; config?: Record<string, unknown> };
  const { dtype, ...rest } = camelKeys(config);
  return { className, config: dtype === undefined || dtype === 'float32' ? rest : { ...rest, dtype } };
}

/** Translates TF.js-only optimizer names and Keras's nested schedule objects to what Strata's registry takes. */
function optimizerFromSaved(saved: { class_name: string; config?: Record<string, unknown> }): { className: string; config: Record<string, unknown> } {
  let className = saved.class_name;
  const config = { ...(saved.config ?? {}) };
  for (const key of ['learningRate', 'learning_rate']) {
    const lr = config[key];
    if (isPlainObject(lr) && typeof lr.class_name === 'string') config[key] = { className: lr.class_name, config: lr.config ?? {} };
  }
  if (className.replace(/_/g, '').toLowerCase() === 'momentum') {
    // TF.js's MomentumOptimizer is SGD with momentum (its velocity is scaled differently, which
    // only matters for its saved state, and that is not restored from TF.js files).
    className = 'SGD';
    for (const key of ['useNesterov', 'use_nesterov']) {
      if (key in config) {
        if (config.nesterov === undefined) config.nesterov = config[key];
        delete config[key];
      }
    }
  }
  return { className, config };
}

/**
 * The `compile` options a saved training config describes (TF.js's or Keras's): every loss, metric
 * and the optimizer is checked here, so a bad entry gives a SavedModelError naming its key path
 * rather than failing later in `fit`.
 *
 * @example
 * model.compile(compileArgsFromTrainingConfig(json.trainingConfig, '/tmp/m/model.json'));
 */
export function compileArgsFromTrainingConfig(raw: unknown, file: string): CompileArgs {
  const root = 'trainingConfig';
  const tc = parseJson(trainingConfigSchema, raw, file, root);
  const fix = 'Load with loadModel(path, { compile: false }) and compile the model yourself.';
  const unsupported = (key: string, value: unknown): void => {
    const empty = value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);
    if (!empty) throw new SavedModelError(file, `${key} is not supported by Strata's compile`, { where: `${root}.${key}`, fix });
  };
  unsupported('weighted_metrics', tc.weighted_metrics);
  unsupported('sample_weight_mode', tc.sample_weight_mode);
  const check = <T>(where: string, make: () => T): T => {
    try {
      return make();
    } catch (e) {
      if (e instanceof StrataError) throw new SavedModelError(file, e.message, { where, fix, cause: e });
      throw e;
    }
  };
  const optimizer = optimizerFromSaved(tc.optimizer_config);
  check(`${root}.optimizer_config`, () => optimizerRegistry.get(optimizer).dispose());
  const lossAt = (id: unknown, path: PropertyKey[]): LossIdentifier | null => {
    if (id === null) return null;
    const loss = lossFromSaved(id);
    check(keyPath(root, ['loss', ...path]), () => getLoss(loss));
    return loss;
  };
  const raw_loss = tc.loss;
  let loss: CompileArgs['loss'];
  if (Array.isArray(raw_loss)) loss = raw_loss.map((l, i) => lossAt(l, [i]));
  else if (isPlainObject(raw_loss) && !('class_name' in raw_loss)) loss = Object.fromEntries(Object.entries(raw_loss).map(([k, v]) => [k, lossAt(v, [k])]));
  else loss = lossAt(raw_loss, [])!;
  const metricAt = (id: unknown, path: PropertyKey[]): MetricIdentifier => {
    const metric = metricFromSaved(id);
    // 'accuracy' is resolved at the first data from the label shapes; every other name must exist now.
    if (!(typeof metric === 'string' && ['accuracy', 'acc'].includes(metric.toLowerCase()))) check(keyPath(root, ['metrics', ...path]), () => getMetric(metric).dispose());
    return metric;
  };
  const args: CompileArgs = { optimizer, loss };
  const m = tc.metrics;
  if (Array.isArray(m)) args.metrics = m.map((x, i) => metricAt(x, [i]));
  else if (m) args.metrics = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Array.isArray(v) ? v.map((x, i) => metricAt(x, [k, i])) : metricAt(v, [k])]));
  if (tc.loss_weights !== null && tc.loss_weights !== undefined) args.lossWeights = tc.loss_weights;
  return args;
}
