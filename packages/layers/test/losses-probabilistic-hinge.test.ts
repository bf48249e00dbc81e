import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import {
  CategoricalHinge,
  Hinge,
  KLDivergence,
  Poisson,
  SquaredHinge,
  categoricalHinge,
  hinge,
  kld,
  kullbackLeiblerDivergence,
  poisson,
  squaredHinge,
} from '../src/losses/index.js';
import { EPS, LO, clamp, distributionArray, expectClose, meanOf, oneHotArray, perRow, signArray, size, sumOf, take, uniformArray } from './losses-helpers.js';

type Ref = (t: number[], p: number[]) => number;

// TF.js's KL divergence: the factor is the unclipped label, the ratio uses clipped values.
const kldRef: Ref = (t, p) => sumOf(t.map((ti, i) => ti * Math.log(clamp(ti, EPS, 1) / clamp(p[i]!, EPS, 1))));
const poissonRef: Ref = (t, p) => meanOf(t.map((ti, i) => p[i]! - ti * Math.log(p[i]! + EPS)));
const hingeRef: Ref = (t, p) => meanOf(t.map((ti, i) => Math.max(1 - ti * p[i]!, 0)));
const squaredHingeRef: Ref = (t, p) => meanOf(t.map((ti, i) => Math.max(1 - ti * p[i]!, 0) ** 2));
const categoricalHingeRef: Ref = (t, p) => {
  const pos = sumOf(t.map((ti, i) => ti * p[i]!));
  const neg = Math.max(...t.map((ti, i) => (1 - ti) * p[i]!));
  return Math.max(neg - pos + 1, 0);
};

const shapes = [[5], [4, 3], [2, 3, 4]];

describe('losses: kld and poisson', () => {
  for (const shape of shapes) {
    it(`kld matches the reference for shape [${shape}]`, async () => {
      const t = distributionArray(shape, 1 + shape.length);
      const p = distributionArray(shape, 5 + shape.length);
      const before = memory().numTensors;
      const yt = tensor(t, shape);
      const yp = tensor(p, shape);
      const out = kld(yt, yp);
      expect(out.shape).to.deep.equal(shape.slice(0, -1));
      expectClose(await take(out), perRow(t, p, shape, -1, kldRef), 1e-4, 1e-6);
      yt.dispose();
      yp.dispose();
      expect(memory().numTensors).to.equal(before);
    });

    it(`poisson matches the reference for shape [${shape}]`, async () => {
      const n = size(shape);
      const t = uniformArray(n, 0, 5, 9 + shape.length).map(Math.round);
      const p = uniformArray(n, 0.1, 4, 13 + shape.length);
      const out = poisson(tensor(t, shape), tensor(p, shape));
      expect(out.shape).to.deep.equal(shape.slice(0, -1));
      expectClose(await take(out), perRow(t, p, shape, -1, poissonRef), 1e-4, 1e-5);
    });
  }

  it('kld clips zero labels and zero predictions into [1e-7, 1]', async () => {
    const t = [[0, 0.5, 0.5], [1, 0, 0]];
    const p = [[0.5, 0.5, 0], [0, 0.5, 0.5]];
    const out = await take(kld(tensor(t), tensor(p)));
    expectClose(out, [kldRef(t[0]!, p[0]!), kldRef(t[1]!, p[1]!)], 1e-5);
    expectClose(out, [0.5 * Math.log(0.5 / LO), Math.log(1 / LO)], 1e-5);
  });

  it('kullbackLeiblerDivergence is kld', () => {
    expect(kullbackLeiblerDivergence).to.equal(kld);
  });

  it('poisson stays finite for a zero rate', async () => {
    const out = await take(poisson(tensor([[3]]), tensor([[0]])));
    expectClose(out, [-3 * Math.log(EPS)], 1e-5);
  });

  it('the classes compute the mean of the per-sample values', async () => {
    const shape = [3, 4];
    const t = distributionArray(shape, 3);
    const p = distributionArray(shape, 4);
    expectClose(await take(new KLDivergence().compute(tensor(t, shape), tensor(p, shape))), [meanOf(perRow(t, p, shape, -1, kldRef))], 1e-4, 1e-6);
    expectClose(await take(new Poisson().compute(tensor(t, shape), tensor(p, shape))), [meanOf(perRow(t, p, shape, -1, poissonRef))], 1e-4, 1e-6);
  });
});

describe('losses: hinge family', () => {
  for (const shape of shapes) {
    it(`hinge and squaredHinge match the reference for -1/1 labels, shape [${shape}]`, async () => {
      const n = size(shape);
      const t = signArray(n, 21 + n);
      const p = uniformArray(n, -2, 2, 22 + n);
      const before = memory().numTensors;
      const yt = tensor(t, shape);
      const yp = tensor(p, shape);
      expectClose(await take(hinge(yt, yp)), perRow(t, p, shape, -1, hingeRef), 1e-5, 1e-6, 'hinge');
      expectClose(await take(squaredHinge(yt, yp)), perRow(t, p, shape, -1, squaredHingeRef), 1e-5, 1e-6, 'squaredHinge');
      yt.dispose();
      yp.dispose();
      expect(memory().numTensors).to.equal(before);
    });

    if (shape.length > 1) {
      it(`categoricalHinge matches the reference for shape [${shape}]`, async () => {
        const n = size(shape);
        const { oneHot } = oneHotArray(shape, 31 + n);
        const p = uniformArray(n, -1, 2, 32 + n);
        const out = categoricalHinge(tensor(oneHot, shape), tensor(p, shape));
        expect(out.shape).to.deep.equal(shape.slice(0, -1));
        expectClose(await take(out), perRow(oneHot, p, shape, -1, categoricalHingeRef), 1e-5, 1e-6);
      });
    }
  }

  it('hinge uses 0/1 labels as given (TF.js), not converted to -1/1 (Keras 3)', async () => {
    const t = [[0, 1]];
    const p = [[0.5, 0.5]];
    expectClose(await take(hinge(tensor(t), tensor(p))), [(1 + 0.5) / 2]);
  });

  it('the classes compute the mean of the per-sample values', async () => {
    const shape = [3, 4];
    const t = signArray(12, 41);
    const p = uniformArray(12, -2, 2, 42);
    const { oneHot } = oneHotArray(shape, 43);
    expectClose(await take(new Hinge().compute(tensor(t, shape), tensor(p, shape))), [meanOf(perRow(t, p, shape, -1, hingeRef))], 1e-5, 1e-6);
    expectClose(await take(new SquaredHinge().compute(tensor(t, shape), tensor(p, shape))), [meanOf(perRow(t, p, shape, -1, squaredHingeRef))], 1e-5, 1e-6);
    expectClose(
      await take(new CategoricalHinge().compute(tensor(oneHot, shape), tensor(p, shape))),
      [meanOf(perRow(oneHot, p, shape, -1, categoricalHingeRef))],
      1e-5,
      1e-6,
    );
  });
});
