import type { Tensor } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { checkedOutputLength, inChannelsLast, normalizeDataFormat, normalizePadding, normalizeTuple, type DataFormat } from '../convolutional/conv-utils.js';

/** Options of the 1-D pooling layers. */
export interface Pooling1DArgs extends LayerArgs {
  /** Window length (default 2). */
  poolSize?: number | readonly [number];
  /** Step between windows (default: `poolSize`). */
  strides?: number | readonly [number] | null;
  /** `'valid'` (default) or `'same'`; padded cells never count. */
  padding?: 'valid' | 'same';
  /** `'channelsLast'` (default, `[batch, steps, channels]`) or `'channelsFirst'`. */
  dataFormat?: DataFormat;
}

/**
 * What MaxPooling1D and AveragePooling1D share: options, the rank-3 input check and the output
 * length (Keras's `conv_output_length`).
 *
 * @example
 * class MyPooling1D extends Pooling1D { protected pool(x: Tensor) { ... } }
 */
export abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  constructor(args: Pooling1DArgs = {}) {
    super(args);
    if (args === null || typeof args !== 'object') throw new LayerError(this, `expected an options object; received ${JSON.stringify(args)}`);
    this.poolSize = normalizeTuple(this, 'poolSize', args.poolSize ?? 2, 1)[0]!;
    this.strides = normalizeTuple(this, 'strides', args.strides ?? this.poolSize, 1)[0]!;
    this.padding = normalizePadding(this, args.padding, ['valid', 'same'] as const);
    this.dataFormat = normalizeDataFormat(this, args.dataFormat);
    this.inputSpec = [{ ndim: 3 }];
  }

  /** Pools a channels-last `[batch, steps, channels]` tensor. */
  protected abstract pool(x: Tensor): Tensor;

  private outputLength(shape: LayerShape): number | null {
    const steps = shape[this.dataFormat === 'channelsFirst' ? 2 : 1] ?? null;
    return checkedOutputLength(this, shape, steps, this.poolSize, this.padding, this.strides, 1, { axis: 'length', window: 'pool', option: 'poolSize' });
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.outputLength(x.shape);
    return inChannelsLast(x, this.dataFormat, (t) => this.pool(t));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    const length = this.outputLength(shape);
    return this.dataFormat === 'channelsFirst' ? [shape[0] ?? null, shape[1] ?? null, length] : [shape[0] ?? null, length, shape[2] ?? null];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [this.poolSize], strides: [this.strides], padding: this.padding, dataFormat: this.dataFormat };
  }
}
