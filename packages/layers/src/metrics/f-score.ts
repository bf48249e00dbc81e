import {
  StrataError,
  Tensor,
  Variable,
  abs,
  add,
  cast,
  div,
  fmtShape,
  greater,
  greaterEqual,
  logicalAnd,
  max,
  mean,
  mul,
  reshape,
  sub,
  sum,
  tidy,
  zeros,
  type TensorLike,
} from '@strata/core';
import { EPSILON } from './confusion-matrix.js';
import { Metric, checkOptions, describeValue, sameShape, shapesOf } from './metric.js';

/** How `FBetaScore` combines per-class scores. */
export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

/** Options of `FBetaScore`. */
export interface FBetaScoreOptions {
  /**
   * `null` (default): one score per class; `'micro'`: from counts pooled over classes; `'macro'`:
   * the mean of per-class scores; `'weighted'`: per-class scores weighted by each class's support.
   */
  average?: FScoreAverage;
  /** Weight of recall against precision (default 1). */
  beta?: number;
  /** A prediction is positive when strictly above this, in (0, 1]; by default each row's highest (non-zero) score is the positive one. */
  threshold?: number | null;
  /** Logged name (default `'fbeta_score'`). */
  name?: string;
}

/** Options of `F1Score`. */
export type F1ScoreOptions = Omit<FBetaScoreOptions, 'beta'>;

const AVERAGES: readonly unknown[] = [null, 'micro', 'macro', 'weighted'];

/**
 * The F-beta score `(1 + β²) P R / (β² P + R)` of multi-label or multi-class predictions (Keras 3
 * `FBetaScore`), from true-positive, false-positive and false-negative counts accumulated per class
 * over the epoch. Inputs are `[batch, classes]` with 0/1 (or one-hot) labels. Precision, recall
 * and the score each add Keras' 1e-7 to their denominators, so a class never predicted scores 0.
 *
 * @example
 * const m = new FBetaScore({ beta: 2, threshold: 0.5, average: 'micro' });
 * m.updateState([[1, 0], [0, 1]], [[0.9, 0.6], [0.2, 0.4]]);
 * await m.result().data(); // ≈ [0.5]: P = R = 1/2
 */
export class FBetaScore extends Metric {
  readonly className: string = 'FBetaScore';
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  private counts: { tp: Variable; fp: Variable; fn: Variable; support: Variable } | null = null;
  private numClasses = 0;

  constructor(options: FBetaScoreOptions = {}, className = 'FBetaScore', defaultName = 'fbeta_score') {
    checkOptions(className, options, ['average', 'beta', 'threshold', 'name']);
    const average = options.average === undefined ? null : options.average;
    if (!AVERAGES.includes(average)) {
      throw new StrataError(`${className}: option 'average' must be null, 'micro', 'macro' or 'weighted'; received ${describeValue(average)}. Leave it out for one score per class.`);
    }
    const beta = options.beta ?? 1;
    if (typeof beta !== 'number' || !(beta > 0) || !Number.isFinite(beta)) {
      throw new StrataError(`${className}: option 'beta' must be a positive number; received ${describeValue(beta)}. Pass e.g. { beta: 2 } to favour recall.`);
    }
    const threshold = options.threshold ?? null;
    if (threshold !== null && (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1))) {
      throw new StrataError(`${className}: option 'threshold' must be a number in (0, 1]; received ${describeValue(threshold)}. Pass e.g. { threshold: 0.5 }, or leave it out to take each row's highest score.`);
    }
    super(options.name ?? defaultName);
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  /**
   * Adds one batch of `[batch, classes]` labels and scores; `sampleWeight` is one weight per sample.
   *
   * @example
   * m.updateState([[1, 0], [0, 1]], [[0.9, 0.1], [0.3, 0.7]]);
   */
  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    this.assertLive('updateState');
    tidy(() => {
      const t = this.toFloat(yTrue, 'yTrue');
      const p = this.toFloat(yPred, 'yPred');
      if (p.rank !== 2 || !sameShape(t.shape, p.shape)) {
        throw new StrataError(`${this.label}.updateState: expected yTrue and yPred of the same shape [batch, classes]; received ${shapesOf(t, p)}. ` +
          'One-hot encode class labels, and give single-output predictions as [batch, 1].');
      }
      const c = this.build(p.shape[1]!);
      const predicted = this.threshold === null
        // Each row's highest score is positive (all tied maxima are), but an all-zero row stays negative.
        ? logicalAnd(greaterEqual(p, max(p, -1, true)), greater(abs(p), 1e-9))
        : greater(p, this.threshold);
      const yp = cast(predicted, 'float32');
      let w: Tensor | null = null;
      if (sampleWeight !== undefined && sampleWeight !== null) {
        const sw = this.toFloat(sampleWeight, 'sampleWeight');
        const n = p.shape[0]!;
        const perSample = sw.rank === 0 || (sw.rank === 1 && (sw.shape[0] === n || sw.shape[0] === 1)) || (sw.rank === 2 && sw.shape[1] === 1 && (sw.shape[0] === n || sw.shape[0] === 1));
        if (!perSample) {
          throw new StrataError(`${this.label}.updateState: sampleWeight must hold one weight per sample, shape [${n}] or [${n}, 1]; received shape ${fmtShape(sw.shape)}.`);
        }
        w = reshape(sw, sw.rank === 0 ? [1, 1] : [sw.shape[0]!, 1]);
      }
      const axis = this.average === 'micro' ? null : 0;
      const weighted = (x: Tensor): Tensor => sum(w === null ? x : mul(x, w), axis);
      const notPred = sub(1, yp);
      c.tp.assign(add(c.tp, weighted(mul(yp, t))));
      c.fp.assign(add(c.fp, weighted(mul(yp, sub(1, t)))));
      c.fn.assign(add(c.fn, weighted(mul(notPred, t))));
      c.support.assign(add(c.support, weighted(t)));
    });
  }

  /**
   * The score so far: per class (average null) or a scalar.
   *
   * @example
   * await m.result().data();
   */
  override result(): Tensor {
    this.assertLive('result');
    const c = this.counts;
    if (c === null) {
      if (this.average === null) {
        throw new StrataError(`${this.label}.result: no data yet, so the number of classes is unknown and there is no per-class score to return. Call updateState with a batch first.`);
      }
      return zeros([]);
    }
    return tidy(() => {
      const b2 = this.beta * this.beta;
      const precision = div(c.tp, add(add(c.tp, c.fp), EPSILON));
      const recall = div(c.tp, add(add(c.tp, c.fn), EPSILON));
      const score = mul(div(mul(precision, recall), add(add(mul(precision, b2), recall), EPSILON)), 1 + b2);
      if (this.average === 'weighted') {
        const weights = div(c.support, add(sum(c.support), EPSILON));
        return sum(mul(score, weights));
      }
      if (this.average !== null) return mean(score);
      return score;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, average: this.average, beta: this.beta, threshold: this.threshold };
  }

  private build(classes: number): NonNullable<FBetaScore['counts']> {
    if (this.counts !== null) {
      const built = this.average === 'micro' ? this.numClasses : this.counts.tp.shape[0];
      if (built !== classes) {
        throw new StrataError(`${this.label}.updateState: this metric was built for ${built} classes but received a batch with ${classes}. Create one metric per class count.`);
      }
      return this.counts;
    }
    this.numClasses = classes;
    const shape = this.average === 'micro' ? [] : [classes];
    this.counts = {
      tp: this.addVariable('true_positives', shape),
      fp: this.addVariable('false_positives', shape),
      fn: this.addVariable('false_negatives', shape),
      support: this.addVariable('intermediate_weights', shape),
    };
    return this.counts;
  }
}

/**
 * The F1 score, the harmonic mean of precision and recall (Keras 3 `F1Score`): `FBetaScore` with
 * beta 1. By default one score per class; `average: 'micro' | 'macro' | 'weighted'` gives a scalar.
 *
 * @example
 * const m = new F1Score({ threshold: 0.5 });
 * m.updateState([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]);
 * await m.result().data(); // [0.5, 0.8, 0.6666667]
 */
export class F1Score extends FBetaScore {
  override readonly className: string = 'F1Score';

  constructor(options: F1ScoreOptions = {}) {
    checkOptions('F1Score', options, ['average', 'threshold', 'name']);
    super({ ...options, beta: 1 }, 'F1Score', 'f1_score');
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, average: this.average, threshold: this.threshold };
  }
}
