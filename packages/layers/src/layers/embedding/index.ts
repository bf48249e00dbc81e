import { registerLayer } from '../layer-registry.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';

export { Embedding, type EmbeddingArgs };

registerLayer(Embedding);

/**
 * A layer that maps integer ids to learned vectors.
 *
 * @example
 * layers.embedding({ inputDim: 1000, outputDim: 32, maskZero: true });
 */
export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}
