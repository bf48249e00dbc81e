import { StrataError, type MatmulActivation } from '@strata/core';
import { Registry, type Identifier } from '../registry.js';
import * as fns from './activations.js';
import type { ActivationFn } from './activations.js';

export type { ActivationFn } from './activations.js';

/**
 * Activations by their Keras names (snake_case, as saved models write them); camelCase spellings
 * (`'hardSigmoid'`, `'leakyRelu'`) resolve too, as do the aliases `'silu'` (swish) and
 * `'gelu_new'` (TF.js's tanh GELU). Custom functions join with {@link registerActivation}.
 *
 * @example
 * activationRegistry.get('hard_sigmoid');
 */
export const activationRegistry = new Registry<ActivationFn>('activation', (x): x is ActivationFn => typeof x === 'function');

/** The saved name of each registered function, for `getConfig` round trips. */
const names = new Map<ActivationFn, string>();

/**
 * Registers a custom activation under `name` so layers that use it can be saved and rebuilt.
 * A name already taken by another function is refused, so built-ins cannot be shadowed.
 *
 * @example
 * registerActivation('square_relu', (x) => square(relu(x)));
 * dense({ units: 4, activation: 'square_relu' });
 */
export function registerActivation(name: string, fn: ActivationFn, aliases: readonly string[] = []): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new StrataError(`registerActivation: argument 'name' must be a non-empty string; received ${typeof name === 'string' ? 'an empty string' : `${typeof name} ${String(name)}`}.`);
  }
  if (typeof fn !== 'function') {
    throw new StrataError(`registerActivation: argument 'fn' for "${name}" must be a function (x: Tensor) => Tensor; received ${fn === null ? 'null' : typeof fn}.`);
  }
  for (const n of [name, ...aliases]) {
    if (activationRegistry.has(n) && activationRegistry.get(n) !== fn) {
      throw new StrataError(`registerActivation: the name "${n}" is already registered to another activation; choose another name. Registered: ${activationRegistry.names().join(', ')}.`);
    }
  }
  activationRegistry.register(name, () => fn, aliases);
  if (!names.has(fn)) names.set(fn, name);
}

registerActivation('linear', fns.linear);
registerActivation('relu', fns.relu);
registerActivation('relu6', fns.relu6);
registerActivation('elu', fns.elu);
registerActivation('selu', fns.selu);
registerActivation('gelu', fns.gelu);
registerActivation('gelu_new', fns.geluNew);
registerActivation('sigmoid', fns.sigmoid);
registerActivation('hard_sigmoid', fns.hardSigmoid);
registerActivation('tanh', fns.tanh);
registerActivation('softmax', fns.softmax);
registerActivation('log_softmax', fns.logSoftmax);
registerActivation('softplus', fns.softplus);
registerActivation('softsign', fns.softsign);
// TF.js saves 'swish'; Keras 3 saves 'silu' and reads both.
registerActivation('swish', fns.swish, ['silu']);
registerActivation('mish', fns.mish);
registerActivation('exponential', fns.exponential);
registerActivation('leaky_relu', fns.leakyRelu);

/**
 * Resolves an activation: a name (`'relu'`, `'hard_sigmoid'`, `'leakyRelu'`), a
 * `{ className: 'relu' }` object, or a function (returned as is). `null` or `undefined` give
 * `linear`, as in Keras.
 *
 * @example
 * const act = getActivation('gelu');
 * const y = act(x);
 */
export function getActivation(identifier: Identifier<ActivationFn> | null | undefined): ActivationFn {
  if (identifier === null || identifier === undefined) return fns.linear;
  return activationRegistry.get(identifier);
}

/**
 * The saved name of an activation function (`'relu'`, `'hard_sigmoid'`), for a layer's
 * `getConfig`. Unregistered functions cannot be saved by name, so they throw.
 *
 * @example
 * activationName(getActivation('leakyRelu')); // 'leaky_relu'
 */
export function activationName(fn: ActivationFn): string {
  const name = names.get(fn);
  if (name === undefined) {
    const label = typeof fn === 'function' ? `function ${fn.name || '(anonymous)'}` : `${fn === null ? 'null' : typeof fn}`;
    throw new StrataError(`activationName: ${label} is not a registered activation, so it cannot be saved by name; register it first with registerActivation('my_activation', fn), or use one of ${activationRegistry.names().join(', ')}.`);
  }
  return name;
}

const MATMUL_ACTIVATIONS = new Map<ActivationFn, MatmulActivation>([
  [fns.linear, 'linear'], [fns.relu, 'relu'], [fns.relu6, 'relu6'], [fns.sigmoid, 'sigmoid'], [fns.tanh, 'tanh'], [fns.elu, 'elu'],
]);

/**
 * The name `fusedMatmul` knows an activation by, when it is one of the built-ins it can fuse
 * (linear, relu, relu6, sigmoid, tanh, elu); null for any other, which runs after the product.
 *
 * @example
 * matmulActivationOf(getActivation('relu')); // 'relu'
 * matmulActivationOf(getActivation('softmax')); // null
 */
export function matmulActivationOf(fn: ActivationFn): MatmulActivation | null {
  return MATMUL_ACTIVATIONS.get(fn) ?? null;
}

/**
 * The built-in activations as functions, under camelCase names (`activations.leakyRelu(x)`).
 *
 * @example
 * const y = activations.softmax(logits);
 */
export const activations = {
  linear: fns.linear,
  relu: fns.relu,
  relu6: fns.relu6,
  elu: fns.elu,
  selu: fns.selu,
  gelu: fns.gelu,
  geluNew: fns.geluNew,
  sigmoid: fns.sigmoid,
  hardSigmoid: fns.hardSigmoid,
  tanh: fns.tanh,
  softmax: fns.softmax,
  logSoftmax: fns.logSoftmax,
  softplus: fns.softplus,
  softsign: fns.softsign,
  swish: fns.swish,
  silu: fns.swish,
  mish: fns.mish,
  exponential: fns.exponential,
  leakyRelu: fns.leakyRelu,
};
