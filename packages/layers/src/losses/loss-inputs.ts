import { StrataError, cast, convert, fmtShape, reshape, type Tensor, type TensorLike } from '@strata/core';

/**
 * The fuzz factor of every clipped loss, as Keras' and TF.js's `epsilon()` (1e-7). Probabilities
 * are clipped to `[EPSILON, 1 - EPSILON]` before their logarithm is taken.
 */
export const EPSILON = 1e-7;

/**
 * A tensor argument of a loss as float32: labels may be int32 or bool (Keras casts `y_true` to
 * the dtype of `y_pred`), predictions may be int32.
 *
 * @example
 * const p = toFloat(yPred, 'yPred', 'meanSquaredError');
 */
export function toFloat(x: TensorLike, arg: string, loss: string): Tensor {
  const t = convert(x, arg, loss);
  return t.dtype === 'float32' ? t : cast(t, 'float32');
}

function dropLast(x: Tensor): Tensor {
  return reshape(x, x.shape.slice(0, -1));
}

function appendOne(x: Tensor): Tensor {
  return reshape(x, [...x.shape, 1]);
}

/**
 * Keras' `squeeze_or_expand_to_same_rank`: when the ranks differ by one and the longer shape ends
 * in 1, that axis is squeezed, except that a rank-1 partner is expanded instead. So labels `[N]`
 * against predictions `[N, 1]` become `[N, 1]` and never broadcast to `[N, N]`.
 *
 * @example
 * const [t, p] = alignRanks(yTrue, yPred); // [4] and [4, 1] -> [4, 1] and [4, 1]
 */
export function alignRanks(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    return b.rank === 1 ? [a, appendOne(b)] : [dropLast(a), b];
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    return a.rank === 1 ? [appendOne(a), b] : [a, dropLast(b)];
  }
  return [a, b];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * True when `labels` has the shape of class indices for `predictions`: `predictions` without its
 * last axis, or that with a trailing 1.
 *
 * @example
 * looksLikeClassIndices([32, 1], [32, 10]); // true
 */
export function looksLikeClassIndices(labels: readonly number[], predictions: readonly number[]): boolean {
  if (predictions.length === 0 || predictions[predictions.length - 1] === 1) return false;
  const batch = predictions.slice(0, -1);
  return sameShape(labels, batch) || sameShape(labels, [...batch, 1]);
}

/** What a loss suggests when `yTrue` and `yPred` shapes disagree. */
export type ShapeHint = 'categorical' | 'elementwise';

function mismatchFix(hint: ShapeHint, t: readonly number[], p: readonly number[]): string {
  if (looksLikeClassIndices(t, p)) {
    return hint === 'categorical'
      ? `yTrue looks like integer class indices: did you mean sparseCategoricalCrossentropy? (Or one-hot encode the labels with oneHot(labels, ${p[p.length - 1]}).)`
      : `If yTrue holds class indices, use sparseCategoricalCrossentropy; if the model should predict one value per sample, end it with a layer of 1 unit so yPred is ${fmtShape([...p.slice(0, -1), 1])}.`;
  }
  return `Give yTrue the shape ${fmtShape(p)} of the model's output, or change the model's last layer to match the labels.`;
}

/**
 * Converts `yTrue` and `yPred` to float32, aligns their ranks as Keras does and checks that the
 * shapes then agree exactly. Losses do not broadcast labels against predictions: a silent
 * broadcast (`[N]` against `[N, 1]` giving `[N, N]`) trains the wrong model without any error.
 *
 * @example
 * const [t, p] = preparePair('meanSquaredError', yTrue, yPred);
 */
export function preparePair(loss: string, yTrue: TensorLike, yPred: TensorLike, hint: ShapeHint = 'elementwise'): [Tensor, Tensor] {
  const t0 = toFloat(yTrue, 'yTrue', loss);
  const p0 = toFloat(yPred, 'yPred', loss);
  const [t, p] = alignRanks(t0, p0);
  if (!sameShape(t.shape, p.shape)) {
    throw new StrataError(
      `${loss}: yTrue has shape ${fmtShape(t0.shape)} but yPred has shape ${fmtShape(p0.shape)}; they must have the same shape ` +
        `(a trailing axis of size 1 on one side is squeezed or added, as in Keras). ${mismatchFix(hint, t0.shape, p0.shape)}`,
    );
  }
  if (p.rank === 0) {
    throw new StrataError(`${loss}: yPred is a scalar; losses reduce over the last axis, so yTrue and yPred need at least one axis. Pass them with shape [batch, features] (e.g. reshape to [1, 1]).`);
  }
  return [t, p];
}

/**
 * Resolves an `axis` option (negative counts from the end) against a rank.
 *
 * @example
 * resolveAxis('CategoricalCrossentropy', -1, 2); // 1
 */
export function resolveAxis(loss: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new StrataError(`${loss}: axis ${String(axis)} is out of range for yPred of rank ${rank}; use an integer in [${-rank}, ${rank - 1}] (-1, the default, is the last axis).`);
  }
  return axis < 0 ? axis + rank : axis;
}
