import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  Metric,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  metricFunctions,
} from '../src/metrics/index.js';
import { expectClose, expectNoLeak, expectThrow, read, rng } from './metrics-helpers.js';

/** Deterministic uniform [0, 1) numbers (an LCG), so references do not depend on the code under test. */

const sizes = [7, 3, 12];

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function weightedMean(xs: number[], ws: number[]): number {
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += x * ws[i]!;
    den += ws[i]!;
  });
  return num / den;
}

function argmax(row: number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Batches of random class scores [n, classes] with integer labels. */
function classBatches(seed: number, classes: number): { labels: number[]; scores: number[][] }[] {
  const r = rng(seed);
  return sizes.map((n) => ({
    labels: Array.from({ length: n }, () => Math.floor(r() * classes)),
    scores: Array.from({ length: n }, () => Array.from({ length: classes }, () => r())),
  }));
}

function oneHotRows(labels: number[], classes: number): number[][] {
  return labels.map((l) => Array.from({ length: classes }, (_, c) => (c === l ? 1 : 0)));
}

describe('metrics: BinaryAccuracy', () => {
  it('pools every prediction of every batch, with a strict threshold', async () => {
    const r = rng(1);
    const batches = sizes.map((n) => ({ t: Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)), p: Array.from({ length: n }, () => r()) }));
    const m = new BinaryAccuracy();
    expect(m.name).to.equal('binary_accuracy');
    const perBatch: number[] = [];
    const all: number[] = [];
    for (const { t, p } of batches) {
      m.updateState(t.map((v) => [v]), p.map((v) => [v]));
      const hits = t.map((v, i) => ((p[i]! > 0.5 ? 1 : 0) === v ? 1 : 0));
      perBatch.push(mean(hits));
      all.push(...hits);
    }
    const [v] = await read(m);
    expectClose(v!, mean(all));
    expect(Math.abs(v! - mean(perBatch))).to.be.greaterThan(1e-3);
    m.dispose();
  });

  it('counts a prediction equal to the threshold as negative, and takes other thresholds', async () => {
    const m = new BinaryAccuracy();
    m.updateState([[1], [0]], [[0.5], [0.5]]);
    expect(await read(m)).to.deep.equal([0.5]);
    const m7 = new BinaryAccuracy({ threshold: 0.7 });
    m7.updateState([1, 1, 0, 0], [0.71, 0.69, 0.7, 0.2]);
    expectClose((await read(m7))[0]!, 3 / 4);
    m.dispose();
    m7.dispose();
  });

  it('meets [batch] labels with [batch, 1] predictions, and averages multi-output rows', async () => {
    const m = new BinaryAccuracy();
    m.updateState([1, 0, 1], [[0.9], [0.2], [0.1]]);
    expectClose((await read(m))[0]!, 2 / 3);
    m.resetState();
    m.updateState([[1, 0, 1], [0, 0, 0]], [[0.9, 0.6, 0.8], [0.1, 0.2, 0.3]], [1, 3]);
    expectClose((await read(m))[0]!, ((2 / 3) * 1 + 1 * 3) / 4);
    m.dispose();
  });

  it('weighs samples', async () => {
    const m = new BinaryAccuracy();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
    expectClose((await read(m))[0]!, 0.5);
    m.dispose();
  });

  it('leaks nothing per update', () => {
    const m = new BinaryAccuracy();
    const [t, p, w] = [tensor([[1], [0]]), tensor([[0.7], [0.2]]), tensor([1, 2])];
    expectNoLeak(m, () => m.updateState(t, p, w));
    m.dispose();
    [t, p, w].forEach((x) => x.dispose());
  });

  it('names the metric and both shapes when labels do not fit predictions', () => {
    const m = new BinaryAccuracy({ name: 'bin_acc' });
    expectThrow(() => m.updateState(tensor([[1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 0, 0]]), tensor([[0.1, 0.2], [0.1, 0.2], [0.1, 0.2], [0.1, 0.2]])),
      'bin_acc (BinaryAccuracy)', 'yTrue [4, 3]', 'yPred [4, 2]', 'same shape');
    m.name = 'acc';
    expectThrow(() => m.updateState([1, 2, 3], [1, 2]), 'acc (BinaryAccuracy)', 'yTrue [3]', 'yPred [2]');
    expectThrow(() => new BinaryAccuracy({ threshold: 'high' as never }), 'BinaryAccuracy', "'threshold'", 'high');
    m.dispose();
  });
});

describe('metrics: Accuracy', () => {
  it('is exact equality over all elements', async () => {
    const m = new Accuracy();
    m.updateState([1, 2, 3, 4], [0, 2, 3, 4]);
    m.updateState([[5]], [[5]]);
    expectClose((await read(m))[0]!, 4 / 5);
    m.dispose();
  });
});

describe('metrics: CategoricalAccuracy', () => {
  it('compares arg-maxes over every sample of every batch', async () => {
    const classes = 4;
    const m = new CategoricalAccuracy();
    const perBatch: number[] = [];
    const all: number[] = [];
    for (const { labels, scores } of classBatches(2, classes)) {
      m.updateState(oneHotRows(labels, classes), scores);
      const hits = labels.map((l, i) => (argmax(scores[i]!) === l ? 1 : 0));
      perBatch.push(mean(hits));
      all.push(...hits);
    }
    const [v] = await read(m);
    expectClose(v!, mean(all));
    expect(Math.abs(v! - mean(perBatch))).to.be.greaterThan(1e-3);
    m.dispose();
  });

  it('resolves ties to the first maximum, as argMax does', async () => {
    const m = new CategoricalAccuracy();
    m.updateState([[0, 1, 0], [1, 0, 0]], [[0.5, 0.5, 0], [0.4, 0.4, 0.2]]);
    expect(await read(m)).to.deep.equal([0.5]);
    m.dispose();
  });

  it('weighs samples and keeps a batch dimension for sequences', async () => {
    const m = new CategoricalAccuracy();
    m.updateState([[0, 1], [1, 0], [1, 0]], [[0.2, 0.8], [0.3, 0.7], [0.9, 0.1]], [2, 1, 1]);
    expectClose((await read(m))[0]!, 3 / 4);
    m.resetState();
    // [batch=1, steps=2, classes=2]: one hit out of two steps.
    m.updateState([[[0, 1], [1, 0]]], [[[0.1, 0.9], [0.2, 0.8]]]);
    expectClose((await read(m))[0]!, 0.5);
    m.dispose();
  });

  it('points sparse labels to the sparse variant', () => {
    const m = new CategoricalAccuracy();
    expectThrow(() => m.updateState([1, 0], [[0.2, 0.8], [0.6, 0.4]]), 'categorical_accuracy (CategoricalAccuracy)', 'yTrue [2]', 'yPred [2, 2]', 'sparse variant');
    m.dispose();
  });
});

describe('metrics: SparseCategoricalAccuracy', () => {
  it('takes [batch] or [batch, 1] labels, int32 or float, over several batches', async () => {
    const classes = 5;
    const m = new SparseCategoricalAccuracy();
    const perBatch: number[] = [];
    const all: number[] = [];
    classBatches(3, classes).forEach(({ labels, scores }, b) => {
      const y = b === 0 ? tensor(labels, [labels.length], 'int32') : b === 1 ? labels.map((l) => [l]) : tensor(labels, [labels.length, 1], 'float32');
      m.updateState(y, scores);
      const hits = labels.map((l, i) => (argmax(scores[i]!) === l ? 1 : 0));
      perBatch.push(mean(hits));
      all.push(...hits);
    });
    const [v] = await read(m);
    expectClose(v!, mean(all));
    expect(Math.abs(v! - mean(perBatch))).to.be.greaterThan(1e-3);
    m.dispose();
  });

  it('weighs samples', async () => {
    const m = new SparseCategoricalAccuracy();
    m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.3, 0.7]);
    expectClose((await read(m))[0]!, 0.7);
    m.dispose();
  });

  it('leaks nothing per update', () => {
    const m = new SparseCategoricalAccuracy();
    expectNoLeak(m, () => m.updateState([1, 0], [[0.2, 0.8], [0.6, 0.4]]));
    m.dispose();
  });

  it('names the metric and both shapes for labels of the wrong shape', () => {
    const m = new SparseCategoricalAccuracy();
    expectThrow(() => m.updateState([[0, 1], [1, 0]], [[0.2, 0.8], [0.6, 0.4]]), 'sparse_categorical_accuracy (SparseCategoricalAccuracy)', 'yTrue [2, 2]', 'yPred [2, 2]', 'one-hot', 'categorical variant');
    expectThrow(() => m.updateState([1, 0, 1], [[0.2, 0.8], [0.6, 0.4]]), 'yTrue [3]', 'shape [2] or [2, 1]');
    m.dispose();
  });
});

/** TF in_top_k: fewer than k classes strictly above the target's score, all scores finite, target in range. */
function inTopK(row: number[], target: number, k: number): number {
  if (target < 0 || target >= row.length || row.some((v) => !Number.isFinite(v))) return 0;
  return row.filter((v) => v > row[target]!).length < k ? 1 : 0;
}

describe('metrics: TopKCategoricalAccuracy and SparseTopKCategoricalAccuracy', () => {
  it('pool top-k hits over several batches', async () => {
    const classes = 8;
    const dense = new TopKCategoricalAccuracy({ k: 3 });
    const sparse = new SparseTopKCategoricalAccuracy({ k: 3 });
    expect([dense.name, sparse.name]).to.deep.equal(['top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy']);
    const perBatch: number[] = [];
    const all: number[] = [];
    for (const { labels, scores } of classBatches(4, classes)) {
      dense.updateState(oneHotRows(labels, classes), scores);
      sparse.updateState(labels, scores);
      const hits = labels.map((l, i) => inTopK(scores[i]!, l, 3));
      perBatch.push(mean(hits));
      all.push(...hits);
    }
    const [d] = await read(dense);
    const [s] = await read(sparse);
    expectClose(d!, mean(all));
    expectClose(s!, mean(all));
    expect(Math.abs(d! - mean(perBatch))).to.be.greaterThan(1e-3);
    dense.dispose();
    sparse.dispose();
  });

  it('default to k = 5', async () => {
    const m = new SparseTopKCategoricalAccuracy();
    expect(m.k).to.equal(5);
    m.updateState([0, 5], [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]);
    expectClose((await read(m))[0]!, 0.5);
    m.dispose();
  });

  it('count every class tied with the k-th score as in the top k (TF in_top_k)', async () => {
    const m = new SparseTopKCategoricalAccuracy({ k: 1 });
    // No class scores strictly above class 2, so it is "in the top 1" though topK would pick class 0.
    m.updateState([2], [[0.3, 0.3, 0.3, 0.1]]);
    expect(await read(m)).to.deep.equal([1]);
    m.resetState();
    const scores = [[0.4, 0.3, 0.3, 0.1]];
    m.updateState([2], scores);
    expect(await read(m)).to.deep.equal([0]);
    const m2 = new TopKCategoricalAccuracy({ k: 2 });
    m2.updateState([[0, 0, 1, 0]], scores);
    expect(await read(m2)).to.deep.equal([1]);
    expect(inTopK(scores[0]!, 2, 2)).to.equal(1);
    m.dispose();
    m2.dispose();
  });

  it('never count a row with a non-finite score or a label out of range', async () => {
    const m = new SparseTopKCategoricalAccuracy({ k: 3 });
    m.updateState([0, 1, 7, 0], [[0.9, NaN, 0.1], [0.2, Infinity, 0.1], [0.2, 0.5, 0.1], [0.9, 0.5, 0.1]]);
    expect(await read(m)).to.deep.equal([0.25]);
    m.dispose();
  });

  it('weigh samples, and take sorted class ids with fromSortedIds', async () => {
    const m = new SparseTopKCategoricalAccuracy({ k: 1 });
    m.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [1, 3]);
    expectClose((await read(m))[0]!, 3 / 4);
    const ids = new SparseTopKCategoricalAccuracy({ k: 2, fromSortedIds: true });
    ids.updateState([3, 1, 0], [[3, 0, 1], [0, 2, 1], [2, 1, 0]]);
    expectClose((await read(ids))[0]!, 1 / 3);
    m.dispose();
    ids.dispose();
  });

  it('leak nothing per update', () => {
    const m = new TopKCategoricalAccuracy({ k: 2 });
    expectNoLeak(m, () => m.updateState([[0, 1, 0]], [[0.5, 0.2, 0.3]]));
    m.dispose();
  });

  it('reject a bad k and mismatched shapes, naming the metric', () => {
    expectThrow(() => new TopKCategoricalAccuracy({ k: 0 }), 'TopKCategoricalAccuracy', "'k'", '0', 'positive integer');
    expectThrow(() => new SparseTopKCategoricalAccuracy({ k: 2.5 }), 'SparseTopKCategoricalAccuracy', '2.5');
    const m = new TopKCategoricalAccuracy();
    expectThrow(() => m.updateState([[1, 0]], [[0.5, 0.2, 0.3]]), 'top_k_categorical_accuracy (TopKCategoricalAccuracy)', 'yTrue [1, 2]', 'yPred [1, 3]');
    m.dispose();
  });
});

describe('metrics: per-sample accuracy functions', () => {
  it('return one value per sample and free their intermediates', async () => {
    const before = memory().numTensors;
    const out = [
      metricFunctions.binaryAccuracy([[1], [0]], [[0.7], [0.6]]),
      metricFunctions.categoricalAccuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]),
      metricFunctions.sparseCategoricalAccuracy([1, 0], [[0.2, 0.8], [0.3, 0.7]]),
      metricFunctions.topKCategoricalAccuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], 2),
      metricFunctions.sparseTopKCategoricalAccuracy([[2]], [[0.5, 0.3, 0.2]], 3),
      metricFunctions.accuracy([1, 2, 3], [1, 2, 4]),
    ];
    const values = await Promise.all(out.map(async (t) => [t.shape, Array.from(await t.data())]));
    expect(values).to.deep.equal([
      [[2, 1], [1, 0]],
      [[2], [1, 0]],
      [[2], [1, 0]],
      [[1], [0]],
      [[1], [1]],
      [[3], [1, 1, 0]],
    ]);
    out.forEach((t) => t.dispose());
    expect(memory().numTensors).to.equal(before);
  });

  it('name the function in errors', () => {
    expectThrow(() => metricFunctions.binaryAccuracy([1, 0], [0.4]), 'binaryAccuracy', 'yTrue [2]', 'yPred [1]');
  });
});

describe('metrics: weighted pooling over batches', () => {
  it('matches a float64 weighted mean of per-sample hits', async () => {
    const r = rng(9);
    const classes = 3;
    const m = new SparseCategoricalAccuracy();
    const hits: number[] = [];
    const weights: number[] = [];
    for (const { labels, scores } of classBatches(5, classes)) {
      const w = labels.map(() => Math.round(r() * 4) / 2);
      m.updateState(labels, scores, w);
      labels.forEach((l, i) => hits.push(argmax(scores[i]!) === l ? 1 : 0));
      weights.push(...w);
    }
    expectClose((await read(m))[0]!, weightedMean(hits, weights));
    m.dispose();
  });
});
