import { SavedModelError } from './errors.js';
import { fileSize, readBinaryFile, shardPath, type FileIo } from './files.js';
import { decodeWeight, type PlannedWeight, type WeightsPlan } from './weights-codec.js';

/** The shard files of each group of a plan, with their sizes on disk. */
export interface CheckedShards {
  groups: { files: string[]; sizes: number[] }[];
}

const fix = 'The weights file is truncated or belongs to another save: re-save the model, or restore model.json and its weights files together.';

/**
 * Finds every shard file of a checked manifest beside it and checks, before anything is read,
 * that each group's files hold exactly the bytes its weights need (a truncated or extended file,
 * or one from another save, is refused here).
 *
 * @example
 * const shards = await checkShards(plan, '/tmp/m/model.json', io);
 */
export async function checkShards(plan: WeightsPlan, manifestFile: string, io: FileIo): Promise<CheckedShards> {
  const dir = io.path.dirname(manifestFile);
  const groups: CheckedShards['groups'] = [];
  for (const [g, group] of plan.groups.entries()) {
    const files = group.paths.map((p, i) => shardPath(dir, p, io, manifestFile, `${group.where}.paths[${i}]`));
    const sizes: number[] = [];
    for (const f of files) sizes.push(await fileSize(f, io, `Model files must stay together: ${manifestFile} names '${io.path.basename(f)}' beside it. Copy the whole directory, or re-save the model.`));
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== group.byteLength) {
      const weights = plan.weights.filter((w) => w.group === g).length;
      const what = files.length === 1 ? `has ${total} bytes` : `(${files.map((f, i) => `${io.path.basename(f)}: ${sizes[i]}`).join(', ')}) hold ${total} bytes in all`;
      const problem = `${what}, but the ${weights} weight(s) its manifest lists need ${group.byteLength} bytes (${total < group.byteLength ? 'the file is truncated' : 'the file has extra bytes'})`;
      throw new SavedModelError(files.length === 1 ? files[0]! : manifestFile, problem, { where: files.length === 1 ? undefined : `${group.where}.paths`, fix });
    }
    groups.push({ files, sizes });
  }
  return { groups };
}

/**
 * Reads the shards of the groups `wanted` weights are in and decodes those weights (host arrays,
 * no tensors yet). Shard sizes were checked by `checkShards`.
 *
 * @example
 * const values = await readWeights(plan, shards, plan.weights, io);
 */
export async function readWeights(plan: WeightsPlan, shards: CheckedShards, wanted: readonly PlannedWeight[], io: FileIo): Promise<Map<PlannedWeight, Float32Array | Int32Array>> {
  const out = new Map<PlannedWeight, Float32Array | Int32Array>();
  const groups = [...new Set(wanted.map((w) => w.group))];
  for (const g of groups) {
    const { files, sizes } = shards.groups[g]!;
    const bytes: Uint8Array[] = [];
    for (const [i, f] of files.entries()) bytes.push(await readBinaryFile(f, sizes[i]!, io, fix));
    for (const w of wanted) if (w.group === g) out.set(w, decodeWeight(w, bytes));
  }
  return out;
}
