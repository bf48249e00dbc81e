import { expect } from 'chai';
import type { Shape } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { expectClose, Harness, out, ravel, seeded, unravel } from './helpers.js';

describe('cpu engine: gather and scatterAdd', () => {
  const h = new Harness();
  const gatherShape = (xShape: Shape, idxShape: Shape, axis: number): number[] =>
    [...xShape.slice(0, axis), ...idxShape, ...xShape.slice(axis + 1)];

  function referenceGather(xs: number[], xShape: Shape, idx: number[], idxShape: Shape, axis: number): number[] {
    const oShape = gatherShape(xShape, idxShape, axis);
    return Array.from({ length: sizeOf(oShape) }, (_, i) => {
      const o = unravel(i, oShape);
      const which = idx[ravel(o.slice(axis, axis + idxShape.length), idxShape)]!;
      return xs[ravel([...o.slice(0, axis), which, ...o.slice(axis + idxShape.length)], xShape)]!;
    });
  }

  const cases: [Shape, Shape, number][] = [
    [[5], [3], 0],
    [[5, 3], [4], 0], // rows (embedding lookup)
    [[5, 40], [2, 3], 0], // long rows, 2-D indices
    [[3, 5], [4], 1], // columns
    [[2, 5, 3], [2, 2], 1],
    [[2, 3, 4], [], 2], // scalar index drops the axis
    [[4, 2], [0], 0],
  ];

  for (const [xShape, idxShape, axis] of cases) {
    it(`gather ${JSON.stringify({ xShape, idxShape, axis })}`, () => {
      const xs = seeded(sizeOf(xShape), 3);
      const idx = seeded(sizeOf(idxShape), 4, 0, 1).map((v) => Math.floor(v * xShape[axis]!));
      const oShape = gatherShape(xShape, idxShape, axis);
      const id = h.engine.gather(h.tensor(xs, xShape), h.tensor(idx, idxShape, 'int32'), axis, out(oShape));
      expect(h.values(id, oShape)).to.deep.equal(referenceGather(xs, xShape, idx, idxShape, axis));
    });
  }

  it('scatterAdd accumulates repeated indices', () => {
    const updates = [1, 2, 10, 20, 100, 200];
    const id = h.engine.scatterAdd(h.tensor(updates, [3, 2]), h.tensor([2, 0, 2], [3], 'int32'), 0, out([4, 2]));
    expect(h.values(id, [4, 2])).to.deep.equal([10, 20, 0, 0, 101, 202, 0, 0]);
    const cols = h.engine.scatterAdd(h.tensor([1, 2, 3, 4], [2, 2], 'int32'), h.tensor([1, 1], [2], 'int32'), 1, out([2, 3], 'int32'));
    expect(h.values(cols, [2, 3], 'int32')).to.deep.equal([0, 3, 0, 0, 7, 0]);
  });

  // <gather(x), u> == <x, scatterAdd(u)> for all x and u: scatterAdd is gather's adjoint.
  for (const [xShape, idxShape, axis] of cases) {
    it(`scatterAdd is the adjoint of gather for ${JSON.stringify({ xShape, idxShape, axis })}`, () => {
      const idx = seeded(sizeOf(idxShape), 5, 0, 1).map((v) => Math.floor(v * xShape[axis]!));
      const oShape = gatherShape(xShape, idxShape, axis);
      const xs = seeded(sizeOf(xShape), 6);
      const us = seeded(sizeOf(oShape), 7);
      const indices = h.tensor(idx, idxShape, 'int32');
      const g = h.values(h.engine.gather(h.tensor(xs, xShape), indices, axis, out(oShape)), oShape);
      const s = h.values(h.engine.scatterAdd(h.tensor(us, oShape), indices, axis, out(xShape)), xShape);
      const lhs = g.reduce((acc, v, i) => acc + v * us[i]!, 0);
      const rhs = s.reduce((acc, v, i) => acc + v * xs[i]!, 0);
      expectClose([lhs], [rhs], 1e-5);
    });
  }
});
