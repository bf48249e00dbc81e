import { expect } from 'chai';

/**
 * Asserts that `fn` throws an op error naming the op, the argument, and (each of) `received`
 * fragments, i.e. a message `op: argument 'arg' ...; received ...`.
 *
 * @example
 * expectOpError(() => matmul(a, b), 'matmul', 'b', ['[2, 3]', '[4, 5]']);
 */
export function expectOpError(fn: () => unknown, op: string, arg: string, received: readonly string[] = []): void {
  let message: string | undefined;
  try {
    fn();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message, `${op} should have thrown`).to.be.a('string');
  expect(message).to.contain(`${op}: argument '${arg}'`);
  const receivedPart = message!.slice(message!.lastIndexOf('received'));
  for (const fragment of received) expect(receivedPart, `received part of: ${message}`).to.contain(fragment);
}
