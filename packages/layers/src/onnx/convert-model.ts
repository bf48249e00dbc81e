import type { Variable } from '@strata/core';
import type { LayerShape } from '../engine/errors.js';
import { InputLayer } from '../engine/input-layer.js';
import type { Layer } from '../engine/layer.js';
import { LayersModel, Sequential } from '../engine/model.js';
import type { ConvertContext } from './context.js';
import { converterFor, onnxSupportedLayers } from './converters/index.js';
import { OnnxExportError } from './errors.js';
import { GraphBuilder, onnxDataType, type OnnxValue } from './graph-builder.js';
import type { HostTensor } from './host-tensors.js';
import type { OnnxGraph, OnnxValueInfo } from './onnx-proto.js';

/** The name of the batch dimension in the exported graph's inputs and outputs. */
export const BATCH_DIM = 'batch';

/**
 * Builds the ONNX graph of a model from its layer graph: one converter call per layer call, in
 * run order, nested models inlined. `weights` holds every weight's values, read beforehand (the
 * only asynchronous part).
 *
 * @example
 * const graph = buildOnnxGraph(model, await readWeights(model), 'my_model');
 */
export function buildOnnxGraph(model: LayersModel, weights: ReadonlyMap<Variable, Float32Array>, graphName: string): OnnxGraph {
  checkModel(model);
  const b = new GraphBuilder();
  const inputInfos: OnnxValueInfo[] = [];
  const inputs = model.inputs.map((t, i) => {
    const name = b.reserve(model.inputNames[i]!) ? model.inputNames[i]! : b.uniqueName(model.inputNames[i]!);
    inputInfos.push({ name, dataType: onnxDataType(t.dtype), shape: symbolicShape(t.shape, name) });
    return b.value(t.shape, t.dtype, name, 'native');
  });
  const outputs = convertGraph(b, model, inputs, weights, new Map());
  const outputInfos = outputs.map((v, i) => {
    const name = b.uniqueName(model.outputNames[i]!);
    b.scope = '';
    b.ops('Identity', [b.native(v)], [], 1, [name]);
    return { name, dataType: onnxDataType(v.dtype), shape: symbolicShape(model.outputs[i]!.shape, name) };
  });
  return { name: graphName, nodes: b.nodes, initializers: b.initializers, inputs: inputInfos, outputs: outputInfos };
}

/** Dims for a value info: the batch axis named `batch`, other unknown dims named after the value. */
function symbolicShape(shape: LayerShape, owner: string): (number | string)[] {
  return shape.map((d, i) => (i === 0 ? BATCH_DIM : d === null ? `${owner}_dim${i}` : d));
}

function checkModel(model: LayersModel): void {
  if (model.inputs.length === 0) {
    const hint = model instanceof Sequential
      ? 'give its first layer inputShape (or start it with input()), or call predict once so it is built'
      : 'create it with model({ inputs, outputs })';
    throw new OnnxExportError(`model '${model.name}' has no inputs yet, so its graph is unknown; ${hint}, then export it`);
  }
}

/** Ids of the weights met so far, so a weight shared by several calls becomes one initializer. */
type VariableIds = Map<Variable, number>;

/** Converts `model`'s nodes on the given input values, returning its output values. */
function convertGraph(b: GraphBuilder, model: LayersModel, inputs: readonly OnnxValue[], weights: ReadonlyMap<Variable, Float32Array>, ids: VariableIds): OnnxValue[] {
  checkModel(model);
  if (inputs.length !== model.inputs.length) {
    throw new OnnxExportError(`model '${model.name}' expects ${model.inputs.length} input(s), was called with ${inputs.length}`, model);
  }
  const values = new Map<number, OnnxValue>();
  model.inputs.forEach((t, i) => values.set(t.id, inputs[i]!));
  for (const node of model.nodes) {
    if (node.layer instanceof InputLayer) continue;
    const args = node.inputs.map((s) => values.get(s.id)!);
    const outs = convertCall(b, node.layer, args, node.outputs.map((s) => s.shape), node.kwargs, weights, ids);
    if (outs.length !== node.outputs.length) {
      throw new OnnxExportError(`produced ${outs.length} output(s) where the model has ${node.outputs.length}; this is a bug in the layer's ONNX converter`, node.layer);
    }
    node.outputs.forEach((s, k) => values.set(s.id, outs[k]!));
  }
  return model.outputs.map((s) => values.get(s.id)!);
}

function convertCall(
  b: GraphBuilder, layer: Layer, inputs: OnnxValue[], outputShapes: LayerShape[], kwargs: Readonly<Record<string, unknown>>,
  weights: ReadonlyMap<Variable, Float32Array>, ids: VariableIds,
): OnnxValue[] {
  const outer = b.scope;
  b.scope = outer ? `${outer}/${layer.name}` : layer.name;
  try {
    const ctx: ConvertContext = {
      b, layer, inputs, outputShapes, kwargs,
      weight: (v, what) => {
        const data = v ? weights.get(v) : undefined;
        if (!v || !data) throw new OnnxExportError(`its weight '${what}' is missing; build the layer (call the model once) before exporting`, layer);
        return { shape: [...v.shape], data } satisfies HostTensor;
      },
      init: (v, variant, make, hint) => {
        if (!ids.has(v)) ids.set(v, ids.size);
        const host = make(ctx.weight(v, hint ?? variant));
        return b.initializer(hint ?? variant, 'float32', host.shape, host.data, `${ids.get(v)}:${variant}`);
      },
      out: (index, name, layout) => b.value(outputShapes[index]!, outputDType(layer, inputs), name, layout),
      fail: (detail) => {
        throw new OnnxExportError(detail, layer);
      },
      convertLayer: (inner, values, shapes) => convertCall(b, inner, [...values], [...shapes], {}, weights, ids),
    };
    let outs: OnnxValue[];
    if (layer instanceof LayersModel && (layer.constructor === LayersModel || layer.constructor === Sequential)) {
      outs = convertGraph(b, layer, inputs, weights, ids);
    } else {
      const convert = converterFor(layer);
      if (!convert && onnxSupportedLayers().includes(layer.className)) {
        throw new OnnxExportError(
          `is an instance of ${layer.constructor.name}, a subclass of ${layer.className} that may compute something else, so it has no ONNX converter; ` +
            `export a model built with ${layer.className} itself`,
          layer,
        );
      }
      if (!convert) {
        throw new OnnxExportError(
          `has no ONNX converter. Supported layer classes: ${onnxSupportedLayers().join(', ')} (and nested Sequential/Functional models of them). ` +
            'Replace the layer with supported ones, or export the part of the model without it',
          layer,
        );
      }
      outs = convert(ctx);
    }
    // Masks flow on through layers that support them (as Keras passes them on), so a layer that
    // would use one downstream can refuse.
    const masked = layer.supportsMasking && inputs.some((v) => v.masked);
    return outs.map((v) => {
      const own = inputs.includes(v) ? { ...v } : v;
      own.masked = own.masked || masked;
      return own;
    });
  } finally {
    b.scope = outer;
  }
}

function outputDType(layer: Layer, inputs: readonly OnnxValue[]): OnnxValue['dtype'] {
  return layer.computeOutputDType(inputs.map((v) => v.dtype));
}
