import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import { F1Score, FBetaScore, Metric, type FScoreAverage } from '../src/metrics/index.js';
import { expectClose, expectThrow, read, rng } from './metrics-helpers.js';

const EPS = 1e-7;

/** Keras 3 FBetaScore in float64: per-class (or pooled, for micro) counts, epsilon in each denominator. */
function referenceFBeta(labels: number[][], preds: number[][], weights: number[] | null, average: FScoreAverage, beta: number, threshold: number | null): number[] {
  const classes = labels[0]!.length;
  const tp = new Array<number>(classes).fill(0);
  const fp = new Array<number>(classes).fill(0);
  const fn = new Array<number>(classes).fill(0);
  const support = new Array<number>(classes).fill(0);
  preds.forEach((row, i) => {
    const w = weights ? weights[i]! : 1;
    const rowMax = Math.max(...row);
    row.forEach((p, c) => {
      const pos = threshold === null ? p >= rowMax && Math.abs(p) > 1e-9 : p > threshold;
      const l = labels[i]![c]!;
      if (pos) {
        tp[c] += w * l;
        fp[c] += w * (1 - l);
      } else fn[c] += w * l;
      support[c] += w * l;
    });
  });
  const score = (t: number, f: number, n: number): number => {
    const precision = t / (t + f + EPS);
    const recall = t / (t + n + EPS);
    return ((precision * recall) / (beta * beta * precision + recall + EPS)) * (1 + beta * beta);
  };
  const sumOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  if (average === 'micro') return [score(sumOf(tp), sumOf(fp), sumOf(fn))];
  const perClass = tp.map((t, c) => score(t, fp[c]!, fn[c]!));
  if (average === 'macro') return [sumOf(perClass) / classes];
  if (average === 'weighted') {
    const total = sumOf(support) + EPS;
    return [sumOf(perClass.map((s, c) => (s * support[c]!) / total))];
  }
  return perClass;
}

function multiLabelBatches(seed: number, classes: number, sizes = [8, 3, 13]): { labels: number[][]; preds: number[][]; weights: number[] }[] {
  const r = rng(seed);
  return sizes.map((n) => {
    const labels = Array.from({ length: n }, () => Array.from({ length: classes }, () => (r() < 0.4 ? 1 : 0)));
    return {
      labels,
      preds: labels.map((row) => row.map((l) => Math.min(1, 0.3 * l + 0.7 * r()))),
      weights: labels.map(() => Math.round(1 + r() * 4) / 2),
    };
  });
}

describe('metrics: F1Score and FBetaScore', () => {
  it('match the Keras documentation example (per class, threshold 0.5)', async () => {
    const m = new F1Score({ threshold: 0.5 });
    expect(m.name).to.equal('f1_score');
    m.updateState([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]);
    const v = await read(m);
    [0.5, 0.8, 0.6666667].forEach((e, i) => expectClose(v[i]!, e));
    m.dispose();
  });

  for (const average of [null, 'micro', 'macro', 'weighted'] as const) {
    it(`average ${String(average)}: accumulates counts over batches (not batch scores), with and without weights`, async () => {
      const batches = multiLabelBatches(31, 4);
      const plain = new F1Score({ average, threshold: 0.5 });
      const weighted = new F1Score({ average, threshold: 0.5 });
      const f2 = new FBetaScore({ average, beta: 2, threshold: 0.4 });
      for (const b of batches) {
        plain.updateState(b.labels, b.preds);
        weighted.updateState(tensor(b.labels), tensor(b.preds), b.weights);
        f2.updateState(b.labels, b.preds);
      }
      const labels = batches.flatMap((b) => b.labels);
      const preds = batches.flatMap((b) => b.preds);
      const weights = batches.flatMap((b) => b.weights);
      const expected = referenceFBeta(labels, preds, null, average, 1, 0.5);
      const got = await read(plain);
      expect(got).to.have.length(expected.length);
      got.forEach((g, i) => expectClose(g, expected[i]!));
      (await read(weighted)).forEach((g, i) => expectClose(g, referenceFBeta(labels, preds, weights, average, 1, 0.5)[i]!));
      (await read(f2)).forEach((g, i) => expectClose(g, referenceFBeta(labels, preds, null, average, 2, 0.4)[i]!));
      const perBatch = batches.map((b) => referenceFBeta(b.labels, b.preds, null, average, 1, 0.5)[0]!);
      expect(Math.abs(got[0]! - perBatch.reduce((a, b) => a + b, 0) / perBatch.length)).to.be.greaterThan(1e-3);
      [plain, weighted, f2].forEach((m) => m.dispose());
    });
  }

  it('without a threshold marks each row\'s highest score (ties included), never an all-zero row', async () => {
    const batches = multiLabelBatches(32, 3);
    const m = new F1Score({ average: 'macro' });
    for (const b of batches) m.updateState(b.labels, b.preds);
    m.updateState([[1, 0, 0], [0, 1, 1]], [[0, 0, 0], [0.2, 0.4, 0.4]]);
    const labels = [...batches.flatMap((b) => b.labels), [1, 0, 0], [0, 1, 1]];
    const preds = [...batches.flatMap((b) => b.preds), [0, 0, 0], [0.2, 0.4, 0.4]];
    expectClose((await read(m))[0]!, referenceFBeta(labels, preds, null, 'macro', 1, null)[0]!);
    const tie = new F1Score();
    tie.updateState([[0, 1, 1]], [[0.2, 0.4, 0.4]]);
    const v = await read(tie);
    expectClose(v[0]!, 0);
    expectClose(v[1]!, 1, 1e-6);
    expectClose(v[2]!, 1, 1e-6);
    m.dispose();
    tie.dispose();
  });

  it('resets, and reports before any data: 0 for a scalar average, an error per class', async () => {
    const macro = new F1Score({ average: 'macro' });
    expect(await read(macro)).to.deep.equal([0]);
    macro.updateState([[1, 0]], [[0.9, 0.1]]);
    expectClose((await read(macro))[0]!, 0.5);
    macro.resetState();
    expect(await read(macro)).to.deep.equal([0]);
    const perClass = new F1Score();
    expectThrow(() => perClass.result(), 'f1_score (F1Score).result', 'no data yet', 'updateState');
    macro.dispose();
    perClass.dispose();
  });

  it('leaks nothing per update', () => {
    for (const average of [null, 'micro'] as const) {
      const m = new F1Score({ average });
      const [t, p, w] = [tensor([[1, 0], [0, 1]]), tensor([[0.7, 0.2], [0.4, 0.9]]), tensor([1, 2])];
      m.updateState(t, p, w);
      m.result().dispose();
      const before = memory().numTensors;
      for (let i = 0; i < 3; i++) m.updateState(t, p, w);
      m.result().dispose();
      expect(memory().numTensors).to.equal(before);
      m.dispose();
      [t, p, w].forEach((x) => x.dispose());
    }
  });

  it('rebuilds from getConfig', () => {
    const f1 = new F1Score({ average: 'weighted', threshold: 0.3, name: 'f1w' });
    expect(f1.getConfig()).to.deep.equal({ name: 'f1w', average: 'weighted', threshold: 0.3 });
    const fb = new FBetaScore({ beta: 0.5 });
    expect(fb.getConfig()).to.deep.equal({ name: 'fbeta_score', average: null, beta: 0.5, threshold: null });
    const again = new F1Score(f1.getConfig());
    expect(again.getConfig()).to.deep.equal(f1.getConfig());
    [f1, fb, again].forEach((m) => m.dispose());
  });

  it('names the metric, the value and the fix in errors', () => {
    expectThrow(() => new F1Score({ average: 'samples' as never }), 'F1Score', "'average'", '"samples"');
    expectThrow(() => new F1Score({ threshold: 0 }), 'F1Score', "'threshold'", 'number 0', '(0, 1]');
    expectThrow(() => new F1Score({ threshold: 1.5 }), 'F1Score', 'number 1.5');
    expectThrow(() => new FBetaScore({ beta: -1 }), 'FBetaScore', "'beta'", 'number -1');
    expectThrow(() => new F1Score({ beta: 2 } as never), 'F1Score', "unknown option 'beta'");
    const m = new F1Score({ name: 'f1' });
    expectThrow(() => m.updateState([1, 0], [0.6, 0.2]), 'f1 (F1Score)', 'yTrue [2]', 'yPred [2]', '[batch, classes]');
    expectThrow(() => m.updateState([[1, 0]], [[0.6, 0.2, 0.1]]), 'f1 (F1Score)', 'yTrue [1, 2]', 'yPred [1, 3]');
    expectThrow(() => m.updateState([[1, 0]], [[0.6, 0.2]], [[1, 2]]), 'f1 (F1Score)', 'sampleWeight', '[1, 2]', 'one weight per sample');
    m.updateState([[1, 0]], [[0.6, 0.2]]);
    expectThrow(() => m.updateState([[1, 0, 0]], [[0.6, 0.2, 0.1]]), 'f1 (F1Score)', 'built for 2 classes', 'with 3');
    m.dispose();
  });
});
