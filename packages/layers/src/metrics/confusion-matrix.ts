import {
  StrataError,
  Tensor,
  Variable,
  add,
  broadcastTo,
  cast,
  ceil,
  clip,
  cumsum,
  expandDims,
  fmtShape,
  greater,
  isNaN,
  logicalAnd,
  logicalNot,
  mul,
  oneHot,
  range,
  relu,
  reshape,
  scatterAdd,
  slice,
  sub,
  sum,
  tensor,
  topK as topKOp,
  where,
} from '@strata/core';
import { broadcastsTo, describeValue, sameShape, shapesOf, squeezeOrExpandToSameRank } from './metric.js';

/** Keras' `NEG_INF`: scores outside the top k are pushed below every threshold. */
export const NEG_INF = -1e10;

/** Keras' `backend.epsilon()`, which widens the outer AUC thresholds past 0 and 1. */
export const EPSILON = 1e-7;

/** The confusion-matrix counts a metric keeps, one entry per threshold (and per label). */
export interface ConfusionVariables {
  truePositives?: Variable;
  falsePositives?: Variable;
  trueNegatives?: Variable;
  falseNegatives?: Variable;
}

/** How one batch is turned into counts. */
export interface ConfusionOptions {
  /** Sorted ascending; a prediction is positive at a threshold when strictly above it. */
  thresholds: readonly number[];
  /** True for thresholds `i / (n - 1)` (possibly widened by epsilon): counted by bucketing. */
  evenlyDistributed: boolean;
  topK?: number | null;
  classId?: number | null;
  sampleWeight?: Tensor | null;
  /** Counts per label (`[thresholds, labels]`) instead of over all labels. */
  multiLabel?: boolean;
  /** Per-label weights, applied to the counts when not `multiLabel`. */
  labelWeights?: readonly number[] | null;
}

/**
 * Thresholds from a metric's options: `undefined`/`null` gives `[defaultThreshold]`, a number or a
 * list of numbers in [0, 1] is taken as given.
 *
 * @example
 * parseThresholds('Precision', [0.3, 0.7], 0.5); // [0.3, 0.7]
 */
export function parseThresholds(className: string, thresholds: unknown, defaultThreshold: number): number[] {
  if (thresholds === undefined || thresholds === null) return [defaultThreshold];
  const list = typeof thresholds === 'number' ? [thresholds] : thresholds;
  if (!Array.isArray(list) || list.length === 0 || list.some((t) => typeof t !== 'number' || Number.isNaN(t))) {
    throw new StrataError(`${className}: option 'thresholds' must be a number or a non-empty list of numbers in [0, 1]; received ${describeValue(thresholds)}. Pass e.g. { thresholds: 0.5 } or { thresholds: [0.3, 0.5, 0.7] }.`);
  }
  const outside = (list as number[]).filter((t) => t < 0 || t > 1);
  if (outside.length > 0) {
    throw new StrataError(`${className}: threshold values must be in [0, 1]; received ${JSON.stringify(outside)} in thresholds ${JSON.stringify(list)}. Scale them into [0, 1] (predictions are probabilities).`);
  }
  return [...(list as number[])];
}

/**
 * Keras' `is_evenly_distributed_thresholds`: at least 3 values, each within NumPy's `allclose`
 * tolerance of `i / (n - 1)`.
 *
 * @example
 * isEvenlyDistributed([0, 0.5, 1]); // true
 */
export function isEvenlyDistributed(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  return thresholds.every((t, i) => {
    const even = Math.fround(i / (n - 1));
    return Math.abs(t - even) <= EPSILON + 1e-5 * Math.abs(even);
  });
}

function accumulate(v: Variable | undefined, delta: Tensor): void {
  if (v !== undefined) v.assign(add(v, delta));
}

/**
 * Keras' `update_confusion_matrix_variables`: adds one batch's (weighted) true/false
 * positive/negative counts at every threshold into the given variables. Must run inside `tidy`;
 * reads nothing back to the host.
 *
 * Labels are positive where non-zero. `topK` keeps each row's k best scores (ties broken by the
 * lower index, as `topK` does) and sends the rest below every threshold; `classId` keeps one
 * column. Evenly spaced thresholds are counted by bucketing each prediction (clipped to [0, 1])
 * and summing bucket histograms from the top, which needs memory proportional to the batch, not
 * batch x thresholds; other thresholds are compared directly.
 *
 * @example
 * tidy(() => updateConfusionMatrix('precision (Precision)', { truePositives: tp }, yTrue, yPred, { thresholds: [0.5], evenlyDistributed: false }));
 */
export function updateConfusionMatrix(label: string, vars: ConfusionVariables, yTrue: Tensor, yPred: Tensor, options: ConfusionOptions): void {
  const { thresholds, evenlyDistributed, topK = null, classId = null, sampleWeight = null, multiLabel = false, labelWeights = null } = options;
  let [p, t] = squeezeOrExpandToSameRank(yPred, yTrue);
  if (!sameShape(t.shape, p.shape)) {
    throw new StrataError(`${label}.updateState: yTrue and yPred must have the same shape (a trailing 1 on either side is squeezed); received ${shapesOf(yTrue, yPred)}. ` +
      'Give one label per prediction (one-hot labels for per-class scores).');
  }
  let w: Tensor | null = null;
  if (sampleWeight !== null) {
    const [, sw] = squeezeOrExpandToSameRank(t, expandDims(sampleWeight, -1), false);
    if (!broadcastsTo(sw.shape, t.shape)) {
      throw new StrataError(`${label}.updateState: sampleWeight of shape ${fmtShape(sampleWeight.shape)} does not fit yPred ${fmtShape(yPred.shape)}; pass one weight per sample ([batch]) or one per prediction (yPred's shape).`);
    }
    w = broadcastTo(sw, t.shape);
  }
  const numClasses = p.rank >= 1 ? p.shape[p.rank - 1]! : 1;
  if (topK !== null) {
    if (p.rank < 1 || topK > numClasses) {
      throw new StrataError(`${label}.updateState: topK = ${topK} needs yPred with at least ${topK} scores along its last axis; received yPred ${fmtShape(yPred.shape)}. Lower topK or pass per-class scores.`);
    }
    const { indices } = topKOp(p, topK);
    const mask = sum(oneHot(indices, numClasses), -2);
    p = add(mul(p, mask), mul(sub(1, mask), NEG_INF));
  }
  if (classId !== null) {
    if (p.rank < 2) {
      throw new StrataError(`${label}.updateState: classId needs yPred of shape [batch, numClasses]; received yPred ${fmtShape(yPred.shape)}. Leave classId out for single-score predictions.`);
    }
    if (classId >= numClasses) {
      throw new StrataError(`${label}.updateState: classId ${classId} is out of range for yPred ${fmtShape(yPred.shape)} with ${numClasses} classes; pass a classId in [0, ${numClasses - 1}].`);
    }
    const begin = [...new Array<number>(p.rank - 1).fill(0), classId];
    const size = [...p.shape.slice(0, -1), 1];
    p = slice(p, begin, size);
    t = slice(t, begin, size);
    if (w !== null) w = slice(w, begin, size);
  }
  if (labelWeights !== null && !multiLabel) {
    const lw = broadcastTo(tensor([...labelWeights]), p.shape);
    w = w === null ? lw : mul(w, lw);
  }
  if (evenlyDistributed) bucketCounts(vars, t, p, w, thresholds, multiLabel);
  else compareCounts(vars, t, p, w, thresholds, multiLabel);
}

/** Counts by comparing every prediction with every threshold: memory batch x thresholds. */
function compareCounts(vars: ConfusionVariables, t: Tensor, p: Tensor, w: Tensor | null, thresholds: readonly number[], multiLabel: boolean): void {
  const numThresholds = thresholds.length;
  const lead = multiLabel ? [1, ...p.shape] : [1, p.size];
  const thr = reshape(tensor([...thresholds]), multiLabel ? [numThresholds, 1, 1] : [numThresholds, 1]);
  const predPos = greater(reshape(p, lead), thr);
  const labelPos = reshape(cast(t, 'bool'), lead);
  const weights = w === null ? null : reshape(w, lead);
  const count = (labelCond: Tensor, predCond: Tensor): Tensor => {
    const hits = cast(logicalAnd(labelCond, predCond), 'float32');
    return sum(weights === null ? hits : mul(hits, weights), 1);
  };
  if (vars.truePositives) accumulate(vars.truePositives, count(labelPos, predPos));
  const predNeg = vars.falseNegatives || vars.trueNegatives ? logicalNot(predPos) : null;
  const labelNeg = vars.falsePositives || vars.trueNegatives ? logicalNot(labelPos) : null;
  if (vars.falseNegatives) accumulate(vars.falseNegatives, count(labelPos, predNeg!));
  if (vars.falsePositives) accumulate(vars.falsePositives, count(labelNeg!, predPos));
  if (vars.trueNegatives) accumulate(vars.trueNegatives, count(labelNeg!, predNeg!));
}

/**
 * Counts for thresholds `i / (n - 1)`: a prediction `q` in (k/(n-1), (k+1)/(n-1)] is above
 * thresholds 0..k, so it lands in bucket `ceil(q (n - 1)) - 1` (0 when the lowest threshold sits
 * below 0), and the count at threshold i is the sum of buckets >= i.
 */
function bucketCounts(vars: ConfusionVariables, t: Tensor, p: Tensor, w: Tensor | null, thresholds: readonly number[], multiLabel: boolean): void {
  const numThresholds = thresholds.length;
  const withEpsilon = thresholds[0]! < 0 || thresholds[numThresholds - 1]! > 1;
  const isPos = cast(cast(t, 'bool'), 'float32');
  const trueLabels = w === null ? isPos : mul(isPos, w);
  const falseLabels = w === null ? sub(1, isPos) : mul(sub(1, isPos), w);
  let bucket = sub(ceil(mul(clip(p, 0, 1), numThresholds - 1)), 1);
  if (withEpsilon) bucket = relu(bucket);
  // Shifted by one so that "above no threshold" (bucket -1, and NaN scores) is row 0, which the
  // exclusive reverse cumsum below leaves out of every count.
  const row = where(isNaN(p), 0, add(bucket, 1));
  let ids = cast(row, 'int32');
  let rows = numThresholds;
  const labels = multiLabel ? p.shape[1]! : 1;
  if (multiLabel) {
    ids = add(mul(ids, labels), range(0, labels, 1, 'int32'));
    rows = numThresholds * labels;
  }
  const flatIds = reshape(ids, [-1]);
  const histogram = (values: Tensor): Tensor => {
    const h = scatterAdd(flatIds, reshape(values, [-1]), [rows]);
    return cumsum(multiLabel ? reshape(h, [numThresholds, labels]) : h, 0, true, true);
  };
  const needPos = vars.truePositives || vars.falseNegatives;
  const needNeg = vars.falsePositives || vars.trueNegatives;
  const tp = needPos ? histogram(trueLabels) : null;
  const fp = needNeg ? histogram(falseLabels) : null;
  if (vars.truePositives) accumulate(vars.truePositives, tp!);
  if (vars.falsePositives) accumulate(vars.falsePositives, fp!);
  if (vars.falseNegatives) accumulate(vars.falseNegatives, sub(multiLabel ? sum(trueLabels, 0) : sum(trueLabels), tp!));
  if (vars.trueNegatives) accumulate(vars.trueNegatives, sub(multiLabel ? sum(falseLabels, 0) : sum(falseLabels), fp!));
}
