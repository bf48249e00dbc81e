import { conv1d, conv2d, type Tensor, type Variable } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import type { CallArgs } from '../../engine/layer.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';
import { channelDim } from './conv-utils.js';

/** Options of the convolutions with a full kernel (Conv1D, Conv2D, Conv2DTranspose). */
export interface ConvArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  /** Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}

/**
 * A convolution with a kernel `[...kernelSize, inChannels, filters]` (Keras `Conv`): the base of
 * Conv1D and Conv2D.
 *
 * @example
 * class Conv2D extends Conv { constructor(args: Conv2DArgs) { super(2, args); } }
 */
export abstract class Conv extends BaseConv {
  readonly filters: number;
  protected readonly kernelInitializer;
  protected readonly kernelRegularizer;
  protected readonly kernelConstraint;
  kernel: Variable | null = null;

  constructor(rank: number, args: ConvArgs, paddings?: readonly string[]) {
    super(rank, args, paddings);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new LayerError(this, `filters must be a positive integer; received ${JSON.stringify(args.filters)}`);
    }
    this.filters = args.filters;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer);
    this.kernelConstraint = resolveConstraint(args.kernelConstraint);
  }

  /** The kernel's shape for `inChannels` input channels (Keras/TF.js layout). */
  protected kernelShape(inChannels: number): number[] {
    return [...this.kernelSize, inChannels, this.filters];
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = inputShape as LayerShape;
    const channels = channelDim(this, shape, this.dataFormat);
    this.kernel = this.addWeight('kernel', this.kernelShape(channels), 'float32', this.kernelInitializer, this.kernelRegularizer, true, this.kernelConstraint);
    this.buildBias(this.filters);
    this.fixInputChannels(channels);
    super.build(inputShape);
  }

  protected outputChannels(): number {
    return this.filters;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.outputSpatial(x.shape);
    const channelsFirst = this.dataFormat === 'channelsFirst';
    const y = this.rank === 1
      ? conv1d(x, this.kernel!, this.strides[0]!, this.padding as 'valid' | 'same' | 'causal', channelsFirst ? 'NCW' : 'NWC', this.dilationRate[0]!)
      : conv2d(x, this.kernel!, this.strides as [number, number], this.padding as 'valid' | 'same', channelsFirst ? 'NCHW' : 'NHWC', this.dilationRate as [number, number]);
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelInitializer: serialize(this.kernelInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
    };
  }
}
