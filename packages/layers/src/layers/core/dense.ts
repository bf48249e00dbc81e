import { add, fusedMatmul, matmul, reshape, type Tensor, type Variable } from '@strata/core';
import { matmulActivationOf } from '../../activations/index.js';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import {
  activationConfig, resolveActivation, resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ActivationIdentifier, type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';

/** Options of `layers.dense`. */
export interface DenseArgs extends LayerArgs {
  /** Output size. */
  units: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

/**
 * A fully connected layer: `activation(x · kernel + bias)` over the last axis of `x` (any rank ≥ 2).
 *
 * @example
 * const d = new Dense({ units: 10, activation: 'softmax' });
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly activation: (x: Tensor) => Tensor;
  readonly useBias: boolean;
  private readonly kernelInitializer;
  private readonly biasInitializer;
  private readonly kernelRegularizer;
  private readonly biasRegularizer;
  private readonly activityRegularizer;
  private readonly kernelConstraint;
  private readonly biasConstraint;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isInteger(args?.units) || args.units < 1) {
      throw new LayerError(this, `units must be a positive integer; received ${JSON.stringify(args?.units)}`);
    }
    this.units = args.units;
    this.activation = resolveActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer);
    this.kernelConstraint = resolveConstraint(args.kernelConstraint);
    this.biasConstraint = resolveConstraint(args.biasConstraint);
    this.inputSpec = [{ minNdim: 2 }];
    // Dense works per timestep, so a sequence mask still applies to its output (Keras 3).
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = inputShape as LayerShape;
    const inputDim = shape[shape.length - 1];
    if (inputDim === null || inputDim === undefined) {
      throw new LayerError(this, `the last dimension of the input must be known to build the kernel; received shape ${shapeString(shape)}`);
    }
    this.kernel = this.addWeight('kernel', [inputDim, this.units], 'float32', this.kernelInitializer, this.kernelRegularizer, true, this.kernelConstraint);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], 'float32', this.biasInitializer, this.biasRegularizer, true, this.biasConstraint);
    this.inputSpec = [{ minNdim: 2, axes: { [-1]: inputDim } }];
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const flat = x.rank === 2 ? x : reshape(x, [-1, x.shape[x.rank - 1]!]);
    // Built-in activations that fuse run in the product's epilogue, with a one-pass gradient.
    const fused = matmulActivationOf(this.activation);
    let y = fused !== null
      ? fusedMatmul(flat, this.kernel!, { bias: this.bias ?? null, activation: fused })
      : this.bias ? add(matmul(flat, this.kernel!), this.bias) : matmul(flat, this.kernel!);
    if (x.rank !== 2) y = reshape(y, [...x.shape.slice(0, -1), this.units]);
    const out = fused !== null ? y : this.activation(y);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(out));
    return out;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationConfig(this.activation),
      useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
      biasConstraint: serialize(this.biasConstraint),
    };
  }
}
