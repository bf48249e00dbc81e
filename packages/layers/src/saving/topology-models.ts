import type { LayerShape } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import { LayersModel, Sequential } from '../engine/model.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { chargeWeight } from '../engine/weight-budget.js';
import { BaseRNN } from '../layers/recurrent/base-rnn.js';
import { parseJson } from './manifest.js';
import { MODEL_CLASSES } from './topology-compat.js';
import { FIX_DAMAGED, atPlace, failAt, type LoadContext } from './topology-context.js';
import { buildInputLayer, buildLayer } from './topology-layer.js';
import { applyNode, isDictNode, parseNode, parseTensorRefs, resolveRef, type NodeScope, type NodeSpec, type TensorRef } from './topology-nodes.js';
import { functionalConfigSchema, functionalLayerSchema, layerEntrySchema, sequentialConfigSchema } from './topology-schema.js';

/** How deeply models may nest inside models in one file. */
export const MAX_MODEL_NESTING = 32;

type Config = Record<string, unknown> | unknown[];

/**
 * Builds a model (`Sequential`, or `Model` / `Functional`) from its saved config, nested models
 * included; `where` is the key path of the config, for messages.
 *
 * @example
 * const m = buildModel(ctx, 'Sequential', { name: 's', layers: [...] }, 'modelTopology.config', 0);
 */
export function buildModel(ctx: LoadContext, className: string, config: Config, where: string, depth: number, entryName?: string): LayersModel {
  if (depth > MAX_MODEL_NESTING) throw failAt(ctx, where, `models nest deeper than ${MAX_MODEL_NESTING} levels`);
  if (!MODEL_CLASSES.has(className)) {
    throw failAt(ctx, where, `expected a model class (Sequential, Model or Functional), received '${className}'`,
      'Load a file written by model.save (or TF.js\'s model.save); a single layer is not a model.');
  }
  return className === 'Sequential' ? buildSequential(ctx, config, where, depth, entryName) : buildFunctional(ctx, config, where, depth, entryName);
}

/** Builds one entry of a model's `layers`: an input layer, a nested model, or a layer. */
function buildEntry(ctx: LoadContext, className: string, config: Record<string, unknown>, where: string, depth: number, entryName?: string): Layer {
  if (className === 'InputLayer') return buildInputLayer(ctx, config, where, entryName);
  if (MODEL_CLASSES.has(className)) return buildModel(ctx, className, config, `${where}.config`, depth + 1, entryName);
  return buildLayer(ctx, className, config, where, entryName);
}

function buildSequential(ctx: LoadContext, config: Config, where: string, depth: number, entryName?: string): Sequential {
  const parsed = parseJson(sequentialConfigSchema, config, ctx.file, where);
  const bare = Array.isArray(parsed);
  const entries = bare ? parsed : parsed.layers;
  const name = (bare ? undefined : parsed.name) ?? entryName;
  const model = atPlace(ctx, where, FIX_DAMAGED, () => new Sequential({ name }));
  ctx.created.push(model);
  entries.forEach((raw, i) => {
    const at = `${where}${bare ? '' : '.layers'}[${i}]`;
    const entry = parseJson(layerEntrySchema, raw, ctx.file, at);
    const layer = buildEntry(ctx, entry.class_name, entry.config, at, depth);
    atPlace(ctx, `${at} ('${layer.name}', ${entry.class_name})`, FIX_DAMAGED, () => {
      const shape = model.outputs[0]?.shape ?? (i === 0 ? layer.batchInputShape : null);
      if (shape) chargeStates(layer, shape);
      model.add(layer);
    });
  });
  if (!bare && parsed.trainable === false) model.trainable = false;
  return model;
}

interface Pending {
  readonly layerName: string;
  readonly layer: Layer;
  readonly spec: NodeSpec;
}

function buildFunctional(ctx: LoadContext, config: Config, where: string, depth: number, entryName?: string): LayersModel {
  const parsed = parseJson(functionalConfigSchema, config, ctx.file, where);
  const layers = new Map<string, Layer>();
  const nodeCount = new Map<string, number>();
  const queues = new Map<string, Pending[]>();
  parsed.layers.forEach((raw, i) => {
    const at = `${where}.layers[${i}]`;
    const entry = parseJson(functionalLayerSchema, raw, ctx.file, at);
    const name = entry.name ?? (typeof entry.config.name === 'string' ? entry.config.name : undefined);
    if (name === undefined) throw failAt(ctx, at, 'the layer has no name (expected "name" beside "class_name")');
    if (layers.has(name)) throw failAt(ctx, `${at}.name`, `a second layer is named '${name}'; layer names must be unique within a model`);
    const layer = buildEntry(ctx, entry.class_name, entry.config, at, depth, name);
    layers.set(name, layer);
    nodeCount.set(name, entry.inbound_nodes.length);
    queues.set(name, entry.inbound_nodes.map((node, j) => ({ layerName: name, layer, spec: parseNode(ctx, node, `${at}.inbound_nodes[${j}]`) })));
  });
  const keras3 = parsed.layers.some((l) => Array.isArray((l as { inbound_nodes?: unknown }).inbound_nodes) && (l as { inbound_nodes: unknown[] }).inbound_nodes.some(isDictNode));
  const scope: NodeScope = { layers, keras3 };
  replayNodes(ctx, scope, queues, nodeCount);

  const tensors = (key: 'input_layers' | 'output_layers'): SymbolicTensor[] => parseTensorRefs(ctx, parsed[key], `${where}.${key}`).map((ref) => {
    const t = resolveRef(ctx, scope, ref, nodeCount);
    if (!t) throw failAt(ctx, ref.where, `names call ${ref.node} of layer '${ref.layer}', which the file's inbound_nodes never make`);
    return t;
  });
  const inputs = tensors('input_layers');
  const outputs = tensors('output_layers');
  const name = parsed.name ?? entryName;
  const model = atPlace(ctx, where, FIX_DAMAGED, () => new LayersModel({ inputs: inputs.length === 1 ? inputs[0]! : inputs, outputs: outputs.length === 1 ? outputs[0]! : outputs, name }));
  ctx.created.push(model);
  if (parsed.trainable === false) model.trainable = false;
  return model;
}

/**
 * Replays the calls in an order that can run, as TF.js's `fromConfig` does: layer by layer in the
 * file's order, each layer's calls in their own order, a call waiting while a tensor it needs is
 * not made yet (a layer shared at different depths). A pass that makes no call while some remain
 * means the file's calls can never all be made (a cycle, or a reference to nothing).
 */
function replayNodes(ctx: LoadContext, scope: NodeScope, queues: Map<string, Pending[]>, nodeCount: ReadonlyMap<string, number>): void {
  let remaining = [...queues.values()].reduce((n, q) => n + q.length, 0);
  while (remaining > 0) {
    let progress = false;
    for (const queue of queues.values()) {
      while (queue.length > 0) {
        const { layer, layerName, spec } = queue[0]!;
        const inputs = spec.inputs.map((ref) => resolveRef(ctx, scope, ref, nodeCount));
        const tensorKwargs = resolveTensorKwargs(ctx, scope, spec, nodeCount);
        if (inputs.some((t) => t === null) || tensorKwargs === null) break;
        atPlace(ctx, `${spec.where} (call of '${layerName}', ${layer.className})`, FIX_DAMAGED, () => {
          if (inputs[0]) chargeStates(layer, inputs[0].shape);
          applyNode(ctx, layer, spec, inputs as SymbolicTensor[], tensorKwargs);
        });
        queue.shift();
        remaining--;
        progress = true;
      }
    }
    if (!progress) {
      const stuck = [...queues.values()].find((q) => q.length > 0)![0]!;
      const missing = [...stuck.spec.inputs, ...Object.values(stuck.spec.tensorKwargs).flat()].find((ref) => resolveRef(ctx, scope, ref, nodeCount) === null);
      const needs = missing ? `it needs output ${missing.tensor} of call ${missing.node} of layer '${missing.layer}', which is never made` : 'its inputs are never made';
      throw failAt(ctx, stuck.spec.where, `the call of layer '${stuck.layerName}' cannot be made: ${needs} (the calls depend on each other in a cycle, or the file is damaged)`);
    }
  }
}

function resolveTensorKwargs(ctx: LoadContext, scope: NodeScope, spec: NodeSpec, nodeCount: ReadonlyMap<string, number>): Record<string, SymbolicTensor | SymbolicTensor[]> | null {
  const out: Record<string, SymbolicTensor | SymbolicTensor[]> = {};
  for (const [key, value] of Object.entries(spec.tensorKwargs)) {
    const refs: TensorRef[] = Array.isArray(value) ? value : [value];
    const resolved = refs.map((ref) => resolveRef(ctx, scope, ref, nodeCount));
    if (resolved.some((t) => t === null)) return null;
    out[key] = Array.isArray(value) ? (resolved as SymbolicTensor[]) : resolved[0]!;
  }
  return out;
}

/**
 * Counts a stateful recurrent layer's stored states against the load's budget before it is built:
 * their size comes from the batch size a file claims, and they are not weights.
 */
function chargeStates(layer: Layer, inputShape: LayerShape): void {
  if (!(layer instanceof BaseRNN) || !layer.stateful) return;
  const batch = inputShape[0];
  if (typeof batch === 'number') chargeWeight(`${layer.name}/states`, [batch, layer.units * layer.stateCount]);
}
