import { expect } from 'chai';
import { disposeAfter, memory, tensor, variable, type Tensor } from '@strata/core';
import { clipGradientByNorm, clipGradientsByGlobalNorm, clipGradientsByValue, globalNorm, optimizers, type Optimizer } from '../src/optimizers/index.js';

/** Values from hand-derived arithmetic; float32 storage allows a few ulps. */
async function expectValues(t: Tensor, expected: number[], what: string): Promise<void> {
  const got = Array.from(await t.data());
  expect(got, what).to.have.length(expected.length);
  got.forEach((g, i) => expect(g, `${what}[${i}]`).to.be.closeTo(expected[i]!, 1e-6));
}

/** One SGD step with learning rate 1 from zero weights: the weights become minus the clipped gradients. */
async function clippedBySgd(options: Parameters<typeof optimizers.sgd>[0], grads: number[][]): Promise<number[][]> {
  const out: number[][] = [];
  await disposeAfter(async () => {
    const vars = grads.map((g, j) => variable(tensor(g.map(() => 0)), true, `clip_${j}`));
    const opt: Optimizer = optimizers.sgd({ learningRate: 1, ...options });
    opt.applyGradients(vars.map((v, j) => ({ variable: v, gradient: tensor(grads[j]!) })));
    for (const v of vars) out.push(Array.from(await v.data()).map((x) => -x));
  });
  return out;
}

function expectNested(got: number[][], expected: number[][]): void {
  expect(got).to.have.length(expected.length);
  got.forEach((row, j) => row.forEach((x, i) => expect(x, `[${j}][${i}]`).to.be.closeTo(expected[j]![i]!, 1e-6)));
}

describe('optimizers: gradient clipping', () => {
  it('clipvalue clips each element to [-clipvalue, clipvalue]', async () => {
    expectNested(await clippedBySgd({ clipvalue: 0.5 }, [[-3, 0.25, 2], [0.5, -0.5]]), [[-0.5, 0.25, 0.5], [0.5, -0.5]]);
  });

  it('clipnorm rescales each gradient on its own: [3, 4] (norm 5) -> [0.6, 0.8]; [0.3, 0.4] (norm 0.5) is kept', async () => {
    expectNested(await clippedBySgd({ clipnorm: 1 }, [[3, 4], [0.3, 0.4]]), [[0.6, 0.8], [0.3, 0.4]]);
  });

  it('clipnorm uses the norm over all axes of a matrix gradient', async () => {
    // [[1, 2], [2, 4]]: norm sqrt(1 + 4 + 4 + 16) = 5; clipnorm 2.5 halves it.
    expectNested(await clippedBySgd({ clipnorm: 2.5 }, [[1, 2, 2, 4]]), [[0.5, 1, 1, 2]]);
  });

  it('clipnorm leaves a zero gradient at zero (no NaN)', async () => {
    expectNested(await clippedBySgd({ clipnorm: 1 }, [[0, 0]]), [[0, 0]]);
  });

  it('globalClipnorm rescales all gradients by one factor: [3], [4] (global norm 5) -> [0.6], [0.8]', async () => {
    expectNested(await clippedBySgd({ globalClipnorm: 1 }, [[3], [4]]), [[0.6], [0.8]]);
  });

  it('globalClipnorm: [1, 2], [2] (global norm 3) with limit 2 scales by 2/3', async () => {
    expectNested(await clippedBySgd({ globalClipnorm: 2 }, [[1, 2], [2]]), [[2 / 3, 4 / 3], [4 / 3]]);
  });

  it('globalClipnorm keeps gradients whose global norm is within the limit', async () => {
    expectNested(await clippedBySgd({ globalClipnorm: 1 }, [[0.3], [0.4]]), [[0.3], [0.4]]);
  });

  it('applies clipvalue before clipnorm: [3, 4] -> [2, 2] -> [1/sqrt 2, 1/sqrt 2]', async () => {
    // The other order would give [0.6, 0.8].
    expectNested(await clippedBySgd({ clipvalue: 2, clipnorm: 1 }, [[3, 4]]), [[Math.SQRT1_2, Math.SQRT1_2]]);
  });

  it('applies clipvalue before globalClipnorm: [3], [-4] -> [2], [-2] -> [1/sqrt 2], [-1/sqrt 2]', async () => {
    expectNested(await clippedBySgd({ clipvalue: 2, globalClipnorm: 1 }, [[3], [-4]]), [[Math.SQRT1_2], [-Math.SQRT1_2]]);
  });

  it('clips before momentum accumulates', async () => {
    await disposeAfter(async () => {
      const w = variable(tensor([0]), true, 'clip_momentum');
      const opt = optimizers.sgd({ learningRate: 1, momentum: 0.5, clipvalue: 1 });
      opt.applyGradients([{ variable: w, gradient: tensor([10]) }]); // m = -1, w = -1
      opt.applyGradients([{ variable: w, gradient: tensor([10]) }]); // m = -0.5 - 1 = -1.5, w = -2.5
      await expectValues(w, [-2.5], 'w');
    });
  });

  describe('the exported functions', () => {
    it('clipGradientsByValue, clipGradientByNorm, globalNorm and clipGradientsByGlobalNorm', async () => {
      await disposeAfter(async () => {
        const [a] = clipGradientsByValue([tensor([-3, 0.5, 2])], 1);
        await expectValues(a!, [-1, 0.5, 1], 'by value');
        await expectValues(clipGradientByNorm(tensor([3, 4]), 1), [0.6, 0.8], 'by norm');
        await expectValues(globalNorm([tensor([3]), tensor([[4]])]), [5], 'global norm');
        const [x, y] = clipGradientsByGlobalNorm([tensor([3]), tensor([[4]])], 1);
        await expectValues(x!, [0.6], 'global x');
        await expectValues(y!, [0.8], 'global y');
        expect(y!.shape).to.deep.equal([1, 1]);
        expect(clipGradientsByGlobalNorm([], 1)).to.deep.equal([]);
      });
    });

    it('a non-finite global norm makes every clipped gradient NaN, as in Keras', async () => {
      await disposeAfter(async () => {
        const [x, y] = clipGradientsByGlobalNorm([tensor([Infinity]), tensor([1])], 1);
        expect(Number.isNaN((await x!.data())[0])).to.equal(true);
        expect(Number.isNaN((await y!.data())[0])).to.equal(true);
      });
    });

    it('leave only their results behind', async () => {
      await disposeAfter(async () => {
        const g = [tensor([3, 4]), tensor([1])];
        const before = memory().numTensors;
        const out = [clipGradientByNorm(g[0]!, 1), globalNorm(g), ...clipGradientsByGlobalNorm(g, 1), ...clipGradientsByValue(g, 1)];
        expect(memory().numTensors).to.equal(before + out.length);
      });
    });
  });
});
