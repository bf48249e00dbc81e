import { expandDims, stack, unstack, where, type Tensor } from '@strata/core';

/**
 * One time step of a recurrent cell: the step's input (already projected by the input kernel)
 * and the previous states in, the step's output and the new states out.
 */
export type RnnStep = (input: Tensor, states: Tensor[]) => { output: Tensor; states: Tensor[] };

/** Options of {@link rnnLoop}. */
export interface RnnLoopOptions {
  /** `[batch, time]` bool: false steps keep the previous states and output. */
  mask?: Tensor | null;
  /** Walk the time axis from the end; outputs come out in the order they were computed. */
  goBackwards?: boolean;
  /** Masked steps output zeros instead of the previous output (Keras sets this in `Bidirectional`). */
  zeroOutputForMask?: boolean;
  /** Stack every step's output (`[batch, time, units]`); otherwise only the last is kept. */
  returnSequences?: boolean;
}

/** What {@link rnnLoop} returns. */
export interface RnnLoopResult {
  /** The output of the last step processed, `[batch, units]`. */
  lastOutput: Tensor;
  /** Every step's output, `[batch, time, units]`, when `returnSequences`; else null. */
  outputs: Tensor | null;
  /** The states after the last step. */
  states: Tensor[];
}

/**
 * Runs a recurrent step over the time axis of `inputs` (`[batch, time, features]`), unrolled
 * with core ops so it runs, and differentiates, on every engine. With a mask, a masked step keeps
 * the previous states and outputs the previous first state (the previous `h`), as TF.js's and Keras's
 * JAX loops do; with `zeroOutputForMask` it outputs zeros.
 *
 * @example
 * const { lastOutput } = rnnLoop((x, [h]) => { const y = tanh(add(x, h)); return { output: y, states: [y] }; }, xs, [zeros([2, 4])]);
 */
export function rnnLoop(step: RnnStep, inputs: Tensor, initialStates: readonly Tensor[], options: RnnLoopOptions = {}): RnnLoopResult {
  const steps = unstack(inputs, 1);
  // [batch, 1] per step, so the bool broadcasts over the units.
  const masks = options.mask ? unstack(expandDims(options.mask, -1), 1) : null;
  if (options.goBackwards) {
    steps.reverse();
    masks?.reverse();
  }
  let states = [...initialStates];
  let lastOutput: Tensor | null = null;
  const outputs: Tensor[] = [];
  steps.forEach((x, t) => {
    const next = step(x, states);
    let output = next.output;
    let nextStates = next.states;
    if (masks) {
      const keep = masks[t]!;
      output = where(keep, output, options.zeroOutputForMask ? 0 : states[0]!);
      nextStates = nextStates.map((s, i) => where(keep, s, states[i]!));
    }
    if (options.returnSequences) outputs.push(output);
    lastOutput = output;
    states = nextStates;
  });
  return { lastOutput: lastOutput!, outputs: options.returnSequences ? stack(outputs, 1) : null, states };
}
