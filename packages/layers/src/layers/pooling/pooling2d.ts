import type { Tensor } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import {
  checkedOutputLength, inChannelsLast, joinShape, normalizeDataFormat, normalizePadding, normalizeTuple, spatialDims, type DataFormat,
} from '../convolutional/conv-utils.js';

/** Options of the 2-D pooling layers. */
export interface Pooling2DArgs extends LayerArgs {
  /** Window `[height, width]`, or one number for both (default 2). */
  poolSize?: number | readonly [number, number];
  /** Step between windows (default: `poolSize`). */
  strides?: number | readonly [number, number] | null;
  /** `'valid'` (default) or `'same'`; padded cells never count. */
  padding?: 'valid' | 'same';
  /** `'channelsLast'` (default) or `'channelsFirst'`. */
  dataFormat?: DataFormat;
}

const AXES = ['height', 'width'];

/**
 * What MaxPooling2D and AveragePooling2D share: options, the rank-4 input check and the output
 * sizes (Keras's `conv_output_length`).
 *
 * @example
 * class MyPooling2D extends Pooling2D { protected pool(x: Tensor) { ... } }
 */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  constructor(args: Pooling2DArgs = {}) {
    super(args);
    if (args === null || typeof args !== 'object') throw new LayerError(this, `expected an options object; received ${JSON.stringify(args)}`);
    this.poolSize = normalizeTuple(this, 'poolSize', args.poolSize ?? 2, 2) as [number, number];
    this.strides = normalizeTuple(this, 'strides', args.strides ?? this.poolSize, 2) as [number, number];
    this.padding = normalizePadding(this, args.padding, ['valid', 'same'] as const);
    this.dataFormat = normalizeDataFormat(this, args.dataFormat);
    this.inputSpec = [{ ndim: 4 }];
  }

  /** Pools a channels-last `[batch, height, width, channels]` tensor. */
  protected abstract pool(x: Tensor): Tensor;

  private outputSpatial(shape: LayerShape): (number | null)[] {
    return spatialDims(shape, this.dataFormat).map((d, i) => checkedOutputLength(
      this, shape, d, this.poolSize[i]!, this.padding, this.strides[i]!, 1, { axis: AXES[i]!, window: 'pool', option: 'poolSize' },
    ));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.outputSpatial(x.shape);
    return inChannelsLast(x, this.dataFormat, (t) => this.pool(t));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    const channels = shape[this.dataFormat === 'channelsFirst' ? 1 : 3] ?? null;
    return joinShape(shape[0] ?? null, this.outputSpatial(shape), channels, this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding, dataFormat: this.dataFormat };
  }
}
