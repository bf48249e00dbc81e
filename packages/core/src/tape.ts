import type { Tensor } from './tensor.js';

/** What a gradient function receives about the op it differentiates (saved handles). */
export interface GradRecord {
  /** The op's inputs, as they were when it ran. */
  readonly inputs: readonly Tensor[];
  /** The op's outputs. */
  readonly outputs: readonly Tensor[];
  /** The attributes the op was called with. */
  readonly attrs: Record<string, any>;
  /** Extra tensors a custom gradient asked to keep. */
  readonly saved: readonly Tensor[];
  /**
   * Per input: whether its gradient is wanted (it leads back to a watched tensor). A gradient may
   * skip the others and return null for them: a first layer's input gradient, say, is a product
   * as large as its forward pass that nobody reads.
   */
  readonly needsGrad: readonly boolean[];
}

/**
 * A gradient: given the gradients of the op's outputs (`dys`, one per output, zeros where unused),
 * returns the gradient for each input (`null` where an input is not differentiable). Written in
 * core ops so it runs on every engine.
 */
export type GradFn = (dys: readonly Tensor[], record: GradRecord) => readonly (Tensor | null | undefined)[];

/** One recorded op. */
export interface TapeEntry extends GradRecord {
  readonly op: string;
  readonly inputIds: readonly number[];
  readonly outputIds: readonly number[];
  /** A gradient for this entry only (custom gradients); otherwise the registry's, by `op`. */
  readonly gradFn?: GradFn;
}

/** A recording: which tensor ids lead back to the watched ones, and the ops on that path. */
export class Tape {
  readonly watched = new Set<number>();
  readonly entries: TapeEntry[] = [];
  paused = 0;

  /** Disposes the saved handles. */
  release(): void {
    for (const e of this.entries) {
      for (const t of e.inputs) t.dispose();
      for (const t of e.outputs) t.dispose();
      for (const t of e.saved) t.dispose();
    }
    this.entries.length = 0;
  }
}

const gradients = new Map<string, GradFn>();

/** The tapes recording now, innermost last. */
export const activeTapes: Tape[] = [];

/**
 * Registers the gradient of an op (each file in `gradients/` does this for its op).
 *
 * @example
 * registerGradient('neg', (dys) => [neg(dys[0])]);
 */
export function registerGradient(op: string, fn: GradFn): void {
  gradients.set(op, fn);
}

/**
 * The registered gradient of an op, or undefined.
 *
 * @example
 * gradientOf('exp');
 */
export function gradientOf(op: string): GradFn | undefined {
  return gradients.get(op);
}

/** Called by dispatch after each kernel: records the op on the tapes that watch one of its inputs. */
export function recordOnTapes(
  op: string, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Record<string, unknown>,
  gradFn?: GradFn, saved: readonly Tensor[] = [],
): void {
  for (const tape of activeTapes) {
    const needsGrad = inputs.map((t) => tape.watched.has(t.id));
    if (tape.paused > 0 || !needsGrad.includes(true)) continue;
    for (const o of outputs) tape.watched.add(o.id);
    tape.entries.push({
      op,
      inputs: inputs.map((t) => t.view()),
      outputs: outputs.map((t) => t.view()),
      inputIds: inputs.map((t) => t.id),
      outputIds: outputs.map((t) => t.id),
      attrs,
      gradFn,
      saved: saved.map((t) => t.view()),
      needsGrad,
    });
  }
}

/**
 * Runs `fn` without recording on any tape (for gradient computations and custom-gradient forwards).
 *
 * @example
 * const y = noRecord(() => exp(x));
 */
export function noRecord<T>(fn: () => T): T {
  for (const t of activeTapes) t.paused++;
  try {
    return fn();
  } finally {
    for (const t of activeTapes) t.paused--;
  }
}
