import { expect } from 'chai';
import { OpError, StrataError, type NestedArray, type Tensor } from '@strata/core';
import { expectTensor, type Tolerance } from '../harness.js';

// Assertions shared by the case groups of this folder: error checks in the form core's errors take,
// and a read-then-dispose for results that are only checked once.

/**
 * Runs `fn`, expecting it to throw; returns the error so callers can inspect it further.
 *
 * @example
 * const err = expectThrows(() => exp(tensor([true])));
 */
export function expectThrows(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(err, 'thrown value').to.be.instanceOf(Error);
    return err as Error;
  }
  return expect.fail('expected the call to throw, but it returned normally');
}

/**
 * Asserts that `fn` throws an `OpError` naming `op` and `argument`, in the standard message form
 * `op: argument 'arg' <expected>; received <received>.`, and whose message contains every fragment
 * (the received value, the expectation).
 *
 * @example
 * expectOpError(() => add(tensor([1, 2]), tensor([1, 2, 3])), 'add', 'b', '[2]', '[3]');
 */
export function expectOpError(fn: () => unknown, op: string, argument: string, ...fragments: string[]): OpError {
  const err = expectThrows(fn);
  expect(err, `error thrown: ${err.message}`).to.be.instanceOf(OpError);
  const opErr = err as OpError;
  expect(opErr.op, 'OpError.op').to.equal(op);
  expect(opErr.argument, 'OpError.argument').to.equal(argument);
  expect(opErr.message.startsWith(`${op}: argument '${argument}' `), `message "${opErr.message}" names op and argument`).to.equal(true);
  expect(opErr.message, 'message carries the received value').to.match(/; received .+\.$/s);
  for (const f of fragments) expect(opErr.message, 'message').to.contain(f);
  return opErr;
}

/**
 * Asserts that `fn` throws a `StrataError` (of any subclass) whose message contains every fragment.
 *
 * @example
 * expectStrataError(() => grad(() => 3 as never)(1), 'must return a Tensor');
 */
export function expectStrataError(fn: () => unknown, ...fragments: string[]): StrataError {
  const err = expectThrows(fn);
  expect(err, `error thrown: ${err.message}`).to.be.instanceOf(StrataError);
  for (const f of fragments) expect(err.message, 'message').to.contain(f);
  return err as StrataError;
}

/**
 * `expectTensor`, then disposes the tensor (results checked once need no other handle).
 *
 * @example
 * await expectDisposed(range(3), [0, 1, 2], { shape: [3] });
 */
export async function expectDisposed(
  t: Tensor,
  expected: NestedArray | readonly number[] | ArrayLike<number>,
  options: Tolerance & { shape?: readonly number[]; dtype?: string } = {},
): Promise<void> {
  try {
    await expectTensor(t, expected, options);
  } finally {
    t.dispose();
  }
}
