import { OPTIMIZER_UPDATE_KINDS, type OptimizerUpdate } from '@strata/engine-api';
import { Tensor, Variable } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';

// Argument checks of `optimizerUpdate`. The kernel trusts them: it writes in place, so a wrong slot
// count or shape would corrupt memory on a GPU rather than fail.

const OP = 'optimizerUpdate';

/** The scalar fields of each update kind, with the type each must have. */
const FIELDS: Record<OptimizerUpdate['kind'], Record<string, 'number' | 'boolean'>> = {
  sgd: { learningRate: 'number', momentum: 'number', nesterov: 'boolean' },
  adam: { alpha: 'number', beta1: 'number', beta2: 'number', epsilon: 'number', amsgrad: 'boolean' },
  rmsprop: { learningRate: 'number', rho: 'number', momentum: 'number', epsilon: 'number', centered: 'boolean' },
  adagrad: { learningRate: 'number', epsilon: 'number' },
};

function describe(value: unknown): string {
  if (value instanceof Tensor) return `a tensor of shape ${fmtShape(value.shape)}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

/**
 * The slots an update kind takes, by name, in the order the kernel receives them.
 *
 * @example
 * optimizerSlotNames({ kind: 'adam', alpha: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: true });
 * // ['m', 'v', 'vHat']
 */
export function optimizerSlotNames(update: OptimizerUpdate): string[] {
  switch (update.kind) {
    case 'sgd':
      return update.momentum > 0 ? ['momentum'] : [];
    case 'adam':
      return update.amsgrad ? ['m', 'v', 'vHat'] : ['m', 'v'];
    case 'rmsprop':
      return ['velocity', ...(update.momentum > 0 ? ['momentum'] : []), ...(update.centered ? ['averageGradient'] : [])];
    case 'adagrad':
      return ['accumulator'];
  }
}

/** Checks the update's kind and scalars (finite numbers; momentum in [0, 1] where it decides a slot). */
export function checkUpdate(update: unknown): OptimizerUpdate {
  if (update === null || typeof update !== 'object' || !(OPTIMIZER_UPDATE_KINDS as readonly unknown[]).includes((update as { kind?: unknown }).kind)) {
    const kind = update !== null && typeof update === 'object' ? `kind ${describe((update as { kind?: unknown }).kind)}` : describe(update);
    throw new OpError(OP, 'update', kind, `must be an object whose kind is one of ${OPTIMIZER_UPDATE_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  const u = update as OptimizerUpdate & Record<string, unknown>;
  for (const [field, type] of Object.entries(FIELDS[u.kind])) {
    const value = u[field];
    const ok = type === 'boolean' ? typeof value === 'boolean' : typeof value === 'number' && Number.isFinite(value);
    if (!ok) {
      throw new OpError(OP, `update.${field}`, describe(value), `must be ${type === 'boolean' ? 'true or false' : 'a finite number'} (for a '${u.kind}' update)`);
    }
  }
  if ((u.kind === 'sgd' || u.kind === 'rmsprop') && (u.momentum < 0 || u.momentum > 1)) {
    throw new OpError(OP, 'update.momentum', String(u.momentum), 'must be in [0, 1] (0 for no momentum slot)');
  }
  return u;
}

/** Checks the variable, the gradient and the slots against the update and each other. */
export function checkTensors(update: OptimizerUpdate, variable: unknown, gradient: unknown, slots: unknown): void {
  if (!(variable instanceof Variable) || variable.isDisposed) {
    throw new OpError(OP, 'variable', variable instanceof Variable ? `disposed variable '${variable.name}'` : describe(variable), 'must be a live Variable (the weights to update)');
  }
  if (variable.dtype !== 'float32') throw new OpError(OP, 'variable', `dtype ${variable.dtype} ('${variable.name}')`, 'must be float32');
  if (!(gradient instanceof Tensor) || gradient.isDisposed) {
    throw new OpError(OP, 'gradient', gradient instanceof Tensor ? 'a disposed tensor' : describe(gradient), `must be a live float32 tensor of the variable's shape ${fmtShape(variable.shape)}`);
  }
  if (gradient.dtype !== 'float32' || !shapesEqual(gradient.shape, variable.shape)) {
    throw new OpError(OP, 'gradient', `shape ${fmtShape(gradient.shape)} and dtype ${gradient.dtype}`, `must match variable '${variable.name}': shape ${fmtShape(variable.shape)}, float32`);
  }
  const names = optimizerSlotNames(update);
  if (!Array.isArray(slots) || slots.length !== names.length) {
    throw new OpError(OP, 'slots', describe(slots), `must hold ${names.length} variable(s) for this '${update.kind}' update: [${names.join(', ')}]`);
  }
  const seen = new Set<Variable>([variable]);
  slots.forEach((s: unknown, i) => {
    const arg = `slots[${i}]`;
    if (!(s instanceof Variable) || s.isDisposed) {
      throw new OpError(OP, arg, s instanceof Variable ? `disposed variable '${s.name}'` : describe(s), `must be a live Variable (the '${names[i]}' slot)`);
    }
    if (s.dtype !== 'float32' || !shapesEqual(s.shape, variable.shape)) {
      throw new OpError(OP, arg, `shape ${fmtShape(s.shape)} and dtype ${s.dtype}`, `must match variable '${variable.name}': shape ${fmtShape(variable.shape)}, float32`);
    }
    if (seen.has(s)) {
      throw new OpError(OP, arg, `variable '${s.name}' again`, 'must be a variable of its own: the variable and each slot are written, so none may appear twice');
    }
    seen.add(s);
  });
}
