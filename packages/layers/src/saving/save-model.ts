import { StrataError, type Tensor } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import { nodeIo, writeFilesAtomic, type FileIo } from './files.js';
import { GENERATED_BY } from './manifest.js';
import { namedModelWeights } from './model-weights.js';
import { optimizerWeightsToSave } from './optimizer-state.js';
import { modelToTopology } from './topology.js';
import { trainingConfigOf } from './training-config.js';
import { encodeWeights, type NamedTensor } from './weights-codec.js';
import { MODEL_JSON, WEIGHTS_BIN, checkBuilt, checkPath } from './weights-file.js';

/** Options of `model.save`. */
export interface SaveOptions {
  /**
   * Also save the training config (loss, metrics, optimizer) and the optimizer's state, so that
   * `loadModel` returns a compiled model whose `fit` continues exactly where this one stopped.
   * Default true (only a compiled model has them).
   */
  includeOptimizer?: boolean;
}

function checkOptions(options: unknown): SaveOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new StrataError(`model.save: options must be an object such as { includeOptimizer: false }; received ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}.`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'includeOptimizer') throw new StrataError(`model.save: unknown option '${key}'; the options are: includeOptimizer.`);
    if (value !== undefined && typeof value !== 'boolean') throw new StrataError(`model.save: option 'includeOptimizer' must be true or false; received ${JSON.stringify(value)}.`);
  }
  return options as SaveOptions;
}

/**
 * Saves a model in TF.js's layers-model format into directory `dir`: `model.json` (the Keras
 * topology, a weights manifest, and for a compiled model the training config) and `weights.bin`
 * (the weights, then the optimizer state with `group: 'optimizer'`). Atomic: both files are
 * written under temporary names and renamed into place, model.json last; a save that fails
 * part-way leaves the previous files intact. `model.save(dir)` calls this.
 *
 * @example
 * await saveModel(model, './my-model');
 * const again = await loadModel('./my-model');
 */
export async function saveModel(model: LayersModel, dir: string, options?: SaveOptions, io?: FileIo): Promise<void> {
  const owner = 'model.save';
  checkPath(owner, dir);
  const { includeOptimizer = true } = checkOptions(options);
  checkBuilt(model, owner);
  const files = io ?? (await nodeIo(owner));
  const modelTopology = modelToTopology(model);
  const weights = namedModelWeights(model);
  const named: NamedTensor[] = weights.map((w) => ({ name: w.name, tensor: w.variable }));
  const created: Tensor[] = [];
  let trainingConfig: unknown;
  if (includeOptimizer && model.compiled) {
    const config = trainingConfigOf(model);
    trainingConfig = config;
    const state = optimizerWeightsToSave(model.compiled.optimizer, config.optimizer_config.class_name, weights);
    named.push(...state.named);
    created.push(...state.created);
  }
  let encoded: Awaited<ReturnType<typeof encodeWeights>>;
  try {
    encoded = await encodeWeights(named);
  } finally {
    for (const t of created) t.dispose();
  }
  // TF.js's key order (io_utils getModelJSONForModelArtifacts).
  const json: Record<string, unknown> = {
    modelTopology,
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: encoded.specs }],
  };
  if (trainingConfig !== undefined) json.trainingConfig = trainingConfig;
  await writeFilesAtomic(owner, dir, [{ name: WEIGHTS_BIN, data: encoded.data }, { name: MODEL_JSON, data: JSON.stringify(json) }], files);
}
