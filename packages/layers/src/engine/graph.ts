import { StrataError } from '@strata/core';
import type { Layer } from './layer.js';
import type { Node } from './node.js';
import type { SymbolicTensor } from './symbolic.js';
import { InputLayer } from './input-layer.js';

/** The part of a model graph between its inputs and outputs, in an order that can run. */
export interface Graph {
  /** Every node from the inputs to the outputs, each after the nodes it depends on. */
  readonly nodes: readonly Node[];
  /** The distinct layers of those nodes, in first-use order (the input layers first). */
  readonly layers: readonly Layer[];
}

function nodeOf(t: SymbolicTensor): Node {
  return t.sourceLayer.inboundNodes[t.nodeIndex]!;
}

/**
 * Finds the nodes between `inputs` and `outputs` (depth-first from the outputs), checking that
 * every input is a model input (from `input()`) and that the outputs can be computed from them.
 *
 * @example
 * const { nodes, layers } = buildGraph([x], [y]);
 */
export function buildGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], modelName: string): Graph {
  for (const x of inputs) {
    if (!(x.sourceLayer instanceof InputLayer)) {
      throw new StrataError(`model '${modelName}': every input must come from input(); '${x.name}' is the output of layer ${x.sourceLayer.toString()}.`);
    }
  }
  const inputIds = new Set(inputs.map((x) => x.id));
  if (inputIds.size !== inputs.length) throw new StrataError(`model '${modelName}': the same input is listed twice in inputs.`);
  const ordered: Node[] = [];
  const done = new Set<Node>();
  const visiting = new Set<Node>();
  const visit = (node: Node, via: SymbolicTensor): void => {
    if (done.has(node)) return;
    if (visiting.has(node)) throw new StrataError(`model '${modelName}': the graph has a cycle through layer ${node.layer.toString()}.`);
    if (node.layer instanceof InputLayer && !inputIds.has(via.id)) {
      throw new StrataError(
        `model '${modelName}': graph disconnected: output needs input '${via.name}' (shape [${via.shape.map((d) => d ?? 'null').join(', ')}]), ` +
          `which is not among the model's inputs [${inputs.map((x) => `'${x.name}'`).join(', ')}]. Add it to inputs.`,
      );
    }
    visiting.add(node);
    for (const t of node.inputs) visit(nodeOf(t), t);
    visiting.delete(node);
    done.add(node);
    ordered.push(node);
  };
  for (const y of outputs) visit(nodeOf(y), y);
  // Inputs the outputs do not use still belong to the model (Keras keeps them); list them first.
  const unused = inputs.map(nodeOf).filter((n) => !done.has(n));
  const nodes = [...unused, ...ordered];
  const layers: Layer[] = [];
  for (const n of [...inputs.map(nodeOf), ...nodes]) if (!layers.includes(n.layer)) layers.push(n.layer);
  return { nodes, layers };
}
