import { registerLayer } from '../layer-registry.js';
import { Conv1D, type Conv1DArgs } from './conv1d.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d-transpose.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';

export { BaseConv, type BaseConvArgs } from './base-conv.js';
export { Conv, type ConvArgs } from './conv.js';
export type { DataFormat } from './conv-utils.js';
export { Conv1D, type Conv1DArgs, Conv2D, type Conv2DArgs, Conv2DTranspose, type Conv2DTransposeArgs };
export { DepthwiseConv2D, type DepthwiseConv2DArgs, SeparableConv2D, type SeparableConv2DArgs };

registerLayer(Conv1D);
registerLayer(Conv2D);
registerLayer(Conv2DTranspose);
registerLayer(DepthwiseConv2D);
registerLayer(SeparableConv2D);

/**
 * 1-D convolution over sequences (padding `'valid'`, `'same'` or `'causal'`).
 *
 * @example
 * layers.conv1d({ filters: 16, kernelSize: 3, padding: 'causal', inputShape: [100, 8] });
 */
export function conv1d(args: Conv1DArgs): Conv1D {
  return new Conv1D(args);
}

/**
 * 2-D convolution over images.
 *
 * @example
 * layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] });
 */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}

/**
 * Transposed 2-D convolution (upsampling with a learned kernel).
 *
 * @example
 * layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' });
 */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  return new Conv2DTranspose(args);
}

/**
 * Depthwise 2-D convolution: one set of filters per input channel.
 *
 * @example
 * layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
 */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  return new DepthwiseConv2D(args);
}

/**
 * Depthwise-separable 2-D convolution: depthwise, then a 1x1 convolution.
 *
 * @example
 * layers.separableConv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' });
 */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  return new SeparableConv2D(args);
}
