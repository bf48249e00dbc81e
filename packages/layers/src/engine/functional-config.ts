import { StrataError } from '@strata/core';
import type { Layer } from './layer.js';
import type { Node } from './node.js';
import type { SymbolicTensor } from './symbolic.js';

/** What {@link functionalConfig} reads of a Functional model. */
export interface FunctionalParts {
  readonly name: string;
  readonly trainable: boolean;
  /** The model's distinct layers, input layers first (the graph's order). */
  readonly layers: readonly Layer[];
  /** The model's nodes (layer calls); calls of its layers outside this model are left out. */
  readonly nodes: readonly Node[];
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
}

/** A reference to one output of one layer call: `[layerName, nodeIndex, tensorIndex]`. */
export type TensorRef = [string, number, number];

/**
 * The class name a saved model gives a layer: TF.js writes `'Model'` for Functional models (Keras
 * and TF.js read both `'Model'` and `'Functional'`), every other class its own name.
 *
 * @example
 * kerasClassName(model({ inputs: x, outputs: y })); // 'Model'
 */
export function kerasClassName(layer: Layer): string {
  return layer.className === 'Functional' ? 'Model' : layer.className;
}

/**
 * The Keras config of a Functional model, in camelCase as `getConfig` returns it (the saver turns
 * keys into snake_case): `{ name, layers: [{ name, className, config, inboundNodes }], inputLayers,
 * outputLayers }`, as TF.js's `Container.getConfig` writes it. Inbound nodes are
 * `[[layerName, nodeIndex, tensorIndex, kwargs], ...]` per call; node indices count only the calls
 * that belong to this model, and a nested model's calls count from 1, because TF.js and Keras give
 * every model a first node of its own (its inputs to its outputs) that Strata's models do not have.
 *
 * @example
 * const config = functionalConfig(parts, (l) => l instanceof LayersModel);
 */
export function functionalConfig(model: FunctionalParts, isModel: (layer: Layer) => boolean): Record<string, unknown> {
  const inModel = new Set(model.nodes);
  const order = kerasLayerOrder(model);
  const savedIndex = new Map<Node, number>();
  for (const layer of order) {
    let kept = isModel(layer) ? 1 : 0;
    for (const node of layer.inboundNodes) if (inModel.has(node)) savedIndex.set(node, kept++);
  }
  const ref = (t: SymbolicTensor): TensorRef => {
    const node = t.sourceLayer.inboundNodes[t.nodeIndex];
    return [t.sourceLayer.name, (node && savedIndex.get(node)) ?? 0, t.tensorIndex];
  };
  const layers = order.map((layer) => {
    const inboundNodes = layer.inboundNodes
      .filter((node) => inModel.has(node) && node.inputs.length > 0)
      .map((node) => {
        const kwargs = callArguments(layer, node.kwargs);
        return node.inputs.map((t) => [...ref(t), kwargs]);
      });
    return { name: layer.name, className: kerasClassName(layer), config: layer.getConfig(), inboundNodes };
  });
  const config: Record<string, unknown> = {
    name: model.name,
    layers,
    inputLayers: model.inputs.map(ref),
    outputLayers: model.outputs.map(ref),
  };
  // TF.js writes no `trainable` for models; Keras 3 does. Written only when it matters (a frozen
  // nested model), which TF.js ignores and Keras reads.
  if (!model.trainable) config.trainable = false;
  return config;
}

/**
 * The model's layers in the order TF.js's Container (and Keras) lists them: by decreasing depth
 * from the outputs (a layer's depth is the largest of its calls'), layers of one depth in the
 * order a depth-first walk from the outputs meets them. Inputs no output uses come first.
 */
function kerasLayerOrder(model: FunctionalParts): Layer[] {
  const nodeOf = (t: SymbolicTensor): Node => t.sourceLayer.inboundNodes[t.nodeIndex]!;
  const walkIndex = new Map<Layer, number>();
  const finished = new Set<Node>();
  const postOrder: Node[] = [];
  const visit = (node: Node): void => {
    if (finished.has(node)) return;
    if (!walkIndex.has(node.layer)) walkIndex.set(node.layer, walkIndex.size);
    for (const x of node.inputs) visit(nodeOf(x));
    finished.add(node);
    postOrder.push(node);
  };
  for (const y of model.outputs) visit(nodeOf(y));
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of postOrder.reverse()) {
    // A shared layer called at several depths takes the deepest.
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const x of node.inputs) nodeDepth.set(nodeOf(x), Math.max(depth + 1, nodeDepth.get(nodeOf(x)) ?? 0));
  }
  const reached = [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || walkIndex.get(a)! - walkIndex.get(b)!);
  return [...model.layers.filter((l) => !layerDepth.has(l)), ...reached];
}

/** The call arguments of a node as JSON; tensors and functions cannot be saved. */
function callArguments(layer: Layer, kwargs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  for (const [key, value] of Object.entries(kwargs)) {
    if (!isJson(value, 0)) {
      throw new StrataError(
        `${layer.toString()} was called with argument '${key}' that cannot be saved (it is not plain JSON: a tensor, a function or a class instance). ` +
          'Pass tensors as inputs of the call (or from input()), or rebuild the call after loading.',
      );
    }
  }
  return { ...kwargs };
}

function isJson(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as object).every((v) => v === undefined || isJson(v, depth + 1));
  }
  return false;
}
