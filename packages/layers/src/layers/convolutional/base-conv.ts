import { add, reshape, type Tensor, type Variable } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import {
  activationConfig, resolveActivation, resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ActivationIdentifier, type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';
import {
  checkStridesWithDilation, checkedOutputLength, joinShape, normalizeDataFormat, normalizePadding, normalizeTuple,
  spatialDims, type DataFormat,
} from './conv-utils.js';

/** Options every convolution layer takes (Keras `BaseConv`). */
export interface BaseConvArgs extends LayerArgs {
  /** Window size: one number for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  /** Step between windows (default 1). */
  strides?: number | readonly number[];
  /** `'valid'` (no padding, the default) or `'same'` (output size `ceil(input / stride)`). */
  padding?: string;
  /** `'channelsLast'` (default) or `'channelsFirst'`. */
  dataFormat?: DataFormat;
  /** Spacing between window taps (default 1); above 1 only with strides 1. */
  dilationRate?: number | readonly number[];
  /** Applied to the output (default linear). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per output channel (default true). */
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

/** The names of the spatial axes of a rank-1 or rank-2 convolution, for error messages. */
const AXES: Record<number, string[]> = { 1: ['length'], 2: ['height', 'width'] };

/**
 * What all convolution layers share: the window options, the bias, the activation and the
 * activity regularizer, the input rank check and the output-size arithmetic. Subclasses create
 * their kernels in `build` and compute in `call`.
 *
 * @example
 * class MyConv extends BaseConv { ... } // see Conv, DepthwiseConv2D
 */
export abstract class BaseConv extends Layer {
  /** Number of spatial axes (1 for Conv1D, 2 for Conv2D). */
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: string;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: (x: Tensor) => Tensor;
  readonly useBias: boolean;
  protected readonly biasInitializer;
  protected readonly biasRegularizer;
  protected readonly activityRegularizer;
  protected readonly biasConstraint;
  bias: Variable | null = null;

  constructor(rank: number, args: BaseConvArgs, paddings: readonly string[] = ['valid', 'same']) {
    super(args);
    if (args === undefined || args === null || typeof args !== 'object') {
      throw new LayerError(this, `expected an options object with at least kernelSize; received ${JSON.stringify(args)}`);
    }
    this.rank = rank;
    if (args.kernelSize === undefined) throw new LayerError(this, `kernelSize is required (a positive integer or a list of ${rank}); received undefined`);
    this.kernelSize = normalizeTuple(this, 'kernelSize', args.kernelSize, rank);
    this.strides = normalizeTuple(this, 'strides', args.strides ?? 1, rank);
    this.padding = normalizePadding(this, args.padding, paddings);
    this.dataFormat = normalizeDataFormat(this, args.dataFormat);
    this.dilationRate = normalizeTuple(this, 'dilationRate', args.dilationRate ?? 1, rank);
    checkStridesWithDilation(this, this.strides, this.dilationRate);
    this.activation = resolveActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? 'zeros');
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer);
    this.biasConstraint = resolveConstraint(args.biasConstraint);
    this.inputSpec = [{ ndim: rank + 2 }];
  }

  /** The channel axis of the input and output. */
  protected get channelAxis(): number {
    return this.dataFormat === 'channelsFirst' ? 1 : this.rank + 1;
  }

  /** Creates the bias (when used) for `channels` outputs. */
  protected buildBias(channels: number): void {
    if (this.useBias) this.bias = this.addWeight('bias', [channels], 'float32', this.biasInitializer, this.biasRegularizer, true, this.biasConstraint);
  }

  /** Fixes the input's channel count in the input spec, so a mismatch fails naming the layer. */
  protected fixInputChannels(channels: number): void {
    // Keyed -1 for channels-last so a mismatch reads 'last dimension'.
    this.inputSpec = [{ ndim: this.rank + 2, axes: { [this.dataFormat === 'channelsFirst' ? 1 : -1]: channels } }];
  }

  /** The number of output channels for `inputChannels` input channels. */
  protected abstract outputChannels(inputChannels: number | null): number | null;

  /** Output spatial sizes, throwing when the input is too small for the window. */
  protected outputSpatial(shape: LayerShape): (number | null)[] {
    return spatialDims(shape, this.dataFormat).map((d, i) => checkedOutputLength(
      this, shape, d, this.kernelSize[i]!, this.padding, this.strides[i]!, this.dilationRate[i]!,
      { axis: AXES[this.rank]![i]!, window: 'kernel', option: 'kernelSize' },
    ));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    return joinShape(shape[0] ?? null, this.outputSpatial(shape), this.outputChannels(shape[this.channelAxis] ?? null), this.dataFormat);
  }

  /** Adds the bias, applies the activation and records the activity penalty. */
  protected finish(y: Tensor): Tensor {
    let out = y;
    if (this.bias) {
      const b = this.dataFormat === 'channelsFirst' ? reshape(this.bias, [this.bias.size, ...new Array<number>(this.rank).fill(1)]) : this.bias;
      out = add(out, b);
    }
    const activated = this.activation(out);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(activated));
    return activated;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: activationConfig(this.activation),
      useBias: this.useBias,
      biasInitializer: serialize(this.biasInitializer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      biasConstraint: serialize(this.biasConstraint),
    };
  }
}
