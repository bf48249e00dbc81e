import type { Variable } from '@strata/core';
import type { LayerShape } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import type { GraphBuilder, Layout, OnnxValue } from './graph-builder.js';
import type { HostTensor } from './host-tensors.js';

/**
 * What a layer converter gets for one call of its layer in the model graph.
 *
 * @example
 * const convertRelu: LayerConverter = (ctx) => [ctx.out(0, ctx.b.op('Relu', [ctx.b.home(ctx.inputs[0]!)]), ctx.inputs[0]!.home)];
 */
export interface ConvertContext {
  readonly b: GraphBuilder;
  readonly layer: Layer;
  /** The values of the call's inputs, in order. */
  readonly inputs: readonly OnnxValue[];
  /** The Strata shapes of the call's outputs. */
  readonly outputShapes: readonly LayerShape[];
  /** Extra call arguments recorded with the call (e.g. a non-symbolic `initialState`). */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** A weight's values (read from the engine before conversion). */
  weight(v: Variable | null | undefined, what: string): HostTensor;
  /**
   * Adds a weight (possibly rearranged) as an initializer; `variant` names the rearrangement, so a
   * shared layer's second call reuses the first call's initializer.
   */
  init(v: Variable, variant: string, make: (h: HostTensor) => HostTensor, hint?: string): string;
  /** Wraps output `index`, held by ONNX value `name` in `layout`. */
  out(index: number, name: string, layout: Layout): OnnxValue;
  /** Throws an OnnxExportError naming this layer. */
  fail(detail: string): never;
  /** Converts a call of another layer (a wrapped one) on the given values. */
  convertLayer(layer: Layer, inputs: readonly OnnxValue[], outputShapes: readonly LayerShape[]): OnnxValue[];
}

/** Emits the ONNX nodes of one layer call and returns its output values. */
export type LayerConverter = (ctx: ConvertContext) => OnnxValue[];
