import { StrataError, Tensor, Variable, add, broadcastTo, fmtShape, mean, mul, sum, tidy, type TensorLike } from '@strata/core';
import { Metric, broadcastsTo, checkOptions, describeValue, divideNoNan, squeezeOrExpandToSameRank } from './metric.js';

/** A per-sample metric function: labels and predictions in, one value per sample (or element) out. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Options of `Mean`. */
export interface MeanOptions {
  /** Logged name (default `'mean'`). */
  name?: string;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * Keras' `reduce_to_samplewise_values`: weights are lined up with the values (a trailing 1 squeezed
 * or added), values are averaged down to the weights' rank, weighted, and finally averaged to one
 * value per sample; the weights are averaged the same way so their sum counts samples.
 */
function reduceToSamplewise(label: string, values: Tensor, sampleWeight: Tensor | null): { values: Tensor; weights: Tensor | null } {
  let v = values;
  let w: Tensor | null = null;
  if (sampleWeight !== null) {
    [v, w] = squeezeOrExpandToSameRank(v, sampleWeight);
    const weightRank = w.rank;
    if (v.rank > weightRank) v = mean(v, range(weightRank, v.rank));
    if (!broadcastsTo(w.shape, v.shape)) {
      throw new StrataError(`${label}.updateState: sampleWeight of shape ${fmtShape(sampleWeight.shape)} does not match the values of shape ${fmtShape(values.shape)}; ` +
        'it must be a scalar, one weight per sample ([batch] or [batch, 1]), or broadcast to the values (each trailing dimension equal or 1). Reshape the weights to [batch].');
    }
    w = broadcastTo(w, v.shape);
    v = mul(v, w);
    if (weightRank > 1) w = mean(w, range(1, weightRank));
  }
  if (v.rank > 1) v = mean(v, range(1, v.rank));
  return { values: v, weights: w };
}

/**
 * The running weighted mean of the values it is given: it keeps `total` (the sum of weighted
 * values) and `count` (the sum of weights, or the number of samples), and `result()` is
 * `total / count` (0 before any update). Values of rank above 1 are averaged to one per sample
 * first, as Keras does. Note that `updateState` takes `(values, sampleWeight)`, not labels and
 * predictions; to turn a `(yTrue, yPred) => values` function into a metric use `MeanMetricWrapper`.
 *
 * @example
 * const m = new Mean();
 * m.updateState([1, 3, 5, 7]);
 * m.updateState([2], [4]); // weight 4
 * await m.result().data(); // [(1 + 3 + 5 + 7 + 2 * 4) / (4 + 4)] = [3]
 */
export class Mean extends Metric {
  readonly className: string = 'Mean';
  protected readonly total: Variable;
  protected readonly count: Variable;

  constructor(options: MeanOptions = {}) {
    checkOptions('Mean', options, ['name']);
    super(options.name ?? 'mean');
    this.total = this.addVariable('total', []);
    this.count = this.addVariable('count', []);
  }

  /**
   * Adds `values` (any shape; averaged to one value per sample) with optional weights.
   *
   * @example
   * m.updateState(tensor([1, 2]), tensor([1, 0]));
   */
  override updateState(values: TensorLike, sampleWeight?: TensorLike | null): void {
    this.assertLive('updateState');
    tidy(() => {
      const v = this.toFloat(values, 'values');
      const w = sampleWeight === undefined || sampleWeight === null ? null : this.toFloat(sampleWeight, 'sampleWeight');
      this.accumulate(v, w);
    });
  }

  /**
   * The weighted mean so far (0 before any update).
   *
   * @example
   * await m.result().data();
   */
  override result(): Tensor {
    this.assertLive('result');
    return divideNoNan(this.total, this.count);
  }

  /** Adds float32 values and weights into `total` and `count`; call inside `tidy`. */
  protected accumulate(values: Tensor, sampleWeight: Tensor | null): void {
    const { values: v, weights: w } = reduceToSamplewise(this.label, values, sampleWeight);
    this.total.assign(add(this.total, sum(v)));
    const n = w !== null ? sum(w) : v.rank >= 1 ? v.shape[0]! : 1;
    this.count.assign(add(this.count, n));
  }
}

/** Options of `MeanMetricWrapper`. */
export interface MeanMetricWrapperOptions {
  /** Logged name (default: the function's name, else `'mean_metric_wrapper'`). */
  name?: string;
  /** The per-sample function (here so that `getConfig()` rebuilds the wrapper in-process). */
  fn?: MetricFn;
}

/**
 * Makes a metric out of a per-sample function `(yTrue, yPred) => values`: each batch's values go
 * into a running weighted `Mean`, so the epoch result is the mean over all samples seen, not the
 * mean of per-batch means. The function runs inside `tidy`; it must use tensor ops only (no reads).
 * A function's config cannot be written to JSON; a saved model keeps only the metric's name.
 *
 * @example
 * const within = new MeanMetricWrapper((t, p) => cast(less(abs(sub(t, p)), 0.1), 'float32'), { name: 'within_0_1' });
 * within.updateState([[1], [2]], [[1.05], [2.5]]);
 * await within.result().data(); // [0.5]
 */
export class MeanMetricWrapper extends Mean {
  override readonly className: string = 'MeanMetricWrapper';
  protected readonly fn: MetricFn;

  constructor(fn: MetricFn, options: Omit<MeanMetricWrapperOptions, 'fn'> = {}) {
    if (typeof fn !== 'function') {
      throw new StrataError(`MeanMetricWrapper: argument 'fn' must be a function (yTrue, yPred) => per-sample values; received ${describeValue(fn)}. Pass a function, or a metric name such as 'mse' to getMetric().`);
    }
    checkOptions('MeanMetricWrapper', options, ['name', 'fn']);
    super({ name: options.name ?? (fn.name !== '' ? fn.name : 'mean_metric_wrapper') });
    this.fn = fn;
  }

  /**
   * Computes the per-sample values of one batch and adds them, weighted by `sampleWeight`.
   *
   * @example
   * m.updateState(yTrue, yPred, sampleWeight);
   */
  override updateState(yTrue: TensorLike, yPred?: TensorLike | null, sampleWeight?: TensorLike | null): void {
    this.assertLive('updateState');
    if (yPred === undefined || yPred === null) {
      throw new StrataError(`${this.label}.updateState: argument 'yPred' is missing; received ${describeValue(yPred)}. Call updateState(yTrue, yPred, sampleWeight?).`);
    }
    tidy(() => {
      const t = this.toFloat(yTrue, 'yTrue');
      const p = this.toFloat(yPred, 'yPred');
      const values = this.computeValues(t, p);
      if (!(values instanceof Tensor)) {
        throw new StrataError(`${this.label}.updateState: the metric function must return a Tensor of per-sample values; received ${describeValue(values)}. Return e.g. mean(square(sub(yTrue, yPred)), -1).`);
      }
      const w = sampleWeight === undefined || sampleWeight === null ? null : this.toFloat(sampleWeight, 'sampleWeight');
      this.accumulate(this.toFloat(values, 'values'), w);
    });
  }

  /** The per-sample values of one batch; subclasses override it to name themselves in errors. */
  protected computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, fn: this.fn };
  }
}
