import { reshape, transpose, type DType, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { dataFormatOption, singleInput, singleShape, type DataFormat } from './layer-options.js';

/** Options of `layers.flatten`. */
export interface FlattenArgs extends LayerArgs {
  /**
   * Layout of the input (default `'channelsLast'`). With `'channelsFirst'` the channels axis is moved
   * last before flattening, so the flattened order matches a channels-last model's (Keras).
   */
  dataFormat?: DataFormat;
}

/**
 * Flattens each sample to one dimension: `[batch, d1, d2, ...]` → `[batch, d1·d2·...]` (a rank-1
 * input becomes `[batch, 1]`). The batch dim is untouched.
 *
 * @example
 * const f = new Flatten(); // [null, 28, 28, 1] -> [null, 784]
 */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  readonly dataFormat: DataFormat;

  constructor(args: FlattenArgs = {}) {
    super(args);
    this.dataFormat = dataFormatOption(this, args.dataFormat);
    this.inputSpec = [{ minNdim: 1 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    let x = singleInput(this, inputs);
    if (this.dataFormat === 'channelsFirst' && x.rank > 2) {
      x = transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
    }
    const features = x.shape.slice(1).reduce((n, d) => n * d, 1);
    return reshape(x, [x.shape[0]!, features]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(this, inputShape);
    const rest = shape.slice(1);
    const features = rest.some((d) => d === null) ? null : rest.reduce<number>((n, d) => n * d!, 1);
    return [shape[0] ?? null, features];
  }

  override computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0] ?? this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}
