import { expect } from 'chai';
import { OpError } from '../src/util/errors.js';
import {
  assertShape, broadcastShapes, normalizeAxes, normalizeAxis, reducedShape, shapesEqual,
} from '../src/util/shape.js';

function opErrorOf(fn: () => unknown): OpError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(OpError);
    return e as OpError;
  }
  return expect.fail('expected an OpError');
}

describe('util/shape', () => {
  describe('broadcastShapes', () => {
    const cases: [number[], number[], number[]][] = [
      [[2, 3], [3], [2, 3]],
      [[3], [2, 3], [2, 3]],
      [[2, 1], [1, 3], [2, 3]],
      [[4, 1, 3], [2, 1], [4, 2, 3]],
      [[], [2, 2], [2, 2]],
      [[], [], []],
      [[0, 3], [3], [0, 3]],
      [[1], [0], [0]],
      [[2, 0], [2, 1], [2, 0]],
      [[1, 1, 1], [5], [1, 1, 5]],
    ];
    for (const [a, b, out] of cases) {
      it(`${JSON.stringify(a)} with ${JSON.stringify(b)} is ${JSON.stringify(out)}`, () => {
        expect(broadcastShapes('add', a, b)).to.deep.equal(out);
      });
    }

    it('names the op, the argument, both shapes and the clashing dimension', () => {
      const err = opErrorOf(() => broadcastShapes('mul', [2, 3], [4]));
      expect(err.op).to.equal('mul');
      expect(err.argument).to.equal('b');
      expect(err.message).to.contain('shapes [2, 3] and [4]').and.to.contain("with 'a'").and.to.contain('3 vs 4');
    });

    it('uses the argument names it is given', () => {
      const err = opErrorOf(() => broadcastShapes('where', [2], [3], ['condition', 'a']));
      expect(err.argument).to.equal('a');
      expect(err.message).to.contain("with 'condition'");
    });

    it('refuses a size-0 dimension against a size greater than 1', () => {
      expect(() => broadcastShapes('add', [0], [2])).to.throw(OpError, '0 vs 2');
    });
  });

  describe('normalizeAxis and normalizeAxes', () => {
    it('resolves negative axes', () => {
      expect(normalizeAxis('sum', -1, 3)).to.equal(2);
      expect(normalizeAxis('sum', -3, 3)).to.equal(0);
      expect(normalizeAxis('sum', 2, 3)).to.equal(2);
    });

    it('sorts axes and defaults to all of them', () => {
      expect(normalizeAxes('sum', [-1, 0], 3)).to.deep.equal([0, 2]);
      expect(normalizeAxes('sum', 1, 3)).to.deep.equal([1]);
      expect(normalizeAxes('sum', undefined, 3)).to.deep.equal([0, 1, 2]);
      expect(normalizeAxes('sum', null, 2)).to.deep.equal([0, 1]);
      expect(normalizeAxes('sum', [], 2)).to.deep.equal([]);
      expect(normalizeAxes('sum', undefined, 0)).to.deep.equal([]);
    });

    it('refuses out-of-range axes, naming the op, the axis and the valid range', () => {
      const err = opErrorOf(() => normalizeAxes('mean', [3], 3));
      expect(err.op).to.equal('mean');
      expect(err.argument).to.equal('axis');
      expect(err.message).to.contain('[-3, 2]').and.to.contain('rank-3').and.to.contain('received 3.');
      expect(() => normalizeAxis('max', -4, 3)).to.throw(OpError, 'received -4');
    });

    it('refuses non-integer axes', () => {
      expect(() => normalizeAxis('sum', 0.5, 2)).to.throw(OpError, 'received 0.5');
      expect(() => normalizeAxis('sum', NaN, 2)).to.throw(OpError, 'received NaN');
    });

    it('refuses a repeated axis, also when written both ways', () => {
      const err = opErrorOf(() => normalizeAxes('sum', [1, -2], 3));
      expect(err.message).to.contain('must not repeat an axis').and.to.contain('[1, -2]');
    });

    it('names a custom argument', () => {
      expect(opErrorOf(() => normalizeAxis('gather', 5, 2, 'axis (of x)')).argument).to.equal('axis (of x)');
    });
  });

  describe('reducedShape, shapesEqual, assertShape', () => {
    it('drops or keeps reduced dims', () => {
      expect(reducedShape([2, 3, 4], [1], false)).to.deep.equal([2, 4]);
      expect(reducedShape([2, 3, 4], [0, 2], true)).to.deep.equal([1, 3, 1]);
      expect(reducedShape([2, 3], [0, 1], false)).to.deep.equal([]);
    });

    it('compares shapes by rank and dims', () => {
      expect(shapesEqual([2, 3], [2, 3])).to.equal(true);
      expect(shapesEqual([2, 3], [3, 2])).to.equal(false);
      expect(shapesEqual([1], [1, 1])).to.equal(false);
      expect(shapesEqual([], [])).to.equal(true);
    });

    it('accepts non-negative integer shapes and names the op otherwise', () => {
      expect(() => assertShape('zeros', 'shape', [0, 2])).to.not.throw();
      const err = opErrorOf(() => assertShape('zeros', 'shape', [2, -1]));
      expect(err.message).to.equal("zeros: argument 'shape' must be an array of non-negative integers; received [2,-1].");
      expect(() => assertShape('ones', 'shape', [1.5])).to.throw(OpError);
      expect(() => assertShape('ones', 'shape', 3 as never)).to.throw(OpError);
    });
  });
});
