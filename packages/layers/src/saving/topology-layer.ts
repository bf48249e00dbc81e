import { InputLayer } from '../engine/input-layer.js';
import type { Layer } from '../engine/layer.js';
import { layerRegistry } from '../layers/layer-registry.js';
import { fromPythonic, toSnakeCase } from './keras-keys.js';
import { parseJson } from './manifest.js';
import { checkUnderstood, normalizeLayerConfig, requireLayerClass, strataDType } from './topology-compat.js';
import { FIX_DAMAGED, atPlace, failAt, shortJson, type LoadContext } from './topology-context.js';
import { commonConfigSchema } from './topology-schema.js';

type Config = Record<string, unknown>;

/**
 * A layer config from a file, checked for the keys every layer shares (zod) and turned into
 * camelCase; `name` is filled from the layer entry's name when the config has none.
 *
 * @example
 * const config = readLayerConfig(ctx, entry.config, 'modelTopology.config.layers[1].config', 'dense');
 */
export function readLayerConfig(ctx: LoadContext, config: Config, where: string, entryName?: string): Config {
  parseJson(commonConfigSchema, config, ctx.file, where);
  const camel = atPlace(ctx, where, FIX_DAMAGED, () => fromPythonic(config)) as Config;
  if ((camel.name === undefined || camel.name === null) && entryName !== undefined) camel.name = entryName;
  return camel;
}

/**
 * Builds one (non-model) layer from its saved `{ class_name, config }`: the class must be
 * registered, the config is adapted from TF.js/Keras spellings, the layer's own checks run, and
 * every key of the file must be one the layer understood (or known to be harmless). The layer is
 * recorded in the context so a failed load frees it.
 *
 * @example
 * const dense = buildLayer(ctx, 'Dense', { units: 3, activation: 'relu' }, 'modelTopology.config.layers[0]');
 */
export function buildLayer(ctx: LoadContext, className: string, config: Config, where: string, entryName?: string): Layer {
  requireLayerClass(ctx, className, `${where}.class_name`);
  const camel = readLayerConfig(ctx, config, `${where}.config`, entryName);
  const adapted = normalizeLayerConfig(ctx, className, camel, `${where}.config`);
  const label = `${where} (${typeof adapted.name === 'string' ? `'${adapted.name}', ` : ''}${className})`;
  const layer = atPlace(ctx, label, FIX_DAMAGED, () => layerRegistry.get({ className, config: adapted }));
  ctx.created.push(layer);
  checkUnderstood(ctx, className, adapted, layer, `${where}.config`);
  return layer;
}

const INPUT_KEYS = new Set(['batchInputShape', 'batchShape', 'inputShape', 'batchSize', 'dtype', 'name', 'sparse', 'ragged', 'optional']);

/**
 * Builds an InputLayer from its saved config: the shape from `batch_input_shape` (TF.js, Keras
 * 2), `batch_shape` (Keras 3) or `input_shape` with `batch_size`; sparse and ragged inputs are
 * refused.
 *
 * @example
 * const input = buildInputLayer(ctx, { batch_input_shape: [null, 4], dtype: 'float32', name: 'x' }, where);
 */
export function buildInputLayer(ctx: LoadContext, config: Config, where: string, entryName?: string): InputLayer {
  const camel = readLayerConfig(ctx, config, `${where}.config`, entryName);
  for (const [key, value] of Object.entries(camel)) {
    const at = `${where}.config.${toSnakeCase(key)}`;
    if (!INPUT_KEYS.has(key)) throw failAt(ctx, at, `InputLayer: unknown key '${toSnakeCase(key)}' (value ${shortJson(value)})`);
    if ((key === 'sparse' || key === 'ragged' || key === 'optional') && value !== false && value !== null) {
      throw failAt(ctx, at, `InputLayer: ${key} inputs are not supported (received ${shortJson(value)})`, 'Use a dense input.');
    }
  }
  const batchShape = (camel.batchInputShape ?? camel.batchShape ?? (camel.inputShape ? [camel.batchSize ?? null, ...(camel.inputShape as unknown[])] : null)) as (number | null)[] | null;
  if (!batchShape) {
    throw failAt(ctx, `${where}.config`, 'InputLayer has no shape: expected batch_input_shape (TF.js, Keras 2) or batch_shape (Keras 3)');
  }
  const dtype = camel.dtype === undefined || camel.dtype === null ? 'float32' : strataDType(ctx, camel.dtype, `${where}.config.dtype`);
  const name = typeof camel.name === 'string' ? camel.name : undefined;
  const layer = atPlace(ctx, `${where}.config`, FIX_DAMAGED, () => new InputLayer({ batchShape, dtype, name }));
  ctx.created.push(layer);
  return layer;
}
