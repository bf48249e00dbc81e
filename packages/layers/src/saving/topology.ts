import { StrataError } from '@strata/core';
import { kerasClassName } from '../engine/functional-config.js';
import type { Layer } from '../engine/layer.js';
import { LayersModel } from '../engine/model.js';
import { withWeightBudget } from '../engine/weight-budget.js';
import { SavedModelError } from './errors.js';
import { toPythonic } from './keras-keys.js';
import { parseJson } from './manifest.js';
import { MODEL_CLASSES, savedLayerConfig } from './topology-compat.js';
import type { LoadContext } from './topology-context.js';
import { buildModel } from './topology-models.js';
import { modelEntrySchema } from './topology-schema.js';

/** What Strata writes as `keras_version` (TF.js writes `'tfjs-layers 4.22.0'`; readers ignore it). */
export const KERAS_VERSION = 'strata-layers 0.1.0';
/** TF.js's value of the `backend` key it writes (its word for an engine), kept so the files match TF.js's. */
export const TFJS_BACKEND_VALUE = 'tensor_flow.js';
/** The default cap on weight elements one load may create: 2^28 float32 values, 1 GiB. */
export const DEFAULT_MAX_WEIGHT_ELEMENTS = 2 ** 28;

/** Options of {@link modelFromTopology}. */
export interface TopologyLoadOptions {
  /**
   * The most weight elements the model's layers may create (default 2^28): the loader passes what
   * the weights file holds, so sizes a damaged topology claims fail before they are allocated.
   */
  maxWeightElements?: number;
  /**
   * Who wrote the file (model.json's `generatedBy`): files from TF.js (`TensorFlow.js …`) load
   * with TF.js's semantics where its layers differ from Keras's (bilinear UpSampling2D).
   */
  generatedBy?: string | null;
}

type Config = Record<string, unknown>;

function isObject(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Keras JSON topology of a model, as TF.js's `model.toJSON()` writes it (the `modelTopology`
 * of `model.json`): `{ class_name, config, keras_version, backend }` with snake_case keys.
 * Sequential models list their layers (the first with its `batch_input_shape`); Functional ones
 * (`class_name: 'Model'`) their layers with `inbound_nodes`, and `input_layers` / `output_layers`.
 *
 * @example
 * const topology = modelToTopology(model);
 * JSON.stringify(topology); // {"class_name":"Sequential","config":{"name":"sequential","layers":[...]}, ...}
 */
export function modelToTopology(model: LayersModel): Config {
  const className = kerasClassName(model);
  try {
    checkOwnership(model);
    const config = toPythonic(savedConfig(className, model.getConfig()), undefined, 'config');
    return { class_name: className, config, keras_version: KERAS_VERSION, backend: TFJS_BACKEND_VALUE };
  } catch (e) {
    if (!(e instanceof StrataError)) throw e;
    throw new StrataError(`model '${model.name}' cannot be saved: ${e.message}`);
  }
}

/**
 * Fails when a layer with weights belongs to two models of the tree (used in a model and inside a
 * model nested in it): each model's config lists its own layers, so loading would make two layers
 * of that name, each with its own weights. (TF.js writes such files; they load in TF.js as two
 * copies that training then unties.) Weightless layers, input layers among them, may be shared.
 */
function checkOwnership(model: LayersModel): void {
  const owner = new Map<Layer, LayersModel>();
  const visit = (m: LayersModel): void => {
    for (const layer of m.layers) {
      const first = owner.get(layer);
      if (first && first !== m && layer.weightEntries.length > 0) {
        throw new StrataError(
          `layer '${layer.name}' is used both in model '${first.name}' and in model '${m.name}' (nested in one another), which the Keras format cannot express: ` +
            'each model would load its own copy with its own weights. Use the layer inside one model only, or flatten the nested model into the outer one.',
        );
      }
      if (first) continue;
      owner.set(layer, m);
      if (layer instanceof LayersModel) visit(layer);
    }
  };
  visit(model);
}

/** A model's camelCase config with Keras's spellings where they differ, nested models included. */
function savedConfig(className: string, config: Config): Config {
  if (!MODEL_CLASSES.has(className)) return savedLayerConfig(className, config);
  const layers = Array.isArray(config.layers) ? config.layers : [];
  return {
    ...config,
    layers: layers.map((entry: Config) => ({ ...entry, config: savedConfig(entry.className as string, entry.config as Config) })),
  };
}

/**
 * Builds the model a Keras JSON topology describes: `modelTopology` as Strata and TF.js write it,
 * or with the `model_config` wrapper of models TF.js's converter took from Keras. Sequential
 * (`{ layers }` or a bare list) and Functional (`'Model'`, `'Functional'`) configs, nested models,
 * shared layers, Keras 2 and Keras 3 node formats. Layers are built with fresh weights, to be
 * overwritten by the caller. Anything wrong (structure, an unknown layer class, an option a layer
 * refuses, a call that cannot be made, weights past the budget) throws a SavedModelError naming
 * `where` (the file) and the key path; every layer made before is freed, so no half-built model
 * survives.
 *
 * @example
 * const json = JSON.parse(await readFile('model/model.json', 'utf8'));
 * const model = modelFromTopology(json.modelTopology, 'model/model.json');
 */
export function modelFromTopology(topology: unknown, where: string, options: TopologyLoadOptions = {}): LayersModel {
  let root = 'modelTopology';
  let value = topology;
  if (isObject(topology) && isObject(topology.model_config)) {
    root = 'modelTopology.model_config';
    value = topology.model_config;
  }
  const entry = parseJson(modelEntrySchema, value, where, root);
  const ctx: LoadContext = { file: where, created: [], fromTfjs: (options.generatedBy ?? '').startsWith('TensorFlow.js') };
  const budget = options.maxWeightElements ?? DEFAULT_MAX_WEIGHT_ELEMENTS;
  const overBudget = (weight: string, elements: number, left: number): Error => new StrataError(
    `weight '${weight}' would hold ${elements} values, more than the ${left} left of the ${budget} this model may create ` +
      '(a file may not make Strata allocate more than its weights hold); the config claims sizes its weights cannot fill',
  );
  try {
    const model = withWeightBudget(budget, overBudget, () => buildModel(ctx, entry.class_name, entry.config, `${root}.config`, 0));
    freeUnused(ctx.created, model);
    return model;
  } catch (e) {
    for (const layer of [...ctx.created].reverse()) {
      try {
        layer.dispose();
      } catch {
        // Freeing is best effort; the load's own error is the one to report.
      }
    }
    if (e instanceof SavedModelError) throw e;
    throw new SavedModelError(where, e instanceof Error ? e.message : String(e), { where: root, cause: e });
  }
}

/** Frees layers the file made that the model does not use (a branch that leads to no output). */
function freeUnused(created: readonly Layer[], model: LayersModel): void {
  const kept = new Set<Layer>();
  const visit = (m: LayersModel): void => {
    kept.add(m);
    for (const layer of [...m.layers, ...m.inputs.map((t) => t.sourceLayer)]) {
      if (kept.has(layer)) continue;
      kept.add(layer);
      if (layer instanceof LayersModel) visit(layer);
    }
  };
  visit(model);
  for (const layer of created) if (!kept.has(layer)) layer.dispose();
}
