import { conv2d, depthwiseConv2d, type Tensor, type Variable } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import type { CallArgs } from '../../engine/layer.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';
import { channelDim } from './conv-utils.js';

/** Options of `layers.separableConv2d`. */
export interface SeparableConv2DArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  kernelSize: number | readonly [number, number];
  strides?: number | readonly [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | readonly [number, number];
  /** Depthwise channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Default `'glorotUniform'`. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Default `'glorotUniform'`. */
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
  pointwiseConstraint?: ConstraintIdentifier;
}

/**
 * Depthwise-separable 2-D convolution: a depthwise convolution (`depthwise_kernel`
 * `[kernelHeight, kernelWidth, inChannels, depthMultiplier]`, with the strides, padding and
 * dilation) followed by a 1x1 convolution (`pointwise_kernel` `[1, 1, inChannels *
 * depthMultiplier, filters]`) that mixes channels; weights in Keras/TF.js order (depthwise,
 * pointwise, bias).
 *
 * @example
 * const sep = new SeparableConv2D({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' });
 * sep.apply(input({ shape: [32, 32, 16] })); // SymbolicTensor [null, 32, 32, 64]
 */
export class SeparableConv2D extends BaseConv {
  static override readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly depthMultiplier: number;
  private readonly depthwiseInitializer;
  private readonly pointwiseInitializer;
  private readonly depthwiseRegularizer;
  private readonly pointwiseRegularizer;
  private readonly depthwiseConstraint;
  private readonly pointwiseConstraint;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(2, args);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new LayerError(this, `filters must be a positive integer; received ${JSON.stringify(args.filters)}`);
    }
    this.filters = args.filters;
    const m = args.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m < 1) throw new LayerError(this, `depthMultiplier must be a positive integer; received ${JSON.stringify(args.depthMultiplier)}`);
    this.depthMultiplier = m;
    this.depthwiseInitializer = resolveInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.pointwiseInitializer = resolveInitializer(args.pointwiseInitializer ?? 'glorotUniform');
    this.depthwiseRegularizer = resolveRegularizer(args.depthwiseRegularizer);
    this.pointwiseRegularizer = resolveRegularizer(args.pointwiseRegularizer);
    this.depthwiseConstraint = resolveConstraint(args.depthwiseConstraint);
    this.pointwiseConstraint = resolveConstraint(args.pointwiseConstraint);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = inputShape as LayerShape;
    const channels = channelDim(this, shape, this.dataFormat);
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], 'float32',
      this.depthwiseInitializer, this.depthwiseRegularizer, true, this.depthwiseConstraint);
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, channels * this.depthMultiplier, this.filters], 'float32',
      this.pointwiseInitializer, this.pointwiseRegularizer, true, this.pointwiseConstraint);
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
    const format = this.dataFormat === 'channelsFirst' ? 'NCHW' : 'NHWC';
    const depthwise = depthwiseConv2d(x, this.depthwiseKernel!, this.strides as [number, number], this.padding as 'valid' | 'same', format, this.dilationRate as [number, number]);
    return this.finish(conv2d(depthwise, this.pointwiseKernel!, 1, 'valid', format));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serialize(this.depthwiseInitializer),
      pointwiseInitializer: serialize(this.pointwiseInitializer),
      depthwiseRegularizer: serialize(this.depthwiseRegularizer),
      pointwiseRegularizer: serialize(this.pointwiseRegularizer),
      depthwiseConstraint: serialize(this.depthwiseConstraint),
      pointwiseConstraint: serialize(this.pointwiseConstraint),
    };
  }
}
