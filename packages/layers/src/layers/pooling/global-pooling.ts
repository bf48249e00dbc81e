import type { Tensor } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { normalizeDataFormat, type DataFormat } from '../convolutional/conv-utils.js';

/** Options of the global pooling layers. */
export interface GlobalPoolingArgs extends LayerArgs {
  /** `'channelsLast'` (default) or `'channelsFirst'`. */
  dataFormat?: DataFormat;
  /** Keep the pooled axes with size 1 (default false: `[batch, channels]`). Keras 3's option (`keepdims`); TF.js has none. */
  keepDims?: boolean;
}

/**
 * What the global pooling layers share: they reduce every spatial axis of a rank `spatialRank + 2`
 * input, giving `[batch, channels]` (or size-1 spatial axes with `keepDims`).
 *
 * @example
 * class GlobalMinPooling2D extends GlobalPooling { constructor(a) { super(2, a); } protected reduce(x, axes) { return min(x, axes, this.keepDims); } }
 */
export abstract class GlobalPooling extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepDims: boolean;

  constructor(private readonly spatialRank: number, args: GlobalPoolingArgs = {}) {
    super(args);
    if (args === null || typeof args !== 'object') throw new LayerError(this, `expected an options object; received ${JSON.stringify(args)}`);
    this.dataFormat = normalizeDataFormat(this, args.dataFormat);
    // Keras configs spell it `keepdims`, which camel-casing leaves as is.
    const keepDims = args.keepDims ?? (args as { keepdims?: unknown }).keepdims;
    if (keepDims !== undefined && typeof keepDims !== 'boolean') throw new LayerError(this, `keepDims must be true or false; received ${JSON.stringify(keepDims)}`);
    this.keepDims = keepDims ?? false;
    this.inputSpec = [{ ndim: spatialRank + 2 }];
  }

  /** The spatial axes of the input. */
  protected get spatialAxes(): number[] {
    const first = this.dataFormat === 'channelsFirst' ? 2 : 1;
    return Array.from({ length: this.spatialRank }, (_, i) => first + i);
  }

  /** Reduces `x` over `axes`, honouring `keepDims`. */
  protected abstract reduce(x: Tensor, axes: number[], args: CallArgs): Tensor;

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return this.reduce(x, this.spatialAxes, args);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    const pooled = new Set(this.spatialAxes);
    if (this.keepDims) return shape.map((d, i) => (pooled.has(i) ? 1 : d));
    return shape.filter((_, i) => !pooled.has(i));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepDims: this.keepDims };
  }
}
