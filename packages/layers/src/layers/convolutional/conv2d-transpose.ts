import { conv2dTranspose, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import type { CallArgs } from '../../engine/layer.js';
import { Conv, type ConvArgs } from './conv.js';
import { deconvOutputLength, dilatedSize, inChannelsLast, joinShape, normalizeTuple, spatialDims } from './conv-utils.js';

/** Options of `layers.conv2dTranspose`. */
export interface Conv2DTransposeArgs extends ConvArgs {
  kernelSize: number | readonly [number, number];
  strides?: number | readonly [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | readonly [number, number];
  /**
   * Extra rows/columns on the bottom/right of the output, each below the stride; null (default)
   * infers the output size (`input * stride` with `'same'`). Keras's option; TF.js has none.
   */
  outputPadding?: number | readonly [number, number] | null;
}

const AXES = ['height', 'width'];

/**
 * Transposed 2-D convolution (sometimes called deconvolution): the gradient of a Conv2D with
 * respect to its input, used to upsample. The kernel has shape `[kernelHeight, kernelWidth,
 * filters, inChannels]`, as Keras and TF.js store it, so weights exchange with both; output sizes
 * follow Keras's `deconv_output_length` (`input * stride` with `'same'`, `input * stride +
 * max(kernel - stride, 0)` with `'valid'`, or the exact size when `outputPadding` is given).
 *
 * @example
 * const up = new Conv2DTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' });
 * up.apply(input({ shape: [7, 7, 32] })); // SymbolicTensor [null, 14, 14, 16]
 */
export class Conv2DTranspose extends Conv {
  static override readonly className = 'Conv2DTranspose';
  readonly outputPadding: number[] | null;

  constructor(args: Conv2DTransposeArgs) {
    super(2, args);
    if (args.outputPadding === undefined || args.outputPadding === null) {
      this.outputPadding = null;
    } else {
      this.outputPadding = normalizeTuple(this, 'outputPadding', args.outputPadding, 2, 0);
      this.outputPadding.forEach((p, i) => {
        if (p >= this.strides[i]!) {
          throw new LayerError(this, `outputPadding ${JSON.stringify(args.outputPadding)} must be smaller than strides ${JSON.stringify(this.strides)} along each axis (${AXES[i]}: ${p} >= ${this.strides[i]}); lower outputPadding or raise strides`);
        }
      });
    }
  }

  protected override kernelShape(inChannels: number): number[] {
    return [...this.kernelSize, this.filters, inChannels];
  }

  /** Output spatial sizes, checking that a Conv2D with these options maps them back to the input size. */
  protected override outputSpatial(shape: LayerShape): (number | null)[] {
    return spatialDims(shape, this.dataFormat).map((d, i) => {
      const k = this.kernelSize[i]!;
      const s = this.strides[i]!;
      const out = deconvOutputLength(d, k, this.padding, this.outputPadding?.[i] ?? null, s, this.dilationRate[i]!);
      if (d === null || out === null) return out;
      const eff = dilatedSize(k, this.dilationRate[i]!);
      const back = this.padding === 'same' ? Math.ceil(out / s) : out < eff ? 0 : Math.floor((out - eff) / s) + 1;
      if (out <= 0 || back !== d) {
        throw new LayerError(this,
          `output ${AXES[i]} ${out} (from input ${AXES[i]} ${d}, kernel ${k}, stride ${s}, padding '${this.padding}', outputPadding ${this.outputPadding?.[i] ?? 'null'}) ` +
          `is not one a Conv2D with these options maps back to ${d}; received input shape ${shapeString(shape)}. ` +
          `Use an odd kernelSize, outputPadding of at least 1, or outputPadding null`);
      }
      return out;
    });
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [h, w] = this.outputSpatial(x.shape) as [number, number];
    const y = inChannelsLast(x, this.dataFormat, (t) => conv2dTranspose(t, this.kernel!, [t.shape[0]!, h, w, this.filters],
      this.strides as [number, number], this.padding as 'valid' | 'same', this.dilationRate as [number, number]));
    return this.finish(y);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    return joinShape(shape[0] ?? null, this.outputSpatial(shape), this.filters, this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), outputPadding: this.outputPadding ? [...this.outputPadding] : null };
  }
}
