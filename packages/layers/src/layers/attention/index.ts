import { registerLayer } from '../layer-registry.js';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention.js';

export { MultiHeadAttention, type MultiHeadAttentionArgs };

registerLayer(MultiHeadAttention);

/**
 * Multi-head scaled dot-product attention, called on `[query, value]` or `[query, value, key]`.
 *
 * @example
 * layers.multiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([x, x], { useCausalMask: true });
 */
export function multiHeadAttention(args: MultiHeadAttentionArgs): MultiHeadAttention {
  return new MultiHeadAttention(args);
}
