import { tidy } from '../memory.js';
import type { Tensor } from '../tensor.js';

/**
 * Wraps an op so that everything it creates except its result is freed (converted array
 * arguments, intermediates of a decomposition). Every public op is defined through this.
 *
 * @example
 * export const square = defineOp('square', (x: TensorLike) => unaryOp('square', convert(x, 'x', 'square')));
 */
export function defineOp<A extends unknown[], R extends Tensor | Tensor[]>(name: string, fn: (...args: A) => R): (...args: A) => R {
  const wrapped = (...args: A): R => tidy(() => fn(...args));
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}
