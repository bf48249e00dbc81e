import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import { BinaryCrossentropy, MeanSquaredError, SparseCategoricalCrossentropy, reduceWeightedValues, type Reduction } from '../src/losses/index.js';
import { expectClose, meanOf, perRow, sumOf, take, uniformArray } from './losses-helpers.js';

const mseRow = (t: number[], p: number[]): number => meanOf(t.map((ti, i) => (p[i]! - ti) ** 2));

describe('losses: reductions and sample weights', () => {
  const shape = [5, 3];
  const t = uniformArray(15, -1, 1, 1);
  const p = uniformArray(15, -1, 1, 2);
  const perSample = perRow(t, p, shape, -1, mseRow);
  const w = [0.5, 2, 0, 1, 3];
  const weighted = perSample.map((v, i) => v * w[i]!);

  const expected: Record<Reduction, number[]> = {
    sum_over_batch_size: [sumOf(weighted) / 5],
    mean: [sumOf(weighted) / 5],
    sum: [sumOf(weighted)],
    mean_with_sample_weight: [sumOf(weighted) / sumOf(w)],
    none: weighted,
  };

  for (const reduction of Object.keys(expected) as Reduction[]) {
    it(`'${reduction}' with [N] sample weights follows Keras 3`, async () => {
      const before = memory().numTensors;
      const yt = tensor(t, shape);
      const yp = tensor(p, shape);
      const sw = tensor(w);
      const out = new MeanSquaredError({ reduction }).compute(yt, yp, sw);
      expect(out.shape).to.deep.equal(reduction === 'none' ? [5] : []);
      expectClose(await take(out), expected[reduction], 1e-5, 1e-6, reduction);
      for (const x of [yt, yp, sw]) x.dispose();
      expect(memory().numTensors).to.equal(before);
    });

    it(`'${reduction}' without weights`, async () => {
      const out = await take(new MeanSquaredError({ reduction }).compute(tensor(t, shape), tensor(p, shape)));
      const plain = reduction === 'none' ? perSample : reduction === 'sum' ? [sumOf(perSample)] : [meanOf(perSample)];
      expectClose(out, plain, 1e-5, 1e-6, reduction);
    });
  }

  it('the default reduction is sum_over_batch_size (the divisor ignores the weights)', async () => {
    const loss = new MeanSquaredError();
    expect(loss.reduction).to.equal('sum_over_batch_size');
    expectClose(await take(loss.compute(tensor(t, shape), tensor(p, shape), w)), [sumOf(weighted) / 5], 1e-5);
  });

  it('accepts [N, 1], scalar and int32 weights', async () => {
    const loss = new MeanSquaredError({ reduction: 'sum' });
    expectClose(await take(loss.compute(tensor(t, shape), tensor(p, shape), tensor(w, [5, 1]))), [sumOf(weighted)], 1e-5);
    expectClose(await take(loss.compute(tensor(t, shape), tensor(p, shape), 2)), [2 * sumOf(perSample)], 1e-5);
    const ints = [1, 0, 2, 1, 0];
    expectClose(
      await take(loss.compute(tensor(t, shape), tensor(p, shape), tensor(ints, [5], 'int32'))),
      [sumOf(perSample.map((v, i) => v * ints[i]!))],
      1e-5,
    );
  });

  it('weights [N] whole samples of temporal losses [N, T], and [N, T] weights each step', async () => {
    const s3 = [2, 3, 4];
    const t3 = uniformArray(24, -1, 1, 3);
    const p3 = uniformArray(24, -1, 1, 4);
    const steps = perRow(t3, p3, s3, -1, mseRow); // [2, 3] row-major
    const loss = new MeanSquaredError({ reduction: 'none' });
    const bySample = await take(loss.compute(tensor(t3, s3), tensor(p3, s3), [2, 0.5]));
    expectClose(bySample, steps.map((v, i) => v * (i < 3 ? 2 : 0.5)), 1e-5);
    const stepW = [1, 0, 2, 0.5, 1, 0];
    const byStep = await take(new MeanSquaredError().compute(tensor(t3, s3), tensor(p3, s3), tensor(stepW, [2, 3])));
    expectClose(byStep, [sumOf(steps.map((v, i) => v * stepW[i]!)) / 6], 1e-5);
  });

  it("'mean_with_sample_weight' gives 0 when every weight is 0", async () => {
    const out = await take(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }).compute(tensor(t, shape), tensor(p, shape), [0, 0, 0, 0, 0]));
    expect(out).to.deep.equal([0]);
  });

  it("'mean_with_sample_weight' counts a broadcast weight once per entry it covers", async () => {
    const s3 = [2, 3, 4];
    const t3 = uniformArray(24, -1, 1, 5);
    const p3 = uniformArray(24, -1, 1, 6);
    const steps = perRow(t3, p3, s3, -1, mseRow);
    const out = await take(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }).compute(tensor(t3, s3), tensor(p3, s3), [1, 3]));
    expectClose(out, [sumOf(steps.map((v, i) => v * (i < 3 ? 1 : 3))) / (3 * 1 + 3 * 3)], 1e-5);
  });

  it('reduction null (Keras None) means none', () => {
    expect(new MeanSquaredError({ reduction: null as unknown as Reduction }).reduction).to.equal('none');
  });

  it('an empty batch reduces to 0 rather than NaN', async () => {
    const out = await take(new MeanSquaredError().compute(tensor([], [0, 3]), tensor([], [0, 3])));
    expect(out).to.deep.equal([0]);
  });

  it('reduceWeightedValues returns a handle of its own for reduction none without weights', async () => {
    const values = tensor([1, 2]);
    const out = reduceWeightedValues('test', values, undefined, null, 'none');
    expect(out).to.not.equal(values);
    values.dispose();
    expect(await take(out)).to.deep.equal([1, 2]);
  });

  it('sample weights combine with the ignoreClass mask (Keras apply_mask)', async () => {
    const logits = uniformArray(12, -2, 2, 7);
    const labels = [0, -1, 2, 1];
    const sw = [1, 5, 2, 0.5];
    const per = await take(new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'none' }).compute(tensor(labels, [4], 'int32'), tensor(logits, [4, 3])));
    expect(per[1]).to.equal(0);
    const value = await take(
      new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 }).compute(tensor(labels, [4], 'int32'), tensor(logits, [4, 3]), sw),
    );
    const scale = 4 / (3 + 1e-7);
    expectClose(value, [sumOf(per.map((v, i) => v * sw[i]! * (labels[i]! < 0 ? 0 : scale))) / 4], 1e-5);
  });

  it('a weight shape that does not fit names the loss, both shapes and the fix', () => {
    const before = memory().numTensors;
    const yt = tensor([[1], [0]]);
    const yp = tensor([[0.5], [0.5]]);
    const loss = new BinaryCrossentropy();
    expect(() => loss.compute(yt, yp, [1, 2, 3])).to.throw('BinaryCrossentropy: sampleWeight has shape [3] but the per-sample losses have shape [2]');
    expect(() => loss.compute(yt, yp, [[1, 2]])).to.throw(/give one weight per sample \(shape \[2\]\) or weights of shape \[2\]/);
    yt.dispose();
    yp.dispose();
    expect(memory().numTensors).to.equal(before);
  });
});
