import {
  StrataError,
  Tensor,
  Variable,
  add,
  div,
  fmtShape,
  greater,
  log,
  logicalAnd,
  maximum,
  mean,
  minimum,
  mul,
  onesLike,
  sigmoid,
  slice,
  sub,
  sum,
  tensor,
  tidy,
  where,
  zeros,
  type TensorLike,
} from '@strata/core';
import { EPSILON, isEvenlyDistributed, parseThresholds, updateConfusionMatrix } from './confusion-matrix.js';
import { Metric, checkOptions, describeValue, divideNoNan } from './metric.js';

/** Which curve `AUC` integrates. */
export type AUCCurve = 'ROC' | 'PR';

/** How `AUC` sums the area between two thresholds. */
export type AUCSummationMethod = 'interpolation' | 'minoring' | 'majoring';

/** Options of `AUC`. */
export interface AUCOptions {
  /** Number of thresholds (default 200), evenly spaced over [0, 1] and widened by 1e-7 at both ends. */
  numThresholds?: number;
  /** `'ROC'` (default): true-positive rate against false-positive rate; `'PR'`: precision against recall. */
  curve?: AUCCurve;
  /** `'interpolation'` (default; Davis & Goadrich interpolation for PR), `'minoring'` or `'majoring'`. */
  summationMethod?: AUCSummationMethod;
  /** Explicit thresholds in [0, 1] (then `numThresholds` is their count + 2). */
  thresholds?: readonly number[] | null;
  /** One curve per label of `[batch, labels]` data, averaged (default false: all labels pooled). */
  multiLabel?: boolean;
  /** Number of labels, to build the multi-label state before the first batch. */
  numLabels?: number | null;
  /** Non-negative weight per label: the weighted average of label AUCs with `multiLabel`, count weights without. */
  labelWeights?: readonly number[] | null;
  /** Apply a sigmoid to predictions first (for logits). */
  fromLogits?: boolean;
  /** Logged name (default `'auc'`). */
  name?: string;
}

const CURVES: readonly string[] = ['ROC', 'PR'];
const SUMMATIONS: readonly string[] = ['interpolation', 'minoring', 'majoring'];

/**
 * Area under the ROC or precision-recall curve (Keras 3 `AUC`), approximated by a Riemann sum over
 * `numThresholds` thresholds from confusion counts accumulated over the whole epoch. Predictions
 * are probabilities (clipped to [0, 1]; pass `fromLogits` for logits); labels are positive where
 * non-zero.
 *
 * `summationMethod: 'interpolation'` uses trapezoids for ROC and, for PR, the Davis & Goadrich
 * (2006) interpolation of precision between thresholds; `'minoring'` and `'majoring'` use the lower
 * or upper of the two heights. With the default evenly spaced thresholds, counts are found by
 * bucketing predictions as Keras does (a score exactly on a threshold may land in the neighbouring
 * bucket through float32 rounding).
 *
 * @example
 * const m = new AUC({ numThresholds: 3 });
 * m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
 * await m.result().data(); // [0.75]
 */
export class AUC extends Metric {
  readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: AUCCurve;
  readonly summationMethod: AUCSummationMethod;
  readonly multiLabel: boolean;
  readonly labelWeights: readonly number[] | null;
  readonly fromLogits: boolean;
  /** Every threshold, the two widened end points included. */
  readonly thresholds: readonly number[];
  private readonly initFromThresholds: boolean;
  private readonly evenly: boolean;
  private numLabelsBuilt: number | null = null;
  private counts: { tp: Variable; fp: Variable; tn: Variable; fn: Variable } | null = null;

  constructor(options: AUCOptions = {}) {
    checkOptions('AUC', options, ['numThresholds', 'curve', 'summationMethod', 'thresholds', 'multiLabel', 'numLabels', 'labelWeights', 'fromLogits', 'name']);
    const curve = options.curve ?? 'ROC';
    if (!CURVES.includes(curve)) {
      throw new StrataError(`AUC: option 'curve' must be 'ROC' or 'PR'; received ${describeValue(curve)}. Leave it out for 'ROC'.`);
    }
    const summationMethod = options.summationMethod ?? 'interpolation';
    if (!SUMMATIONS.includes(summationMethod)) {
      throw new StrataError(`AUC: option 'summationMethod' must be 'interpolation', 'minoring' or 'majoring'; received ${describeValue(summationMethod)}. Leave it out for 'interpolation'.`);
    }
    let inner: number[];
    let evenly: boolean;
    const initFromThresholds = options.thresholds !== undefined && options.thresholds !== null;
    if (initFromThresholds) {
      inner = parseThresholds('AUC', options.thresholds, 0.5).sort((a, b) => a - b);
      evenly = isEvenlyDistributed([0, ...inner, 1]);
    } else {
      const n = options.numThresholds ?? 200;
      if (typeof n !== 'number' || !Number.isInteger(n) || n <= 1) {
        throw new StrataError(`AUC: option 'numThresholds' must be an integer > 1; received ${describeValue(n)}. Leave it out for 200.`);
      }
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      evenly = true;
    }
    const multiLabel = options.multiLabel ?? false;
    if (typeof multiLabel !== 'boolean') {
      throw new StrataError(`AUC: option 'multiLabel' must be a boolean; received ${describeValue(multiLabel)}. Pass true for one curve per label.`);
    }
    const fromLogits = options.fromLogits ?? false;
    if (typeof fromLogits !== 'boolean') {
      throw new StrataError(`AUC: option 'fromLogits' must be a boolean; received ${describeValue(fromLogits)}. Pass true when predictions are logits.`);
    }
    const labelWeights = options.labelWeights ?? null;
    if (labelWeights !== null && (!Array.isArray(labelWeights) || labelWeights.some((w) => typeof w !== 'number' || !(w >= 0)))) {
      throw new StrataError(`AUC: option 'labelWeights' must be a list of non-negative numbers, one per label; received ${describeValue(labelWeights)}. Leave it out to weigh labels equally.`);
    }
    const numLabels = options.numLabels ?? null;
    if (numLabels !== null && (typeof numLabels !== 'number' || !Number.isInteger(numLabels) || numLabels < 1)) {
      throw new StrataError(`AUC: option 'numLabels' must be a positive integer; received ${describeValue(numLabels)}. Leave it out to take it from the first batch.`);
    }
    if (numLabels !== null && !multiLabel) {
      throw new StrataError(`AUC: option 'numLabels' (received ${numLabels}) is used only with multiLabel: true. Set multiLabel: true for one curve per label, or leave numLabels out.`);
    }
    super(options.name ?? 'auc');
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.multiLabel = multiLabel;
    this.fromLogits = fromLogits;
    this.labelWeights = labelWeights === null ? null : [...labelWeights];
    this.initFromThresholds = initFromThresholds;
    this.evenly = evenly;
    this.thresholds = [0 - EPSILON, ...inner, 1 + EPSILON];
    this.numThresholds = this.thresholds.length;
    if (!multiLabel || numLabels !== null) this.build(numLabels);
  }

  /**
   * Adds one batch's confusion counts at every threshold. `sampleWeight` is one weight per sample
   * or per prediction.
   *
   * @example
   * m.updateState(tensor([[1], [0]]), tensor([[0.8], [0.3]]));
   */
  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    this.assertLive('updateState');
    tidy(() => {
      const t = this.toFloat(yTrue, 'yTrue');
      let p = this.toFloat(yPred, 'yPred');
      if (this.multiLabel) {
        if (p.rank !== 2) {
          throw new StrataError(`${this.label}.updateState: with multiLabel, yPred must have shape [batch, labels]; received yPred ${fmtShape(p.shape)}. Reshape it, or set multiLabel: false.`);
        }
        this.build(p.shape[1]!);
      }
      if (this.labelWeights !== null) {
        const labels = p.rank >= 1 ? p.shape[p.rank - 1]! : 1;
        if (this.labelWeights.length !== labels) {
          throw new StrataError(`${this.label}.updateState: labelWeights has ${this.labelWeights.length} entries but yPred ${fmtShape(p.shape)} has ${labels} labels; give one weight per label.`);
        }
      }
      if (this.fromLogits) p = sigmoid(p);
      const c = this.counts!;
      updateConfusionMatrix(this.label, { truePositives: c.tp, falsePositives: c.fp, trueNegatives: c.tn, falseNegatives: c.fn }, t, p, {
        thresholds: this.thresholds,
        evenlyDistributed: this.evenly,
        sampleWeight: sampleWeight === undefined || sampleWeight === null ? null : this.toFloat(sampleWeight, 'sampleWeight'),
        multiLabel: this.multiLabel,
        labelWeights: this.multiLabel ? null : this.labelWeights,
      });
    });
  }

  /**
   * The area so far, a scalar (0 before any data). With `multiLabel`, the (label-weighted) mean of
   * the per-label areas.
   *
   * @example
   * await m.result().data();
   */
  override result(): Tensor {
    this.assertLive('result');
    const c = this.counts;
    if (c === null) return zeros([]);
    return tidy(() => {
      const n = this.numThresholds;
      const lo = (x: Tensor): Tensor => slice(x, 0, n - 1);
      const hi = (x: Tensor): Tensor => slice(x, 1, n - 1);
      let terms: Tensor;
      if (this.curve === 'PR' && this.summationMethod === 'interpolation') {
        terms = this.interpolatedPrTerms(c, lo, hi);
      } else {
        const recall = divideNoNan(c.tp, add(c.tp, c.fn));
        let x: Tensor;
        let y: Tensor;
        if (this.curve === 'ROC') {
          x = divideNoNan(c.fp, add(c.fp, c.tn));
          y = recall;
        } else {
          x = recall;
          y = divideNoNan(c.tp, add(c.tp, c.fp));
        }
        const heights = this.summationMethod === 'interpolation'
          ? div(add(lo(y), hi(y)), 2)
          : this.summationMethod === 'minoring' ? minimum(lo(y), hi(y)) : maximum(lo(y), hi(y));
        terms = mul(sub(lo(x), hi(x)), heights);
      }
      return this.combine(terms);
    });
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name,
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: this.summationMethod,
      multiLabel: this.multiLabel,
      numLabels: this.numLabelsBuilt,
      labelWeights: this.labelWeights,
      fromLogits: this.fromLogits,
    };
    // The generated thresholds are left out (they follow from numThresholds); explicit ones are
    // written without the widened end points, which the constructor adds back.
    if (this.initFromThresholds) config.thresholds = this.thresholds.slice(1, -1);
    return config;
  }

  /**
   * Davis & Goadrich (2006) interpolation of precision between neighbouring thresholds, integrated
   * over recall in closed form (Keras' `interpolate_pr_auc`).
   */
  private interpolatedPrTerms(c: NonNullable<AUC['counts']>, lo: (x: Tensor) => Tensor, hi: (x: Tensor) => Tensor): Tensor {
    const dtp = sub(lo(c.tp), hi(c.tp));
    const p = add(c.tp, c.fp);
    const dp = sub(lo(p), hi(p));
    const precSlope = divideNoNan(dtp, maximum(dp, 0));
    const intercept = sub(hi(c.tp), mul(precSlope, hi(p)));
    const safePRatio = where(
      logicalAnd(greater(lo(p), 0), greater(hi(p), 0)),
      divideNoNan(lo(p), maximum(hi(p), 0)),
      onesLike(hi(p)),
    );
    return divideNoNan(mul(precSlope, add(dtp, mul(intercept, log(safePRatio)))), maximum(add(hi(c.tp), hi(c.fn)), 0));
  }

  /** Sums the Riemann terms: over thresholds, then (multi-label) averaged over labels. */
  private combine(terms: Tensor): Tensor {
    if (!this.multiLabel) return sum(terms);
    const byLabel = sum(terms, 0);
    if (this.labelWeights === null) return mean(byLabel);
    const lw = tensor([...this.labelWeights]);
    return divideNoNan(sum(mul(byLabel, lw)), sum(lw));
  }

  private build(numLabels: number | null): void {
    if (this.counts !== null) {
      if (numLabels !== null && numLabels !== this.numLabelsBuilt) {
        throw new StrataError(`${this.label}.updateState: this metric keeps counts for ${this.numLabelsBuilt} labels but yPred has ${numLabels}. Use one AUC per label count (or set numLabels to match).`);
      }
      return;
    }
    if (this.labelWeights !== null && numLabels !== null && this.labelWeights.length !== numLabels) {
      throw new StrataError(`${this.label}: labelWeights has ${this.labelWeights.length} entries but there are ${numLabels} labels; give one weight per label.`);
    }
    const shape = numLabels === null ? [this.numThresholds] : [this.numThresholds, numLabels];
    this.numLabelsBuilt = numLabels;
    this.counts = {
      tp: this.addVariable('true_positives', shape),
      fp: this.addVariable('false_positives', shape),
      tn: this.addVariable('true_negatives', shape),
      fn: this.addVariable('false_negatives', shape),
    };
  }
}
