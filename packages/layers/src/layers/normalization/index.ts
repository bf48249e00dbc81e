import { registerLayer } from '../layer-registry.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { GroupNormalization, type GroupNormalizationArgs } from './group-normalization.js';
import { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';

export {
  BatchNormalization, GroupNormalization, LayerNormalization,
  type BatchNormalizationArgs, type GroupNormalizationArgs, type LayerNormalizationArgs,
};

registerLayer(BatchNormalization);
registerLayer(GroupNormalization);
registerLayer(LayerNormalization);

/**
 * A batch normalization layer.
 *
 * @example
 * layers.batchNormalization({ momentum: 0.9 });
 */
export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}

/**
 * A layer normalization layer.
 *
 * @example
 * layers.layerNormalization({ epsilon: 1e-6 });
 */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}

/**
 * A group normalization layer.
 *
 * @example
 * layers.groupNormalization({ groups: 8 });
 */
export function groupNormalization(args: GroupNormalizationArgs = {}): GroupNormalization {
  return new GroupNormalization(args);
}
