import { depthwiseConv2d, type Tensor, type Variable } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import type { CallArgs } from '../../engine/layer.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';
import { channelDim } from './conv-utils.js';

/** Options of `layers.depthwiseConv2d`. */
export interface DepthwiseConv2DArgs extends BaseConvArgs {
  kernelSize: number | readonly [number, number];
  strides?: number | readonly [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | readonly [number, number];
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Default `'glorotUniform'`. */
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
}

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own `depthMultiplier`
 * filters, giving `inChannels * depthMultiplier` output channels (channel `c * depthMultiplier + m`
 * is filter `m` of input channel `c`). The kernel `depthwise_kernel` has shape `[kernelHeight,
 * kernelWidth, inChannels, depthMultiplier]`, as Keras and TF.js store it.
 *
 * @example
 * const dw = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
 * dw.apply(input({ shape: [32, 32, 8] })); // SymbolicTensor [null, 32, 32, 16]
 */
export class DepthwiseConv2D extends BaseConv {
  static override readonly className = 'DepthwiseConv2D';
  readonly depthMultiplier: number;
  private readonly depthwiseInitializer;
  private readonly depthwiseRegularizer;
  private readonly depthwiseConstraint;
  depthwiseKernel: Variable | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(2, args);
    const m = args.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m < 1) throw new LayerError(this, `depthMultiplier must be a positive integer; received ${JSON.stringify(args.depthMultiplier)}`);
    this.depthMultiplier = m;
    this.depthwiseInitializer = resolveInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.depthwiseRegularizer = resolveRegularizer(args.depthwiseRegularizer);
    this.depthwiseConstraint = resolveConstraint(args.depthwiseConstraint);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = inputShape as LayerShape;
    const channels = channelDim(this, shape, this.dataFormat);
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], 'float32',
      this.depthwiseInitializer, this.depthwiseRegularizer, true, this.depthwiseConstraint);
    this.buildBias(channels * this.depthMultiplier);
    this.fixInputChannels(channels);
    super.build(inputShape);
  }

  protected outputChannels(inputChannels: number | null): number | null {
    return inputChannels === null ? null : inputChannels * this.depthMultiplier;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.outputSpatial(x.shape);
    const y = depthwiseConv2d(x, this.depthwiseKernel!, this.strides as [number, number], this.padding as 'valid' | 'same',
      this.dataFormat === 'channelsFirst' ? 'NCHW' : 'NHWC', this.dilationRate as [number, number]);
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serialize(this.depthwiseInitializer),
      depthwiseRegularizer: serialize(this.depthwiseRegularizer),
      depthwiseConstraint: serialize(this.depthwiseConstraint),
    };
  }
}
