import {
  StrataError,
  add,
  cast,
  clip,
  convert,
  div,
  exp,
  expandDims,
  floor,
  fmtShape,
  greaterEqual,
  log,
  log1p,
  maximum,
  mean,
  mul,
  neg,
  notEqual,
  oneHot,
  pow,
  reshape,
  sigmoid,
  softmaxCrossEntropy,
  sub,
  sum,
  tidy,
  transpose,
  where,
  type Tensor,
  type TensorLike,
} from '@strata/core';
import { Loss, booleanOption, numberOption, type LossOptions } from './loss.js';
import { EPSILON, preparePair, resolveAxis, toFloat } from './loss-inputs.js';
import { validateSparseLabels } from './sparse-labels.js';

// Crossentropy losses. Probabilities are clipped to [1e-7, 1 - 1e-7] before their logarithm;
// logits go through the stable forms (sigmoid crossentropy with logits, core's softmaxCrossEntropy,
// one kernel on engines that have it) instead.

/** Options of `binaryCrossentropy` and `BinaryCrossentropy`. */
export interface BinaryCrossentropyOptions {
  /** True when `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** In [0, 1]: labels become `yTrue (1 - s) + 0.5 s`; default 0. */
  labelSmoothing?: number;
  /** The axis averaged over; default -1. */
  axis?: number;
}

/** Options of `categoricalCrossentropy` and `CategoricalCrossentropy`. */
export interface CategoricalCrossentropyOptions {
  /** True when `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** In [0, 1]: labels become `yTrue (1 - s) + s / numClasses`; default 0. */
  labelSmoothing?: number;
  /** The class axis; default -1. */
  axis?: number;
}

/** Options of `sparseCategoricalCrossentropy` and `SparseCategoricalCrossentropy`. */
export interface SparseCategoricalCrossentropyOptions {
  /** True when `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /**
   * A label value to ignore (e.g. a padding or "void" class): its entries get loss 0 and, with
   * the mean reductions, the mean is over the other entries only.
   */
  ignoreClass?: number | null;
}

/** Options of `binaryFocalCrossentropy` and `BinaryFocalCrossentropy`. */
export interface BinaryFocalCrossentropyOptions extends BinaryCrossentropyOptions {
  /** Focusing parameter: the crossentropy is scaled by `(1 - p_t)^gamma`; default 2. */
  gamma?: number;
  /** Weight of the positive class when `applyClassBalancing`; default 0.25. */
  alpha?: number;
  /** Weight positives by `alpha` and negatives by `1 - alpha`; default false. */
  applyClassBalancing?: boolean;
}

function smoothingOption(where: string, value: unknown): number {
  return numberOption(where, 'labelSmoothing', value, 0, { min: 0, max: 1 });
}

/**
 * `max(x, 0) - x z + log1p(exp(-|x|))`, TensorFlow's stable sigmoid crossentropy. The `where`s
 * (rather than relu and abs) make the gradient at x = 0 the true `sigmoid(0) - z`, as in TF.
 */
function sigmoidCrossentropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  const positive = greaterEqual(logits, 0);
  const reluLogits = where(positive, logits, 0);
  const negAbsLogits = where(positive, neg(logits), logits);
  return add(sub(reluLogits, mul(logits, labels)), log1p(exp(negAbsLogits)));
}

/** `-(z log p + (1 - z) log(1 - p))` with p clipped to [eps, 1 - eps]. */
function binaryCrossentropyOfProbabilities(labels: Tensor, probabilities: Tensor): Tensor {
  const p = clip(probabilities, EPSILON, 1 - EPSILON);
  return neg(add(mul(labels, log(p)), mul(sub(1, labels), log(sub(1, p)))));
}

/** `-sum(labels * log q)` along `axis`, for probabilities or (stably, in one op) for logits. */
function categoricalTerms(labels: Tensor, yPred: Tensor, axis: number, fromLogits: boolean): Tensor {
  if (!fromLogits) {
    // Predictions are rescaled to sum to 1 first, as Keras and TF.js do.
    return neg(sum(mul(labels, log(clip(div(yPred, sum(yPred, axis, true)), EPSILON, 1 - EPSILON))), axis));
  }
  const last = yPred.rank - 1;
  if (axis === last) return softmaxCrossEntropy(yPred, labels);
  // softmaxCrossEntropy works on the last axis: move the class axis there, the others keeping their order.
  const perm = [...yPred.shape.keys()].filter((d) => d !== axis).concat(axis);
  return softmaxCrossEntropy(transpose(yPred, perm), transpose(labels, perm));
}

function requireSeveralClasses(loss: string, numClasses: number, shape: readonly number[], axis: number): void {
  if (numClasses === 1) {
    throw new StrataError(
      `${loss}: yPred has shape ${fmtShape(shape)}, a single class along axis ${axis}, so the loss is always 0. ` +
        'For two classes with one sigmoid output use binaryCrossentropy; otherwise give the model one output per class.',
    );
  }
}

/**
 * Binary crossentropy per sample, averaged over `axis` (default the last):
 * `-(z log p + (1 - z) log(1 - p))` with `p = clip(yPred, 1e-7, 1 - 1e-7)`, or from logits
 * `max(x, 0) - x z + log1p(exp(-|x|))`. Label smoothing replaces z by `z (1 - s) + 0.5 s`.
 * (TF.js computes the probability form through logits `log(p / (1 - p))`; the numbers are the same.)
 *
 * @example
 * binaryCrossentropy(tensor([[1, 0]]), tensor([[0.9, 0.2]]));
 * binaryCrossentropy(yTrue, logits, { fromLogits: true, labelSmoothing: 0.1 });
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryCrossentropyOptions = {}): Tensor {
  const name = 'binaryCrossentropy';
  const fromLogits = booleanOption(name, 'fromLogits', options.fromLogits, false);
  const smoothing = smoothingOption(name, options.labelSmoothing);
  const axis = numberOption(name, 'axis', options.axis, -1, { integer: true });
  return tidy(() => {
    let [t, p] = preparePair(name, yTrue, yPred);
    const ax = resolveAxis(name, axis, p.rank);
    if (smoothing > 0) t = add(mul(t, 1 - smoothing), 0.5 * smoothing);
    const perEntry = fromLogits ? sigmoidCrossentropyWithLogits(t, p) : binaryCrossentropyOfProbabilities(t, p);
    return mean(perEntry, ax);
  });
}

/**
 * Categorical crossentropy per sample: `-sum(yTrue * log q)` along `axis` (default the last), with
 * one-hot (or soft) labels. For probabilities `q = clip(yPred / sum(yPred), 1e-7, 1 - 1e-7)` (Keras
 * and TF.js rescale the predictions to sum to 1); for logits `log q = logSoftmax(yPred)`, computed
 * by core's `softmaxCrossEntropy` (Keras 3; TF.js clips the softmax instead, which caps each term
 * at about 16.1 where a class has probability below 1e-7). Label smoothing replaces labels by
 * `yTrue (1 - s) + s / numClasses`.
 *
 * Labels of class indices (`[N]` or `[N, 1]`) are refused with a pointer to
 * `sparseCategoricalCrossentropy`.
 *
 * @example
 * categoricalCrossentropy(tensor([[0, 1, 0]]), tensor([[0.1, 0.8, 0.1]])); // [-log 0.8]
 * categoricalCrossentropy(oneHotLabels, logits, { fromLogits: true });
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalCrossentropyOptions = {}): Tensor {
  const name = 'categoricalCrossentropy';
  const fromLogits = booleanOption(name, 'fromLogits', options.fromLogits, false);
  const smoothing = smoothingOption(name, options.labelSmoothing);
  const axis = numberOption(name, 'axis', options.axis, -1, { integer: true });
  return tidy(() => {
    let [t, p] = preparePair(name, yTrue, yPred, 'categorical');
    const ax = resolveAxis(name, axis, p.rank);
    const numClasses = p.shape[ax]!;
    requireSeveralClasses(name, numClasses, p.shape, ax);
    // Keras uses the last dimension here even when `axis` is another; the class axis is meant.
    if (smoothing > 0) t = add(mul(t, 1 - smoothing), smoothing / numClasses);
    return categoricalTerms(t, p, ax, fromLogits);
  });
}

/**
 * Per-sample sparse categorical crossentropy and, with `ignoreClass`, the bool mask of the
 * entries that count. Shared by the function and the class (whose reduction uses the mask).
 */
function sparseCategoricalParts(
  name: string,
  yTrue: TensorLike,
  yPred: TensorLike,
  fromLogits: boolean,
  ignoreClass: number | null,
): { values: Tensor; valid: Tensor | null } {
  return tidy(() => {
    const p = toFloat(yPred, 'yPred', name);
    if (p.rank === 0) {
      throw new StrataError(`${name}: yPred is a scalar; it must hold one score per class along its last axis (shape [N, numClasses]).`);
    }
    const numClasses = p.shape[p.rank - 1]!;
    requireSeveralClasses(name, numClasses, p.shape, p.rank - 1);
    const t0 = convert(yTrue, 'yTrue', name);
    const batchShape = p.shape.slice(0, -1);
    // Keras squeezes a trailing axis of 1 from the labels: [N, 1] is as good as [N].
    const t = t0.rank === p.rank && t0.shape[t0.rank - 1] === 1 ? reshape(t0, t0.shape.slice(0, -1)) : t0;
    if (t.rank !== batchShape.length || t.shape.some((d, i) => d !== batchShape[i])) {
      const oneHotLike = t0.rank === p.rank && t0.shape.every((d, i) => d === p.shape[i]);
      const fix = oneHotLike
        ? 'yTrue has the shape of yPred, as one-hot labels do: did you mean categoricalCrossentropy? (Sparse labels are class indices.)'
        : `Give one class index per sample: yTrue of shape ${fmtShape(batchShape)} or ${fmtShape([...batchShape, 1])}.`;
      throw new StrataError(`${name}: yTrue has shape ${fmtShape(t0.shape)} but yPred has shape ${fmtShape(p.shape)}; ${fix}`);
    }
    // Float labels are floored, as TF.js does; labels outside [0, numClasses) one-hot to zeros,
    // so `validateSparseLabels` is what reports them.
    const indices = t.dtype === 'int32' ? t : cast(t.dtype === 'float32' ? floor(t) : t, 'int32');
    let targets = oneHot(indices, numClasses);
    const valid = ignoreClass === null ? null : notEqual(indices, ignoreClass);
    if (valid) targets = mul(targets, expandDims(cast(valid, 'float32'), -1));
    const perSample = categoricalTerms(targets, p, p.rank - 1, fromLogits);
    return { values: valid ? where(valid, perSample, 0) : perSample, valid };
  });
}

/**
 * Categorical crossentropy per sample with integer class labels: yTrue holds class indices of
 * shape `[N]` or `[N, 1]` (int32, or whole-number floats, which are floored) against yPred
 * `[N, numClasses]` (any leading shape works). Numerics as `categoricalCrossentropy` with the
 * one-hot labels (TF.js's definition, so probabilities are rescaled to sum to 1 first).
 *
 * Labels outside `[0, numClasses)` give loss 0: checking them needs the values on the host, which
 * a training step never reads, so `validateSparseLabels` checks a data set once instead.
 *
 * @example
 * sparseCategoricalCrossentropy(tensor([1, 0], [2], 'int32'), tensor([[0.2, 0.8], [0.6, 0.4]]));
 * sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, ignoreClass: -1 });
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: SparseCategoricalCrossentropyOptions = {}): Tensor {
  const name = 'sparseCategoricalCrossentropy';
  const fromLogits = booleanOption(name, 'fromLogits', options.fromLogits, false);
  const ignoreClass = options.ignoreClass === undefined || options.ignoreClass === null ? null : numberOption(name, 'ignoreClass', options.ignoreClass, 0, { integer: true });
  return tidy(() => sparseCategoricalParts(name, yTrue, yPred, fromLogits, ignoreClass).values);
}

/**
 * Binary focal crossentropy per sample (Lin et al., Keras 3's formula), averaged over `axis`:
 * `(1 - p_t)^gamma * bce`, where `p_t = z p + (1 - z)(1 - p)` and `bce` is `binaryCrossentropy`'s
 * per-entry value; with `applyClassBalancing` also times `z alpha + (1 - z)(1 - alpha)`. Label
 * smoothing is applied to z first. With logits, `p = sigmoid(yPred)` and the crossentropy uses the
 * stable logits form (Keras 3 applies sigmoid and clips instead: the same numbers except for
 * |logits| above about 16).
 *
 * @example
 * binaryFocalCrossentropy(tensor([[1, 0]]), tensor([[0.9, 0.2]]), { gamma: 2 });
 */
export function binaryFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryFocalCrossentropyOptions = {}): Tensor {
  const name = 'binaryFocalCrossentropy';
  const fromLogits = booleanOption(name, 'fromLogits', options.fromLogits, false);
  const smoothing = smoothingOption(name, options.labelSmoothing);
  const axis = numberOption(name, 'axis', options.axis, -1, { integer: true });
  const gamma = numberOption(name, 'gamma', options.gamma, 2, { min: 0 });
  const alpha = numberOption(name, 'alpha', options.alpha, 0.25, { min: 0, max: 1 });
  const balance = booleanOption(name, 'applyClassBalancing', options.applyClassBalancing, false);
  return tidy(() => {
    let [t, p] = preparePair(name, yTrue, yPred);
    const ax = resolveAxis(name, axis, p.rank);
    if (smoothing > 0) t = add(mul(t, 1 - smoothing), 0.5 * smoothing);
    const bce = fromLogits ? sigmoidCrossentropyWithLogits(t, p) : binaryCrossentropyOfProbabilities(t, p);
    const prob = fromLogits ? sigmoid(p) : p;
    const pT = add(mul(t, prob), mul(sub(1, t), sub(1, prob)));
    // gamma = 0 is plain crossentropy; pow(0, 0) would also give a NaN gradient where p_t = 1.
    // The maximum keeps float rounding (p_t a hair above 1) from giving NaN for non-integer gamma.
    let focal = gamma === 0 ? bce : mul(pow(maximum(sub(1, pT), 0), gamma), bce);
    if (balance) focal = mul(focal, add(mul(t, alpha), mul(sub(1, t), 1 - alpha)));
    return mean(focal, ax);
  });
}

/** Options of the `BinaryCrossentropy` class. */
export interface BinaryCrossentropyClassOptions extends LossOptions, BinaryCrossentropyOptions {}

/**
 * What the binary and categorical crossentropy loss objects share: the `fromLogits`,
 * `labelSmoothing` and `axis` options, their config, and a call of the per-sample function.
 */
abstract class SmoothedCrossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  protected constructor(
    className: string, defaultName: string, options: LossOptions & BinaryCrossentropyOptions,
    private readonly perSample: (yTrue: TensorLike, yPred: TensorLike, options: BinaryCrossentropyOptions) => Tensor,
  ) {
    super(className, defaultName, options, ['fromLogits', 'labelSmoothing', 'axis']);
    this.fromLogits = booleanOption(this.className, 'fromLogits', options.fromLogits, false);
    this.labelSmoothing = smoothingOption(this.className, options.labelSmoothing);
    this.axis = numberOption(this.className, 'axis', options.axis, -1, { integer: true });
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return this.perSample(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/**
 * Binary crossentropy as a loss object (Keras `BinaryCrossentropy`; `'binary_crossentropy'`).
 *
 * @example
 * new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).compute(yTrue, logits);
 */
export class BinaryCrossentropy extends SmoothedCrossentropy {
  constructor(options: BinaryCrossentropyClassOptions = {}) {
    super('BinaryCrossentropy', 'binary_crossentropy', options, binaryCrossentropy);
  }
}

/** Options of the `CategoricalCrossentropy` class. */
export interface CategoricalCrossentropyClassOptions extends LossOptions, CategoricalCrossentropyOptions {}

/**
 * Categorical crossentropy as a loss object (Keras `CategoricalCrossentropy`; `'categorical_crossentropy'`).
 *
 * @example
 * new CategoricalCrossentropy({ fromLogits: true }).compute(oneHotLabels, logits);
 */
export class CategoricalCrossentropy extends SmoothedCrossentropy {
  constructor(options: CategoricalCrossentropyClassOptions = {}) {
    super('CategoricalCrossentropy', 'categorical_crossentropy', options, categoricalCrossentropy);
  }
}

/** Options of the `SparseCategoricalCrossentropy` class. */
export interface SparseCategoricalCrossentropyClassOptions extends LossOptions, SparseCategoricalCrossentropyOptions {}

/**
 * Sparse categorical crossentropy as a loss object (Keras `SparseCategoricalCrossentropy`;
 * `'sparse_categorical_crossentropy'`). With `ignoreClass`, `compute` averages over the other
 * entries only, as Keras does.
 *
 * @example
 * new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 }).compute(labels, logits);
 */
export class SparseCategoricalCrossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;

  constructor(options: SparseCategoricalCrossentropyClassOptions = {}) {
    super('SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', options, ['fromLogits', 'ignoreClass']);
    this.fromLogits = booleanOption(this.className, 'fromLogits', options.fromLogits, false);
    this.ignoreClass = options.ignoreClass === undefined || options.ignoreClass === null ? null : numberOption(this.className, 'ignoreClass', options.ignoreClass, 0, { integer: true });
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return tidy(() => sparseCategoricalParts(this.className, yTrue, yPred, this.fromLogits, this.ignoreClass).values);
  }

  protected override callWithMask(yTrue: TensorLike, yPred: TensorLike): { values: Tensor; mask: Tensor | null } {
    const { values, valid } = sparseCategoricalParts(this.className, yTrue, yPred, this.fromLogits, this.ignoreClass);
    return { values, mask: valid };
  }

  /**
   * Checks every label is a class index in `[0, numClasses)` (or `ignoreClass`), reading the labels
   * once; `numClasses` is the last dimension of `yPredShape` (nothing is checked if it is unknown).
   *
   * @example
   * await new SparseCategoricalCrossentropy().validateLabels(yTrain, [null, 10]);
   */
  override async validateLabels(yTrue: TensorLike, yPredShape: readonly (number | null)[]): Promise<void> {
    const numClasses = yPredShape[yPredShape.length - 1];
    if (numClasses === null || numClasses === undefined) return;
    await validateSparseLabels(yTrue, numClasses, this.ignoreClass);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
  }
}

/** Options of the `BinaryFocalCrossentropy` class. */
export interface BinaryFocalCrossentropyClassOptions extends LossOptions, BinaryFocalCrossentropyOptions {}

/**
 * Binary focal crossentropy as a loss object (Keras `BinaryFocalCrossentropy`;
 * `'binary_focal_crossentropy'`). Defaults: gamma 2, alpha 0.25, no class balancing.
 *
 * @example
 * new BinaryFocalCrossentropy({ gamma: 2, applyClassBalancing: true }).compute(yTrue, yPred);
 */
export class BinaryFocalCrossentropy extends Loss {
  readonly gamma: number;
  readonly alpha: number;
  readonly applyClassBalancing: boolean;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: BinaryFocalCrossentropyClassOptions = {}) {
    super('BinaryFocalCrossentropy', 'binary_focal_crossentropy', options, ['gamma', 'alpha', 'applyClassBalancing', 'fromLogits', 'labelSmoothing', 'axis']);
    this.gamma = numberOption(this.className, 'gamma', options.gamma, 2, { min: 0 });
    this.alpha = numberOption(this.className, 'alpha', options.alpha, 0.25, { min: 0, max: 1 });
    this.applyClassBalancing = booleanOption(this.className, 'applyClassBalancing', options.applyClassBalancing, false);
    this.fromLogits = booleanOption(this.className, 'fromLogits', options.fromLogits, false);
    this.labelSmoothing = smoothingOption(this.className, options.labelSmoothing);
    this.axis = numberOption(this.className, 'axis', options.axis, -1, { integer: true });
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return binaryFocalCrossentropy(yTrue, yPred, {
      gamma: this.gamma,
      alpha: this.alpha,
      applyClassBalancing: this.applyClassBalancing,
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      gamma: this.gamma,
      alpha: this.alpha,
      applyClassBalancing: this.applyClassBalancing,
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
}
