import { StrataError, Tensor, convert, type TensorLike } from '@strata/core';

function unravel(flat: number, shape: readonly number[]): string {
  if (shape.length === 0) return '';
  const index = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = rest % shape[d]!;
    rest = Math.floor(rest / shape[d]!);
  }
  return `[${index.join(', ')}]`;
}

/**
 * Checks that every sparse label is a whole class index in `[0, numClasses)` (or equals
 * `ignoreClass`), reading the labels back from the engine once. Sparse categorical crossentropy
 * cannot check this per training step without stalling the engine, and an out-of-range label
 * silently counts as loss 0 there, so the training loop calls this once per `fit` on the whole
 * label set. The error names the first bad label, its index, its value and the valid range.
 *
 * @example
 * await validateSparseLabels(tensor([0, 2, 1], [3], 'int32'), 3); // ok
 * await validateSparseLabels(tensor([0, 3]), 3);                   // throws: yTrue[1] is 3
 */
export async function validateSparseLabels(yTrue: TensorLike, numClasses: number, ignoreClass: number | null = null): Promise<void> {
  const where = 'sparseCategoricalCrossentropy';
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new StrataError(`validateSparseLabels: numClasses must be a positive integer (the last dimension of yPred); received ${String(numClasses)}.`);
  }
  const owned = !(yTrue instanceof Tensor);
  const labels = convert(yTrue, 'yTrue', 'validateSparseLabels');
  let values: ArrayLike<number>;
  try {
    values = await labels.data();
  } finally {
    if (owned) labels.dispose();
  }
  const range = `[0, ${numClasses - 1}]`;
  const ignored = ignoreClass === null ? '' : ` or ${ignoreClass} (the ignored class)`;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (ignoreClass !== null && v === ignoreClass) continue;
    if (Number.isInteger(v) && v >= 0 && v < numClasses) continue;
    const at = `yTrue${unravel(i, labels.shape)}`;
    if (!Number.isInteger(v)) {
      throw new StrataError(
        `${where}: label ${at} is ${v}, not a whole number; sparse labels are class indices in ${range}${ignored}. ` +
          'For one-hot or probability labels use categoricalCrossentropy.',
      );
    }
    const fix =
      v < 0
        ? `If ${v} marks entries to skip, pass ignoreClass: ${v} to the loss.`
        : `If the labels start at 1, subtract 1; if there are ${v + 1} or more classes, give the model's last layer that many units.`;
    throw new StrataError(`${where}: label ${at} is ${v}, outside the valid range ${range}${ignored} for yPred with ${numClasses} classes. ${fix}`);
  }
}
