import { z } from 'zod';
import { SavedModelError } from './errors.js';

/**
 * zod schemas of what `model.save` / `model.saveWeights` write and `loadModel` / `loadWeights`
 * read: TF.js's `model.json` (format `layers-model`) and its weights manifest. The topology
 * itself (`modelTopology`) is checked by the topology module; here it only has to be an object.
 * The schemas check structure and types; sizes and dtypes are checked by `planWeights`
 * (weights-codec.ts) with messages of their own, before anything is allocated.
 */

/** `generatedBy` of the files Strata writes (TF.js writes `TensorFlow.js tfjs-layers v4.22.0`). */
export const GENERATED_BY = 'Strata @strata/layers v0.1.0';

/** The most dims a saved weight may have (Strata and TF.js tensors have far fewer). */
export const MAX_WEIGHT_RANK = 16;

const dim = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** One entry of a weights group: TF.js's `WeightsManifestEntry`. */
export const weightSpecSchema = z.looseObject({
  name: z.string().min(1),
  shape: z.array(dim).max(MAX_WEIGHT_RANK),
  // Checked by planWeights, which names the supported dtypes and explains quantized files.
  dtype: z.string(),
  group: z.string().optional(),
  quantization: z.unknown().optional(),
});

/** One group of a manifest: shard files, concatenated, hold the group's weights in order. */
export const weightsGroupSchema = z.looseObject({
  paths: z.array(z.string().min(1)).max(100_000),
  weights: z.array(weightSpecSchema).max(1_000_000),
});

/** TF.js's `weightsManifest`: a list of groups. */
export const weightsManifestSchema = z.array(weightsGroupSchema).max(100_000);

const identifier = z.union([z.string(), z.looseObject({ class_name: z.string(), config: z.record(z.string(), z.unknown()).optional() })]);

/** TF.js's `trainingConfig` (Keras's `training_config`, snake_case keys). */
export const trainingConfigSchema = z.looseObject({
  loss: z.union([identifier, z.array(identifier.nullable()), z.record(z.string(), identifier.nullable())]),
  metrics: z.union([z.array(identifier), z.record(z.string(), z.union([identifier, z.array(identifier)]))]).nullish(),
  optimizer_config: z.looseObject({ class_name: z.string(), config: z.record(z.string(), z.unknown()).optional() }),
  loss_weights: z.union([z.array(z.number()), z.record(z.string(), z.number())]).nullish(),
  weighted_metrics: z.unknown().optional(),
  sample_weight_mode: z.unknown().optional(),
});

/** TF.js's `model.json` of a layers model. */
export const modelJsonSchema = z.looseObject({
  modelTopology: z.record(z.string(), z.unknown()),
  format: z.string().optional(),
  generatedBy: z.string().nullish(),
  convertedBy: z.string().nullish(),
  weightsManifest: weightsManifestSchema.optional(),
  trainingConfig: z.unknown().optional(),
});

/** What `saveWeights` writes (`weights.json`); `loadWeights` also takes a model.json or a bare manifest list. */
export const weightsJsonSchema = z.union([z.looseObject({ weightsManifest: weightsManifestSchema }), weightsManifestSchema]);

export type WeightSpecJson = z.infer<typeof weightSpecSchema>;
export type WeightsGroupJson = z.infer<typeof weightsGroupSchema>;
export type WeightsManifestJson = z.infer<typeof weightsManifestSchema>;
export type TrainingConfigJson = z.infer<typeof trainingConfigSchema>;
export type ModelJson = z.infer<typeof modelJsonSchema>;

/**
 * Parses `value` with `schema`, or throws a SavedModelError naming the file, the key path of the
 * first problem, what was expected and what the file holds there.
 *
 * @example
 * const json = parseJson(modelJsonSchema, JSON.parse(text), '/tmp/m/model.json');
 */
export function parseJson<S extends z.ZodType>(schema: S, value: unknown, file: string, root = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = deepestIssue(result.error.issues);
  const where = keyPath(root, issue.path);
  const received = valueAt(value, issue.path);
  const problem = received === undefined ? `is missing (${expectation(issue)})` : `${expectation(issue)}; received ${describeJson(received)}`;
  throw new SavedModelError(file, problem, { where: where || '(top level)', fix: 'The file is damaged or was not written by model.save / saveWeights (or TF.js); re-save the model, or restore the file.' });
}

/** In a union, the branch that got furthest explains the problem best. */
function deepestIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  let best = issues[0]!;
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      for (const branch of issue.errors) {
        if (branch.length === 0) continue;
        const inner = deepestIssue(branch.map((b) => ({ ...b, path: [...issue.path, ...b.path] })));
        if (inner.path.length > best.path.length) best = inner;
      }
    }
  }
  return best;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected === 'record' ? 'an object' : issue.expected}`;
    case 'too_small':
      return issue.origin === 'number' ? `expected a number >= ${String(issue.minimum)}` : `expected at least ${String(issue.minimum)} ${issue.origin === 'string' ? 'character(s)' : 'item(s)'}`;
    case 'too_big':
      return issue.origin === 'number' ? `expected a number <= ${String(issue.maximum)}` : `expected at most ${String(issue.maximum)} item(s)`;
    case 'invalid_union':
      return 'expected one of the accepted forms (a name, a { class_name, config } object, a list or an object of those)';
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** `weightsManifest[0].weights[2].shape` from a zod path. */
export function keyPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * A short description of a JSON value for messages: the value itself when short, else its kind.
 *
 * @example
 * describeJson([-1, 3]); // '[-1,3]'
 */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length <= 80) return text;
  if (Array.isArray(value)) return `a list of ${value.length} item(s)`;
  if (value !== null && typeof value === 'object') return `an object with keys [${Object.keys(value).slice(0, 8).join(', ')}${Object.keys(value).length > 8 ? ', ...' : ''}]`;
  return `${text.slice(0, 77)}...`;
}
