import type { Layer } from '../engine/layer.js';
import { SavedModelError } from './errors.js';

/** State of one `modelFromTopology` call. */
export interface LoadContext {
  /** The file the topology came from, for messages. */
  readonly file: string;
  /** The file was written by TF.js (its `generatedBy`), whose layers differ from Keras's in places. */
  readonly fromTfjs: boolean;
  /** Every layer made so far, so a load that fails frees them all (no half-built model survives). */
  readonly created: Layer[];
}

/** The fix named when a file's own content is wrong. */
export const FIX_DAMAGED = 'The file is damaged or was not written by model.save (or TF.js); re-save the model, or restore the file.';

/**
 * Runs `fn`, turning anything it throws (a layer's option error, a shape error, a bug in a custom
 * layer) into a SavedModelError that names the file and the place; SavedModelErrors pass through.
 *
 * @example
 * const layer = atPlace(ctx, 'modelTopology.config.layers[2]', FIX_DAMAGED, () => layerRegistry.get(entry));
 */
export function atPlace<T>(ctx: LoadContext, where: string, fix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SavedModelError) throw e;
    throw new SavedModelError(ctx.file, e instanceof Error ? e.message : String(e), { where, fix, cause: e });
  }
}

/**
 * A SavedModelError at `where` in the context's file.
 *
 * @example
 * throw failAt(ctx, `${path}.inbound_nodes[0]`, "names layer 'dense_9', which is not in the model", FIX_DAMAGED);
 */
export function failAt(ctx: LoadContext, where: string, problem: string, fix: string = FIX_DAMAGED): SavedModelError {
  return new SavedModelError(ctx.file, problem, { where, fix });
}

/**
 * A short JSON rendering of a value for messages.
 *
 * @example
 * shortJson({ a: 1 }); // '{"a":1}'
 */
export function shortJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
