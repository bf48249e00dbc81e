import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import { AUC, Metric, type AUCCurve, type AUCSummationMethod } from '../src/metrics/index.js';
import { expectClose, expectThrow, read, rng } from './metrics-helpers.js';

// ---- float64 reference: Keras' AUC written out as plain loops ----

/** Keras' default thresholds: i / (n - 1) for the inner ones, widened by 1e-7 at both ends. */
function defaultThresholds(n = 200): number[] {
  return [-1e-7, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + 1e-7];
}

interface Confusion { tp: number[]; fp: number[]; tn: number[]; fn: number[] }

function confusion(labels: number[], preds: number[], weights: number[] | null, thresholds: number[]): Confusion {
  const c: Confusion = { tp: [], fp: [], tn: [], fn: [] };
  for (const t of thresholds) {
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    labels.forEach((l, i) => {
      const w = weights ? weights[i]! : 1;
      const pos = Math.fround(preds[i]!) > t;
      if (l !== 0) {
        if (pos) tp += w;
        else fn += w;
      } else if (pos) fp += w;
      else tn += w;
    });
    c.tp.push(tp);
    c.fp.push(fp);
    c.tn.push(tn);
    c.fn.push(fn);
  }
  return c;
}

const noNan = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function riemann(c: Confusion, curve: AUCCurve, method: AUCSummationMethod): number {
  const n = c.tp.length;
  const recall = c.tp.map((tp, i) => noNan(tp, tp + c.fn[i]!));
  let x: number[];
  let y: number[];
  if (curve === 'ROC') {
    x = c.fp.map((fp, i) => noNan(fp, fp + c.tn[i]!));
    y = recall;
  } else {
    x = recall;
    y = c.tp.map((tp, i) => noNan(tp, tp + c.fp[i]!));
  }
  let area = 0;
  for (let i = 0; i < n - 1; i++) {
    const h = method === 'interpolation' ? (y[i]! + y[i + 1]!) / 2 : method === 'minoring' ? Math.min(y[i]!, y[i + 1]!) : Math.max(y[i]!, y[i + 1]!);
    area += (x[i]! - x[i + 1]!) * h;
  }
  return area;
}

/** Davis & Goadrich interpolation of precision between thresholds (Keras' interpolate_pr_auc). */
function interpolatedPr(c: Confusion): number {
  let area = 0;
  for (let i = 0; i < c.tp.length - 1; i++) {
    const dtp = c.tp[i]! - c.tp[i + 1]!;
    const p0 = c.tp[i]! + c.fp[i]!;
    const p1 = c.tp[i + 1]! + c.fp[i + 1]!;
    const slope = noNan(dtp, Math.max(p0 - p1, 0));
    const intercept = c.tp[i + 1]! - slope * p1;
    const pRatio = p0 > 0 && p1 > 0 ? p0 / p1 : 1;
    area += noNan(slope * (dtp + intercept * Math.log(pRatio)), Math.max(c.tp[i + 1]! + c.fn[i + 1]!, 0));
  }
  return area;
}

function referenceAuc(labels: number[], preds: number[], weights: number[] | null, curve: AUCCurve, method: AUCSummationMethod, thresholds = defaultThresholds()): number {
  const c = confusion(labels, preds, weights, thresholds);
  return curve === 'PR' && method === 'interpolation' ? interpolatedPr(c) : riemann(c, curve, method);
}

/** The exact (Mann-Whitney) ROC AUC: weighted share of positive/negative pairs ranked right, ties half. */
function exactRocAuc(labels: number[], preds: number[], weights: number[] | null): number {
  let num = 0;
  let den = 0;
  labels.forEach((li, i) => {
    if (li === 0) return;
    labels.forEach((lj, j) => {
      if (lj !== 0) return;
      const w = (weights ? weights[i]! : 1) * (weights ? weights[j]! : 1);
      den += w;
      num += w * (preds[i]! > preds[j]! ? 1 : preds[i] === preds[j] ? 0.5 : 0);
    });
  });
  return num / den;
}

function binaryBatches(seed: number, sizes = [17, 6, 25]): { labels: number[]; preds: number[]; weights: number[] }[] {
  const r = rng(seed);
  return sizes.map((n) => {
    const labels = Array.from({ length: n }, () => (r() < 0.45 ? 1 : 0));
    return { labels, preds: labels.map((l) => Math.min(1, 0.35 * l + 0.65 * r())), weights: labels.map(() => 0.25 + r()) };
  });
}

function concat<T>(xs: T[][]): T[] {
  return xs.flat();
}

describe('metrics: AUC', () => {
  it('matches the Keras documentation example', async () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expectClose((await read(m))[0]!, 0.75);
    m.resetState();
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]);
    expectClose((await read(m))[0]!, 1);
    m.dispose();
  });

  it('matches the hand-derived values of Keras\' own AUC tests (3 thresholds, weights [1, 2, 3, 4])', async () => {
    // tp = [7, 4, 0], fp = [3, 0, 0], fn = [0, 3, 7], tn = [0, 3, 3]: recall [1, 4/7, 0],
    // false-positive rate [1, 0, 0], precision [0.7, 1, 0].
    const yTrue = [0, 0, 1, 1];
    const yPred = [0, 0.5, 0.3, 0.9];
    const weights = [1, 2, 3, 4];
    const expected: [AUCCurve, AUCSummationMethod, number][] = [
      ['ROC', 'interpolation', (1 + 4 / 7) / 2],
      ['ROC', 'majoring', 1],
      ['ROC', 'minoring', 4 / 7],
      ['PR', 'majoring', 1],
      ['PR', 'minoring', 0.7 * (3 / 7)],
      // Davis & Goadrich: slopes [0.5, 1], intercepts [2, 0], P ratios [2.5, 1].
      ['PR', 'interpolation', (0.5 * (3 + 2 * Math.log(2.5))) / 7 + 4 / 7],
    ];
    for (const [curve, summationMethod, value] of expected) {
      const m = new AUC({ numThresholds: 3, curve, summationMethod });
      m.updateState(yTrue, yPred, weights);
      expectClose((await read(m))[0]!, value);
      m.dispose();
    }
    // Unweighted PR interpolation: tp = [2, 1, 0], P = [4, 1, 0], slopes [1/3, 1], intercepts [2/3, 0].
    const pr = new AUC({ numThresholds: 3, curve: 'PR' });
    pr.updateState(yTrue, yPred);
    expectClose((await read(pr))[0]!, ((1 / 3) * (1 + (2 / 3) * Math.log(4))) / 2 + 1 / 2);
    pr.dispose();
  });

  for (const curve of ['ROC', 'PR'] as const) {
    for (const summationMethod of ['interpolation', 'minoring', 'majoring'] as const) {
      it(`${curve} / ${summationMethod}: equals the reference on 200 thresholds over the pooled batches`, async () => {
        const batches = binaryBatches(curve === 'ROC' ? 21 : 22);
        const m = new AUC({ curve, summationMethod });
        const w = new AUC({ curve, summationMethod, name: 'weighted_auc' });
        for (const b of batches) {
          m.updateState(b.labels, b.preds);
          w.updateState(b.labels.map((l) => [l]), b.preds.map((p) => [p]), b.weights);
        }
        const labels = concat(batches.map((b) => b.labels));
        const preds = concat(batches.map((b) => b.preds));
        const weights = concat(batches.map((b) => b.weights));
        const [v] = await read(m);
        expectClose(v!, referenceAuc(labels, preds, null, curve, summationMethod));
        expectClose((await read(w))[0]!, referenceAuc(labels, preds, weights, curve, summationMethod));
        const perBatch = batches.map((b) => referenceAuc(b.labels, b.preds, null, curve, summationMethod));
        expect(Math.abs(v! - perBatch.reduce((a, b) => a + b, 0) / perBatch.length)).to.be.greaterThan(1e-3);
        m.dispose();
        w.dispose();
      });
    }
  }

  it('is 1 (ROC and PR) for perfectly separated data', async () => {
    const roc = new AUC();
    const pr = new AUC({ curve: 'PR' });
    const r = rng(23);
    for (let b = 0; b < 3; b++) {
      const labels = Array.from({ length: 10 }, () => (r() < 0.5 ? 1 : 0));
      const preds = labels.map((l) => (l ? 0.7 + 0.3 * r() : 0.3 * r()));
      roc.updateState(labels, preds);
      pr.updateState(labels, preds);
    }
    expectClose((await read(roc))[0]!, 1);
    expectClose((await read(pr))[0]!, 1);
    roc.dispose();
    pr.dispose();
  });

  it('equals the exact ROC AUC (ties count half) when thresholds separate every distinct score', async () => {
    const r = rng(24);
    const grid = Array.from({ length: 10 }, (_, i) => 0.05 + 0.1 * i);
    const m = new AUC();
    const mw = new AUC();
    const labels: number[] = [];
    const preds: number[] = [];
    const weights: number[] = [];
    for (const n of [30, 11, 40]) {
      const l = Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));
      const p = l.map((y) => grid[Math.min(9, Math.floor(r() * 7) + 3 * y)]!);
      const w = l.map(() => 0.5 + r());
      m.updateState(l, p);
      mw.updateState(l, p, w);
      labels.push(...l);
      preds.push(...p);
      weights.push(...w);
    }
    const exact = exactRocAuc(labels, preds, null);
    expect(exact).to.be.within(0.6, 0.99);
    expectClose((await read(m))[0]!, exact);
    expectClose((await read(mw))[0]!, exactRocAuc(labels, preds, weights));
    m.dispose();
    mw.dispose();
  });

  it('takes explicit thresholds, evenly spaced or not', async () => {
    const batches = binaryBatches(25);
    const labels = concat(batches.map((b) => b.labels));
    const preds = concat(batches.map((b) => b.preds));
    for (const thresholds of [[0.25, 0.5, 0.75], [0.2, 0.45, 0.5, 0.9], [0.6, 0.1]]) {
      const m = new AUC({ thresholds });
      const pr = new AUC({ thresholds, curve: 'PR' });
      expect(m.numThresholds).to.equal(thresholds.length + 2);
      for (const b of batches) {
        m.updateState(b.labels, b.preds);
        pr.updateState(b.labels, b.preds);
      }
      const all = [-1e-7, ...[...thresholds].sort((a, b) => a - b), 1 + 1e-7];
      expectClose((await read(m))[0]!, referenceAuc(labels, preds, null, 'ROC', 'interpolation', all));
      expectClose((await read(pr))[0]!, referenceAuc(labels, preds, null, 'PR', 'interpolation', all));
      m.dispose();
      pr.dispose();
    }
  });

  it('with multiLabel averages one curve per label (optionally weighted); without, pools the labels', async () => {
    const r = rng(26);
    const labels = Array.from({ length: 40 }, () => [0, 1, 2].map(() => (r() < 0.5 ? 1 : 0)));
    const preds = labels.map((row) => row.map((l, j) => Math.min(1, (0.1 + 0.2 * j) * l + 0.7 * r())));
    const column = (rows: number[][], j: number): number[] => rows.map((row) => row[j]!);
    const perLabel = [0, 1, 2].map((j) => referenceAuc(column(labels, j), column(preds, j), null, 'ROC', 'interpolation'));
    const multi = new AUC({ multiLabel: true });
    const weighted = new AUC({ multiLabel: true, labelWeights: [1, 0, 3], numLabels: 3 });
    const pooled = new AUC();
    const pooledWeighted = new AUC({ labelWeights: [1, 0, 3] });
    for (const [a, b] of [[0, 15], [15, 40]] as const) {
      for (const m of [multi, weighted, pooled, pooledWeighted]) m.updateState(labels.slice(a, b), preds.slice(a, b));
    }
    expectClose((await read(multi))[0]!, perLabel.reduce((x, y) => x + y, 0) / 3);
    expectClose((await read(weighted))[0]!, (perLabel[0]! + 3 * perLabel[2]!) / 4);
    expectClose((await read(pooled))[0]!, referenceAuc(labels.flat(), preds.flat(), null, 'ROC', 'interpolation'));
    const lw = labels.flatMap(() => [1, 0, 3]);
    expectClose((await read(pooledWeighted))[0]!, referenceAuc(labels.flat(), preds.flat(), lw, 'ROC', 'interpolation'));
    expect(multi.variables.map((v) => v.shape)).to.deep.equal([[200, 3], [200, 3], [200, 3], [200, 3]]);
    [multi, weighted, pooled, pooledWeighted].forEach((m) => m.dispose());
  });

  it('applies a sigmoid with fromLogits, and clips probabilities outside [0, 1]', async () => {
    const logits = [-3, -0.5, 0.2, 2.5, -1, 1.2, 0.7, -2];
    const labels = [0, 0, 1, 1, 1, 0, 1, 0];
    const m = new AUC({ fromLogits: true });
    m.updateState(labels, logits);
    const probs = logits.map((x) => 1 / (1 + Math.exp(-x)));
    expectClose((await read(m))[0]!, referenceAuc(labels, probs, null, 'ROC', 'interpolation'));
    const clipped = new AUC();
    clipped.updateState([0, 1, 1, 0], [-0.5, 1.5, 0.6, 0.4]);
    expectClose((await read(clipped))[0]!, referenceAuc([0, 1, 1, 0], [0, 1, 0.6, 0.4], null, 'ROC', 'interpolation'));
    m.dispose();
    clipped.dispose();
  });

  it('is 0 before any data and after resetState', async () => {
    const m = new AUC();
    expect(await read(m)).to.deep.equal([0]);
    const multi = new AUC({ multiLabel: true });
    expect(await read(multi)).to.deep.equal([0]);
    m.updateState([0, 1], [0.2, 0.8]);
    expectClose((await read(m))[0]!, 1);
    m.resetState();
    expect(await read(m)).to.deep.equal([0]);
    m.dispose();
    multi.dispose();
  });

  it('leaks nothing per update (pooled and multi-label)', () => {
    for (const m of [new AUC(), new AUC({ multiLabel: true }), new AUC({ thresholds: [0.3, 0.35], curve: 'PR' })]) {
      const [t, p, w] = [tensor([[1, 0], [0, 1], [1, 1]]), tensor([[0.7, 0.2], [0.4, 0.9], [0.5, 0.1]]), tensor([1, 2, 0.5])];
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
    const m = new AUC();
    expect(m.getConfig()).to.deep.equal({
      name: 'auc', numThresholds: 200, curve: 'ROC', summationMethod: 'interpolation', multiLabel: false, numLabels: null, labelWeights: null, fromLogits: false,
    });
    const custom = new AUC({ thresholds: [0.5, 0.25], curve: 'PR', summationMethod: 'majoring', multiLabel: true, numLabels: 2, labelWeights: [1, 2], fromLogits: true, name: 'pr' });
    const config = custom.getConfig();
    expect(config.thresholds).to.deep.equal([0.25, 0.5]);
    const again = new AUC(config);
    expect(again.getConfig()).to.deep.equal(config);
    expect(again.thresholds).to.deep.equal(custom.thresholds);
    [m, custom, again].forEach((x) => x.dispose());
  });

  it('names the metric, the value and the fix in errors', () => {
    expectThrow(() => new AUC({ numThresholds: 1 }), 'AUC', "'numThresholds'", 'number 1', 'integer > 1');
    expectThrow(() => new AUC({ curve: 'roc' as never }), 'AUC', "'curve'", '"roc"', "'ROC' or 'PR'");
    expectThrow(() => new AUC({ summationMethod: 'trapezoid' as never }), 'AUC', "'summationMethod'", '"trapezoid"');
    expectThrow(() => new AUC({ thresholds: [0.5, 2] }), 'AUC', '[2]', '[0, 1]');
    expectThrow(() => new AUC({ labelWeights: [1, -1] }), 'AUC', "'labelWeights'", '[1,-1]', 'non-negative');
    expectThrow(() => new AUC({ num_thresholds: 10 } as never), "unknown option 'num_thresholds'");
    expectThrow(() => new AUC({ numLabels: 3 }), 'AUC', "'numLabels'", 'received 3', 'multiLabel: true');
    const multi = new AUC({ multiLabel: true, name: 'ml_auc' });
    expectThrow(() => multi.updateState([1, 0], [0.3, 0.2]), 'ml_auc (AUC)', 'multiLabel', '[batch, labels]', 'yPred [2]');
    multi.updateState([[1, 0]], [[0.3, 0.2]]);
    expectThrow(() => multi.updateState([[1, 0, 1]], [[0.3, 0.2, 0.1]]), 'ml_auc (AUC)', 'counts for 2 labels', 'yPred has 3');
    const lw = new AUC({ labelWeights: [1, 2] });
    expectThrow(() => lw.updateState([[1, 0, 0]], [[0.3, 0.2, 0.1]]), 'auc (AUC)', 'labelWeights has 2 entries', 'yPred [1, 3]');
    const m = new AUC();
    expectThrow(() => m.updateState([[1, 0, 0]], [[0.3, 0.2]]), 'auc (AUC)', 'yTrue [1, 3]', 'yPred [1, 2]');
    [multi, lw, m].forEach((x) => x.dispose());
  });
});
