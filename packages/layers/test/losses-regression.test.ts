import { expect } from 'chai';
import { memory, tensor } from '@strata/core';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  Loss,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  cosineSimilarity,
  huber,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from '../src/losses/index.js';
import { EPS, expectClose, meanOf, perRow, sumOf, take, uniformArray } from './losses-helpers.js';

type Ref = (t: number[], p: number[]) => number;

const refs: Record<string, Ref> = {
  meanSquaredError: (t, p) => meanOf(t.map((ti, i) => (p[i]! - ti) ** 2)),
  meanAbsoluteError: (t, p) => meanOf(t.map((ti, i) => Math.abs(p[i]! - ti))),
  meanAbsolutePercentageError: (t, p) => 100 * meanOf(t.map((ti, i) => Math.abs((ti - p[i]!) / Math.max(Math.abs(ti), EPS)))),
  meanSquaredLogarithmicError: (t, p) => meanOf(t.map((ti, i) => (Math.log(Math.max(p[i]!, EPS) + 1) - Math.log(Math.max(ti, EPS) + 1)) ** 2)),
  logCosh: (t, p) => meanOf(t.map((ti, i) => Math.log(Math.cosh(p[i]! - ti)))),
};

const huberRef =
  (delta: number): Ref =>
  (t, p) =>
    meanOf(
      t.map((ti, i) => {
        const e = Math.abs(p[i]! - ti);
        return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
      }),
    );

const cosineRef: Ref = (t, p) => {
  const nt = Math.sqrt(Math.max(sumOf(t.map((v) => v * v)), EPS));
  const np = Math.sqrt(Math.max(sumOf(p.map((v) => v * v)), EPS));
  return -sumOf(t.map((v, i) => (v / nt) * (p[i]! / np)));
};

const fns = { meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, logCosh };
const shapes: number[][] = [[5], [4, 3], [2, 3, 4], [6, 1]];

describe('losses: regression', () => {
  for (const [name, fn] of Object.entries(fns)) {
    for (const shape of shapes) {
      it(`${name} matches the float64 reference for shape [${shape}]`, async () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const t = uniformArray(n, -2, 3, 11 + shape.length);
        const p = uniformArray(n, -2, 3, 29 + shape.length);
        const before = memory().numTensors;
        const yt = tensor(t, shape);
        const yp = tensor(p, shape);
        const out = fn(yt, yp);
        expect(out.shape).to.deep.equal(shape.slice(0, -1));
        expectClose(await take(out), perRow(t, p, shape, -1, refs[name]!), 1e-4, 1e-4, name);
        yt.dispose();
        yp.dispose();
        expect(memory().numTensors).to.equal(before);
      });
    }
  }

  it('meanAbsolutePercentageError divides by 1e-7 where yTrue is 0', async () => {
    const out = await take(meanAbsolutePercentageError(tensor([[0, 2]]), tensor([[1e-6, 1]])));
    expectClose(out, [100 * ((1e-6 / 1e-7 + 0.5) / 2)], 1e-4);
  });

  it('meanSquaredLogarithmicError clips negative values to 1e-7 before the logarithm', async () => {
    const t = [[-5, 0.5]];
    const p = [[2, -3]];
    const out = await take(meanSquaredLogarithmicError(tensor(t), tensor(p)));
    expectClose(out, [refs.meanSquaredLogarithmicError!(t[0]!, p[0]!)], 1e-4);
  });

  it('logCosh stays finite for errors where cosh overflows', async () => {
    const out = await take(logCosh(tensor([[0, 0]]), tensor([[200, -300]])));
    expectClose(out, [(200 - Math.LN2 + 300 - Math.LN2) / 2], 1e-5);
  });

  for (const delta of [1, 0.5, 2.5]) {
    it(`huber with delta ${delta} matches the reference on both sides of delta`, async () => {
      const shape = [6, 4];
      const t = uniformArray(24, -3, 3, 5);
      const p = uniformArray(24, -3, 3, 6);
      const out = delta === 1 ? huber(tensor(t, shape), tensor(p, shape)) : huber(tensor(t, shape), tensor(p, shape), delta);
      expectClose(await take(out), perRow(t, p, shape, -1, huberRef(delta)), 1e-4, 1e-5, 'huber');
    });
  }

  for (const [shape, axis] of [
    [[4, 3], -1],
    [[4, 3], 0],
    [[2, 3, 5], 1],
    [[3], -1],
  ] as [number[], number][]) {
    it(`cosineSimilarity is the negative cosine along axis ${axis} for shape [${shape}]`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const t = uniformArray(n, -1, 1, 3);
      const p = uniformArray(n, -1, 1, 4);
      const out = cosineSimilarity(tensor(t, shape), tensor(p, shape), axis);
      expect(out.shape).to.deep.equal(shape.filter((_d, i) => i !== (axis < 0 ? axis + shape.length : axis)));
      expectClose(await take(out), perRow(t, p, shape, axis, cosineRef), 1e-4, 1e-5, 'cosine');
    });
  }

  it('cosineSimilarity is -1 for parallel, 1 for opposite and 0 for zero vectors', async () => {
    const out = await take(cosineSimilarity(tensor([[1, 2], [1, 2], [0, 0]]), tensor([[2, 4], [-1, -2], [0, 0]])));
    expectClose(out, [-1, 1, 0], 1e-5, 1e-6);
  });

  it('labels [N] against predictions [N, 1] are aligned, not broadcast to [N, N]', async () => {
    const out = meanSquaredError(tensor([1, 2, 3]), tensor([[1], [1], [1]]));
    expect(out.shape).to.deep.equal([3]);
    expectClose(await take(out), [0, 1, 4]);
    const back = meanSquaredError(tensor([[1], [2], [3]]), tensor([1, 1, 1]));
    expect(back.shape).to.deep.equal([3]);
    expectClose(await take(back), [0, 1, 4]);
  });

  it('int32 labels are cast to float32', async () => {
    const out = meanAbsoluteError(tensor([[1, 2]], [1, 2], 'int32'), tensor([[1.5, 2]]));
    expect(out.dtype).to.equal('float32');
    expectClose(await take(out), [0.25]);
  });

  it('the classes give the functions\' per-sample values from call and their mean from compute', async () => {
    const shape = [3, 4];
    const t = uniformArray(12, 0.1, 2, 1);
    const p = uniformArray(12, 0.1, 2, 2);
    const pairs: [Loss, Ref][] = [
      [new MeanSquaredError(), refs.meanSquaredError!],
      [new MeanAbsoluteError(), refs.meanAbsoluteError!],
      [new MeanAbsolutePercentageError(), refs.meanAbsolutePercentageError!],
      [new MeanSquaredLogarithmicError(), refs.meanSquaredLogarithmicError!],
      [new LogCosh(), refs.logCosh!],
      [new Huber({ delta: 0.3 }), huberRef(0.3)],
      [new CosineSimilarity(), cosineRef],
    ];
    for (const [loss, ref] of pairs) {
      const expected = perRow(t, p, shape, -1, ref);
      expectClose(await take(loss.call(tensor(t, shape), tensor(p, shape))), expected, 1e-4, 1e-5, loss.className);
      expectClose(await take(loss.compute(tensor(t, shape), tensor(p, shape))), [meanOf(expected)], 1e-4, 1e-5, loss.className);
    }
  });

  it('CosineSimilarity honours its axis option', async () => {
    const shape = [3, 4];
    const t = uniformArray(12, -1, 1, 8);
    const p = uniformArray(12, -1, 1, 9);
    const out = new CosineSimilarity({ axis: 0, reduction: 'none' }).compute(tensor(t, shape), tensor(p, shape));
    expect(out.shape).to.deep.equal([4]);
    expectClose(await take(out), perRow(t, p, shape, 0, cosineRef), 1e-4, 1e-5);
  });
});
