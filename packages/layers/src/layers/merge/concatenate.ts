import { all, broadcastTo, concat, expandDims, ones, tidy, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import type { CallArgs } from '../../engine/layer.js';
import { axisOption } from '../basic/layer-options.js';
import { Merge, type MergeArgs } from './merge.js';

/** Options of `layers.concatenate`. */
export interface ConcatenateArgs extends MergeArgs {
  /** The axis to join along (default -1, the features). */
  axis?: number;
}

/**
 * Joins its inputs (two or more) along `axis`. All inputs must have the same rank and the same
 * size on every other axis (unknown sizes are accepted). With masks, each input's mask (all-true
 * where it has none) is broadcast to its features, joined, and reduced with AND over the last axis
 * (TF.js's rule; Keras 3 uses OR).
 *
 * @example
 * const joined = new Concatenate({ axis: -1 }).apply([a, b]); // [null, 3] + [null, 5] -> [null, 8]
 */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = axisOption(this, 'axis', args.axis, -1);
  }

  private resolvedAxis(shapes: LayerShape[]): number {
    const rank = shapes[0]!.length;
    if (shapes.some((s) => s.length !== rank)) {
      throw new LayerError(this, `inputs must all have the same rank to be joined along axis ${this.axis}; received shapes ${shapes.map(shapeString).join(', ')}`);
    }
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 0 || axis >= rank) {
      throw new LayerError(this, `axis ${this.axis} is out of range for inputs of rank ${rank} (shapes ${shapes.map(shapeString).join(', ')}); use an axis in [${-rank}, ${rank - 1}]`);
    }
    return axis;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shapes = this.shapeList(inputShape);
    const axis = this.resolvedAxis(shapes);
    const out: (number | null)[] = [...shapes[0]!];
    for (let d = 0; d < out.length; d++) {
      if (d === axis) {
        out[d] = shapes.some((s) => s[d] === null) ? null : shapes.reduce((n, s) => n + s[d]!, 0);
        continue;
      }
      const known = [...new Set(shapes.map((s) => s[d]).filter((v): v is number => v !== null))];
      if (known.length > 1) {
        throw new LayerError(this, `inputs must match in every dim except the concatenation axis ${this.axis}; received shapes ${shapes.map(shapeString).join(', ')}, which differ in dim ${d}`);
      }
      out[d] = known[0] ?? null;
    }
    return out;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.computeOutputShape(xs.map((x) => x.shape));
    return concat(xs, this.axis);
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  override computeMask(inputs: Tensor | Tensor[], mask: Tensor | (Tensor | null)[] | null | undefined): Tensor | null {
    if (!Array.isArray(mask) || !Array.isArray(inputs)) return null;
    if (mask.every((m) => m === null || m === undefined)) return null;
    return tidy(() => {
      const full = inputs.map((x, i) => {
        const m = mask[i];
        if (m === null || m === undefined) return ones(x.shape, 'bool');
        return m.rank < x.rank ? broadcastTo(expandDims(m, -1), x.shape) : m;
      });
      return all(concat(full, this.axis), -1);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
