import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import { Metric, Precision, Recall } from '../src/metrics/index.js';
import { expectClose, expectThrow, read, rng } from './metrics-helpers.js';

interface Counts { tp: number; fp: number; fn: number }

/** Float64 confusion counts at one threshold: positive when strictly above it. */
function countsAt(labels: number[], preds: number[], weights: number[] | null, threshold: number): Counts {
  const c = { tp: 0, fp: 0, fn: 0 };
  labels.forEach((l, i) => {
    const w = weights ? weights[i]! : 1;
    const pos = Math.fround(preds[i]!) > threshold;
    if (pos && l !== 0) c.tp += w;
    else if (pos) c.fp += w;
    else if (l !== 0) c.fn += w;
  });
  return c;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const precisionOf = (c: Counts): number => ratio(c.tp, c.tp + c.fp);
const recallOf = (c: Counts): number => ratio(c.tp, c.tp + c.fn);

/** Random binary batches of unequal sizes, scores loosely correlated with labels. */
function binaryBatches(seed: number, sizes = [9, 4, 15]): { labels: number[]; preds: number[]; weights: number[] }[] {
  const r = rng(seed);
  return sizes.map((n) => {
    const labels = Array.from({ length: n }, () => (r() < 0.4 ? 1 : 0));
    return { labels, preds: labels.map((l) => Math.min(1, Math.max(0, 0.3 * l + 0.7 * r()))), weights: labels.map(() => Math.round(r() * 6) / 3) };
  });
}

describe('metrics: Precision and Recall', () => {
  it('match the Keras documentation examples', async () => {
    const p = new Precision();
    const r = new Recall();
    expect([p.name, r.name]).to.deep.equal(['precision', 'recall']);
    p.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    r.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expectClose((await read(p))[0]!, 2 / 3);
    expectClose((await read(r))[0]!, 2 / 3);
    p.resetState();
    r.resetState();
    p.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    r.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expect(await read(p)).to.deep.equal([1]);
    expect(await read(r)).to.deep.equal([1]);
    const top2 = new Precision({ topK: 2 });
    top2.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expect(await read(top2)).to.deep.equal([0]);
    const top4 = new Precision({ topK: 4 });
    top4.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expect(await read(top4)).to.deep.equal([0.5]);
    [p, r, top2, top4].forEach((m) => m.dispose());
  });

  it('accumulate counts over batches: the epoch value is not the mean of batch values', async () => {
    const batches = binaryBatches(11);
    const p = new Precision();
    const r = new Recall();
    const all = { labels: [] as number[], preds: [] as number[] };
    const perBatchP: number[] = [];
    const perBatchR: number[] = [];
    for (const b of batches) {
      p.updateState(b.labels, b.preds);
      r.updateState(tensor(b.labels.map((l) => [l])), tensor(b.preds.map((v) => [v])));
      all.labels.push(...b.labels);
      all.preds.push(...b.preds);
      perBatchP.push(precisionOf(countsAt(b.labels, b.preds, null, 0.5)));
      perBatchR.push(recallOf(countsAt(b.labels, b.preds, null, 0.5)));
    }
    const pooled = countsAt(all.labels, all.preds, null, 0.5);
    const [pv] = await read(p);
    const [rv] = await read(r);
    expectClose(pv!, precisionOf(pooled));
    expectClose(rv!, recallOf(pooled));
    const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(pv! - meanOf(perBatchP)) + Math.abs(rv! - meanOf(perBatchR))).to.be.greaterThan(1e-3);
    p.dispose();
    r.dispose();
  });

  it('weigh samples over several batches', async () => {
    const batches = binaryBatches(12);
    const p = new Precision();
    const r = new Recall();
    const all = { labels: [] as number[], preds: [] as number[], weights: [] as number[] };
    for (const b of batches) {
      p.updateState(b.labels, b.preds, b.weights);
      r.updateState(b.labels, b.preds, b.weights);
      all.labels.push(...b.labels);
      all.preds.push(...b.preds);
      all.weights.push(...b.weights);
    }
    const pooled = countsAt(all.labels, all.preds, all.weights, 0.5);
    expectClose((await read(p))[0]!, precisionOf(pooled));
    expectClose((await read(r))[0]!, recallOf(pooled));
    p.dispose();
    r.dispose();
  });

  it('give one value per threshold, for evenly spaced (bucketed) and arbitrary thresholds', async () => {
    const batches = binaryBatches(13);
    for (const thresholds of [[0, 0.25, 0.5, 0.75, 1], [0.3, 0.8], [0.1, 0.2, 0.9]]) {
      const p = new Precision({ thresholds });
      const r = new Recall({ thresholds });
      const all = { labels: [] as number[], preds: [] as number[], weights: [] as number[] };
      for (const b of batches) {
        p.updateState(b.labels, b.preds, b.weights);
        r.updateState(b.labels, b.preds, b.weights);
        all.labels.push(...b.labels);
        all.preds.push(...b.preds);
        all.weights.push(...b.weights);
      }
      const pv = await read(p);
      const rv = await read(r);
      expect(pv).to.have.length(thresholds.length);
      thresholds.forEach((t, i) => {
        const c = countsAt(all.labels, all.preds, all.weights, t);
        expectClose(pv[i]!, precisionOf(c));
        expectClose(rv[i]!, recallOf(c));
      });
      p.dispose();
      r.dispose();
    }
  });

  it('treat a score on an evenly spaced threshold as below it, as the comparison does', async () => {
    const p = new Recall({ thresholds: [0, 0.25, 0.5, 0.75, 1] });
    p.updateState([1, 1, 1, 1, 1], [0, 0.25, 0.5, 0.75, 1]);
    expect(await read(p)).to.deep.equal([0.8, 0.6, 0.4, 0.2, 0].map(Math.fround));
    p.dispose();
  });

  it('score one class with classId, and the top k of each row with topK', async () => {
    const r = rng(14);
    const classes = 4;
    const rows = Array.from({ length: 20 }, () => Array.from({ length: classes }, () => r()));
    const labels = rows.map(() => Array.from({ length: classes }, () => (r() < 0.5 ? 1 : 0)));
    for (const classId of [0, 2]) {
      const p = new Precision({ classId });
      p.updateState(labels.slice(0, 8), rows.slice(0, 8));
      p.updateState(labels.slice(8), rows.slice(8));
      const c = countsAt(labels.map((l) => l[classId]!), rows.map((s) => s[classId]!), null, 0.5);
      expectClose((await read(p))[0]!, precisionOf(c));
      p.dispose();
    }
    // topK 2 with the default threshold: exactly the two best scores of a row are positive.
    const top = new Recall({ topK: 2 });
    top.updateState(labels.slice(0, 5), rows.slice(0, 5));
    top.updateState(labels.slice(5), rows.slice(5));
    let tp = 0;
    let fn = 0;
    rows.forEach((s, i) => {
      const best = s.map((v, c) => [v, c] as const).sort((a, b) => b[0] - a[0]).slice(0, 2).map(([, c]) => c);
      labels[i]!.forEach((l, c) => {
        if (l && best.includes(c)) tp++;
        else if (l) fn++;
      });
    });
    expectClose((await read(top))[0]!, tp / (tp + fn));
    // topK and classId together: class 1 is positive where it is among the row's 2 best.
    const both = new Precision({ topK: 2, classId: 1, thresholds: 0.3 });
    both.updateState(labels, rows);
    let bt = 0;
    let bf = 0;
    rows.forEach((s, i) => {
      const best = s.map((v, c) => [v, c] as const).sort((a, b) => b[0] - a[0]).slice(0, 2).map(([, c]) => c);
      if (best.includes(1) && s[1]! > 0.3) {
        if (labels[i]![1]) bt++;
        else bf++;
      }
    });
    expectClose((await read(both))[0]!, ratio(bt, bt + bf));
    top.dispose();
    both.dispose();
  });

  it('return 0 with nothing counted and after resetState', async () => {
    const p = new Precision();
    expect(await read(p)).to.deep.equal([0]);
    p.updateState([1, 0], [0.2, 0.1]);
    expect(await read(p)).to.deep.equal([0]);
    p.updateState([1], [0.9]);
    expect(await read(p)).to.deep.equal([1]);
    p.resetState();
    expect(await read(p)).to.deep.equal([0]);
    p.dispose();
  });

  it('leak nothing per update', () => {
    const p = new Precision({ thresholds: [0, 0.5, 1] });
    const [t, s, w] = [tensor([[1, 0], [0, 1]]), tensor([[0.7, 0.2], [0.4, 0.9]]), tensor([1, 2])];
    p.updateState(t, s, w);
    p.result().dispose();
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) p.updateState(t, s, w);
    p.result().dispose();
    expect(memory().numTensors).to.equal(before);
    p.dispose();
    [t, s, w].forEach((x) => x.dispose());
  });

  it('rebuild from getConfig', async () => {
    const p = new Precision({ thresholds: [0.2, 0.6], topK: 2, classId: 1, name: 'p_at_2' });
    const config = p.getConfig();
    expect(config).to.deep.equal({ name: 'p_at_2', thresholds: [0.2, 0.6], topK: 2, classId: 1 });
    const q = new Precision(config);
    expect(q.getConfig()).to.deep.equal(config);
    expect(new Recall().getConfig()).to.deep.equal({ name: 'recall', thresholds: null, topK: null, classId: null });
    p.dispose();
    q.dispose();
  });

  it('name the metric, the value and the fix in errors', () => {
    expectThrow(() => new Precision({ thresholds: [0.5, 1.5] }), 'Precision', 'threshold values must be in [0, 1]', '[1.5]');
    expectThrow(() => new Recall({ thresholds: [] }), 'Recall', "'thresholds'", '[]');
    expectThrow(() => new Precision({ topK: 0 }), 'Precision', "'topK'", 'number 0');
    expectThrow(() => new Recall({ classId: -1 }), 'Recall', "'classId'", 'number -1');
    expectThrow(() => new Precision({ top_k: 2 } as never), "unknown option 'top_k'", 'topK');
    const p = new Precision({ classId: 3 });
    expectThrow(() => p.updateState([[1, 0, 0]], [[0.2, 0.3, 0.5]]), 'precision (Precision)', 'classId 3', '3 classes', '[0, 2]');
    expectThrow(() => p.updateState([1, 0], [0.2, 0.3]), 'precision (Precision)', 'classId needs yPred', '[2]');
    const r = new Recall({ topK: 3 });
    expectThrow(() => r.updateState([[1, 0]], [[0.2, 0.3]]), 'recall (Recall)', 'topK = 3', '[1, 2]');
    expectThrow(() => r.updateState([[1, 0, 1]], [[0.2, 0.3]]), 'recall (Recall)', 'yTrue [1, 3]', 'yPred [1, 2]');
    expectThrow(() => r.updateState([[1, 0]], [[0.2, 0.3]], [[1, 2, 3]]), 'sampleWeight of shape [1, 3]', 'yPred [1, 2]');
    p.dispose();
    r.dispose();
  });
});
