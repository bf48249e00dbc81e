import { cast, clone, fmtShape, tidy, type Tensor, type Variable } from '@strata/core';
import { LayerError } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerWeight } from '../../engine/layer.js';
import { describeValue } from '../../initializers/options.js';
import { layerRegistry } from '../layer-registry.js';

/** A layer given to a wrapper: an instance, or a Keras-style `{ className, config }`. */
export type WrappedLayer = Layer | { className: string; config?: Record<string, unknown> };

/**
 * Resolves a wrapper's `layer` option to an instance (configs through the layer registry).
 *
 * @example
 * const inner = resolveWrappedLayer(this, 'layer', { className: 'Dense', config: { units: 3 } });
 */
export function resolveWrappedLayer(owner: Layer, option: string, value: unknown): Layer {
  if (value instanceof Layer) return value;
  if (value && typeof value === 'object' && typeof (value as { className?: unknown }).className === 'string') {
    return layerRegistry.get(value as { className: string; config?: Record<string, unknown> });
  }
  throw new LayerError(owner, `option '${option}' must be a layer or its { className, config }; received ${describeValue(value)}`);
}

/**
 * The batch input shape a wrapped layer was given (its `inputShape`), which the wrapper takes
 * as its own when it has none, so `bidirectional({ layer: lstm({ units, inputShape }) })` can start
 * a Sequential model.
 *
 * @example
 * super({ ...args, batchInputShape: args.batchInputShape ?? wrappedBatchShape(args.layer) });
 */
export function wrappedBatchShape(value: unknown): (number | null)[] | undefined {
  if (value instanceof Layer) return value.batchInputShape ? [...value.batchInputShape] : undefined;
  const config = value && typeof value === 'object' ? (value as { config?: Record<string, unknown> }).config : undefined;
  const batchShape = config?.batchInputShape;
  if (Array.isArray(batchShape)) return [...(batchShape as (number | null)[])];
  const shape = config?.inputShape;
  if (Array.isArray(shape)) return [(config?.batchSize as number | undefined) ?? null, ...(shape as (number | null)[])];
  return undefined;
}

/**
 * The base of layers that wrap others (Keras `Wrapper`): the wrapped layers' weights are the
 * wrapper's, saved under the wrapper's name (`bidirectional/forward_lstm/kernel`, as TF.js names
 * them), and freezing the wrapper freezes them.
 *
 * @example
 * class Twice extends Wrapper {
 *   protected innerLayers() { return [this.layer]; }
 * }
 */
export abstract class Wrapper extends Layer {
  /** The wrapped layers, in weight order. */
  protected abstract innerLayers(): Layer[];

  override get trainableWeights(): Variable[] {
    return this.trainable ? this.innerLayers().flatMap((l) => l.trainableWeights) : [];
  }

  override get nonTrainableWeights(): Variable[] {
    const inner = this.innerLayers();
    return this.trainable ? inner.flatMap((l) => l.nonTrainableWeights) : inner.flatMap((l) => [...l.trainableWeights, ...l.nonTrainableWeights]);
  }

  override get weightEntries(): readonly LayerWeight[] {
    return this.innerLayers().flatMap((l) => l.weightEntries.map((w) => ({ ...w, name: `${this.name}/${w.name}` })));
  }

  override getWeights(): Tensor[] {
    return this.weights.map((w) => clone(w));
  }

  override setWeights(values: readonly Tensor[]): void {
    const targets = this.weights;
    const names = new Map(this.weightEntries.map((w) => [w.variable, w.name]));
    const nameOf = (v: Variable): string => names.get(v) ?? v.name;
    if (values.length !== targets.length) {
      throw new LayerError(this, `setWeights expected ${targets.length} weight(s) (${targets.map(nameOf).join(', ')}), received ${values.length}`);
    }
    targets.forEach((w, i) => {
      const v = values[i]!;
      if (v.shape.length !== w.shape.length || v.shape.some((d, k) => d !== w.shape[k])) {
        throw new LayerError(this, `setWeights: weight '${nameOf(w)}' has shape ${fmtShape(w.shape)}, received ${fmtShape(v.shape)}`);
      }
    });
    targets.forEach((w, i) => {
      const v = values[i]!;
      if (v.dtype === w.dtype) return w.assign(v);
      const converted = tidy(() => cast(v, w.dtype));
      w.assign(converted);
      converted.dispose();
    });
  }

  override countParams(): number {
    return this.innerLayers().reduce((n, l) => n + l.countParams(), 0);
  }

  override regularizationLosses(): Tensor[] {
    return this.trainable ? this.innerLayers().flatMap((l) => l.regularizationLosses()) : [];
  }

  /**
   * Calls a wrapped layer and moves the penalties it added (activity regularizers) to this
   * layer, so they survive this layer's call scope and reach the training step.
   */
  protected invokeInner(layer: Layer, inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const out = layer.invoke(inputs, args);
    for (const loss of layer.takeCallLosses()) this.addLoss(loss);
    return out;
  }

  override applyConstraints(): void {
    for (const l of this.innerLayers()) l.applyConstraints();
  }

  override dispose(): void {
    for (const l of this.innerLayers()) l.dispose();
    super.dispose();
  }
}
