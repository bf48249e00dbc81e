import { createRequire } from 'node:module';
import { tfjsReady } from './tfjs-setup.js';

// tfjs-core's Node bundle registers no gradients (the union package `@tensorflow/tfjs` imports
// `dist/register_all_gradients` for that), so TF.js could predict but not train. Those files exist
// only as ES modules with extensionless, directory-ambiguous imports (`./gradients` is both a file
// and a folder) that Node's ESM resolver refuses; `require` resolves them, and tsx compiles them.
// The copy of tfjs-core they pull in registers into the same global gradient registry and runs on
// the same global engine as the Node bundle, so the gradients apply to the tensors the tests use.
let registered = false;

/**
 * TF.js ready to train (`fit`, `trainOnBatch`): {@link tfjsReady} plus every kernel's gradient.
 * About 1 s the first time in a process (4 s when tsx compiles the files for the first time).
 *
 * @example
 * before(async () => { await tfjsTrainingReady(); });
 */
export async function tfjsTrainingReady(): Promise<void> {
  await tfjsReady();
  if (registered) return;
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  registered = true;
}
