import { StrataError } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.js';
import { Metric, getMetric, metricRegistry, resolveAccuracy, type MetricIdentifier } from '../metrics/index.js';
import { Optimizer, optimizerRegistry } from '../optimizers/index.js';
import type { Identifier } from '../registry.js';

/** A loss for each output: one for all, a list in output order, or an object keyed by output name (null: no loss for that output). */
export type CompileLoss = LossIdentifier | (LossIdentifier | null)[] | Record<string, LossIdentifier | null>;

/** Metrics: a list applied to every output, or an object of lists keyed by output name. */
export type CompileMetrics = MetricIdentifier | MetricIdentifier[] | Record<string, MetricIdentifier | MetricIdentifier[]>;

/** Options of `model.compile`. */
export interface CompileArgs {
  /** An optimizer: a name (`'adam'`, `'sgd'`, `'rmsprop'`, ... with Keras' defaults), `{ className, config }`, or an instance. */
  optimizer: Identifier<Optimizer>;
  /** The loss: a name (`'mse'`, `'categorical_crossentropy'`), a `Loss`, a function, or one per output. */
  loss: CompileLoss;
  /** Metrics to log (`'accuracy'` picks binary, categorical or sparse accuracy from the loss and shapes). */
  metrics?: CompileMetrics;
  /** Weights of the per-output losses in the total (default 1 each): a list in output order, or keyed by output name. */
  lossWeights?: number[] | Record<string, number>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value as object).join(', ')}]`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype && !('className' in x);
}

/**
 * Spreads a per-output option (one value, a list, or an object keyed by output name) into one entry
 * per output, checking the list length and the keys.
 */
function perOutput<T>(what: string, value: T | T[] | Record<string, T>, names: readonly string[], fill: T, single: (v: unknown) => boolean): T[] {
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new StrataError(`compile: ${what} is a list of ${value.length}, but the model has ${names.length} output(s) (${names.join(', ')}); give one per output, in order, or an object keyed by output name.`);
    }
    return value;
  }
  if (isPlainObject(value) && !single(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      throw new StrataError(`compile: ${what} has key(s) ${unknown.map((k) => `'${k}'`).join(', ')}, which are not output names; the model's outputs are [${names.join(', ')}].`);
    }
    return names.map((n) => (n in value ? (value as Record<string, T>)[n]! : fill));
  }
  return names.map(() => value as T);
}

/**
 * What `compile` set up for a model: the optimizer, a loss and weight per output, and the metrics
 * (built on the first data, since `'accuracy'` depends on the label shapes, as in Keras 3).
 * `model.compile(args)` creates one and keeps it as `model.compiled`.
 *
 * @example
 * const compiled = new CompiledModel(model, { optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
 * compiled.buildMetrics([y.shape]);
 * compiled.logNames; // ['loss', 'mae']
 */
export class CompiledModel {
  readonly optimizer: Optimizer;
  /** The loss of each output (null where the output has none). */
  losses: (Loss | null)[] = [];
  lossWeights: number[] = [];
  /** The metrics of each output, once built. */
  metrics: Metric[][] | null = null;
  /** Log names of `metrics`, in the same layout. */
  metricNames: string[][] = [];
  private metricSpecs: MetricIdentifier[][] = [];
  private resolved = false;
  private readonly owned = new Set<Metric>();
  /** True when compile built the optimizer from a name, so its slots are ours to free. */
  private readonly ownsOptimizer: boolean;

  constructor(
    private readonly model: LayersModel,
    readonly args: CompileArgs,
  ) {
    if (!args || typeof args !== 'object') {
      throw new StrataError(`compile: expected options { optimizer, loss, metrics? }; received ${describe(args)}. Pass e.g. model.compile({ optimizer: 'adam', loss: 'mse' }).`);
    }
    if (args.optimizer === undefined || args.optimizer === null) {
      throw new StrataError("compile: option 'optimizer' is required; pass a name such as 'adam' or 'sgd', or an optimizer instance.");
    }
    if (args.loss === undefined || args.loss === null) {
      throw new StrataError("compile: option 'loss' is required; pass a name such as 'mse' or 'categorical_crossentropy', a Loss, or one per output.");
    }
    this.optimizer = optimizerRegistry.get(args.optimizer);
    this.ownsOptimizer = this.optimizer !== args.optimizer;
    try {
      if (model.inputs.length > 0) this.resolve();
    } catch (e) {
      if (this.ownsOptimizer) this.optimizer.dispose();
      throw e;
    }
  }

  /** Output names of the model (known once it is built). */
  get outputNames(): string[] {
    return this.model.outputNames;
  }

  /**
   * Spreads losses, loss weights and metric lists over the outputs; called at compile for built
   * models, else on the first data (a Sequential model without an input shape).
   */
  resolve(): void {
    if (this.resolved) return;
    const names = this.outputNames;
    const { loss, lossWeights, metrics } = this.args;
    const isSingleLoss = (v: unknown): boolean => typeof v === 'string' || typeof v === 'function' || (v !== null && typeof v === 'object' && 'className' in v);
    const lossIds = perOutput<LossIdentifier | null>('loss', loss as LossIdentifier, names, null, isSingleLoss);
    this.losses = lossIds.map((id, i) => {
      if (id === null || id === undefined) return null;
      try {
        return getLoss(id);
      } catch (e) {
        throw new StrataError(`compile: the loss for output '${names[i]}' is invalid: ${(e as Error).message}`);
      }
    });
    if (this.losses.every((l) => l === null)) {
      throw new StrataError(`compile: no output has a loss; give a loss for at least one of [${names.join(', ')}].`);
    }
    const weights = lossWeights === undefined ? names.map(() => 1) : perOutput<number>('lossWeights', lossWeights, names, 1, () => false);
    weights.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isFinite(w)) {
        throw new StrataError(`compile: lossWeights for output '${names[i]}' must be a finite number; received ${describe(w)}.`);
      }
    });
    this.lossWeights = weights;
    const isSingleMetric = (v: unknown): boolean => v instanceof Metric || typeof v === 'string' || typeof v === 'function' || (v !== null && typeof v === 'object' && 'className' in v);
    let specs: MetricIdentifier[][];
    if (metrics === undefined || metrics === null) specs = names.map(() => []);
    else if (Array.isArray(metrics) || isSingleMetric(metrics)) {
      const list = (Array.isArray(metrics) ? metrics : [metrics]) as MetricIdentifier[];
      specs = names.map(() => list);
    } else {
      specs = perOutput<MetricIdentifier | MetricIdentifier[]>('metrics', metrics as Record<string, MetricIdentifier[]>, names, [], () => false)
        .map((m) => (Array.isArray(m) ? m : [m]));
    }
    this.metricSpecs = specs;
    this.resolved = true;
  }

  /**
   * Builds the metrics for label shapes `yShapes` (one per output), once: `'accuracy'` becomes the
   * binary, categorical or sparse variant (`resolveAccuracy`), an instance given for several
   * outputs is copied per output, and names get the output prefix with several outputs.
   */
  buildMetrics(yShapes: readonly (readonly number[])[]): void {
    this.resolve();
    if (this.metrics) return;
    const names = this.outputNames;
    const multi = names.length > 1;
    const used = new Set<Metric>();
    const built: Metric[][] = [];
    const logNames: string[][] = [];
    const taken = new Set(['loss', ...names.map((n) => `${n}_loss`)]);
    this.metricSpecs.forEach((specs, i) => {
      const predShape = this.model.outputs[i]!.shape;
      const trueShape: (number | null)[] = [null, ...(yShapes[i] ?? []).slice(1)];
      const row: Metric[] = [];
      const rowNames: string[] = [];
      for (const spec of specs) {
        let metric: Metric;
        try {
          metric = spec instanceof Metric ? spec : resolveAccuracy(spec, this.losses[i]?.className ?? null, trueShape, predShape);
        } catch (e) {
          throw new StrataError(`compile: the metric ${typeof spec === 'string' ? `'${spec}'` : describe(spec)} for output '${names[i]}' is invalid: ${(e as Error).message}`);
        }
        if (used.has(metric)) metric = this.copyMetric(metric, names[i]!);
        else if (!(spec instanceof Metric)) this.owned.add(metric);
        used.add(metric);
        let name = multi ? `${names[i]}_${metric.name}` : metric.name;
        for (let k = 1; taken.has(name); k++) name = `${multi ? `${names[i]}_` : ''}${metric.name}_${k}`;
        taken.add(name);
        row.push(metric);
        rowNames.push(name);
      }
      built.push(row);
      logNames.push(rowNames);
    });
    this.metrics = built;
    this.metricNames = logNames;
  }

  private copyMetric(metric: Metric, output: string): Metric {
    let copy: Metric;
    try {
      copy = metricRegistry.has(metric.className) ? metricRegistry.get({ className: metric.className, config: metric.getConfig() }) : getMetric(metric.getConfig().fn as MetricIdentifier);
    } catch {
      throw new StrataError(`compile: metric '${metric.name}' (${metric.className}) is one instance used for several outputs, and it cannot be copied for output '${output}'. Pass a metric name, or an object of metrics keyed by output name with one instance each.`);
    }
    copy.name = metric.name;
    this.owned.add(copy);
    return copy;
  }

  /** Log names of the losses: `loss`, and `<output>_loss` for each output with a loss when there are several. */
  get lossNames(): string[] {
    this.resolve();
    const names = this.outputNames;
    if (names.length === 1) return ['loss'];
    return ['loss', ...names.flatMap((n, i) => (this.losses[i] ? [`${n}_loss`] : []))];
  }

  /** Every log name of a training or evaluation run, in order (losses, then metrics). */
  get logNames(): string[] {
    return [...this.lossNames, ...this.metricNames.flat()];
  }

  /** Zeroes every metric's state (start of an epoch or evaluation). */
  resetMetrics(): void {
    for (const row of this.metrics ?? []) for (const m of row) m.resetState();
  }

  /** Frees the metrics and the optimizer compile created (not instances the user passed). */
  dispose(): void {
    for (const m of this.owned) m.dispose();
    this.owned.clear();
    this.metrics = null;
    if (this.ownsOptimizer) this.optimizer.dispose();
  }
}
