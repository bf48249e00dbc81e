import type { Tensor } from '@strata/core';
import type { Identifier, Serializable } from '../registry.js';
import { activationName, getActivation } from '../activations/index.js';
import { constraintRegistry, type Constraint } from '../constraints/index.js';
import { initializerRegistry, type Initializer } from '../initializers/index.js';
import { regularizerRegistry, type Regularizer } from '../regularizers/index.js';

// The one place layers turn their options (names, configs, instances) into the objects they use,
// and back into configs for getConfig.

/** An activation option: a name (`'relu'`) or a function. */
export type ActivationIdentifier = string | ((x: Tensor) => Tensor);
/** An initializer option: a name (`'glorotUniform'`), `{ className, config }`, or an instance. */
export type InitializerIdentifier = Identifier<Initializer>;
/** A regularizer option. */
export type RegularizerIdentifier = Identifier<Regularizer>;
/** A constraint option. */
export type ConstraintIdentifier = Identifier<Constraint>;

/**
 * The activation function for an option (`undefined` is linear).
 *
 * @example
 * resolveActivation('relu')(x);
 */
export function resolveActivation(id: ActivationIdentifier | null | undefined): (x: Tensor) => Tensor {
  return getActivation(id ?? 'linear');
}

/**
 * The name an activation is saved under.
 *
 * @example
 * activationConfig(resolveActivation('relu')); // 'relu'
 */
export function activationConfig(fn: (x: Tensor) => Tensor): string {
  return activationName(fn);
}

/**
 * The initializer for an option.
 *
 * @example
 * resolveInitializer('heNormal').apply([3, 3], 'float32');
 */
export function resolveInitializer(id: InitializerIdentifier): Initializer {
  return initializerRegistry.get(id);
}

/**
 * The regularizer for an option, or undefined for none.
 *
 * @example
 * resolveRegularizer({ className: 'L2', config: { l2: 0.01 } });
 */
export function resolveRegularizer(id: RegularizerIdentifier | null | undefined): Regularizer | undefined {
  return id === null || id === undefined ? undefined : regularizerRegistry.get(id);
}

/**
 * The constraint for an option, or undefined for none.
 *
 * @example
 * resolveConstraint('nonNeg');
 */
export function resolveConstraint(id: ConstraintIdentifier | null | undefined): Constraint | undefined {
  return id === null || id === undefined ? undefined : constraintRegistry.get(id);
}

/**
 * How a serializable option is written in a layer config (`null` when absent).
 *
 * @example
 * serialize(this.kernelInitializer); // { className: 'GlorotUniform', config: { seed: null } }
 */
export function serialize(x: Serializable | undefined | null): { className: string; config: Record<string, unknown> } | null {
  return x ? { className: x.className, config: x.getConfig() } : null;
}
