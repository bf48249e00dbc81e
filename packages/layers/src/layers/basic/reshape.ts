import { reshape, type DType, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { optionFailure, singleInput, singleShape } from './layer-options.js';

/** Options of `layers.reshape`. */
export interface ReshapeArgs extends LayerArgs {
  /** Shape of each sample (without the batch dim); one entry may be -1, inferred from the size. */
  targetShape: readonly number[];
}

/**
 * Reshapes each sample to `targetShape`; the batch dim is kept.
 *
 * @example
 * const r = new Reshape({ targetShape: [-1, 4] }); // [null, 12] -> [null, 3, 4]
 */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const target = args?.targetShape;
    const valid = Array.isArray(target) && target.every((d) => Number.isInteger(d) && (d > 0 || d === -1));
    if (!valid) throw optionFailure(this, 'targetShape', 'an array of positive integers, with at most one -1 for an inferred size', target);
    if (target.filter((d) => d === -1).length > 1) {
      throw optionFailure(this, 'targetShape', 'an array with at most one -1 (only one size can be inferred)', target);
    }
    this.targetShape = [...target];
  }

  /** The sample shape for samples of `sampleShape` (null where unknown), checking the sizes agree. */
  private resolve(sampleShape: LayerShape, shapeForMessage: LayerShape): (number | null)[] {
    const known = sampleShape.every((d) => d !== null);
    const inputSize = known ? sampleShape.reduce<number>((n, d) => n * d!, 1) : null;
    const fixed = this.targetShape.filter((d) => d !== -1).reduce((n, d) => n * d, 1);
    const inferIndex = this.targetShape.indexOf(-1);
    if (inputSize === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    const mismatch = inferIndex === -1 ? fixed !== inputSize : fixed === 0 || inputSize % fixed !== 0;
    if (mismatch) {
      throw new LayerError(this, `cannot reshape input of shape ${shapeString(shapeForMessage)} (${inputSize} values per sample) to targetShape ${shapeString(this.targetShape)} (${inferIndex === -1 ? `${fixed} values` : `a multiple of ${fixed} values`}); make the target's size match the input's`);
    }
    return this.targetShape.map((d) => (d === -1 ? inputSize / fixed : d));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    const sample = this.resolve(x.shape.slice(1), x.shape) as number[];
    return reshape(x, [x.shape[0]!, ...sample]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(this, inputShape);
    return [shape[0] ?? null, ...this.resolve(shape.slice(1), shape)];
  }

  override computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0] ?? this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
