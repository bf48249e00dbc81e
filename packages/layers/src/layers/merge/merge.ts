import { clone, expandDims, logicalAnd, tidy, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, isShapeList, type CallArgs, type LayerArgs } from '../../engine/layer.js';

/** Options of the elementwise merge layers (`add`, `multiply`, `average`, ...). */
export type MergeArgs = LayerArgs;

type Mask = Tensor | (Tensor | null)[] | null | undefined;

/**
 * The sample shape (without the batch dim) two elementwise-merged inputs produce, by Keras's rules:
 * sample dims are aligned from the end, a dim of 1 stretches to the other's size, unknown dims stay
 * unknown; otherwise the dims must be equal. Returns the mismatching pair on failure.
 */
function broadcastSample(a: LayerShape, b: LayerShape): { shape: (number | null)[] } | { bad: [number | null, number | null] } {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const out: (number | null)[] = long.slice(0, long.length - short.length);
  for (let k = 0; k < short.length; k++) {
    const i = long[long.length - short.length + k]!;
    const j = short[k]!;
    if (i === null || j === null) out.push(i === 1 ? j : j === 1 ? i : null);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i === j) out.push(i);
    else return { bad: a.length >= b.length ? [i, j] : [j, i] };
  }
  return { shape: out };
}

/**
 * Base of the layers that combine a list of inputs (Keras `Merge`). The elementwise ones need
 * inputs of the same shape except the batch dim, up to Keras's broadcasting: sample dims are
 * aligned from the end and a dim of 1 stretches (`[null, 1, 8]` with `[null, 5, 8]` gives
 * `[null, 5, 8]`; a lower-rank input gets size-1 dims inserted after its batch dim). Batch sizes must
 * agree. Shape errors are raised when the model is defined, naming the layer and every input shape.
 * The output mask is the AND of the input masks.
 *
 * @example
 * class Hypot extends Merge {
 *   protected override merge(xs: Tensor[]) { return sqrt(add(square(xs[0]), square(xs[1]))); }
 * }
 */
export abstract class Merge extends Layer {
  /** Exactly how many inputs the layer takes, or null for any number from 2. */
  protected readonly arity: number | null = null;

  constructor(args: MergeArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Combines inputs of equal rank (lower-rank ones already expanded). */
  protected abstract merge(inputs: Tensor[]): Tensor;

  /** The list of input shapes, checking there are enough. */
  protected shapeList(inputShape: LayerShape | LayerShape[]): LayerShape[] {
    const shapes = isShapeList(inputShape) ? inputShape : null;
    const wanted = this.arity === null ? 'a list of at least 2 inputs' : `a list of exactly ${this.arity} inputs`;
    if (!shapes) throw new LayerError(this, `expects ${wanted}, received a single input of shape ${shapeString(inputShape as LayerShape)}; call it as layer.apply([a, b])`);
    if (this.arity === null ? shapes.length < 2 : shapes.length !== this.arity) {
      throw new LayerError(this, `expects ${wanted}, received ${shapes.length} (shapes ${shapes.map(shapeString).join(', ')})`);
    }
    return shapes;
  }

  /** Checks batch sizes agree (where known); returns the common batch size or null. */
  protected batchSize(shapes: LayerShape[]): number | null {
    const known = [...new Set(shapes.map((s) => s[0]).filter((d): d is number => d !== null && d !== undefined))];
    if (known.length > 1) {
      throw new LayerError(this, `cannot merge inputs with different batch sizes; received shapes ${shapes.map(shapeString).join(', ')}`);
    }
    return known[0] ?? null;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shapes = this.shapeList(inputShape);
    const batch = this.batchSize(shapes);
    let sample: (number | null)[] = shapes[0]!.slice(1);
    for (let i = 1; i < shapes.length; i++) {
      const r = broadcastSample(sample, shapes[i]!.slice(1));
      if ('bad' in r) {
        throw new LayerError(this, `inputs must have the same shape except the batch dim, or shapes that broadcast (sample dims aligned from the end; a dim of 1 stretches); received shapes ${shapes.map(shapeString).join(', ')}, where ${r.bad[0]} and ${r.bad[1]} differ`);
      }
      sample = r.shape;
    }
    return [batch, ...sample];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    // Checked again on real tensors, so a direct call fails with the layer's name too.
    this.computeOutputShape(xs.map((x) => x.shape));
    const rank = Math.max(...xs.map((x) => x.rank));
    const expanded = xs.map((x) => {
      let y = x;
      while (y.rank < rank) y = expandDims(y, 1);
      return y;
    });
    return this.merge(expanded);
  }

  override computeMask(_inputs: Tensor | Tensor[], mask: Mask): Tensor | null {
    if (!Array.isArray(mask)) return null;
    const present = mask.filter((m): m is Tensor => m !== null && m !== undefined);
    if (present.length === 0) return null;
    if (present.length === 1) return clone(present[0]!);
    return tidy(() => present.slice(1).reduce((acc, m) => logicalAnd(acc, m), present[0]!));
  }
}
