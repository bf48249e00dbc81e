import { InputLayer } from '../engine/input-layer.js';
import type { CallArgs, Layer } from '../engine/layer.js';
import { LayersModel } from '../engine/model.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { MultiHeadAttention } from '../layers/attention/multi-head-attention.js';
import { BaseRNN } from '../layers/recurrent/base-rnn.js';
import { toCamelCase, toSnakeCase } from './keras-keys.js';
import { parseJson } from './manifest.js';
import { FIX_DAMAGED, failAt, type LoadContext } from './topology-context.js';
import { dictNodeSchema, kerasTensorSchema, listNodeSchema, nodeInputSchema, tensorRefSchema, tensorRefsSchema } from './topology-schema.js';

// The calls (nodes) of a Functional config, in the two forms files hold them: Keras 2 / TF.js
// lists (`[[layerName, nodeIndex, tensorIndex, kwargs], ...]`) and Keras 3 objects
// (`{ args, kwargs }` with `__keras_tensor__` entries), read into one form, then replayed on the
// built layers.

/** One output of one layer call, as a file names it. */
export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
  /** Key path of the reference, for messages. */
  readonly where: string;
}

/** One call of a layer, as a file describes it. */
export interface NodeSpec {
  readonly where: string;
  /** The tensors passed as inputs, in order. */
  readonly inputs: readonly TensorRef[];
  /** Plain call arguments (camelCase keys). */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** Call arguments that are tensors: `initial_state` of a recurrent layer, `value`/`key`/`attention_mask` of attention. */
  readonly tensorKwargs: Readonly<Record<string, TensorRef | TensorRef[]>>;
}

/** Call arguments a file may hold that Strata's models supply themselves at run time. */
const RUNTIME_KWARGS = new Set(['training', 'mask']);

/** How deep the arguments of one Keras 3 call may nest. */
const MAX_ARG_DEPTH = 8;

/**
 * Whether a node is in Keras 3's form (`{ args, kwargs }`) rather than a Keras 2 / TF.js list.
 *
 * @example
 * isDictNode({ args: [], kwargs: {} }); // true
 */
export function isDictNode(node: unknown): boolean {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/**
 * Reads one node of a layer's `inbound_nodes`.
 *
 * @example
 * parseNode(ctx, [['input_1', 0, 0, {}]], 'modelTopology.config.layers[1].inbound_nodes[0]');
 */
export function parseNode(ctx: LoadContext, raw: unknown, where: string): NodeSpec {
  return isDictNode(raw) ? parseDictNode(ctx, raw, where) : parseListNode(ctx, raw, where);
}

function parseListNode(ctx: LoadContext, raw: unknown, where: string): NodeSpec {
  const items = parseJson(listNodeSchema, raw, ctx.file, where);
  const inputs: TensorRef[] = [];
  let rawKwargs: unknown = null;
  items.forEach((item, i) => {
    const at = `${where}[${i}]`;
    const [layer, node, tensor, kwargs] = parseJson(nodeInputSchema, item, ctx.file, at);
    inputs.push({ layer, node, tensor, where: at });
    // TF.js and Keras 2 repeat the call's kwargs on every input; TF.js reads the last.
    if (kwargs !== undefined && kwargs !== null) rawKwargs = kwargs;
  });
  if (rawKwargs !== null && (typeof rawKwargs !== 'object' || Array.isArray(rawKwargs))) {
    throw failAt(ctx, `${where}[${items.length - 1}][3]`, 'the call arguments must be an object');
  }
  const kwargs: Record<string, unknown> = {};
  const tensorKwargs: Record<string, TensorRef | TensorRef[]> = {};
  for (const [key, value] of Object.entries((rawKwargs ?? {}) as Record<string, unknown>)) {
    const name = toCamelCase(key);
    if (RUNTIME_KWARGS.has(name)) continue;
    const at = `${where}[0][3].${key}`;
    // Keras 2 writes a tensor argument as [layerName, nodeIndex, tensorIndex] (a list of them for several).
    const one = tensorRefSchema.safeParse(value);
    const many = Array.isArray(value) && value.length > 0 ? value.map((v) => tensorRefSchema.safeParse(v)) : [];
    if (one.success) tensorKwargs[name] = { layer: one.data[0], node: one.data[1], tensor: one.data[2], where: at };
    else if (many.length > 0 && many.every((r) => r.success)) tensorKwargs[name] = many.map((r, i) => ({ layer: r.data![0], node: r.data![1], tensor: r.data![2], where: `${at}[${i}]` }));
    else kwargs[name] = value;
  }
  return { where, inputs, kwargs, tensorKwargs };
}

function parseDictNode(ctx: LoadContext, raw: unknown, where: string): NodeSpec {
  const node = parseJson(dictNodeSchema, raw, ctx.file, where);
  const inputs: TensorRef[] = [];
  const walk = (value: unknown, at: string, depth: number): void => {
    if (depth > MAX_ARG_DEPTH) throw failAt(ctx, at, `the call's arguments nest deeper than ${MAX_ARG_DEPTH} levels`);
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${at}[${i}]`, depth + 1));
    const ref = kerasTensor(ctx, value, at);
    if (!ref) throw failAt(ctx, at, 'a positional call argument that is not a tensor is not supported', 'Pass constants as layer options, not call arguments.');
    inputs.push(ref);
  };
  node.args.forEach((arg, i) => walk(arg, `${where}.args[${i}]`, 0));
  const kwargs: Record<string, unknown> = {};
  const tensorKwargs: Record<string, TensorRef | TensorRef[]> = {};
  for (const [key, value] of Object.entries(node.kwargs ?? {})) {
    const name = toCamelCase(key);
    if (RUNTIME_KWARGS.has(name)) continue;
    const at = `${where}.kwargs.${key}`;
    const one = kerasTensor(ctx, value, at);
    const many = Array.isArray(value) && value.length > 0 ? value.map((v, i) => kerasTensor(ctx, v, `${at}[${i}]`)) : [];
    if (one) tensorKwargs[name] = one;
    else if (many.length > 0 && many.every((r) => r !== null)) tensorKwargs[name] = many as TensorRef[];
    else kwargs[name] = value;
  }
  return { where, inputs, kwargs, tensorKwargs };
}

function kerasTensor(ctx: LoadContext, value: unknown, where: string): TensorRef | null {
  if (typeof value !== 'object' || value === null || (value as { class_name?: unknown }).class_name !== '__keras_tensor__') return null;
  const tensor = parseJson(kerasTensorSchema, value, ctx.file, where);
  const [layer, node, index] = tensor.config.keras_history;
  return { layer, node, tensor: index, where: `${where}.config.keras_history` };
}

/**
 * Reads `input_layers` / `output_layers`: a list of `[layerName, nodeIndex, tensorIndex]`, or as
 * Keras 3 also writes them, one bare reference or an object of references (in key order).
 *
 * @example
 * parseTensorRefs(ctx, [['input_1', 0, 0]], 'modelTopology.config.input_layers');
 */
export function parseTensorRefs(ctx: LoadContext, raw: unknown, where: string): TensorRef[] {
  const refs = parseJson(tensorRefsSchema, raw, ctx.file, where);
  if (Array.isArray(refs) && typeof refs[0] === 'string') {
    const [layer, node, tensor] = refs as [string, number, number];
    return [{ layer, node, tensor, where }];
  }
  const entries: [string, [string, number, number]][] = Array.isArray(refs)
    ? (refs as [string, number, number][]).map((r, i) => [`[${i}]`, r])
    : Object.entries(refs as Record<string, [string, number, number]>).map(([k, r]) => [`.${k}`, r]);
  return entries.map(([suffix, [layer, node, tensor]]) => ({ layer, node, tensor, where: `${where}${suffix}` }));
}

/** Layers built so far, by name, and whether nested models count their calls from 1 in this file. */
export interface NodeScope {
  readonly layers: ReadonlyMap<string, Layer>;
  /** Keras 3 counts a nested Sequential's calls from 0, every other writer (and Keras 3 for Functional models) from 1. */
  readonly keras3: boolean;
}

/**
 * The index among the built layer's calls of the call a file numbers `saved`: nested models count
 * from 1 in files (TF.js and Keras give every model a first call of its own, from its inputs to its
 * outputs, which Strata's models do not have).
 *
 * @example
 * builtNodeIndex(innerModel, 1, false); // 0
 */
export function builtNodeIndex(layer: Layer, saved: number, keras3: boolean): number {
  if (!(layer instanceof LayersModel)) return saved;
  const base = keras3 && layer.className === 'Sequential' ? 0 : 1;
  return saved - base;
}

/**
 * The symbolic tensor a reference names, or `null` while the call that makes it is not replayed
 * yet. Fails when the reference cannot ever resolve (unknown layer, an index past the end).
 *
 * @example
 * const x = resolveRef(ctx, scope, { layer: 'input_1', node: 0, tensor: 0, where });
 */
export function resolveRef(ctx: LoadContext, scope: NodeScope, ref: TensorRef, nodeCountInFile: ReadonlyMap<string, number>): SymbolicTensor | null {
  const layer = scope.layers.get(ref.layer);
  if (!layer) {
    throw failAt(ctx, ref.where, `names layer '${ref.layer}', which is not among the model's layers (${[...scope.layers.keys()].slice(0, 20).join(', ')}${scope.layers.size > 20 ? ', ...' : ''})`);
  }
  const index = builtNodeIndex(layer, ref.node, scope.keras3);
  // An input layer's one call is its own (files list none for it).
  const calls = layer instanceof InputLayer ? 1 : nodeCountInFile.get(ref.layer) ?? 0;
  if (index < 0 || index >= calls) {
    throw failAt(ctx, ref.where, `names call ${ref.node} of layer '${ref.layer}', which the file does not define (it lists ${calls} call(s) of that layer)`);
  }
  const node = layer.inboundNodes[index];
  if (!node) return null;
  const output = node.outputs[ref.tensor];
  if (!output) {
    throw failAt(ctx, ref.where, `names output ${ref.tensor} of layer '${ref.layer}', which has ${node.outputs.length} output(s)`);
  }
  return output;
}

/**
 * Replays one call on the built layer: the inputs as one tensor or a list, plain kwargs as call
 * arguments, and tensor kwargs where Strata's layers take them (attention's `value`/`key` as
 * inputs, its `attentionMask` and a recurrent layer's `initialState` as symbolic call arguments).
 *
 * @example
 * applyNode(ctx, dense, spec, [x], {});
 */
export function applyNode(ctx: LoadContext, layer: Layer, spec: NodeSpec, inputs: SymbolicTensor[], tensorKwargs: Record<string, SymbolicTensor | SymbolicTensor[]>): void {
  const args: CallArgs = { ...spec.kwargs };
  const list = [...inputs];
  for (const [key, value] of Object.entries(tensorKwargs)) {
    const at = `${spec.where} (call argument '${toSnakeCase(key)}')`;
    if (layer instanceof MultiHeadAttention && !Array.isArray(value) && (key === 'query' || key === 'value' || key === 'key')) {
      const slot = key === 'query' ? 0 : key === 'value' ? 1 : 2;
      if (list.length !== slot) throw failAt(ctx, at, `${layer.toString()}: '${key}' must follow the ${slot} tensor(s) before it; received ${list.length} positional input(s)`);
      list.push(value);
    } else if (layer instanceof MultiHeadAttention && key === 'attentionMask' && !Array.isArray(value)) {
      args.attentionMask = value;
    } else if (layer instanceof BaseRNN && key === 'initialState') {
      args.initialState = value;
    } else {
      throw failAt(ctx, at, `${layer.toString()}: a tensor passed as call argument '${toSnakeCase(key)}' is not supported by Strata's ${layer.className}`,
        'Pass the tensor as an input of the call when the model is made.');
    }
  }
  if (list.length === 0) throw failAt(ctx, spec.where, `${layer.toString()}: the call has no input tensors`, FIX_DAMAGED);
  layer.apply(list.length === 1 ? list[0]! : list, args);
}
