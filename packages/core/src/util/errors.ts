/**
 * Errors Strata throws. Every message says what went wrong, where, the received value and the fix.
 */

/** Base class of every error Strata throws on purpose. */
export class StrataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An op was called with arguments it cannot use: the message names the op, the argument, what was
 * received and what was expected.
 *
 * @example
 * throw new OpError('matmul', 'b', 'shape [3, 4]', 'inner dimensions to match: a is [2, 5]');
 */
export class OpError extends StrataError {
  constructor(
    readonly op: string,
    readonly argument: string,
    received: string,
    expected: string,
  ) {
    super(`${op}: argument '${argument}' ${expected}; received ${received}.`);
  }
}

/** A tensor was used after `dispose()`. */
export class DisposedTensorError extends StrataError {}

/** No engine is active: `await ready()` was not called, or an engine switch was refused. */
export class EngineStateError extends StrataError {}

/**
 * Formats a shape for messages: `[2, 3]`, with `null` for unknown dims.
 *
 * @example
 * fmtShape([2, 3]); // '[2, 3]'
 */
export function fmtShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}
