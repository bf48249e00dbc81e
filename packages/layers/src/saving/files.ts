import { StrataError } from '@strata/core';
import { SavedModelError } from './errors.js';

export type NodeFs = typeof import('node:fs/promises');
export type NodePath = typeof import('node:path');
type FileHandle = Awaited<ReturnType<NodeFs['open']>>;

/**
 * The file system the saving code uses: Node's `fs/promises` and `path`. Tests pass a wrapped
 * `fs` to make a write fail part-way.
 */
export interface FileIo {
  fs: NodeFs;
  path: NodePath;
}

/** The largest JSON file (model.json, weights.json) the loader reads. */
export const MAX_JSON_BYTES = 256 * 2 ** 20;
/** The largest single weights file the loader reads (Node reads at most 2 GiB into one buffer). */
export const MAX_SHARD_BYTES = 2 ** 31 - 1;

let loaded: Promise<FileIo> | null = null;

/**
 * Node's `fs/promises` and `path`, loaded on first use so that the layers package still loads in
 * browsers; the error says that saving and loading files needs Node.
 *
 * @example
 * const io = await nodeIo('model.save');
 */
export async function nodeIo(owner: string): Promise<FileIo> {
  // Specifiers in variables: bundlers targeting browsers must not try to resolve Node modules.
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  loaded ??= Promise.all([import(/* @vite-ignore */ fsName) as Promise<NodeFs>, import(/* @vite-ignore */ pathName) as Promise<NodePath>]).then(([fs, path]) => ({ fs, path }));
  try {
    return await loaded;
  } catch (e) {
    loaded = null;
    throw new StrataError(`${owner}: reading and writing model files needs Node's fs module, which is not available here (${(e as Error).message}). Run in Node.`);
  }
}

/** One file of a save: its name in the target directory and its bytes. */
export interface FileToWrite {
  name: string;
  data: Uint8Array | string;
}

/**
 * Writes `files` into `dir` all-or-nothing: each goes to a temporary name in `dir` first; once all
 * are written they are renamed into place in the order given (put model.json last, so a reader
 * never sees a model.json whose weights are not there yet). If anything fails, the files already
 * renamed are put back as they were (from hard-linked backups), the temporary files are removed,
 * and the error names the file. Missing directories are created.
 *
 * @example
 * await writeFilesAtomic('model.save', '/tmp/m', [{ name: 'weights.bin', data: bytes }, { name: 'model.json', data: json }], io);
 */
export async function writeFilesAtomic(owner: string, dir: string, files: readonly FileToWrite[], io: FileIo): Promise<void> {
  const { fs, path } = io;
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw writeError(owner, dir, e, 'Give a directory path whose parent directories can be created.');
  }
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const targets = files.map((f) => path.join(dir, f.name));
  const temps = files.map((f) => path.join(dir, `.${f.name}.${tag}.tmp`));
  const backups: (string | null)[] = [];
  const placed: number[] = [];
  let current = dir;
  try {
    for (let i = 0; i < files.length; i++) {
      current = targets[i]!;
      await fs.writeFile(temps[i]!, files[i]!.data);
    }
    for (let i = 0; i < files.length; i++) {
      current = targets[i]!;
      backups[i] = await backup(io, targets[i]!, path.join(dir, `.${files[i]!.name}.${tag}.bak`));
      await fs.rename(temps[i]!, targets[i]!);
      placed.push(i);
    }
  } catch (e) {
    // Put back what was replaced, newest first, so the directory holds the previous save again.
    for (const i of placed.reverse()) {
      const b = backups[i];
      if (!b) await fs.rm(targets[i]!, { force: true }).catch(() => undefined);
      else await fs.rename(b, targets[i]!).catch(() => fs.copyFile(b, targets[i]!)).catch(() => undefined);
    }
    await removeQuietly(fs, [...temps, ...backups.filter((b): b is string => b !== null)]);
    throw writeError(owner, current, e, 'The previous files in the directory were left as they were.');
  }
  await removeQuietly(fs, backups.filter((b): b is string => b !== null));
}

/** Keeps the current `target` (if any) under `name` without ever removing `target`: a hard link, or a copy where links are not supported. */
async function backup({ fs }: FileIo, target: string, name: string): Promise<string | null> {
  try {
    await fs.link(target, name);
    return name;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR' || code === 'EPERM') {
      // EPERM: Linux refuses hard links to directories this way; the rename then fails with a clear error.
      const stat = await fs.stat(target).catch(() => null);
      if (stat?.isDirectory()) throw e;
    }
    await fs.copyFile(target, name);
    return name;
  }
}

async function removeQuietly(fs: NodeFs, files: readonly string[]): Promise<void> {
  await Promise.all(files.map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
}

function writeError(owner: string, file: string, e: unknown, fix: string): StrataError {
  if (e instanceof StrataError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ? `${err.code}: ` : '';
  const what = err?.code === 'EISDIR' ? ' (a directory is in the way)' : err?.code === 'ENOTDIR' ? ' (a file is in the way of a directory)' : err?.code === 'EACCES' ? ' (permission denied)' : err?.code === 'ENOSPC' ? ' (no space left on the device)' : '';
  return new StrataError(`${owner}: could not write '${file}'${what} (${code}${err?.message ?? String(e)}). ${fix}`);
}

/**
 * Reads a JSON file of at most `MAX_JSON_BYTES`; a missing file, a directory, a file too large, text
 * that is not UTF-8 or not JSON each give a SavedModelError naming the file.
 *
 * @example
 * const json = await readJsonFile('/tmp/m/model.json', io);
 */
export async function readJsonFile(file: string, io: FileIo, fix = 'Check the path: model.save(dir) writes dir/model.json, saveWeights(dir) writes dir/weights.json.'): Promise<unknown> {
  const bytes = await withFile(file, io, fix, async (fh, size) => {
    if (size > MAX_JSON_BYTES) {
      throw new SavedModelError(file, `is ${size} bytes, more than the ${MAX_JSON_BYTES} bytes a model or weights JSON file may have`, { fix: 'Check that this is the model.json written by model.save, not a weights file.' });
    }
    return readExactly(fh, size, file);
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SavedModelError(file, 'is not UTF-8 text, so it is not a JSON file', { fix: 'Check that this is the model.json / weights.json, not a weights .bin file.' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SavedModelError(file, `is not valid JSON (${(e as Error).message})`, { fix: 'The file is damaged or truncated; re-save the model, or restore the file.' });
  }
}

/**
 * The size in bytes of a file, or a SavedModelError naming it when it is missing, not a file, or
 * too large to read.
 *
 * @example
 * const size = await fileSize('/tmp/m/weights.bin', io, manifestFile);
 */
export async function fileSize(file: string, io: FileIo, fix: string): Promise<number> {
  return withFile(file, io, fix, async (_fh, size) => {
    if (size > MAX_SHARD_BYTES) {
      throw new SavedModelError(file, `is ${size} bytes, more than the ${MAX_SHARD_BYTES} bytes one weights file may have`, { fix: 'Split the weights into several files (shards) of the manifest.' });
    }
    return size;
  });
}

/**
 * Reads exactly `expected` bytes of a weights file: the size is checked before anything is
 * allocated, and a file that changed size since is an error.
 *
 * @example
 * const bytes = await readBinaryFile('/tmp/m/weights.bin', 1024, io, fix);
 */
export async function readBinaryFile(file: string, expected: number, io: FileIo, fix: string): Promise<Uint8Array> {
  return withFile(file, io, fix, async (fh, size) => {
    if (size !== expected) {
      throw new SavedModelError(file, `changed size while being read (${expected} bytes expected, ${size} now)`, { fix: 'Do not write to the model directory while loading from it.' });
    }
    return readExactly(fh, size, file);
  });
}

async function withFile<T>(file: string, { fs }: FileIo, fix: string, use: (fh: FileHandle, size: number) => Promise<T>): Promise<T> {
  let fh: FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    throw openError(file, e, fix);
  }
  try {
    const stat = await fh.stat();
    if (!stat.isFile()) throw new SavedModelError(file, 'is a directory or a special file, not a file', { fix });
    return await use(fh, stat.size);
  } catch (e) {
    if (e instanceof SavedModelError) throw e;
    throw openError(file, e, fix);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function readExactly(fh: FileHandle, size: number, file: string): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let offset = 0;
  while (offset < size) {
    const { bytesRead } = await fh.read(out, offset, size - offset, offset);
    if (bytesRead === 0) {
      throw new SavedModelError(file, `ended after ${offset} of its ${size} bytes while being read`, { fix: 'Do not write to the model directory while loading from it.' });
    }
    offset += bytesRead;
  }
  return out;
}

function openError(file: string, e: unknown, fix: string): SavedModelError {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return new SavedModelError(file, 'does not exist', { fix, cause: e });
    case 'ENOTDIR':
      return new SavedModelError(file, 'does not exist (a part of its path is a file, not a directory)', { fix, cause: e });
    case 'EACCES':
    case 'EPERM':
      return new SavedModelError(file, 'cannot be read (permission denied)', { fix: 'Check the file permissions.', cause: e });
    case 'EISDIR':
      return new SavedModelError(file, 'is a directory, not a file', { fix, cause: e });
    default:
      return new SavedModelError(file, `cannot be read (${err?.code ? `${err.code}: ` : ''}${err?.message ?? String(e)})`, { fix, cause: e });
  }
}

/**
 * Resolves a shard path from a manifest against the manifest's directory, refusing absolute paths
 * and paths that leave the directory (a manifest must not make the loader read other files).
 *
 * @example
 * shardPath('/tmp/m', './weights.bin', io, '/tmp/m/model.json', 'weightsManifest[0].paths[0]'); // '/tmp/m/weights.bin'
 */
export function shardPath(dir: string, shard: string, { path }: FileIo, manifestFile: string, where: string): string {
  const clean = shard.replace(/\\/g, '/');
  const normalized = path.posix.normalize(clean);
  if (clean.includes('\0') || path.posix.isAbsolute(clean) || /^[a-zA-Z]:/.test(clean) || normalized === '..' || normalized.startsWith('../') || normalized === '.' || /^[a-z][a-z0-9+.-]*:\/\//i.test(clean)) {
    throw new SavedModelError(manifestFile, `names the weights file ${JSON.stringify(shard)}, which is not a file name relative to the manifest's directory`, {
      where,
      fix: 'Weights files must sit beside the manifest (e.g. "weights.bin" or "./group1-shard1of2.bin"); re-save the model.',
    });
  }
  return path.join(dir, ...normalized.split('/'));
}
