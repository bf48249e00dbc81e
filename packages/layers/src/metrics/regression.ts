import {
  StrataError,
  Tensor,
  Variable,
  abs,
  add,
  broadcastTo,
  cast,
  convert,
  div,
  fill,
  fmtShape,
  greaterEqual,
  isInf,
  mean,
  mul,
  reshape,
  sqrt,
  square,
  sub,
  sum,
  tidy,
  where,
  type TensorLike,
} from '@strata/core';
import { Mean, MeanMetricWrapper } from './mean.js';
import { Metric, broadcastsTo, checkOptions, describeValue, sameShape, shapesOf, squeezeOrExpandToSameRank } from './metric.js';

function alignedPair(label: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const t0 = cast(convert(yTrue, 'yTrue', label), 'float32');
  const p0 = cast(convert(yPred, 'yPred', label), 'float32');
  const [t, p] = squeezeOrExpandToSameRank(t0, p0);
  if (!sameShape(t.shape, p.shape)) {
    throw new StrataError(`${label}: yTrue and yPred must have the same shape (a trailing 1 on either side is squeezed); received ${shapesOf(t0, p0)}. ` +
      'Give one target per prediction, e.g. targets [batch, units] for predictions [batch, units].');
  }
  return [t, p];
}

/** Averages the last axis to one value per sample, except that rank-1 inputs are already per sample. */
function perSample(x: Tensor): Tensor {
  return x.rank >= 2 ? mean(x, -1) : x;
}

/**
 * @internal `meanSquaredError`, with errors naming `label` (the calling metric).
 *
 * @example
 * meanSquaredErrorValues('mse (MeanSquaredError)', [[0, 2]], [[1, 2]]); // [0.5]
 */
export function meanSquaredErrorValues(label: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignedPair(label, yTrue, yPred);
    return perSample(square(sub(t, p)));
  });
}

/**
 * @internal `meanAbsoluteError`, with errors naming `label`.
 *
 * @example
 * meanAbsoluteErrorValues('mae (MeanAbsoluteError)', [[0, 2]], [[1, 2]]); // [0.5]
 */
export function meanAbsoluteErrorValues(label: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignedPair(label, yTrue, yPred);
    return perSample(abs(sub(t, p)));
  });
}

/**
 * Per-sample mean squared error over the last axis. Rank-1 inputs (`[batch]`) are one value per
 * sample, unlike Keras and TF.js, which would average the whole batch into one number and so
 * count the batch as a single sample in an epoch mean.
 *
 * @example
 * meanSquaredError([[0, 1], [0, 0]], [[1, 1], [1, 0]]); // [0.5, 0.5]
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return meanSquaredErrorValues('meanSquaredError', yTrue, yPred);
}

/**
 * Per-sample mean absolute error over the last axis (rank-1 inputs are one value per sample).
 *
 * @example
 * meanAbsoluteError([[0, 1], [0, 0]], [[1, 1], [1, 0]]); // [0.5, 0.5]
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return meanAbsoluteErrorValues('meanAbsoluteError', yTrue, yPred);
}

/** Options of the regression metrics. */
export interface RegressionMetricOptions {
  /** Logged name. */
  name?: string;
}

/**
 * Mean squared error over every sample seen this epoch (weighted by `sampleWeight`).
 *
 * @example
 * const m = new MeanSquaredError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * await m.result().data(); // [0.25]
 */
export class MeanSquaredError extends MeanMetricWrapper {
  override readonly className: string = 'MeanSquaredError';

  constructor(options: RegressionMetricOptions = {}) {
    checkOptions('MeanSquaredError', options, ['name']);
    super(meanSquaredError, { name: options.name ?? 'mean_squared_error' });
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredErrorValues(this.label, yTrue, yPred);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/**
 * Mean absolute error over every sample seen this epoch (weighted by `sampleWeight`).
 *
 * @example
 * const m = new MeanAbsoluteError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * await m.result().data(); // [0.25]
 */
export class MeanAbsoluteError extends MeanMetricWrapper {
  override readonly className: string = 'MeanAbsoluteError';

  constructor(options: RegressionMetricOptions = {}) {
    checkOptions('MeanAbsoluteError', options, ['name']);
    super(meanAbsoluteError, { name: options.name ?? 'mean_absolute_error' });
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsoluteErrorValues(this.label, yTrue, yPred);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/**
 * The square root of the epoch's weighted mean squared error (not the mean of per-batch roots).
 *
 * @example
 * const m = new RootMeanSquaredError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * await m.result().data(); // [0.5]
 */
export class RootMeanSquaredError extends Mean {
  override readonly className: string = 'RootMeanSquaredError';

  constructor(options: RegressionMetricOptions = {}) {
    checkOptions('RootMeanSquaredError', options, ['name']);
    super({ name: options.name ?? 'root_mean_squared_error' });
  }

  /**
   * Adds one batch's squared errors.
   *
   * @example
   * m.updateState(yTrue, yPred);
   */
  override updateState(yTrue: TensorLike, yPred?: TensorLike | null, sampleWeight?: TensorLike | null): void {
    this.assertLive('updateState');
    if (yPred === undefined || yPred === null) {
      throw new StrataError(`${this.label}.updateState: argument 'yPred' is missing; received ${describeValue(yPred)}. Call updateState(yTrue, yPred, sampleWeight?).`);
    }
    tidy(() => {
      const [t, p] = alignedPair(this.label, yTrue, yPred);
      const w = sampleWeight === undefined || sampleWeight === null ? null : this.toFloat(sampleWeight, 'sampleWeight');
      this.accumulate(square(sub(p, t)), w);
    });
  }

  /**
   * `sqrt(total / count)`.
   *
   * @example
   * await m.result().data();
   */
  override result(): Tensor {
    return tidy(() => sqrt(super.result()));
  }
}

/** How `R2Score` combines the per-output scores. */
export type R2ClassAggregation = 'uniform_average' | 'variance_weighted_average' | null;

/** Options of `R2Score`. */
export interface R2ScoreOptions {
  /** `'uniform_average'` (default): the mean of per-output scores; `'variance_weighted_average'`: weighted by each output's variance; `null`: one score per output. */
  classAggregation?: R2ClassAggregation;
  /** Number of regressors, for the adjusted R² (default 0: not adjusted). */
  numRegressors?: number;
  /** Logged name (default `'r2_score'`). */
  name?: string;
}

/**
 * The coefficient of determination `1 - SS_res / SS_tot` over every sample seen this epoch (Keras 3
 * `R2Score`): it accumulates per-output sums of `y`, `y²`, squared residuals and weights, so the
 * epoch score uses the epoch's mean of `y`, not per-batch means. Inputs are `[batch, outputs]` (or
 * `[batch]` labels with `[batch, 1]` predictions). An output with zero variance scores 0 where its
 * ratio is infinite, as in Keras. With `numRegressors = p > 0` the result is the adjusted
 * `1 - (1 - R²)(n - 1)/(n - p - 1)`, where `n` counts label elements as Keras does; when
 * `p >= n - 1` the unadjusted score is returned (Keras also warns, which would need a host read).
 *
 * @example
 * const m = new R2Score();
 * m.updateState([[1], [4], [3]], [[2], [4], [4]]);
 * await m.result().data(); // [0.5714286]
 */
export class R2Score extends Metric {
  readonly className: string = 'R2Score';
  readonly classAggregation: R2ClassAggregation;
  readonly numRegressors: number;
  private readonly numSamples: Variable;
  private sums: { sum: Variable; squaredSum: Variable; totalMse: Variable; count: Variable } | null = null;

  constructor(options: R2ScoreOptions = {}) {
    checkOptions('R2Score', options, ['classAggregation', 'numRegressors', 'name']);
    const classAggregation = options.classAggregation === undefined ? 'uniform_average' : options.classAggregation;
    if (classAggregation !== null && classAggregation !== 'uniform_average' && classAggregation !== 'variance_weighted_average') {
      throw new StrataError(`R2Score: option 'classAggregation' must be 'uniform_average', 'variance_weighted_average' or null; received ${describeValue(classAggregation)}. Leave it out for 'uniform_average'.`);
    }
    const numRegressors = options.numRegressors ?? 0;
    if (typeof numRegressors !== 'number' || !Number.isInteger(numRegressors) || numRegressors < 0) {
      throw new StrataError(`R2Score: option 'numRegressors' must be a non-negative integer; received ${describeValue(numRegressors)}. Pass the number of features of the model, or 0 for the plain R².`);
    }
    super(options.name ?? 'r2_score');
    this.classAggregation = classAggregation;
    this.numRegressors = numRegressors;
    this.numSamples = this.addVariable('num_samples', []);
  }

  /**
   * Adds one batch of `[batch, outputs]` targets and predictions; `sampleWeight` is `[batch]`,
   * `[batch, 1]` or `[batch, outputs]`.
   *
   * @example
   * m.updateState([[1], [2]], [[1.1], [1.8]]);
   */
  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    this.assertLive('updateState');
    tidy(() => {
      const t0 = this.toFloat(yTrue, 'yTrue');
      const p0 = this.toFloat(yPred, 'yPred');
      const [t, p] = squeezeOrExpandToSameRank(t0, p0);
      if (t.rank !== 2 || p.rank !== 2 || !sameShape(t.shape, p.shape)) {
        throw new StrataError(`${this.label}.updateState: expected yTrue and yPred of the same shape [batch, outputs]; received ${shapesOf(t0, p0)}. ` +
          'Reshape single-output targets and predictions to [batch, 1].');
      }
      const outputs = t.shape[1]!;
      const state = this.build(outputs);
      let w = fill(t.shape, 1);
      if (sampleWeight !== undefined && sampleWeight !== null) {
        const sw0 = this.toFloat(sampleWeight, 'sampleWeight');
        const sw = sw0.rank === 1 ? reshape(sw0, [sw0.shape[0]!, 1]) : sw0;
        if (!broadcastsTo(sw.shape, t.shape)) {
          throw new StrataError(`${this.label}.updateState: sampleWeight of shape ${fmtShape(sw0.shape)} does not fit yTrue ${fmtShape(t.shape)}; pass one weight per sample ([batch] or [batch, 1]) or one per element ([batch, outputs]).`);
        }
        w = broadcastTo(sw, t.shape);
      }
      const weighted = mul(t, w);
      state.sum.assign(add(state.sum, sum(weighted, 0)));
      state.squaredSum.assign(add(state.squaredSum, sum(mul(t, weighted), 0)));
      state.totalMse.assign(add(state.totalMse, sum(mul(square(sub(t, p)), w), 0)));
      state.count.assign(add(state.count, sum(w, 0)));
      this.numSamples.assign(add(this.numSamples, t.size));
    });
  }

  /**
   * The R² of everything seen so far: a scalar, or one score per output when `classAggregation`
   * is null. NaN before any data (as Keras: 0 / 0).
   *
   * @example
   * await m.result().data();
   */
  override result(): Tensor {
    this.assertLive('result');
    const state = this.sums;
    if (state === null) {
      if (this.classAggregation === null) {
        throw new StrataError(`${this.label}.result: no data yet, so the number of outputs is unknown and there is no per-output score to return. Call updateState with a batch first.`);
      }
      return fill([], NaN);
    }
    return tidy(() => {
      const meanY = div(state.sum, state.count);
      const total = sub(state.squaredSum, mul(state.sum, meanY));
      const ratio = sub(1, div(state.totalMse, total));
      const raw = where(isInf(ratio), 0, ratio);
      let r2: Tensor;
      if (this.classAggregation === 'uniform_average') r2 = mean(raw);
      else if (this.classAggregation === 'variance_weighted_average') r2 = div(sum(mul(total, raw)), sum(total));
      else r2 = raw;
      if (this.numRegressors === 0) return r2;
      const n = this.numSamples;
      const p = this.numRegressors;
      const adjusted = sub(1, div(mul(sub(1, r2), sub(n, 1)), sub(sub(n, p), 1)));
      return where(greaterEqual(sub(n, 1), p + 1), adjusted, r2);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }

  private build(outputs: number): NonNullable<R2Score['sums']> {
    if (this.sums !== null) {
      const built = this.sums.sum.shape[0];
      if (built !== outputs) {
        throw new StrataError(`${this.label}.updateState: this metric was built for ${built} outputs but received a batch with ${outputs}. Create one R2Score per output shape (resetState() keeps the shape it was built for).`);
      }
      return this.sums;
    }
    this.sums = {
      sum: this.addVariable('sum', [outputs]),
      squaredSum: this.addVariable('squared_sum', [outputs]),
      totalMse: this.addVariable('total_mse', [outputs]),
      count: this.addVariable('count', [outputs]),
    };
    return this.sums;
  }
}
