import { add, cast, mul, type DType, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, singleInput, singleShape } from '../basic/layer-options.js';

/** Options of `layers.rescaling`. */
export interface RescalingArgs extends LayerArgs {
  /** Multiplier (e.g. `1 / 255` to map pixels to [0, 1]). */
  scale: number;
  /** Added after scaling (default 0; `-1` with `scale: 1 / 127.5` maps pixels to [-1, 1]). */
  offset?: number;
}

/**
 * Rescales inputs to `x · scale + offset`, in float32 (integer pixels are cast first).
 *
 * @example
 * const r = new Rescaling({ scale: 1 / 255 });
 */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    super(args);
    this.scale = numberOption(this, 'scale', args?.scale, undefined);
    this.offset = numberOption(this, 'offset', args.offset, 0);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = cast(singleInput(this, inputs), 'float32');
    const scaled = mul(x, this.scale);
    return this.offset === 0 ? scaled : add(scaled, this.offset);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override computeOutputDType(_inputDTypes: DType[]): DType {
    return 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
