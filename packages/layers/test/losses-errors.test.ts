import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import {
  CategoricalCrossentropy,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
  binaryCrossentropy,
  categoricalCrossentropy,
  categoricalHinge,
  cosineSimilarity,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  validateSparseLabels,
} from '../src/losses/index.js';

/** Runs `fn` with fresh inputs and checks that it throws `message` and leaks nothing. */
function expectThrowNoLeak(fn: () => unknown, message: string | RegExp): void {
  const before = memory().numTensors;
  expect(fn).to.throw(message as string);
  expect(memory().numTensors).to.equal(before);
}

async function expectReject(p: Promise<unknown>, message: string | RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (typeof message === 'string') expect((e as Error).message).to.include(message);
    else expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a rejection matching ${String(message)}`);
}

describe('losses: shape errors', () => {
  it('categorical crossentropy with class-index labels [N] suggests sparseCategoricalCrossentropy', () => {
    expectThrowNoLeak(
      () => categoricalCrossentropy([0, 2, 1, 1], [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]),
      'categoricalCrossentropy: yTrue has shape [4] but yPred has shape [4, 3]; they must have the same shape (a trailing axis of size 1 on one side is squeezed or added, as in Keras). yTrue looks like integer class indices: did you mean sparseCategoricalCrossentropy? (Or one-hot encode the labels with oneHot(labels, 3).)',
    );
  });

  it('categorical crossentropy with labels [N, 1] suggests sparseCategoricalCrossentropy too', () => {
    const yt = tensor([[0], [2]], [2, 1], 'int32');
    const yp = tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]);
    expectThrowNoLeak(() => new CategoricalCrossentropy().compute(yt, yp), /yTrue has shape \[2, 1\] but yPred has shape \[2, 3\].*did you mean sparseCategoricalCrossentropy\?/);
    expectThrowNoLeak(() => categoricalHinge(yt, yp), /categoricalHinge: yTrue has shape \[2, 1\] .*did you mean sparseCategoricalCrossentropy\?/);
    yt.dispose();
    yp.dispose();
  });

  it('categorical crossentropy with one class points to binaryCrossentropy', () => {
    expectThrowNoLeak(
      () => categoricalCrossentropy([[1], [0]], [[0.7], [0.2]]),
      'categoricalCrossentropy: yPred has shape [2, 1], a single class along axis 1, so the loss is always 0. For two classes with one sigmoid output use binaryCrossentropy; otherwise give the model one output per class.',
    );
  });

  it('element-wise losses with class-sized predictions explain both fixes', () => {
    expectThrowNoLeak(
      () => binaryCrossentropy([1, 0, 1, 1], [[0.1, 0.9], [0.1, 0.9], [0.1, 0.9], [0.1, 0.9]]),
      'binaryCrossentropy: yTrue has shape [4] but yPred has shape [4, 2]; they must have the same shape (a trailing axis of size 1 on one side is squeezed or added, as in Keras). If yTrue holds class indices, use sparseCategoricalCrossentropy; if the model should predict one value per sample, end it with a layer of 1 unit so yPred is [4, 1].',
    );
  });

  it('other mismatches name both shapes and the fix', () => {
    expectThrowNoLeak(
      () => new MeanSquaredError().compute([[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]),
      "meanSquaredError: yTrue has shape [2, 2] but yPred has shape [2, 3]; they must have the same shape (a trailing axis of size 1 on one side is squeezed or added, as in Keras). Give yTrue the shape [2, 3] of the model's output, or change the model's last layer to match the labels.",
    );
  });

  it('scalars are refused with the shape to use', () => {
    expectThrowNoLeak(() => meanSquaredError(1, 2), 'meanSquaredError: yPred is a scalar; losses reduce over the last axis, so yTrue and yPred need at least one axis.');
    expectThrowNoLeak(() => sparseCategoricalCrossentropy(1, 2), 'sparseCategoricalCrossentropy: yPred is a scalar; it must hold one score per class along its last axis (shape [N, numClasses]).');
  });

  it('an axis out of range names the loss, the axis, the rank and the valid range', () => {
    expectThrowNoLeak(
      () => cosineSimilarity([[1, 0]], [[0, 1]], 2),
      'cosineSimilarity: axis 2 is out of range for yPred of rank 2; use an integer in [-2, 1] (-1, the default, is the last axis).',
    );
  });

  it('a disposed input is reported by the loss', () => {
    const t = tensor([[1]]);
    t.dispose();
    expectThrowNoLeak(() => meanSquaredError(t, [[1]]), /meanSquaredError: argument 'yTrue' must be a live tensor/);
  });

  it('sparse crossentropy with one-hot labels suggests categoricalCrossentropy', () => {
    expectThrowNoLeak(
      () => sparseCategoricalCrossentropy([[0, 1, 0], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]),
      'sparseCategoricalCrossentropy: yTrue has shape [2, 3] but yPred has shape [2, 3]; yTrue has the shape of yPred, as one-hot labels do: did you mean categoricalCrossentropy? (Sparse labels are class indices.)',
    );
  });

  it('sparse crossentropy with the wrong number of labels gives the shapes to use', () => {
    expectThrowNoLeak(
      () => new SparseCategoricalCrossentropy().compute([1, 0, 2], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]),
      'SparseCategoricalCrossentropy: yTrue has shape [3] but yPred has shape [2, 3]; Give one class index per sample: yTrue of shape [2] or [2, 1].',
    );
  });

  it('sparse crossentropy with a single class points to binaryCrossentropy', () => {
    expectThrowNoLeak(() => sparseCategoricalCrossentropy([0, 0], [[1], [1]]), /sparseCategoricalCrossentropy: yPred has shape \[2, 1\], a single class.*use binaryCrossentropy/);
  });
});

describe('losses: validateSparseLabels', () => {
  it('accepts labels in range, int32 or whole floats, of shape [N] or [N, 1]', async () => {
    const ints = tensor([0, 2, 1], [3], 'int32');
    const floats = tensor([0, 1, 2]);
    const before = memory().numTensors;
    await validateSparseLabels(ints, 3);
    await validateSparseLabels([[0], [2]], 3);
    await validateSparseLabels(floats, 3);
    expect(memory().numTensors).to.equal(before);
    ints.dispose();
    floats.dispose();
  });

  it('names the first label out of range, its index, its value and the range', async () => {
    await expectReject(
      validateSparseLabels(tensor([0, 1, 3, 7], [4], 'int32'), 3),
      'sparseCategoricalCrossentropy: label yTrue[2] is 3, outside the valid range [0, 2] for yPred with 3 classes. If the labels start at 1, subtract 1; if there are 4 or more classes, give the model\'s last layer that many units.',
    );
  });

  it('gives the full index for labels of shape [N, 1] and [N, T]', async () => {
    await expectReject(validateSparseLabels([[0], [5]], 3), 'label yTrue[1, 0] is 5');
    await expectReject(validateSparseLabels(tensor([0, 1, 2, 0, 9, 1], [2, 3], 'int32'), 3), 'label yTrue[1, 1] is 9');
  });

  it('suggests ignoreClass for negative labels, and accepts the ignored class', async () => {
    await expectReject(
      validateSparseLabels(tensor([0, -1], [2], 'int32'), 3),
      'label yTrue[1] is -1, outside the valid range [0, 2] for yPred with 3 classes. If -1 marks entries to skip, pass ignoreClass: -1 to the loss.',
    );
    await validateSparseLabels(tensor([0, -1, 2], [3], 'int32'), 3, -1);
    await expectReject(validateSparseLabels(tensor([0, -1, 5], [3], 'int32'), 3, -1), 'label yTrue[2] is 5, outside the valid range [0, 2] or -1 (the ignored class)');
  });

  it('refuses fractional labels, pointing to categoricalCrossentropy', async () => {
    await expectReject(
      validateSparseLabels([0, 0.5], 2),
      'sparseCategoricalCrossentropy: label yTrue[1] is 0.5, not a whole number; sparse labels are class indices in [0, 1]. For one-hot or probability labels use categoricalCrossentropy.',
    );
    await expectReject(validateSparseLabels([NaN], 2), 'label yTrue[0] is NaN, not a whole number');
  });

  it('refuses a bad numClasses', async () => {
    await expectReject(validateSparseLabels([0], 0), 'validateSparseLabels: numClasses must be a positive integer (the last dimension of yPred); received 0.');
  });

  it('leaks nothing and leaves a caller\'s tensor alive', async () => {
    const labels = tensor([0, 4], [2], 'int32');
    const before = memory().numTensors;
    await expectReject(validateSparseLabels(labels, 3), 'label yTrue[1] is 4');
    await expectReject(validateSparseLabels([0, 4], 3), 'label yTrue[1] is 4');
    await validateSparseLabels([0, 1], 3);
    expect(memory().numTensors).to.equal(before);
    expect(labels.isDisposed).to.equal(false);
    labels.dispose();
  });

  it('SparseCategoricalCrossentropy.validateLabels takes numClasses from the output shape', async () => {
    const loss = new SparseCategoricalCrossentropy({ ignoreClass: 255 });
    await loss.validateLabels([0, 9, 255], [null, 10]);
    await expectReject(loss.validateLabels([0, 10], [null, 10]), 'label yTrue[1] is 10, outside the valid range [0, 9] or 255 (the ignored class)');
    // An unknown class count cannot be checked.
    await loss.validateLabels([0, 10], [null, null]);
    // Other losses accept any labels.
    await new MeanSquaredError().validateLabels([0, 10], [null, 1]);
  });
});
