import { expect } from 'chai';
import {
  OpError, StrataError, add, broadcastTo, cast, clip, exp, eye, fill, range, reshape, tensor, tile,
  uniform, where, zeros, type DType,
} from '@strata/core';
import { conformanceCase, expectNoLeaks, type SuiteContext } from '../harness.js';
import { expectOpError } from './case-helpers.js';

/**
 * Cases that check the message of `OpError` for a sample of ops: each names the op, the argument,
 * the received value and what was expected, and the failed call leaves no tensor behind.
 *
 * @example
 * describe('errors', () => errorCases(ctx));
 */
export function errorCases(ctx: SuiteContext): void {
  describe('OpError messages', () => {
    conformanceCase(ctx, 'errors.opError-shape', () => {
      const err = new OpError('matmul', 'b', 'shape [3, 4]', 'must have inner dimension 5');
      expect(err.message).to.equal("matmul: argument 'b' must have inner dimension 5; received shape [3, 4].");
      expect(err.name).to.equal('OpError');
      expect(err).to.be.instanceOf(StrataError);
    });

    conformanceCase(ctx, 'errors.broadcast-names-both-shapes', async () => {
      await expectNoLeaks(() => {
        expectOpError(() => add([[1, 2, 3], [4, 5, 6]], [1, 2]), 'add', 'b', '[2, 3]', '[2]', 'broadcast');
      });
    });

    conformanceCase(ctx, 'errors.unary-bool-input', async () => {
      await expectNoLeaks(() => {
        expectOpError(() => exp([true, false]), 'exp', 'x', 'dtype bool', 'numeric');
      });
    });

    conformanceCase(ctx, 'errors.null-argument', () => {
      expectOpError(() => exp(null as never), 'exp', 'x', 'null', 'must be a Tensor');
      expectOpError(() => add(tensor([1]), undefined as never), 'add', 'b', 'undefined');
    });

    conformanceCase(ctx, 'errors.disposed-argument', () => {
      const t = tensor([1, 2]);
      t.dispose();
      expectOpError(() => exp(t), 'exp', 'x', 'disposed', 'Tensor(shape=[2], dtype=float32');
    });

    conformanceCase(ctx, 'errors.clip-bounds', () => {
      expectOpError(() => clip([1, 2], 3, 1), 'clip', 'min/max', '3, 1', 'min <= max');
      expectOpError(() => clip([1, 2], NaN, 1), 'clip', 'min/max', 'NaN');
    });

    conformanceCase(ctx, 'errors.range-step', () => {
      expectOpError(() => range(0, 5, 0), 'range', 'step', '0', 'non-zero');
    });

    conformanceCase(ctx, 'errors.reshape-size', async () => {
      await expectNoLeaks(() => {
        expectOpError(() => reshape([1, 2, 3, 4, 5, 6], [4, -1]), 'reshape', 'shape', '[4, -1]', '6 elements', '[6]');
        expectOpError(() => reshape([1, 2, 3, 4, 5, 6], [4, 2]), 'reshape', 'shape', '[4, 2]', 'must have 6 elements');
        expectOpError(() => reshape([1, 2], [-1, -1]), 'reshape', 'shape', 'at most one -1');
      });
    });

    conformanceCase(ctx, 'errors.tile-reps', () => {
      expectOpError(() => tile([[1, 2]], [2]), 'tile', 'reps', '[2]', '2 non-negative integers', '[1, 2]');
    });

    conformanceCase(ctx, 'errors.broadcastTo-shape', () => {
      expectOpError(() => broadcastTo([1, 2, 3], [3, 2]), 'broadcastTo', 'shape', '[3]', '[3, 2]');
      expectOpError(() => broadcastTo([[1], [2]], [2]), 'broadcastTo', 'shape', '[2]', 'reachable');
    });

    conformanceCase(ctx, 'errors.cast-dtype', () => {
      expectOpError(() => cast([1], 'float64' as DType), 'cast', 'dtype', '"float64"', 'float32, int32 or bool');
    });

    conformanceCase(ctx, 'errors.where-condition', async () => {
      await expectNoLeaks(() => {
        expectOpError(() => where([1, 0], [1, 2], [3, 4]), 'where', 'condition', 'dtype float32', 'bool');
      });
    });

    conformanceCase(ctx, 'errors.creation-shape', () => {
      expectOpError(() => zeros([2, -1]), 'zeros', 'shape', '[2,-1]', 'non-negative integers');
      expectOpError(() => fill([1.5], 0), 'fill', 'shape', '[1.5]');
      expectOpError(() => fill([2], 'x' as never), 'fill', 'value', 'string', 'number');
      expectOpError(() => eye(-2), 'eye', 'numRows/numColumns', '-2');
    });

    conformanceCase(ctx, 'errors.tensor-values', () => {
      expectOpError(() => tensor([[1, 2], [3]]), 'tensor', 'values', 'length 1 at values[1]', 'rectangular');
      expectOpError(() => tensor([1, 2, 3], [2, 2]), 'tensor', 'shape', '[2, 2]', '(4)', '(3)');
    });

    conformanceCase(ctx, 'errors.random-seed', () => {
      expectOpError(() => uniform([2], 0, 1, { seed: -3 }), 'uniform', 'seed', '-3', 'non-negative integer');
    });
  });
}
