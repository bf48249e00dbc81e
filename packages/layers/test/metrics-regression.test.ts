import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import { MeanAbsoluteError, MeanSquaredError, Metric, R2Score, RootMeanSquaredError, metricFunctions, type R2ClassAggregation } from '../src/metrics/index.js';
import { expectClose, expectThrow, read, rng } from './metrics-helpers.js';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function regressionBatches(seed: number, outputs: number, sizes = [6, 2, 11]): { t: number[][]; p: number[][]; w: number[] }[] {
  const r = rng(seed);
  return sizes.map((n, b) => {
    // Later batches have larger targets, so per-batch statistics differ from pooled ones.
    const t = Array.from({ length: n }, () => Array.from({ length: outputs }, (_, j) => (b + 1) * (2 * r() - 1) + j));
    return { t, p: t.map((row) => row.map((v) => v + (b + 1) * (r() - 0.5))), w: t.map(() => 0.5 + 2 * r()) };
  });
}

/** Per-sample mean over outputs of f(t - p), then the weighted mean over samples. */
function pooledError(batches: { t: number[][]; p: number[][]; w: number[] }[], f: (d: number) => number, weighted: boolean): number {
  let num = 0;
  let den = 0;
  for (const { t, p, w } of batches) {
    t.forEach((row, i) => {
      const perSample = sum(row.map((v, j) => f(v - p[i]![j]!))) / row.length;
      const wi = weighted ? w[i]! : 1;
      num += perSample * wi;
      den += wi;
    });
  }
  return num / den;
}

describe('metrics: MeanSquaredError, MeanAbsoluteError, RootMeanSquaredError', () => {
  it('pool per-sample errors over batches: not the mean of batch values', async () => {
    const batches = regressionBatches(41, 3);
    const mse = new MeanSquaredError();
    const mae = new MeanAbsoluteError();
    const rmse = new RootMeanSquaredError();
    expect([mse.name, mae.name, rmse.name]).to.deep.equal(['mean_squared_error', 'mean_absolute_error', 'root_mean_squared_error']);
    for (const { t, p } of batches) for (const m of [mse, mae, rmse]) m.updateState(t, p);
    const sq = (d: number): number => d * d;
    const pooledMse = pooledError(batches, sq, false);
    expectClose((await read(mse))[0]!, pooledMse);
    expectClose((await read(mae))[0]!, pooledError(batches, Math.abs, false));
    const [r] = await read(rmse);
    expectClose(r!, Math.sqrt(pooledMse));
    const batchMse = batches.map((b) => pooledError([b], sq, false));
    expect(Math.abs((await read(mse))[0]! - sum(batchMse) / batchMse.length)).to.be.greaterThan(1e-2);
    expect(Math.abs(r! - sum(batchMse.map(Math.sqrt)) / batchMse.length)).to.be.greaterThan(1e-2);
    [mse, mae, rmse].forEach((m) => m.dispose());
  });

  it('weigh samples', async () => {
    const batches = regressionBatches(42, 2);
    const mse = new MeanSquaredError();
    const mae = new MeanAbsoluteError();
    const rmse = new RootMeanSquaredError();
    for (const { t, p, w } of batches) for (const m of [mse, mae, rmse]) m.updateState(t, p, w);
    const sq = (d: number): number => d * d;
    expectClose((await read(mse))[0]!, pooledError(batches, sq, true));
    expectClose((await read(mae))[0]!, pooledError(batches, Math.abs, true));
    expectClose((await read(rmse))[0]!, Math.sqrt(pooledError(batches, sq, true)));
    [mse, mae, rmse].forEach((m) => m.dispose());
  });

  it('count rank-1 targets one per sample, and meet [batch] targets with [batch, 1] predictions', async () => {
    const mse = new MeanSquaredError();
    mse.updateState([0, 0, 0], [1, 2, 3]);
    mse.updateState([0], [[4]]);
    // Four samples: (1 + 4 + 9 + 16) / 4. Counting each rank-1 batch as one sample would give (14/3 + 16) / 2.
    expectClose((await read(mse))[0]!, 30 / 4);
    expect(Array.from(await metricFunctions.meanSquaredError([0, 0], [1, 2]).data())).to.deep.equal([1, 4]);
    mse.dispose();
  });

  it('reset to 0 and leak nothing per update', async () => {
    const m = new RootMeanSquaredError();
    const [t, p, w] = [tensor([[1, 2], [3, 4]]), tensor([[1, 1], [1, 1]]), tensor([1, 3])];
    m.updateState(t, p, w);
    m.result().dispose();
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) m.updateState(t, p, w);
    m.result().dispose();
    expect(memory().numTensors).to.equal(before);
    m.resetState();
    expect(await read(m)).to.deep.equal([0]);
    m.dispose();
    [t, p, w].forEach((x) => x.dispose());
  });

  it('name the metric and both shapes on a mismatch', () => {
    const mse = new MeanSquaredError({ name: 'loss_mse' });
    expectThrow(() => mse.updateState([[1, 2, 3]], [[1, 2]]), 'loss_mse (MeanSquaredError)', 'yTrue [1, 3]', 'yPred [1, 2]', 'same shape');
    const rmse = new RootMeanSquaredError();
    expectThrow(() => rmse.updateState([[1, 2, 3]], [[1, 2]]), 'root_mean_squared_error (RootMeanSquaredError)', 'yTrue [1, 3]', 'yPred [1, 2]');
    expectThrow(() => rmse.updateState([[1, 2]]), "'yPred' is missing");
    expectThrow(() => new MeanAbsoluteError({ reduction: 'sum' } as never), 'MeanAbsoluteError', "unknown option 'reduction'");
    mse.dispose();
    rmse.dispose();
  });
});

/** Keras 3 R2Score in float64: per-output weighted sums, then the aggregation and the adjustment. */
function referenceR2(t: number[][], p: number[][], w: number[] | null, aggregation: R2ClassAggregation, numRegressors = 0): number[] {
  const outputs = t[0]!.length;
  const raw: number[] = [];
  const totals: number[] = [];
  for (let j = 0; j < outputs; j++) {
    let sw = 0;
    let sy = 0;
    let syy = 0;
    let sres = 0;
    t.forEach((row, i) => {
      const wi = w ? w[i]! : 1;
      sw += wi;
      sy += wi * row[j]!;
      syy += wi * row[j]! * row[j]!;
      sres += wi * (row[j]! - p[i]![j]!) ** 2;
    });
    const total = syy - (sy * sy) / sw;
    const r = 1 - sres / total;
    raw.push(Number.isFinite(r) ? r : 0);
    totals.push(total);
  }
  let score: number[];
  if (aggregation === 'uniform_average') score = [sum(raw) / outputs];
  else if (aggregation === 'variance_weighted_average') score = [sum(raw.map((r, j) => r * totals[j]!)) / sum(totals)];
  else score = raw;
  const n = t.length * outputs;
  if (numRegressors > 0 && numRegressors < n - 1) score = score.map((r) => 1 - ((1 - r) * (n - 1)) / (n - numRegressors - 1));
  return score;
}

describe('metrics: R2Score', () => {
  it('matches the Keras documentation example', async () => {
    const m = new R2Score();
    expect(m.name).to.equal('r2_score');
    m.updateState([[1], [4], [3]], [[2], [4], [4]]);
    expectClose((await read(m))[0]!, 0.57142854);
    m.dispose();
  });

  for (const aggregation of ['uniform_average', 'variance_weighted_average', null] as const) {
    it(`classAggregation ${String(aggregation)}: uses the epoch's mean of y, with and without weights`, async () => {
      const batches = regressionBatches(43, 3);
      const m = new R2Score({ classAggregation: aggregation });
      const mw = new R2Score({ classAggregation: aggregation });
      for (const { t, p, w } of batches) {
        m.updateState(t, p);
        mw.updateState(t, p, w);
      }
      const t = batches.flatMap((b) => b.t);
      const p = batches.flatMap((b) => b.p);
      const w = batches.flatMap((b) => b.w);
      const got = await read(m);
      const expected = referenceR2(t, p, null, aggregation);
      expect(got).to.have.length(expected.length);
      got.forEach((g, i) => expectClose(g, expected[i]!, 1e-4));
      (await read(mw)).forEach((g, i) => expectClose(g, referenceR2(t, p, w, aggregation)[i]!, 1e-4));
      const perBatch = batches.map((b) => referenceR2(b.t, b.p, null, aggregation)[0]!);
      expect(Math.abs(got[0]! - sum(perBatch) / perBatch.length)).to.be.greaterThan(1e-2);
      m.dispose();
      mw.dispose();
    });
  }

  it('equals the textbook 1 - SS_res / SS_tot for one output', async () => {
    const t = [3, -0.5, 2, 7, 4.2];
    const p = [2.5, 0.0, 2, 8, 4];
    const m = new R2Score();
    m.updateState(t.slice(0, 2), p.slice(0, 2).map((v) => [v]));
    m.updateState(t.slice(2), p.slice(2).map((v) => [v]));
    const meanY = sum(t) / t.length;
    const expected = 1 - sum(t.map((v, i) => (v - p[i]!) ** 2)) / sum(t.map((v) => (v - meanY) ** 2));
    expectClose((await read(m))[0]!, expected, 1e-5);
    m.dispose();
  });

  it('adjusts for numRegressors, and leaves the score unadjusted when n - 1 <= p', async () => {
    const batches = regressionBatches(44, 1);
    const m = new R2Score({ numRegressors: 3 });
    for (const { t, p } of batches) m.updateState(t, p);
    const t = batches.flatMap((b) => b.t);
    const p = batches.flatMap((b) => b.p);
    expectClose((await read(m))[0]!, referenceR2(t, p, null, 'uniform_average', 3)[0]!, 1e-4);
    const few = new R2Score({ numRegressors: 4 });
    few.updateState([[1], [4], [3]], [[2], [4], [4]]);
    expectClose((await read(few))[0]!, 0.57142854);
    m.dispose();
    few.dispose();
  });

  it('scores an output with zero variance 0, and is NaN before any data', async () => {
    const m = new R2Score({ classAggregation: null });
    m.updateState([[1, 1], [2, 1]], [[1, 1.5], [2, 1]]);
    const v = await read(m);
    expectClose(v[0]!, 1);
    expect(v[1]).to.equal(0);
    const empty = new R2Score();
    expect((await read(empty))[0]).to.be.NaN;
    expectThrow(() => new R2Score({ classAggregation: null }).result(), 'r2_score (R2Score).result', 'no data yet');
    m.dispose();
    empty.dispose();
  });

  it('leaks nothing per update and rebuilds from getConfig', () => {
    const m = new R2Score({ classAggregation: 'variance_weighted_average', numRegressors: 1, name: 'r2' });
    const [t, p] = [tensor([[1, 2], [3, 5], [2, 2]]), tensor([[1, 1], [3, 4], [2, 3]])];
    m.updateState(t, p, [1, 2, 1]);
    m.result().dispose();
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) m.updateState(t, p);
    m.result().dispose();
    expect(memory().numTensors).to.equal(before);
    const config = m.getConfig();
    expect(config).to.deep.equal({ name: 'r2', classAggregation: 'variance_weighted_average', numRegressors: 1 });
    const again = new R2Score(config);
    expect(again.getConfig()).to.deep.equal(config);
    [m, again].forEach((x) => x.dispose());
    [t, p].forEach((x) => x.dispose());
  });

  it('names the metric, the shapes and the fix in errors', () => {
    expectThrow(() => new R2Score({ classAggregation: 'mean' as never }), 'R2Score', "'classAggregation'", '"mean"');
    expectThrow(() => new R2Score({ numRegressors: -1 }), 'R2Score', "'numRegressors'", 'number -1');
    const m = new R2Score();
    expectThrow(() => m.updateState([1, 2, 3], [1, 2, 2]), 'r2_score (R2Score)', 'yTrue [3]', 'yPred [3]', '[batch, 1]');
    expectThrow(() => m.updateState([[1, 2]], [[1, 2, 3]]), 'r2_score (R2Score)', 'yTrue [1, 2]', 'yPred [1, 3]');
    expectThrow(() => m.updateState([[1], [2]], [[1], [2]], [1, 2, 3]), 'sampleWeight of shape [3]', 'yTrue [2, 1]');
    m.updateState([[1], [2]], [[1], [2]]);
    expectThrow(() => m.updateState([[1, 2]], [[1, 2]]), 'built for 1 outputs', 'with 2');
    m.dispose();
  });
});
