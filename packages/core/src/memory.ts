import { runtime } from './runtime.js';
import { Tensor, Variable } from './tensor.js';

/** Anything `tidy` can return: tensors, or arrays and plain objects holding them. */
export type TensorContainer = void | Tensor | number | string | boolean | null | undefined | TensorContainer[] | { [key: string]: TensorContainer };

function collectTensors(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, into);
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, into);
  }
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (and those passed to
 * `keep`). `fn` must be synchronous. Returned tensors move to the enclosing scope.
 *
 * @example
 * const y = tidy(() => add(mul(x, 2), 1)); // the intermediate mul(x, 2) is freed
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  const scope = new Set<Tensor>();
  runtime.scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // fn returned nothing, so everything it created is unreachable (e.g. an op that converted its
    // arguments and then rejected one): free it rather than leak it.
    for (const t of scope) t.dispose();
    throw e;
  } finally {
    runtime.scopes.pop();
  }
  if (result instanceof Promise) {
    // The async remainder runs outside the scope; what it created before its first await is freed.
    for (const t of scope) t.dispose();
    throw new TypeError('tidy(fn): fn returned a Promise. tidy only tracks synchronous work; await outside it, or dispose tensors yourself.');
  }
  const kept = new Set<Tensor>();
  collectTensors(result, kept);
  const parent = runtime.scopes[runtime.scopes.length - 1];
  for (const t of scope) {
    if (kept.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/**
 * Keeps a tensor created inside `tidy` alive past the end of the scope.
 *
 * @example
 * let saved; tidy(() => { saved = keep(square(x)); });
 */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of runtime.scopes) scope.delete(t);
  return t;
}

/**
 * Disposes tensors, or every tensor inside arrays and plain objects.
 *
 * @example
 * dispose([a, b, { c }]);
 */
export function dispose(container: TensorContainer): void {
  const all = new Set<Tensor>();
  collectTensors(container, all);
  for (const t of all) t.dispose();
}

/**
 * @internal For test harnesses only: runs an async `fn` and then disposes every tensor and
 * variable created while it ran. Unlike `tidy` it spans awaits, so it is only sound when nothing
 * else creates tensors concurrently (as in a sequential test runner).
 *
 * @example
 * await disposeAfter(async () => { const t = ones([2]); await t.data(); }); // t is freed
 */
export async function disposeAfter(fn: () => Promise<void> | void): Promise<void> {
  const scope = new Set<Tensor>();
  const variablesBefore = new Set(Variable.live);
  runtime.scopes.push(scope);
  try {
    await fn();
  } finally {
    runtime.scopes.splice(runtime.scopes.indexOf(scope), 1);
    for (const t of scope) t.dispose();
    for (const v of Variable.live) if (!variablesBefore.has(v)) v.dispose();
  }
}
