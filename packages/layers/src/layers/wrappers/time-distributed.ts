import { reshape, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, isShapeList, type CallArgs, type LayerArgs, type LayerWeight } from '../../engine/layer.js';
import { Wrapper, resolveWrappedLayer, wrappedBatchShape, type WrappedLayer } from './wrapper.js';

/** Options of `layers.timeDistributed`. */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every time step (its weights shared across steps). */
  layer: WrappedLayer;
}

/**
 * Applies a layer to every time step of `[batch, time, ...]` input, by folding time into the batch
 * (`[batch·time, ...]`), so each step uses the same weights. The time mask passes through.
 *
 * @example
 * const y = new TimeDistributed({ layer: new Dense({ units: 8 }) }).apply(input({ shape: [10, 16] })); // [null, 10, 8]
 */
export class TimeDistributed extends Wrapper {
  static override readonly className = 'TimeDistributed';
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super({ ...args, batchInputShape: args?.batchInputShape ?? (args?.inputShape ? undefined : wrappedBatchShape(args?.layer)) });
    this.layer = resolveWrappedLayer(this, 'layer', args?.layer);
    this.supportsMasking = true;
    this.inputSpec = [{ minNdim: 3 }];
  }

  protected override innerLayers(): Layer[] {
    return [this.layer];
  }

  /**
   * TF.js and Keras 2 name the wrapped layer's weights after the wrapper alone
   * (`time_distributed/kernel`), so saved files match theirs.
   */
  override get weightEntries(): readonly LayerWeight[] {
    const prefix = `${this.layer.name}/`;
    return this.layer.weightEntries.map((w) => ({ ...w, name: `${this.name}/${w.name.startsWith(prefix) ? w.name.slice(prefix.length) : w.name}` }));
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = this.single(inputShape);
    if (shape.length < 3) {
      throw new LayerError(this, `expected input of rank at least 3 ([batch, time, ...]), received shape ${shapeString(shape)} (rank ${shape.length})`);
    }
    const step = this.stepShape(shape);
    if (!this.layer.built) {
      this.layer.build(step);
      this.layer.built = true;
    }
    this.checkStep(shape, step);
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [batch, time, ...rest] = x.shape as number[];
    const mask = Array.isArray(args.mask) ? args.mask[0] : args.mask;
    const stepArgs: CallArgs = { training: args.training };
    if (mask) stepArgs.mask = reshape(mask, [batch! * time!, ...mask.shape.slice(2)]);
    const out = this.invokeInner(this.layer, reshape(x, [batch! * time!, ...rest]), stepArgs);
    if (Array.isArray(out)) {
      throw new LayerError(this, `the wrapped layer ${this.layer.toString()} returns ${out.length} outputs; TimeDistributed needs a layer with one`);
    }
    return reshape(out, [batch!, time!, ...out.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = this.single(inputShape);
    const out = this.layer.computeOutputShape(this.stepShape(shape));
    if (isShapeList(out)) {
      throw new LayerError(this, `the wrapped layer ${this.layer.toString()} returns ${out.length} outputs; TimeDistributed needs a layer with one`);
    }
    return [shape[0] ?? null, shape[1] ?? null, ...out.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { className: this.layer.className, config: this.layer.getConfig() } };
  }

  private single(inputShape: LayerShape | LayerShape[]): LayerShape {
    if (isShapeList(inputShape)) {
      throw new LayerError(this, `expects a single input, received a list of ${inputShape.length} (shapes ${inputShape.map(shapeString).join(', ')})`);
    }
    return inputShape;
  }

  /** The shape one time step has for the wrapped layer: time folded into the batch. */
  private stepShape(shape: LayerShape): LayerShape {
    const [batch, time, ...rest] = shape;
    return [batch === null || time === null || batch === undefined || time === undefined ? null : batch * time, ...rest];
  }

  /** Checks a step against the wrapped layer's input spec here, so the error names the real input shape. */
  private checkStep(shape: LayerShape, step: LayerShape): void {
    const spec = this.layer.inputSpec?.[0];
    if (!spec) return;
    const fail = (what: string): never => {
      throw new LayerError(this, `the wrapped layer ${this.layer.toString()} expects each time step ${what}, received input shape ${shapeString(shape)} (steps of shape ${shapeString(step)})`);
    };
    if (spec.ndim !== undefined && step.length !== spec.ndim) fail(`of rank ${spec.ndim}`);
    if (spec.minNdim !== undefined && step.length < spec.minNdim) fail(`of rank at least ${spec.minNdim}`);
    if (spec.maxNdim !== undefined && step.length > spec.maxNdim) fail(`of rank at most ${spec.maxNdim}`);
    for (const [axisText, size] of Object.entries(spec.axes ?? {})) {
      const axis = Number(axisText);
      const dim = step[axis < 0 ? step.length + axis : axis];
      if (dim !== null && dim !== undefined && dim !== size) fail(`with ${axis === -1 ? 'last dimension' : `dimension ${axis}`} ${size}`);
    }
  }
}
