import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tf, tfl } from './tfjs-setup.js';

/** `model.json` as TF.js writes it (tfjs-core's `io.ModelJSON`). */
export type TfjsModelJSON = tf.io.ModelJSON;

/** Options of {@link saveTfjsModel}. */
export interface SaveTfjsOptions {
  /** TF.js's `includeOptimizer`: the training config and the optimizer's weights (default false, as TF.js). */
  includeOptimizer?: boolean;
  /**
   * Name of the weights file (default `weights.bin`, as tfjs-node's `file://` handler names it;
   * TF.js's browser `downloads://` handler writes `./model.weights.bin`, a path with `./`).
   */
  weightsPath?: string;
  /** Changes `model.json` before it is written, to imitate files older TF.js versions or converters wrote. */
  editModelJson?: (json: TfjsModelJSON) => void;
}

/**
 * Saves a TF.js model into `dir` byte for byte as tfjs-node's `file://` handler (`NodeFileSystem.save`
 * in tfjs-node 4.x) would: `model.json` with the keys in its order and `weights.bin` holding
 * `artifacts.weightData`. tfjs-node is not a dependency (it needs a native TensorFlow), so the
 * handler's few lines are mirrored here on top of `model.save(tf.io.withSaveHandler(...))`, which
 * hands over exactly the artifacts TF.js produces. Returns the parsed `model.json`.
 *
 * @example
 * const json = await saveTfjsModel(tfModel, dir);
 * const strataModel = await loadModel(dir);
 */
export async function saveTfjsModel(model: tfl.LayersModel, dir: string, options: SaveTfjsOptions = {}): Promise<TfjsModelJSON> {
  const weightsPath = options.weightsPath ?? 'weights.bin';
  let written: TfjsModelJSON | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await mkdir(dir, { recursive: true });
      const modelJSON: TfjsModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata != null) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      options.editModelJson?.(modelJSON);
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJSON), 'utf8');
      const data = artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      await writeFile(join(dir, weightsPath), Buffer.from(data));
      written = modelJSON;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: options.includeOptimizer ?? false },
  );
  return written!;
}

/**
 * A TF.js load handler for a `model.json` on disk (a Strata save, or TF.js's own), reading it as
 * tfjs-node's `file://` handler does: the weight files named in the manifest, relative to the
 * JSON's folder, concatenated in manifest order.
 *
 * @example
 * const tfModel = await tfl.loadLayersModel(fileHandler(join(dir, 'model.json')));
 */
export function fileHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as TfjsModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: Buffer[] = [];
        const specs: tf.io.WeightsManifestEntry[] = [];
        for (const group of manifest) {
          for (const path of group.paths) buffers.push(await readFile(join(dirname(modelJsonPath), path)));
          specs.push(...group.weights);
        }
        const all = Buffer.concat(buffers);
        return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
      });
    },
  };
}
