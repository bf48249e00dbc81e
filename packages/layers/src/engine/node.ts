import type { Layer } from './layer.js';
import type { SymbolicTensor } from './symbolic.js';

/**
 * One call of a layer on symbolic tensors: the edge of the model graph from its inputs to its
 * outputs. A shared layer has one node per call.
 *
 * @example
 * const node = layer.inboundNodes[0]; // node.inputs -> layer -> node.outputs
 */
export class Node {
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    readonly outputs: readonly SymbolicTensor[],
    /** Extra call arguments given at definition time (passed again when the model runs). */
    readonly kwargs: Readonly<Record<string, unknown>>,
    readonly index: number,
  ) {}

  /** The nodes that produced this node's inputs. */
  get parents(): Node[] {
    return this.inputs.map((t) => t.sourceLayer.inboundNodes[t.nodeIndex]!);
  }
}
