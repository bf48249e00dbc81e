import type { Tensor } from '@strata/core';
import type { CallArgs } from '../../engine/layer.js';
import { SymbolicTensor } from '../../engine/symbolic.js';

type AnyInputs = SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[];

/**
 * Moves a symbolic `initialState` call argument into the input list (`[sequence, ...states]`), as
 * Keras and TF.js do, so a model graph records the states as inputs of the layer call and feeds
 * their values when it runs. Real tensors stay where they are.
 *
 * @example
 * const { inputs, args } = initialStateAsInputs(x, { initialState: [h0, c0] }); // inputs: [x, h0, c0]
 */
export function initialStateAsInputs(inputs: AnyInputs, args: CallArgs): { inputs: AnyInputs; args: CallArgs } {
  const given = args.initialState;
  if (given === undefined || given === null) return { inputs, args };
  const states = Array.isArray(given) ? given : [given];
  if (states.length === 0 || !states.every((s) => s instanceof SymbolicTensor)) return { inputs, args };
  const { initialState: _moved, ...rest } = args;
  const list = (Array.isArray(inputs) ? inputs : [inputs]) as SymbolicTensor[];
  return { inputs: [...list, ...(states as SymbolicTensor[])], args: rest };
}

/**
 * Splits a recurrent layer's inputs into the sequence and the initial states, which come either
 * after the sequence in the input list or in the `initialState` call argument.
 *
 * @example
 * const { sequence, states } = sequenceAndStates(inputs, args); // states: null when none given
 */
export function sequenceAndStates(inputs: Tensor | Tensor[], args: CallArgs): { sequence: Tensor; states: Tensor[] | null } {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length > 1) return { sequence: list[0]!, states: list.slice(1) };
  const given = args.initialState as Tensor | Tensor[] | null | undefined;
  const states = given === undefined || given === null ? null : Array.isArray(given) ? given : [given];
  return { sequence: list[0]!, states };
}

/**
 * The sequence's mask from a call's `mask` argument (the first entry when the layer got a list).
 *
 * @example
 * const mask = sequenceMask(args.mask);
 */
export function sequenceMask(mask: CallArgs['mask']): Tensor | null {
  if (mask === undefined || mask === null) return null;
  return Array.isArray(mask) ? (mask[0] ?? null) : mask;
}
