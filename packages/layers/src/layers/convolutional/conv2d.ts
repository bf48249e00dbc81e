import { Conv, type ConvArgs } from './conv.js';

/** Options of `layers.conv2d`. */
export interface Conv2DArgs extends ConvArgs {
  /** Window `[height, width]`, or one number for both. */
  kernelSize: number | readonly [number, number];
  strides?: number | readonly [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | readonly [number, number];
}

/**
 * 2-D convolution over images `[batch, height, width, channels]` (or `[batch, channels, height,
 * width]` with `dataFormat: 'channelsFirst'`), with a kernel `[kernelHeight, kernelWidth,
 * inChannels, filters]` as Keras and TF.js store it.
 *
 * @example
 * const conv = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' });
 * conv.apply(input({ shape: [28, 28, 1] })); // SymbolicTensor [null, 26, 26, 32]
 */
export class Conv2D extends Conv {
  static override readonly className = 'Conv2D';

  constructor(args: Conv2DArgs) {
    super(2, args);
  }
}
