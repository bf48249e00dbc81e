import { expandDims, tile, type DType, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, singleInput, singleShape } from './layer-options.js';

/** Options of `layers.repeatVector`. */
export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat each sample (a positive integer). */
  n: number;
}

/**
 * Repeats each sample `n` times along a new axis: `[batch, features]` → `[batch, n, features]`
 * (feeding one vector to every step of a sequence decoder).
 *
 * @example
 * const r = new RepeatVector({ n: 3 }); // [null, 32] -> [null, 3, 32]
 */
export class RepeatVector extends Layer {
  static override readonly className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    this.n = numberOption(this, 'n', args?.n, undefined, { min: 1, integer: true });
    this.inputSpec = [{ ndim: 2 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return tile(expandDims(singleInput(this, inputs), 1), [1, this.n, 1]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(this, inputShape);
    return [shape[0] ?? null, this.n, shape[1] ?? null];
  }

  override computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0] ?? this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
