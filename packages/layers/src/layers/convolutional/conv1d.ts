import { Conv, type ConvArgs } from './conv.js';

/** Options of `layers.conv1d`. */
export interface Conv1DArgs extends ConvArgs {
  kernelSize: number | readonly [number];
  strides?: number | readonly [number];
  /**
   * `'valid'` (default), `'same'`, or `'causal'`: `(kernelSize - 1) * dilationRate` zeros on the
   * left only, so output step `t` depends on inputs up to `t` (for autoregressive models).
   */
  padding?: 'valid' | 'same' | 'causal';
  dilationRate?: number | readonly [number];
}

/**
 * 1-D convolution over sequences `[batch, steps, channels]` (or `[batch, channels, steps]` with
 * `dataFormat: 'channelsFirst'`), with a kernel `[kernelSize, inChannels, filters]` as Keras and
 * TF.js store it.
 *
 * @example
 * const conv = new Conv1D({ filters: 16, kernelSize: 3, padding: 'causal', activation: 'relu' });
 * conv.apply(input({ shape: [100, 8] })); // SymbolicTensor [null, 100, 16]
 */
export class Conv1D extends Conv {
  static override readonly className = 'Conv1D';

  constructor(args: Conv1DArgs) {
    super(1, args, ['valid', 'same', 'causal']);
  }
}
