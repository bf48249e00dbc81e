import { StrataError, Variable } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
// Every built-in layer must be registered before a topology names it.
import '../layers/index.js';
import type { CompileArgs } from '../training/compile.js';
import { SavedModelError } from './errors.js';
import { nodeIo, readJsonFile, type FileIo } from './files.js';
import { modelJsonSchema, parseJson } from './manifest.js';
import { assignWeights, matchWeights, namedModelWeights, type NamedWeight } from './model-weights.js';
import { restoreOptimizerState, type SavedValue } from './optimizer-state.js';
import { checkShards, readWeights } from './read-weights.js';
import { modelFromTopology } from './topology.js';
import { compileArgsFromTrainingConfig } from './training-config.js';
import { planWeights } from './weights-codec.js';
import { MODEL_JSON, checkPath, resolveJsonPath } from './weights-file.js';

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /**
   * Compile the model from the file's training config (loss, metrics, optimizer) and restore the
   * optimizer's state, when the file has them. Default true; false returns an uncompiled model.
   */
  compile?: boolean;
}

function checkOptions(options: unknown): LoadModelOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new StrataError(`loadModel: options must be an object such as { compile: false }; received ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}.`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'compile') throw new StrataError(`loadModel: unknown option '${key}'; the options are: compile.`);
    if (value !== undefined && typeof value !== 'boolean') throw new StrataError(`loadModel: option 'compile' must be true or false; received ${JSON.stringify(value)}.`);
  }
  return options as LoadModelOptions;
}

const pathFix = 'Pass the directory given to model.save (or TF.js\'s model.save), or the path of its model.json.';

/** Room beyond the weights files' elements for what layers keep that files do not hold (stateful RNN states). */
const STATE_ELEMENTS = 2 ** 24;

/**
 * Builds the model of a topology. Every weight of the model must be in the weights files, whose
 * sizes are checked by now, so the layers may create hardly more elements than the files hold,
 * whatever sizes the topology claims. If building fails part-way, any weight it left is freed.
 */
function buildModel(topology: unknown, file: string, elements: number, generatedBy: string | null | undefined): LayersModel {
  const before = new Set(Variable.live);
  try {
    return modelFromTopology(topology, file, { maxWeightElements: elements + STATE_ELEMENTS, generatedBy });
  } catch (e) {
    for (const v of [...Variable.live]) if (!before.has(v)) v.dispose();
    if (e instanceof SavedModelError || !(e instanceof StrataError)) throw e;
    throw new SavedModelError(file, e.message, { where: 'modelTopology', fix: 'The topology does not describe a model Strata can build; re-save the model.', cause: e });
  }
}

/**
 * Loads a model saved by `model.save` (Strata) or by TF.js's `model.save` (including Keras models
 * TF.js's converter wrote): from a directory holding `model.json`, or the path of a model.json.
 * Everything the files claim is checked before it is used: the JSON against a schema, the weight
 * sizes against the files on disk before any read, every weight by name and shape; a bad file
 * gives a SavedModelError naming the file and the problem, and a failed load leaves nothing
 * allocated. With the file's training config the model comes back compiled, and with its optimizer
 * state `fit` continues exactly where the saved model stopped.
 *
 * @example
 * await model.save('./my-model');
 * const restored = await loadModel('./my-model');
 * await restored.fit(x, y, { epochs: 2 });
 */
export async function loadModel(path: string, options?: LoadModelOptions, io?: FileIo): Promise<LayersModel> {
  const owner = 'loadModel';
  checkPath(owner, path);
  const { compile = true } = checkOptions(options);
  const files = io ?? (await nodeIo(owner));
  const file = await resolveJsonPath(path, [MODEL_JSON], files, pathFix);
  const json = parseJson(modelJsonSchema, await readJsonFile(file, files, pathFix), file);
  if (json.format !== undefined && json.format !== 'layers-model') {
    const graph = json.format === 'graph-model';
    throw new SavedModelError(file, `has format ${JSON.stringify(json.format)}; Strata loads TF.js layers models (format "layers-model")`, {
      where: 'format',
      fix: graph ? 'A graph model has no Keras layers to rebuild: convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model.' : 'Check that this is a model.json written by model.save.',
    });
  }
  const plan = planWeights(json.weightsManifest ?? [], file, 'weightsManifest');
  const shards = await checkShards(plan, file, files);
  const trainingConfig = json.trainingConfig;
  const compileArgs: CompileArgs | null = compile && trainingConfig !== undefined && trainingConfig !== null ? compileArgsFromTrainingConfig(trainingConfig, file) : null;
  const elements = plan.weights.reduce((n, w) => (w.spec.group === 'optimizer' ? n : n + w.byteLength / 4), 0);
  const model = buildModel(json.modelTopology, file, elements, json.generatedBy);
  try {
    if (model.inputs.length === 0) {
      throw new SavedModelError(file, `the topology gives model '${model.name}' no input shape, so it cannot be built and its weights have nowhere to go`, {
        where: 'modelTopology',
        fix: "Save the model with an input shape (its first layer's batch_input_shape, or an InputLayer).",
      });
    }
    let weights: NamedWeight[];
    try {
      weights = namedModelWeights(model);
    } catch (e) {
      if (e instanceof StrataError) throw new SavedModelError(file, e.message, { where: 'modelTopology', fix: 'Rename the layers so that weight names are unique, and re-save.', cause: e });
      throw e;
    }
    const { matches, optimizer } = matchWeights(weights, plan, file, model.name);
    const withState = compileArgs !== null && optimizer.length > 0;
    const values = await readWeights(plan, shards, withState ? [...matches.map((m) => m.entry), ...optimizer] : matches.map((m) => m.entry), files);
    assignWeights(matches, values);
    if (compileArgs) {
      try {
        model.compile(compileArgs);
      } catch (e) {
        if (e instanceof StrataError) throw new SavedModelError(file, e.message, { where: 'trainingConfig', fix: 'Load with loadModel(path, { compile: false }) and compile the model yourself.', cause: e });
        throw e;
      }
      if (withState) {
        const saved = new Map<string, SavedValue>(optimizer.map((o) => [o.spec.name, { spec: o.spec, values: values.get(o)!, where: o.where }]));
        const className = (trainingConfig as { optimizer_config: { class_name: string } }).optimizer_config.class_name;
        await restoreOptimizerState(model, saved, file, weights, className);
      }
    }
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}
