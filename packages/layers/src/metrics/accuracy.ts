import {
  StrataError,
  Tensor,
  all,
  any,
  argMax,
  cast,
  convert,
  equal,
  expandDims,
  fmtShape,
  greater,
  greaterEqual,
  isFinite,
  less,
  logicalAnd,
  max,
  range,
  reshape,
  slice,
  squeeze,
  sum,
  tidy,
  where,
  type TensorLike,
} from '@strata/core';
import { MeanMetricWrapper } from './mean.js';
import { checkOptions, sameShape, shapesOf, squeezeOrExpandToSameRank } from './metric.js';

// Per-sample accuracy functions. Each takes a `label` so the errors name the metric that called it.

function toFloat(x: TensorLike, arg: string, label: string): Tensor {
  return cast(convert(x, arg, label), 'float32');
}

function sameShapeAfterSqueeze(label: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const t0 = toFloat(yTrue, 'yTrue', label);
  const p0 = toFloat(yPred, 'yPred', label);
  const [t, p] = squeezeOrExpandToSameRank(t0, p0);
  if (!sameShape(t.shape, p.shape)) {
    throw new StrataError(`${label}: yTrue and yPred must have the same shape (a trailing 1 on either side is squeezed); received ${shapesOf(t0, p0)}. ` +
      'Give one label per prediction, e.g. labels [batch, 1] for predictions [batch, 1].');
  }
  return [t, p];
}

function classScores(label: string, yPred: Tensor): void {
  if (yPred.rank < 1 || yPred.shape[yPred.rank - 1]! < 1) {
    throw new StrataError(`${label}: yPred must have a last dimension of class scores; received yPred ${fmtShape(yPred.shape)}. Pass predictions of shape [batch, numClasses].`);
  }
}

/** Integer labels of shape `yPred.shape[:-1]` (a trailing 1 dropped), as float32 or int32. */
function sparseLabels(label: string, yTrue: Tensor, yPred: Tensor): Tensor {
  classScores(label, yPred);
  const batch = yPred.shape.slice(0, -1);
  if (sameShape(yTrue.shape, batch)) return yTrue;
  if (yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 && sameShape(yTrue.shape.slice(0, -1), batch)) return squeeze(yTrue, [yTrue.rank - 1]);
  const hint = sameShape(yTrue.shape, yPred.shape) ? ' yTrue has the shape of yPred, so it looks one-hot: use the categorical variant of this metric.' : '';
  throw new StrataError(`${label}: yTrue must hold one integer class index per sample, shape ${fmtShape(batch)} or ${fmtShape([...batch, 1])} for yPred ${fmtShape(yPred.shape)}; received ${shapesOf(yTrue, yPred)}.${hint} ` +
    'Pass class indices in [0, numClasses).');
}

/** One-hot (or probability) labels with exactly yPred's shape. */
function denseLabels(label: string, yTrue: Tensor, yPred: Tensor): void {
  classScores(label, yPred);
  if (!sameShape(yTrue.shape, yPred.shape)) {
    const batch = yPred.shape.slice(0, -1);
    const looksSparse = sameShape(yTrue.shape, batch) || sameShape(yTrue.shape, [...batch, 1]);
    const hint = looksSparse ? ' yTrue looks like integer class indices: use the sparse variant of this metric (or oneHot the labels).' : '';
    throw new StrataError(`${label}: yTrue must be one-hot with the same shape as yPred; received ${shapesOf(yTrue, yPred)}.${hint} Pass labels of shape ${fmtShape(yPred.shape)}.`);
  }
}

/**
 * TF's `in_top_k` on `[M, C]` scores and `[M]` int32 targets: a target counts when fewer than `k`
 * classes score strictly higher, so classes tied with the k-th score are all in the top k. As in
 * TF's kernel, a row whose target is outside `[0, C)` or that holds a non-finite score is false.
 */
function inTopK(targets: Tensor, preds: Tensor, k: number): Tensor {
  const numClasses = preds.shape[preds.rank - 1]!;
  const hit = equal(expandDims(targets, -1), range(0, numClasses, 1, 'int32'));
  const atTarget = max(where(hit, preds, -Infinity), -1, true);
  const higher = sum(cast(greater(preds, atTarget), 'int32'), -1);
  const valid = logicalAnd(logicalAnd(greaterEqual(targets, 0), less(targets, numClasses)), all(isFinite(preds), -1));
  return logicalAnd(less(higher, k), valid);
}

function checkK(className: string, k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new StrataError(`${className}: option 'k' must be a positive integer; received ${String(k)}. Pass e.g. { k: 5 }.`);
  }
  return k;
}

function checkThreshold(className: string, threshold: unknown): number {
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new StrataError(`${className}: option 'threshold' must be a number; received ${String(threshold)}. Pass e.g. { threshold: 0.5 }.`);
  }
  return threshold;
}

/**
 * @internal `accuracy`, with errors naming `label` (the calling metric).
 *
 * @example
 * accuracyValues('acc (Accuracy)', [1, 2], [1, 3]); // [1, 0]
 */
export function accuracyValues(label: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = sameShapeAfterSqueeze(label, yTrue, yPred);
    return cast(equal(t, p), 'float32');
  });
}

/**
 * @internal `binaryAccuracy`, with errors naming `label`.
 *
 * @example
 * binaryAccuracyValues('acc (BinaryAccuracy)', [1, 0], [0.7, 0.6], 0.5); // [1, 0]
 */
export function binaryAccuracyValues(label: string, yTrue: TensorLike, yPred: TensorLike, threshold: number): Tensor {
  return tidy(() => {
    const [t, p] = sameShapeAfterSqueeze(label, yTrue, yPred);
    return cast(equal(t, cast(greater(p, threshold), 'float32')), 'float32');
  });
}

/**
 * @internal `categoricalAccuracy`, with errors naming `label`.
 *
 * @example
 * categoricalAccuracyValues('acc (CategoricalAccuracy)', [[0, 1]], [[0.2, 0.8]]); // [1]
 */
export function categoricalAccuracyValues(label: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const t = toFloat(yTrue, 'yTrue', label);
    const p = toFloat(yPred, 'yPred', label);
    denseLabels(label, t, p);
    return cast(equal(argMax(t, -1), argMax(p, -1)), 'float32');
  });
}

/**
 * @internal `sparseCategoricalAccuracy`, with errors naming `label`.
 *
 * @example
 * sparseCategoricalAccuracyValues('acc (SparseCategoricalAccuracy)', [1], [[0.2, 0.8]]); // [1]
 */
export function sparseCategoricalAccuracyValues(label: string, yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const p = toFloat(yPred, 'yPred', label);
    const t = sparseLabels(label, toFloat(yTrue, 'yTrue', label), p);
    return cast(equal(t, cast(argMax(p, -1), 'float32')), 'float32');
  });
}

/**
 * @internal `topKCategoricalAccuracy`, with errors naming `label`.
 *
 * @example
 * topKCategoricalAccuracyValues('top2 (TopKCategoricalAccuracy)', [[0, 0, 1]], [[0.5, 0.3, 0.2]], 2); // [0]
 */
export function topKCategoricalAccuracyValues(label: string, yTrue: TensorLike, yPred: TensorLike, k: number): Tensor {
  return tidy(() => {
    const t = toFloat(yTrue, 'yTrue', label);
    const p = toFloat(yPred, 'yPred', label);
    denseLabels(label, t, p);
    const batch = p.shape.slice(0, -1);
    const numClasses = p.shape[p.rank - 1]!;
    const targets = reshape(argMax(t, -1), [-1]);
    return reshape(cast(inTopK(targets, reshape(p, [-1, numClasses]), k), 'float32'), batch);
  });
}

/**
 * @internal `sparseTopKCategoricalAccuracy`, with errors naming `label`.
 *
 * @example
 * sparseTopKCategoricalAccuracyValues('top2 (SparseTopKCategoricalAccuracy)', [2], [[0.5, 0.3, 0.2]], 2, false); // [0]
 */
export function sparseTopKCategoricalAccuracyValues(label: string, yTrue: TensorLike, yPred: TensorLike, k: number, fromSortedIds: boolean): Tensor {
  return tidy(() => {
    const p = toFloat(yPred, 'yPred', label);
    const t = sparseLabels(label, toFloat(yTrue, 'yTrue', label), p);
    const batch = p.shape.slice(0, -1);
    const last = p.shape[p.rank - 1]!;
    if (fromSortedIds) {
      // yPred holds class ids, best first: a hit is the label among the first k of them.
      const top = slice(p, new Array<number>(p.rank).fill(0), [...batch, Math.min(k, last)]);
      return cast(any(equal(expandDims(t, -1), top), -1), 'float32');
    }
    const targets = cast(reshape(t, [-1]), 'int32');
    return reshape(cast(inTopK(targets, reshape(p, [-1, last]), k), 'float32'), batch);
  });
}

/**
 * Per-element exact equality of labels and predictions, 1 or 0 (Keras `accuracy`).
 *
 * @example
 * accuracy([1, 2, 3], [1, 2, 4]); // [1, 1, 0]
 */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return accuracyValues('accuracy', yTrue, yPred);
}

/**
 * Per-element binary accuracy: a prediction is positive when strictly above `threshold`.
 *
 * @example
 * binaryAccuracy([[1], [0]], [[0.7], [0.6]]); // [[1], [0]]
 */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  return binaryAccuracyValues('binaryAccuracy', yTrue, yPred, checkThreshold('binaryAccuracy', threshold));
}

/**
 * Per-sample categorical accuracy: 1 where the arg-max of one-hot `yTrue` and of `yPred` agree (the
 * first maximum wins ties).
 *
 * @example
 * categoricalAccuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]); // [1, 0]
 */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return categoricalAccuracyValues('categoricalAccuracy', yTrue, yPred);
}

/**
 * Per-sample accuracy against integer class labels (`[batch]` or `[batch, 1]`, int or float).
 *
 * @example
 * sparseCategoricalAccuracy([1, 0], [[0.2, 0.8], [0.3, 0.7]]); // [1, 0]
 */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return sparseCategoricalAccuracyValues('sparseCategoricalAccuracy', yTrue, yPred);
}

/**
 * Per-sample top-k accuracy against one-hot labels, with TF `in_top_k` tie semantics (a target tied
 * with the k-th best score counts as in the top k).
 *
 * @example
 * topKCategoricalAccuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], 2); // [0]
 */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return topKCategoricalAccuracyValues('topKCategoricalAccuracy', yTrue, yPred, checkK('topKCategoricalAccuracy', k));
}

/**
 * Per-sample top-k accuracy against integer labels, with TF `in_top_k` tie semantics.
 *
 * @example
 * sparseTopKCategoricalAccuracy([2], [[0.5, 0.3, 0.2]], 2); // [0]
 */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5, fromSortedIds = false): Tensor {
  return sparseTopKCategoricalAccuracyValues('sparseTopKCategoricalAccuracy', yTrue, yPred, checkK('sparseTopKCategoricalAccuracy', k), fromSortedIds);
}

/** Options shared by the accuracy metrics. */
export interface AccuracyOptions {
  /** Logged name. */
  name?: string;
}

/**
 * How often predictions equal labels exactly (Keras `Accuracy`), over all elements seen this epoch.
 * For class predictions use the binary, categorical or sparse variants; `compile` resolves the
 * string `'accuracy'` to one of them (see `resolveAccuracy`).
 *
 * @example
 * const m = new Accuracy();
 * m.updateState([1, 2, 3, 4], [0, 2, 3, 4]);
 * await m.result().data(); // [0.75]
 */
export class Accuracy extends MeanMetricWrapper {
  override readonly className: string = 'Accuracy';

  constructor(options: AccuracyOptions = {}) {
    checkOptions('Accuracy', options, ['name']);
    super(accuracy, { name: options.name ?? 'accuracy' });
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return accuracyValues(this.label, yTrue, yPred);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** Options of `BinaryAccuracy`. */
export interface BinaryAccuracyOptions extends AccuracyOptions {
  /** A prediction is positive when strictly above this (default 0.5). */
  threshold?: number;
}

/**
 * How often `yPred > threshold` matches binary labels, over every element seen this epoch.
 *
 * @example
 * const m = new BinaryAccuracy({ threshold: 0.5 });
 * m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
 * await m.result().data(); // [0.75]
 */
export class BinaryAccuracy extends MeanMetricWrapper {
  override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;

  constructor(options: BinaryAccuracyOptions = {}) {
    checkOptions('BinaryAccuracy', options, ['name', 'threshold']);
    const threshold = checkThreshold('BinaryAccuracy', options.threshold ?? 0.5);
    const name = options.name ?? 'binary_accuracy';
    super(binaryAccuracy, { name });
    this.threshold = threshold;
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryAccuracyValues(this.label, yTrue, yPred, this.threshold);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, threshold: this.threshold };
  }
}

/**
 * How often the arg-max of `yPred` matches the arg-max of one-hot `yTrue`.
 *
 * @example
 * const m = new CategoricalAccuracy();
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * await m.result().data(); // [0.5]
 */
export class CategoricalAccuracy extends MeanMetricWrapper {
  override readonly className: string = 'CategoricalAccuracy';

  constructor(options: AccuracyOptions = {}) {
    checkOptions('CategoricalAccuracy', options, ['name']);
    const name = options.name ?? 'categorical_accuracy';
    super(categoricalAccuracy, { name });
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalAccuracyValues(this.label, yTrue, yPred);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/**
 * How often the arg-max of `yPred` equals integer labels (`[batch]` or `[batch, 1]`, int or float).
 *
 * @example
 * const m = new SparseCategoricalAccuracy();
 * m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
 * await m.result().data(); // [0.5]
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className: string = 'SparseCategoricalAccuracy';

  constructor(options: AccuracyOptions = {}) {
    checkOptions('SparseCategoricalAccuracy', options, ['name']);
    const name = options.name ?? 'sparse_categorical_accuracy';
    super(sparseCategoricalAccuracy, { name });
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalAccuracyValues(this.label, yTrue, yPred);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** Options of `TopKCategoricalAccuracy`. */
export interface TopKCategoricalAccuracyOptions extends AccuracyOptions {
  /** How many of the best-scored classes count as a hit (default 5). */
  k?: number;
}

/**
 * How often the one-hot target is among the `k` best-scored classes. Ties follow TF's `in_top_k`
 * (as Keras does): a target counts when fewer than `k` classes score strictly higher, so every
 * class tied with the k-th best score is in the top k; a row with a non-finite score never counts.
 *
 * @example
 * const m = new TopKCategoricalAccuracy({ k: 1 });
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * await m.result().data(); // [0.5]
 */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className: string = 'TopKCategoricalAccuracy';
  readonly k: number;

  constructor(options: TopKCategoricalAccuracyOptions = {}) {
    checkOptions('TopKCategoricalAccuracy', options, ['name', 'k']);
    const k = checkK('TopKCategoricalAccuracy', options.k ?? 5);
    const name = options.name ?? 'top_k_categorical_accuracy';
    super(topKCategoricalAccuracy, { name });
    this.k = k;
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return topKCategoricalAccuracyValues(this.label, yTrue, yPred, this.k);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}

/** Options of `SparseTopKCategoricalAccuracy`. */
export interface SparseTopKCategoricalAccuracyOptions extends TopKCategoricalAccuracyOptions {
  /** When true, `yPred` holds class ids sorted best first instead of scores (default false). */
  fromSortedIds?: boolean;
}

/**
 * How often the integer target is among the `k` best-scored classes, with the tie rule of
 * `TopKCategoricalAccuracy`.
 *
 * @example
 * const m = new SparseTopKCategoricalAccuracy({ k: 1 });
 * m.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * await m.result().data(); // [0.5]
 */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className: string = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  readonly fromSortedIds: boolean;

  constructor(options: SparseTopKCategoricalAccuracyOptions = {}) {
    checkOptions('SparseTopKCategoricalAccuracy', options, ['name', 'k', 'fromSortedIds']);
    const k = checkK('SparseTopKCategoricalAccuracy', options.k ?? 5);
    const fromSortedIds = options.fromSortedIds ?? false;
    if (typeof fromSortedIds !== 'boolean') {
      throw new StrataError(`SparseTopKCategoricalAccuracy: option 'fromSortedIds' must be a boolean; received ${String(fromSortedIds)}. Pass true when yPred holds sorted class ids.`);
    }
    const name = options.name ?? 'sparse_top_k_categorical_accuracy';
    super(sparseTopKCategoricalAccuracy, { name });
    this.k = k;
    this.fromSortedIds = fromSortedIds;
  }

  protected override computeValues(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseTopKCategoricalAccuracyValues(this.label, yTrue, yPred, this.k, this.fromSortedIds);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k, fromSortedIds: this.fromSortedIds };
  }
}
