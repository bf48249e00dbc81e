import { transpose, type DType, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { optionFailure, singleInput, singleShape } from './layer-options.js';

/** Options of `layers.permute`. */
export interface PermuteArgs extends LayerArgs {
  /**
   * The new order of the sample dims, 1-based as in Keras (the batch dim 0 never moves):
   * `[2, 1]` swaps the two dims of `[batch, a, b]`.
   */
  dims: readonly number[];
}

/**
 * Permutes the dims of each sample.
 *
 * @example
 * const p = new Permute({ dims: [2, 1] }); // [null, 10, 64] -> [null, 64, 10]
 */
export class Permute extends Layer {
  static override readonly className = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    const dims = args?.dims;
    const n = Array.isArray(dims) ? dims.length : 0;
    const valid = Array.isArray(dims) && n > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!valid) {
      throw optionFailure(this, 'dims', `a permutation of 1..${n || 'n'} (1-based sample dims; the batch dim 0 is not included)`, dims);
    }
    this.dims = [...dims];
    this.inputSpec = [{ ndim: n + 1 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return transpose(singleInput(this, inputs), [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(this, inputShape);
    return [shape[0] ?? null, ...this.dims.map((d) => shape[d] ?? null)];
  }

  override computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0] ?? this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
