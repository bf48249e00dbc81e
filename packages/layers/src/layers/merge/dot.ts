import { div, matmul, maximum, reshape, sqrt, square, sum, transpose, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import type { CallArgs } from '../../engine/layer.js';
import { booleanOption, optionFailure } from '../basic/layer-options.js';
import { Merge, type MergeArgs } from './merge.js';

/** Options of `layers.dot`. */
export interface DotArgs extends MergeArgs {
  /**
   * The axis to contract in each input, counting the batch dim as 0 (so `1` for `[batch, n]`
   * vectors): one axis for both, or `[axisOfFirst, axisOfSecond]`; negative counts from the end.
   */
  axes: number | readonly [number, number];
  /** L2-normalize both inputs along their axes first, so the result is the cosine similarity. */
  normalize?: boolean;
}

/** The floor of the squared norm in the L2 normalization (TF.js's `epsilon()`). */
const NORM_EPSILON = 1e-7;

/**
 * The per-sample dot product of two inputs along one axis of each (Keras `batch_dot`): for
 * `[batch, n]` vectors the result is `[batch, 1]`; in general the first input's remaining dims
 * followed by the second's (without its batch dim). The contracted sizes must match.
 *
 * @example
 * const scores = new Dot({ axes: [2, 2] }).apply([queries, keys]); // [null, 5, 8]·[null, 7, 8] -> [null, 5, 7]
 * const cosine = new Dot({ axes: 1, normalize: true }).apply([u, v]);
 */
export class Dot extends Merge {
  static override readonly className = 'Dot';
  protected override readonly arity: number | null = 2;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args);
    const axes = args?.axes;
    const isInt = (a: unknown): a is number => typeof a === 'number' && Number.isInteger(a);
    if (isInt(axes)) this.axes = axes;
    else if (Array.isArray(axes) && axes.length === 2 && axes.every(isInt)) this.axes = [axes[0]!, axes[1]!];
    else throw optionFailure(this, 'axes', 'an integer or a pair of integers [axisOfFirst, axisOfSecond]', axes);
    this.normalize = booleanOption(this, 'normalize', args.normalize, false);
  }

  /** The contracted axis of each input, checked against the shapes. */
  private resolveAxes(shapes: LayerShape[]): [number, number] {
    const [s1, s2] = [shapes[0]!, shapes[1]!];
    if (s1.length < 2 || s2.length < 2) {
      throw new LayerError(this, `inputs must have rank at least 2 (a batch dim and a feature dim); received shapes ${shapeString(s1)}, ${shapeString(s2)}`);
    }
    const given = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    const resolved = given.map((a, i) => (a < 0 ? a + shapes[i]!.length : a)) as [number, number];
    resolved.forEach((a, i) => {
      if (a < 1 || a >= shapes[i]!.length) {
        throw new LayerError(this, `axes ${JSON.stringify(this.axes)} gives axis ${given[i]} for input ${i} of shape ${shapeString(shapes[i]!)}, which is ${a === 0 ? 'the batch axis' : 'out of range'}; use an axis in [1, ${shapes[i]!.length - 1}] (or negative from the end)`);
      }
    });
    const [d1, d2] = [s1[resolved[0]], s2[resolved[1]]];
    if (d1 !== null && d2 !== null && d1 !== d2) {
      throw new LayerError(this, `the contracted dims differ: ${d1} (axis ${resolved[0]} of input 0) vs ${d2} (axis ${resolved[1]} of input 1); received shapes ${shapeString(s1)}, ${shapeString(s2)}`);
    }
    return resolved;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shapes = this.shapeList(inputShape);
    const batch = this.batchSize(shapes);
    const [a1, a2] = this.resolveAxes(shapes);
    const rest1 = shapes[0]!.filter((_, i) => i !== a1 && i !== 0);
    const rest2 = shapes[1]!.filter((_, i) => i !== a2 && i !== 0);
    const out = [batch, ...rest1, ...rest2];
    return out.length === 1 ? [batch, 1] : out;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.computeOutputShape(xs.map((x) => x.shape));
    const [a1, a2] = this.resolveAxes(xs.map((x) => x.shape));
    let [x, y] = [xs[0]!, xs[1]!];
    if (this.normalize) {
      x = l2Normalize(x, a1);
      y = l2Normalize(y, a2);
    }
    // Contracted axis last in x and first (after the batch) in y, then one batched matmul.
    const xPerm = [...x.shape.keys()].filter((i) => i !== a1).concat(a1);
    const yPerm = [0, a2, ...[...y.shape.keys()].filter((i) => i !== 0 && i !== a2)];
    const xt = transpose(x, xPerm);
    const yt = transpose(y, yPerm);
    const batch = x.shape[0]!;
    const k = x.shape[a1]!;
    const xRest = xt.shape.slice(1, -1);
    const yRest = yt.shape.slice(2);
    const size = (s: readonly number[]): number => s.reduce((n, d) => n * d, 1);
    const product = matmul(reshape(xt, [batch, size(xRest), k]), reshape(yt, [batch, k, size(yRest)]));
    const outShape = [batch, ...xRest, ...yRest];
    return reshape(product, outShape.length === 1 ? [batch, 1] : outShape);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return this.call(inputs);
  }

  override computeMask(): null {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: typeof this.axes === 'number' ? this.axes : [...this.axes], normalize: this.normalize };
  }
}

/** `x / sqrt(max(sum(x², axis), 1e-7))`, as TF.js's `l2Normalize`. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), axis, true), NORM_EPSILON)));
}
