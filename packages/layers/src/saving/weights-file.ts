import { StrataError } from '@strata/core';
import type { LayersModel } from '../engine/model.js';
import { SavedModelError } from './errors.js';
import { nodeIo, readJsonFile, writeFilesAtomic, type FileIo } from './files.js';
import { GENERATED_BY, parseJson, weightsJsonSchema } from './manifest.js';
import { assignWeights, matchWeights, namedModelWeights } from './model-weights.js';
import { checkShards, readWeights } from './read-weights.js';
import { encodeWeights, planWeights } from './weights-codec.js';

/** File names of a save: the model, the weights-only manifest, and the one weights shard. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_JSON = 'weights.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Throws unless the model knows its input shape (and so has its weights): a Sequential model
 * without an input shape is built by its first data.
 *
 * @example
 * checkBuilt(model, 'model.save');
 */
export function checkBuilt(model: LayersModel, owner: string): void {
  if (model.inputs.length === 0) {
    throw new StrataError(`${owner}: model '${model.name}' is not built yet, so it has no weights to save or load. Give its first layer an inputShape, or call it on data (fit, predict) first.`);
  }
}

/**
 * The JSON file a path stands for: the path itself when it is a file, else the first of `names`
 * that exists in that directory. A SavedModelError names what was looked for.
 *
 * @example
 * await resolveJsonPath('/tmp/m', ['model.json'], io); // '/tmp/m/model.json'
 */
export async function resolveJsonPath(path: string, names: readonly string[], io: FileIo, fix: string): Promise<string> {
  const stat = await io.fs.stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new SavedModelError(path, e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.code ?? e.message})`, { fix, cause: e });
  });
  if (!stat.isDirectory()) return path;
  for (const name of names) {
    const file = io.path.join(path, name);
    const ok = await io.fs.stat(file).then((s) => s.isFile(), () => false);
    if (ok) return file;
  }
  throw new SavedModelError(io.path.join(path, names[0]!), `does not exist (the directory holds no ${names.join(' or ')})`, { fix });
}

/**
 * Saves the model's weights (no topology, no optimizer) as `weights.json` (a TF.js weights
 * manifest) and `weights.bin` in directory `dir`, atomically: a failed save leaves the previous
 * files as they were.
 *
 * @example
 * await saveModelWeights(model, '/tmp/ckpt');
 */
export async function saveModelWeights(model: LayersModel, dir: string, io?: FileIo): Promise<void> {
  const owner = 'model.saveWeights';
  checkPath(owner, dir);
  checkBuilt(model, owner);
  const files = io ?? (await nodeIo(owner));
  const weights = namedModelWeights(model);
  const { specs, data } = await encodeWeights(weights.map((w) => ({ name: w.name, tensor: w.variable })));
  const json = { format: 'layers-weights', generatedBy: GENERATED_BY, convertedBy: null, weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }] };
  await writeFilesAtomic(owner, dir, [{ name: WEIGHTS_BIN, data }, { name: WEIGHTS_JSON, data: JSON.stringify(json) }], files);
}

/**
 * Loads weights into a built model, matched by name: from a directory written by `saveWeights`
 * (its weights.json) or by `save` (its model.json), or from the path of such a JSON file (also a
 * bare TF.js manifest list). Every model weight must be in the file and every file weight in the
 * model, with the same shapes; everything is checked before any weight changes, so a failure
 * leaves the model as it was. Optimizer state in the file is ignored.
 *
 * @example
 * await loadModelWeights(model, '/tmp/ckpt');
 */
export async function loadModelWeights(model: LayersModel, path: string, io?: FileIo): Promise<void> {
  const owner = 'model.loadWeights';
  checkPath(owner, path);
  checkBuilt(model, owner);
  const files = io ?? (await nodeIo(owner));
  const file = await resolveJsonPath(path, [WEIGHTS_JSON, MODEL_JSON], files, 'Pass the directory given to model.saveWeights or model.save, or the path of its weights.json / model.json.');
  const parsed = parseJson(weightsJsonSchema, await readJsonFile(file, files), file);
  const bare = Array.isArray(parsed);
  const plan = planWeights(bare ? parsed : parsed.weightsManifest, file, bare ? '' : 'weightsManifest');
  const shards = await checkShards(plan, file, files);
  const { matches } = matchWeights(namedModelWeights(model), plan, file, model.name);
  const values = await readWeights(plan, shards, matches.map((m) => m.entry), files);
  assignWeights(matches, values);
}

/**
 * Throws unless `path` is a non-empty string.
 *
 * @example
 * checkPath('model.save', dir);
 */
export function checkPath(owner: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') {
    throw new StrataError(`${owner}: expected a directory path (string); received ${path === '' ? 'an empty string' : typeof path}. Pass e.g. './my-model'.`);
  }
}
